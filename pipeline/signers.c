/*
 * signers.c - loading every signer's keystore once (see signers.h).
 */
#include <stdlib.h>
#include <string.h>

#include "../config/cfg.h"
#include "log.h"
#include "signers.h"

int
signers_load(const struct cfg *c, struct signer_set *s)
{
	size_t i;

	memset(s, 0, sizeof *s);
	s->keys = calloc(c->nsigners ? c->nsigners : 1, sizeof *s->keys);
	s->errs = calloc(c->nsigners ? c->nsigners : 1, sizeof *s->errs);
	if (!s->keys || !s->errs) {
		signers_free(s);
		return -1;
	}
	s->n = c->nsigners;
	s->cfg = c->signers;
	for (i = 0; i < s->n; i++)
		if (keystore_load(&c->signers[i], &s->keys[i], &s->errs[i]) < 0)
			log_err(NULL, "signer %s: %s", c->signers[i].nip, s->errs[i].detail);
	return 0;
}

int
signers_find(const struct signer_set *s, const char *nip)
{
	size_t i;

	for (i = 0; nip && i < s->n; i++)
		if (strcmp(s->cfg[i].nip, nip) == 0)
			return (int)i;
	return -1;
}

void
signers_free(struct signer_set *s)
{
	size_t i;

	for (i = 0; s->keys && i < s->n; i++)
		keystore_free(&s->keys[i]);
	free(s->keys);
	free(s->errs);
	memset(s, 0, sizeof *s);
}
