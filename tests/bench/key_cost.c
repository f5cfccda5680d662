/*
 * key_cost.c - what a signature costs through the key process (pki/keyproc.c)
 * against signing in the process itself, as the workers did before issue 19.
 * `make bench` runs it on its configuration's signers.
 *
 *   key_cost CONFIG [ROUNDS]
 *
 * For every signer of CONFIG whose keystore opens: the median of ROUNDS
 * (default 500) signatures over 400 bytes (the size of the signed
 * attributes), in milliseconds, each way, and the CPU time a signature
 * takes in the process that makes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "../../config/cfg.h"
#include "../../pipeline/keys.h"
#include "../../pki/keyclient.h"
#include "../../pki/keystore.h"
#include "../../pki/keyvault.h"
#include "../../pki/signers.h"
#include "timing.h"

/* local - one signature with k here, as pades.c signs without a key process. */
static int
local(EVP_PKEY *k, const unsigned char *tbs, size_t len)
{
	unsigned char sig[1024];
	size_t siglen = sizeof sig;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int ok = m && EVP_DigestSignInit(m, NULL, EVP_sha256(), NULL, k) > 0 &&
		 EVP_DigestSign(m, sig, &siglen, tbs, len) > 0;

	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	unsigned char tbs[400], *sig;
	int rounds = argc > 2 ? atoi(argv[2]) : 500, r;
	double *a, *b, t, cpu[4];
	clockid_t kclock;
	struct signer_set s;
	struct keyvault v;
	struct keys k;
	struct err e;
	struct cfg *c;
	size_t i, siglen;

	if (argc < 2 || rounds < 1 || !(c = cfg_load(argv[1], &e)) ||
	    !(a = calloc((size_t)rounds, sizeof *a)) || !(b = calloc((size_t)rounds, sizeof *b))) {
		fprintf(stderr, "usage: key_cost CONFIG [ROUNDS]\n");
		return 2;
	}
	memset(tbs, 0x31, sizeof tbs);
	if (keyvault_open(&v) < 0 || keys_start(&k, c, &v, &s, &e) < 0) {
		fprintf(stderr, "key_cost: %s\n", e.detail);
		return 1;
	}
	if (clock_getcpuclockid(k.pid, &kclock) != 0)
		return 1;
	for (i = 0; i < s.n; i++) {
		struct keyclient kc = { keys_channel(&k), 0, 0 };
		struct signer_key own;
		if (!s.keys[i].pkey || kc.fd < 0 || keystore_load(&c->signers[i], &own, &e) < 0)
			continue;
		/* one loop after the other: interleaved, each side would pay for the other's
		 * cold caches; CPU time too, which a loaded machine does not blur */
		cpu[0] = clock_ms(CLOCK_THREAD_CPUTIME_ID);
		for (r = 0; r < rounds; r++) {
			t = now_ms();
			if (local(own.pkey, tbs, sizeof tbs) < 0)
				return 1;
			a[r] = now_ms() - t;
		}
		cpu[1] = clock_ms(CLOCK_THREAD_CPUTIME_ID);
		cpu[2] = clock_ms(kclock);
		for (r = 0; r < rounds; r++) {
			t = now_ms();
			if (keyclient_sign(&kc, (int)i, EVP_sha256(), 0, tbs, sizeof tbs, &sig, &siglen,
					   &e) < 0) {
				fprintf(stderr, "key_cost: %s\n", e.detail);
				return 1;
			}
			b[r] = now_ms() - t;
			OPENSSL_free(sig);
		}
		cpu[3] = clock_ms(kclock);
		printf("key_cost: %s %d bits, median of %d: in-process %.3f ms (CPU %.3f), through "
		       "the key process %.3f ms (its CPU %.3f)\n", EVP_PKEY_get0_type_name(own.pkey),
		       EVP_PKEY_get_bits(own.pkey), rounds, median(a, rounds),
		       (cpu[1] - cpu[0]) / rounds, median(b, rounds), (cpu[3] - cpu[2]) / rounds);
		keystore_free(&own);
		close(kc.fd);
	}
	keys_stop(&k);
	signers_free(&s);
	keyvault_close(&v);
	cfg_free(c);
	free(a);
	free(b);
	return 0;
}
