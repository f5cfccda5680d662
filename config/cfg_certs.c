/*
 * cfg_certs.c - certs: of sertel.yaml, the Registration Authority's
 * settings for certificate applications (Pasal 14; see cfg.h struct
 * cfg_certs).
 *
 * Owns: the domain an applicant's official e-mail must be at, and who may
 * verify, reject and revoke (the verifikators, by NIP).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_certs.h"

static const struct ykey certs_keys[] = {
	{ "email_domain", 1, NULL }, { "verifiers", 1, NULL }, { NULL, 0, NULL },
};

/* domain_ok - d looks like a DNS name: labels of letters, digits and '-', at least two. */
static int
domain_ok(const char *d)
{
	int dots = 0, len = 0;

	for (; *d; d++) {
		if (*d == '.') {
			if (len == 0)
				return 0;
			dots++;
			len = 0;
		} else if (isalnum((unsigned char)*d) || *d == '-') {
			len++;
		} else {
			return 0;
		}
	}
	return dots > 0 && len > 0;
}

/* load_verifiers - certs.verifiers: a non-empty list of NIPs/NIKs. */
static void
load_verifiers(struct cfg_part *L, const struct ynode *map, struct cfg_strs *v)
{
	char item[64], why[160];
	const struct ynode *seq;
	size_t i;

	if (ymap_kind(&L->x, map, "certs", "verifiers", Y_SEQ, &seq) != 0)
		return;
	if (seq->n == 0) {
		yerr(&L->x, L->x.codes->value, "certs.verifiers", seq, "certs.verifiers is an "
		     "empty list: name the verifikators' NIPs");
		return;
	}
	if (!(v->v = calloc(seq->n, sizeof *v->v))) {
		yerr(&L->x, L->x.codes->value, "certs.verifiers", seq, "out of memory");
		return;
	}
	for (i = 0; i < seq->n; i++) {
		ypath_index(item, sizeof item, "certs.verifiers", i);
		if (ynode_str(&L->x, seq->item[i], item, 32, &v->v[v->n]) < 0)
			continue;
		if (cfg_nip_check(v->v[v->n], why, sizeof why) < 0)
			yerr(&L->x, L->x.codes->value, item, seq->item[i], "%s %s", item, why);
		v->n++;
	}
}

void
cfg_certs_load(struct cfg_part *L, const struct ynode *root)
{
	struct cfg_certs *r = &L->c->certs;
	const struct ynode *map;

	if (ymap_kind(&L->x, root, "", "certs", Y_MAP, &map) != 0)
		return;
	r->enabled = 1;
	r->line = map->line;
	r->col = map->col;
	if (ymap_check(&L->x, map, "certs", certs_keys) < 0)
		return;
	if (ymap_str(&L->x, map, "certs", "email_domain", 253, &r->email_domain) == 0 &&
	    !domain_ok(r->email_domain))
		yerr(&L->x, L->x.codes->value, "certs.email_domain", ymap_get(map, "email_domain"),
		     "certs.email_domain '%s' is not a domain name (e.g. musirawaskab.go.id)",
		     r->email_domain);
	load_verifiers(L, map, &r->verifiers);
}

void
cfg_certs_free(struct cfg_certs *r)
{
	size_t i;

	for (i = 0; i < r->verifiers.n; i++)
		free(r->verifiers.v[i]);
	free(r->verifiers.v);
	free(r->email_domain);
	memset(r, 0, sizeof *r);
}
