/*
 * test_keyproc.c - the key process (pki/keyproc.c) as the master drives it
 * (pipeline/keys.c) and a worker talks to it (pki/keyclient.c).
 *
 * A throwaway PKI (tests/lib/pki.sh); a configuration with an RSA signer
 * (passphrase file), an ECDSA signer (passphrase variable) and one whose
 * passphrase is wrong.  The master's set gets certificates and public keys
 * only; signatures from the key process verify with the certificates; every
 * malformed request is refused without ending it; killed, it is restarted and
 * the variable's passphrase still opens the ECDSA keystore (the vault).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "../../config/cfg.h"
#include "../../pki/keyclient.h"
#include "../../pki/keyvault.h"
#include "../../pki/signers.h"
#include "../../pipeline/keys.h"
#include "fixture.h"

static char dir[64];
static struct cfg *C;
static struct keyvault V;
static struct keys K;
static struct signer_set S;

static const char *
path(const char *name)
{
	return dir_path(dir, name);
}

static int
setup(void **state)
{
	char tmpl[] = "/tmp/sertel-keyproc-XXXXXX";
	struct err e;
	FILE *f;

	if (mkdtemp(tmpl) == NULL)
		return -1;
	snprintf(dir, sizeof dir, "%s", tmpl);
	if (run("sh tests/lib/pki.sh '%s'", path("pki")) != 0 ||
	    run("echo salah > '%s'", path("wrong.pass")) != 0 || !(f = fopen(path("sertel.yaml"), "w")))
		return -1;
	fputs("instansi: X\nspool: spool\nstate: state\n"
	      "document_types: { surat: { title: Surat } }\n"
	      "signers:\n"
	      "  - { nip: '197103012006042006', name: 'Dr. Siti Aminah, M.Si', jabatan: K, pd: p,\n"
	      "      keystore: pki/signer-rsa.p12, passphrase_file: pki/pass.txt }\n"
	      "  - { nip: '198204152008011002', name: 'Ahmad Fauzi, S.T.', jabatan: K, pd: p,\n"
	      "      keystore: pki/signer-ec.p12, passphrase_env: SERTEL_TEST_KP }\n"
	      "  - { nip: '198001012010011001', name: B, jabatan: K, pd: p,\n"
	      "      keystore: pki/signer-rsa.p12, passphrase_file: wrong.pass }\n", f);
	if (fclose(f) != 0 || !(C = cfg_load(path("sertel.yaml"), &e)))
		return -1;
	f = fopen(path("pki/pass.txt"), "r");
	char pass[128] = "";
	if (!f || !fgets(pass, sizeof pass, f))
		return -1;
	fclose(f);
	pass[strcspn(pass, "\n")] = '\0';
	setenv("SERTEL_TEST_KP", pass, 1);
	if (keyvault_open(&V) < 0 || keys_start(&K, C, &V, &S, &e) < 0) {
		fprintf(stderr, "keys_start: %s\n", e.detail);
		return -1;
	}
	(void)state;
	return 0;
}

static int
teardown(void **state)
{
	keys_stop(&K);
	signers_free(&S);
	keyvault_close(&V);
	cfg_free(C);
	if (dir[0])
		run("rm -rf '%s'", dir);
	(void)state;
	return 0;
}

/* sign_ok - signer i signs msg through a fresh channel and it verifies with i's certificate. */
static int
sign_ok(struct keyclient *kc, int i, int pss)
{
	static const unsigned char msg[] = "signed attributes, or anything";
	unsigned char *sig = NULL;
	size_t siglen = 0;
	struct err e;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pc = NULL;
	int ok;

	if (keyclient_sign(kc, i, EVP_sha256(), pss, msg, sizeof msg, &sig, &siglen, &e) < 0) {
		EVP_MD_CTX_free(m);
		return 0;
	}
	ok = EVP_DigestVerifyInit(m, &pc, EVP_sha256(), NULL, S.keys[i].pkey) > 0 &&
	     (!pss || (EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PSS_PADDING) > 0 &&
		       EVP_PKEY_CTX_set_rsa_pss_saltlen(pc, RSA_PSS_SALTLEN_DIGEST) > 0)) &&
	     EVP_DigestVerify(m, sig, siglen, msg, sizeof msg) == 1;
	EVP_MD_CTX_free(m);
	OPENSSL_free(sig);
	return ok;
}

/* The master holds certificates and public keys; the environment forgot the variable. */
static void
test_master_side(void **state)
{
	BIGNUM *d = NULL;

	assert_non_null(S.keys[0].cert);
	assert_non_null(S.keys[0].pkey);
	assert_non_null(S.keys[1].pkey);
	assert_true(S.keys[0].serial[0] != '\0');
	/* no private exponent in the master's RSA key */
	assert_int_equal(EVP_PKEY_get_bn_param(S.keys[0].pkey, OSSL_PKEY_PARAM_RSA_D, &d), 0);
	BN_free(d);
	assert_null(S.keys[2].pkey);
	assert_string_equal(S.errs[2].code, "signer.keystore");
	assert_null(getenv("SERTEL_TEST_KP"));
	(void)state;
}

static void
test_signs(void **state)
{
	struct keyclient kc = { keys_channel(&K), 0, 0 };

	assert_true(kc.fd >= 0);
	assert_true(sign_ok(&kc, 0, 0));	/* RSA PKCS#1 v1.5 */
	assert_true(sign_ok(&kc, 0, 1));	/* RSASSA-PSS */
	assert_true(sign_ok(&kc, 1, 0));	/* ECDSA, its passphrase from the variable */
	assert_int_equal(kc.lost, 0);
	close(kc.fd);
	(void)state;
}

/* raw - send n bytes as one request; the answer's status and detail. */
static int
raw(int fd, const void *buf, size_t n, char *detail)
{
	unsigned char in[sizeof(struct key_resp) + KEY_SIG_MAX];
	struct key_resp rs;

	if (send(fd, buf, n, 0) != (ssize_t)n || recv(fd, in, sizeof in, 0) < (ssize_t)sizeof rs)
		return 99;
	memcpy(&rs, in, sizeof rs);
	snprintf(detail, 200, "%s", rs.detail);
	return rs.status;
}

static void
test_refusals(void **state)
{
	static unsigned char buf[sizeof(struct key_req) + KEY_TBS_MAX + 64];
	struct keyclient kc = { keys_channel(&K), 0, 0 };
	struct key_req rq = { KEY_MAGIC, 1, 0, NID_sha256, 0, 16 };
	char why[200];

	assert_true(kc.fd >= 0);
	memset(buf, 'x', sizeof buf);
#define TRY(field, value, want) do {						\
		struct key_req r = rq;						\
		r.field = value;						\
		memcpy(buf, &r, sizeof r);					\
		assert_int_equal(raw(kc.fd, buf, sizeof r + 16, why), -1);	\
		assert_string_equal(why, want);					\
	} while (0)
	TRY(signer, 3, "unknown signer");
	TRY(signer, 2, "unknown signer");	/* its keystore did not open */
	TRY(signer, 0xffffffffu, "unknown signer");
	TRY(md_nid, NID_md5, "digest not allowed");
	TRY(md_nid, NID_sha1, "digest not allowed");
	TRY(len, 15, "malformed size");
	TRY(len, 17, "malformed size");
	TRY(len, 0, "malformed size");
	TRY(magic, 0, "malformed request");
	TRY(pss, 2, "RSASSA-PSS only with an RSA key");
	rq.signer = 1;
	TRY(pss, 1, "RSASSA-PSS only with an RSA key");	/* ECDSA */
	/* too short for a header; longer than any request */
	assert_int_equal(raw(kc.fd, buf, 5, why), -1);
	assert_string_equal(why, "malformed request");
	rq.len = KEY_TBS_MAX + 1;
	memcpy(buf, &rq, sizeof rq);
	assert_int_equal(raw(kc.fd, buf, sizeof rq + KEY_TBS_MAX + 1, why), -1);
	assert_string_equal(why, "malformed size");
	/* none of it ended the key process */
	assert_true(sign_ok(&kc, 0, 0));
	close(kc.fd);
	(void)state;
}

/* Killed: the client says ERR_RETRY and lost; the master starts another, which has the vault. */
static void
test_restart(void **state)
{
	struct keyclient kc = { keys_channel(&K), 0, 0 };
	unsigned char *sig = NULL;
	size_t siglen;
	struct err e;
	pid_t old = K.pid;

	assert_true(sign_ok(&kc, 1, 0));
	assert_int_equal(kill(K.pid, SIGKILL), 0);
	assert_int_equal(keyclient_sign(&kc, 1, EVP_sha256(), 0, (const unsigned char *)"x", 1,
					&sig, &siglen, &e), -1);
	assert_string_equal(e.code, ERR_RETRY);
	assert_int_equal(kc.lost, 1);
	close(kc.fd);
	assert_int_equal(keys_lost(&K, &e), 0);
	assert_true(K.pid != old);
	kc = (struct keyclient){ keys_channel(&K), 0, 0 };
	assert_true(sign_ok(&kc, 1, 0));	/* the passphrase variable is long gone */
	assert_true(sign_ok(&kc, 0, 0));
	close(kc.fd);
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_master_side),
		cmocka_unit_test(test_signs),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_restart),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
