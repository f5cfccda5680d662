/*
 * cmd_config.c - `sertel config check`: the configuration, and every signer's
 * keystore opened as the daemon would, so a wrong passphrase or an untrusted
 * certificate shows now and not at the first document; a certificate that
 * names another person than its signer (signer.identity) is refused.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include "../config/cfg.h"
#include "../pki/signers.h"
#include "cli.h"

/* describe - the certificate's subject and issuer, indented under its signer's line. */
static void
describe(X509 *x)
{
	const char *const what[] = { "subject", "issuer" };
	BIO *b = BIO_new(BIO_s_mem());
	char *p;
	long n;
	int i;

	for (i = 0; b && i < 2; i++) {
		BIO_reset(b);
		X509_NAME_print_ex(b, i ? X509_get_issuer_name(x) : X509_get_subject_name(x), 0,
				   XN_FLAG_RFC2253);
		n = BIO_get_mem_data(b, &p);
		printf("  %s: %.*s\n", what[i], (int)(n > 0 ? n : 0), p);
	}
	BIO_free(b);
}

int
cmd_config(int argc, char **argv)
{
	BIO *out;
	struct signer_set s;
	char until[64];
	struct err e;
	struct cfg *c;
	size_t i;
	int n, bad = 0, misnamed = 0;

	if (argc != 2 || strcmp(argv[1], "check")) {
		fprintf(stderr, "usage: sertel config check\n");
		return EX_USAGE;
	}
	c = cli_config();
	printf("%s: syntax OK (%zu signer(s), %zu other official(s), %zu document type(s), "
	       "spool %s, state %s)\n", c->path, c->nsigners, c->nofficials - c->nsigners,
	       c->ndoctypes, c->spool_dir, c->state_dir);
	out = BIO_new(BIO_s_mem());
	signers_load(c, &s);
	for (i = 0; i < s.n; i++) {
		if (!s.keys[i].pkey) {
			printf("signer %s (%s): NOT USABLE: %s\n", c->signers[i].nip,
			       c->signers[i].name, s.errs[i].detail);
			bad++;
			continue;
		}
		ASN1_TIME_print(out, X509_get0_notAfter(s.keys[i].cert));
		n = BIO_read(out, until, sizeof until - 1);
		until[n > 0 ? n : 0] = '\0';
		printf("signer %s (%s): OK, certificate %s valid until %s\n", c->signers[i].nip,
		       c->signers[i].name, s.keys[i].serial, until);
		describe(s.keys[i].cert);
		if (!signers_identity(&s, i, &e)) {
			printf("  REFUSED (signer.identity): %s\n", e.detail);
			misnamed++;
		}
	}
	signers_free(&s);
	BIO_free(out);
	cfg_free(c);
	/* 78: the file is wrong, or names a signer whose certificate is another
	 * person's (run and watch would not start); an unusable keystore is 1 */
	return misnamed ? EX_CONFIG : bad ? 1 : 0;
}
