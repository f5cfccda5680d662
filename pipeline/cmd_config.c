/*
 * cmd_config.c - `sertel config check`: the configuration, and every signer's
 * keystore opened as the daemon would, so a wrong passphrase or an untrusted
 * certificate shows now and not at the first document; a certificate that
 * names another person than its signer (signer.identity) is refused.  The
 * server's own files (trust anchors, spool and state folders: preflight.c)
 * are checked too.  Every such problem exits 78, as `run` and `watch` would.
 * What only the service can read (a passphrase in the service's environment,
 * files of the service user when run as somebody else) is said to be not
 * checked, and does not count.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include "../config/cfg.h"
#include "../pki/keystore.h"
#include "../pki/signers.h"
#include "cli.h"
#include "preflight.h"

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

/*
 * unchecked - why signer s's keystore cannot be checked by this process (its
 * secret is the service's only), into why; NULL when it can be.
 */
static const char *
unchecked(const struct cfg_signer *s, int service, char *why, size_t cap)
{
	if (s->pass_env && !getenv(s->pass_env)) {
		snprintf(why, cap, "its passphrase is in %s, which only the service's environment "
			 "has", s->pass_env);
		return why;
	}
	if (service)
		return NULL;
	if (s->pass_file && access(s->pass_file, R_OK) < 0 && errno == EACCES) {
		snprintf(why, cap, "%s cannot be read by this user", s->pass_file);
		return why;
	}
	if (!strcmp(s->keystore_scheme, "pkcs12") && access(s->keystore, R_OK) < 0 &&
	    errno == EACCES) {
		snprintf(why, cap, "%s cannot be read by this user", s->keystore);
		return why;
	}
	return NULL;
}

/* server - the trust anchors and the folders: the number of problems, each printed. */
static int
server(const struct cfg *c, int service)
{
	struct err e;
	int bad = 0, unchecked;

	if (preflight_trust(c, &e) < 0) {
		printf("trust: PROBLEM (config.server): %s\n", e.detail);
		bad++;
	} else {
		printf("trust: OK (%zu file(s), %zu for timestamps)\n", c->ntrust, c->timestamp.ntrust);
	}
	if (preflight_passwords(c, &unchecked, &e) < 0) {
		printf("timestamp: PROBLEM (config.server): %s\n", e.detail);
		bad++;
	} else if (unchecked) {
		printf("timestamp: %d password file(s) NOT CHECKED (readable by the service user "
		       "only)\n", unchecked);
	}
	if (!service)
		printf("spool, state: NOT CHECKED (only the service user can tell whether it may write "
		       "there: run `sudo -u sertel sertel config check`)\n");
	else if (preflight_dirs(c, &e) < 0) {
		printf("spool, state: PROBLEM (config.server): %s\n", e.detail);
		bad++;
	} else {
		printf("spool, state: OK (writable)\n");
	}
	return bad;
}

int
cmd_config(int argc, char **argv)
{
	BIO *out;
	struct signer_set s;
	char until[64], why[PATH_MAX + 128];
	struct err e;
	struct cfg *c;
	size_t i;
	int n, bad = 0, misnamed = 0, service;

	if (argc != 2 || strcmp(argv[1], "check")) {
		fprintf(stderr, "usage: sertel config check\n");
		return EX_USAGE;
	}
	c = cli_config();
	printf("%s: syntax OK (%zu signer(s), %zu other official(s), %zu document type(s), "
	       "spool %s, state %s)\n", c->path, c->nsigners, c->nofficials - c->nsigners,
	       c->ndoctypes, c->spool_dir, c->state_dir);
	service = preflight_service(c);
	bad = server(c, service);
	out = BIO_new(BIO_s_mem());
	keystore_p11_remember(c->state_dir);	/* a PIN a token refused is not tried again */
	signers_load(c, &s);
	for (i = 0; i < s.n; i++) {
		if (!s.keys[i].pkey && unchecked(&c->signers[i], service, why, sizeof why)) {
			printf("signer %s (%s): NOT CHECKED: %s (run `sudo -u sertel sertel config "
			       "check` with the service's environment)\n", c->signers[i].nip,
			       c->signers[i].name, why);
			continue;
		}
		if (!s.keys[i].pkey) {
			printf("signer %s (%s): NOT USABLE (%s): %s; fix the keystore, its passphrase "
			       "or trust: for signers[%zu] in %s\n", c->signers[i].nip,
			       c->signers[i].name, s.errs[i].code, s.errs[i].detail, i, c->path);
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
	/* 78: the file is wrong, or the server's files it names are (run and
	 * watch would not start, or a signer could not sign) */
	return misnamed || bad ? EX_CONFIG : 0;
}
