/*
 * keyvault.c - environment passphrases kept for key process restarts (see
 * keyvault.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/crypto.h>

#include "../config/cfg.h"
#include "keystore.h"
#include "keyvault.h"

int
keyvault_open(struct keyvault *v)
{
	memset(v, 0, sizeof *v);
	v->p = mmap(NULL, KEYVAULT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (v->p == MAP_FAILED) {
		v->p = NULL;
		return -1;
	}
	/* a worker forked from the master must find zeroes here: without
	 * WIPEONFORK (Linux < 4.14) there is no vault, not a shared one */
	if (madvise(v->p, KEYVAULT_SIZE, MADV_WIPEONFORK) < 0) {
		munmap(v->p, KEYVAULT_SIZE);
		v->p = NULL;
		return -1;
	}
	madvise(v->p, KEYVAULT_SIZE, MADV_DONTDUMP);
	(void)mlock(v->p, KEYVAULT_SIZE);	/* best effort: RLIMIT_MEMLOCK may be 0 */
	return 0;
}

/* field - the i-th NUL-terminated string of the record at r. */
static const char *
field(const char *r, int i)
{
	while (i-- > 0)
		r += strlen(r) + 1;
	return r;
}

/* record_len - bytes of the record at r. */
static size_t
record_len(const char *r)
{
	const char *end = field(r, 5);

	return (size_t)(end - r);
}

/* matches - record r is for s (NIP, keystore, scheme and variable all equal). */
static int
matches(const char *r, const struct cfg_signer *s)
{
	return s->pass_env && s->nip && s->keystore && !strcmp(field(r, 0), s->pass_env) &&
	       !strcmp(field(r, 1), s->nip) && !strcmp(field(r, 2), s->keystore) &&
	       !strcmp(field(r, 3), s->keystore_scheme ? s->keystore_scheme : "");
}

const char *
keyvault_pass(const struct keyvault *v, const struct cfg_signer *s)
{
	size_t off = 0;

	while (v->p && off < v->len) {
		if (matches(v->p + off, s))
			return field(v->p + off, 4);
		off += record_len(v->p + off);
	}
	return NULL;
}

/* add - one record; silently nothing when the vault is full (the signer then fails to load). */
static void
add(struct keyvault *v, const struct cfg_signer *s, const char *pass)
{
	const char *f[5] = { s->pass_env, s->nip, s->keystore,
			     s->keystore_scheme ? s->keystore_scheme : "", pass };
	size_t need = 0, i;

	for (i = 0; i < 5; i++)
		need += strlen(f[i]) + 1;
	if (v->len + need > KEYVAULT_SIZE)
		return;
	for (i = 0; i < 5; i++) {
		memcpy(v->p + v->len, f[i], strlen(f[i]) + 1);
		v->len += strlen(f[i]) + 1;
	}
}

void
keyvault_take(struct keyvault *v, const struct cfg *c)
{
	const char *pass;
	size_t i;

	for (i = 0; v->p && i < c->nsigners; i++) {
		const struct cfg_signer *s = &c->signers[i];
		if (!s->pass_env || !s->nip || !s->keystore || keyvault_pass(v, s) ||
		    !(pass = getenv(s->pass_env)))
			continue;
		add(v, s, pass);
	}
	/* every signer that reads it has it now: out of the environment, before any fork */
	for (i = 0; i < c->nsigners; i++)
		if (c->signers[i].pass_env)
			keystore_forget_env(c->signers[i].pass_env);
}

int
keyvault_set(struct keyvault *v, const void *bytes, size_t len)
{
	if (!v->p || len > KEYVAULT_SIZE || (len > 0 && ((const char *)bytes)[len - 1] != '\0'))
		return -1;
	OPENSSL_cleanse(v->p, KEYVAULT_SIZE);
	memcpy(v->p, bytes, len);
	v->len = len;
	return 0;
}

void
keyvault_close(struct keyvault *v)
{
	if (v->p) {
		OPENSSL_cleanse(v->p, KEYVAULT_SIZE);
		munlock(v->p, KEYVAULT_SIZE);
		munmap(v->p, KEYVAULT_SIZE);
	}
	memset(v, 0, sizeof *v);
}
