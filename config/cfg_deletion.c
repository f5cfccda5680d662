/*
 * cfg_deletion.c - deletion: of sertel.yaml, the berita acara of deletion
 * (Lampiran III of Perbup 55/2023; see cfg.h struct cfg_deletion).
 *
 * Owns: which roles make an official a records officer, which signer signs
 * the berita acara for Diskominfo, how its number is written, and the
 * letterhead lines on top of it.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg_deletion.h"

static const struct ykey deletion_keys[] = {
	{ "officer_roles", 1, NULL }, { "service_signer", 1, NULL },
	{ "number_format", 0, NULL }, { "letterhead", 0, NULL }, { "place", 0, NULL },
	{ NULL, 0, NULL },
};

/* count - occurrences of pat in s. */
static int
count(const char *s, const char *pat)
{
	int n = 0;

	while ((s = strstr(s, pat)) != NULL) {
		n++;
		s += strlen(pat);
	}
	return n;
}

/* held - some official holds role. */
static int
held(const struct cfg *c, const char *role)
{
	size_t i;

	for (i = 0; i < c->nofficials; i++)
		if (cfg_strs_has(&c->officials[i].roles, role))
			return 1;
	return 0;
}

/* load_list - map[key], a list of strings, into v and n (each a held role when role). */
static void
load_list(struct cfg_part *L, const struct ynode *map, const char *key, int role, char ***v,
	  size_t *n)
{
	char field[128], item[160];
	const struct ynode *seq;
	size_t i;

	if (ymap_kind(&L->x, map, "deletion", key, Y_SEQ, &seq) != 0)
		return;
	ypath_key(field, sizeof field, "deletion", key);
	if (seq->n == 0) {
		yerr(&L->x, L->x.codes->value, field, seq, "%s is an empty list", field);
		return;
	}
	if (!(*v = calloc(seq->n, sizeof **v))) {
		yerr(&L->x, L->x.codes->value, field, seq, "out of memory");
		return;
	}
	for (i = 0; i < seq->n; i++) {
		ypath_index(item, sizeof item, field, i);
		if (ynode_str(&L->x, seq->item[i], item, TEXT_MAX, &(*v)[*n]) < 0)
			continue;
		if (role && !held(L->c, (*v)[*n]))
			yerr(&L->x, L->x.codes->value, item, seq->item[i], "%s: no official holds "
			     "role '%s'; add it to the roles of the records officers (officials:)",
			     item, (*v)[*n]);
		(*n)++;
	}
}

void
cfg_deletion_load(struct cfg_part *L, const struct ynode *root)
{
	struct cfg_deletion *d = &L->c->deletion;
	const struct ynode *map;

	if (ymap_kind(&L->x, root, "", "deletion", Y_MAP, &map) != 0)
		return;
	d->enabled = 1;
	d->line = map->line;
	d->col = map->col;
	if (ymap_check(&L->x, map, "deletion", deletion_keys) < 0)
		return;
	load_list(L, map, "officer_roles", 1, &d->officer_roles.v, &d->officer_roles.n);
	if (ymap_str(&L->x, map, "deletion", "service_signer", 32, &d->service_signer) == 0) {
		const struct cfg_signer *s = cfg_signer_find(L->c, d->service_signer);

		if (!s)
			yerr(&L->x, L->x.codes->value, "deletion.service_signer",
			     ymap_get(map, "service_signer"), "deletion.service_signer: %s is not "
			     "the NIP of a signer (signers:)", d->service_signer);
		/* the daemon signs berita acara through its key process, but
		 * `deletion submit` and `report`, run by a person, open the keystore
		 * themselves: a variable set for the service is not in their shell */
		else if (s->pass_env)
			yerr(&L->x, L->x.codes->value, "deletion.service_signer",
			     ymap_get(map, "service_signer"), "deletion.service_signer: signer %s "
			     "reads its passphrase from the environment (%s); the service signer "
			     "needs a passphrase_file (readable by the service user only), since "
			     "`sertel deletion submit` and `sertel report` open its keystore "
			     "outside the service, where that variable is not set", d->service_signer,
			     s->pass_env);
	}
	if (ymap_str(&L->x, map, "deletion", "number_format", 128, &d->number_format) == 0 &&
	    (count(d->number_format, "NNN") != 1 || count(d->number_format, "YYYY") != 1))
		yerr(&L->x, L->x.codes->value, "deletion.number_format",
		     ymap_get(map, "number_format"), "deletion.number_format '%s' must hold NNN "
		     "(the number in the year) and YYYY (the year) once each, e.g. "
		     "NNN/Diskominfo/YYYY", d->number_format);
	if (!d->number_format)
		d->number_format = strdup("NNN/Diskominfo/YYYY");
	ymap_str(&L->x, map, "deletion", "place", TEXT_MAX, &d->place);
	load_list(L, map, "letterhead", 0, &d->letterhead, &d->nletterhead);
}

void
cfg_deletion_free(struct cfg_deletion *d)
{
	size_t i;

	for (i = 0; i < d->officer_roles.n; i++)
		free(d->officer_roles.v[i]);
	free(d->officer_roles.v);
	for (i = 0; i < d->nletterhead; i++)
		free(d->letterhead[i]);
	free(d->letterhead);
	free(d->service_signer);
	free(d->number_format);
	free(d->place);
	memset(d, 0, sizeof *d);
}
