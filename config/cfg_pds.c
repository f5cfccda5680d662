/*
 * cfg_pds.c - pds: and spool_group: of sertel.yaml.
 *
 * Owns: which PDs the district has and who may reach their folders.  PD
 * administrators reach the spool from Windows (Samba) or SFTP as members of
 * a group: spool_group for every folder, or a PD's own group so that one
 * PD cannot read another's documents.  The groups must exist when the
 * configuration is loaded (sertel makes the folders with them at start).
 *
 *   spool_group: sertel-pd
 *   pds:
 *     - diskominfo
 *     - { code: bappeda, group: pd-bappeda }
 */
#include <grp.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_pds.h"

static const struct ykey pd_keys[] = {
	{ "code", 1, NULL }, { "group", 0, NULL }, { NULL, 0, NULL },
};

/* code_ok - a folder name sertel takes as a PD: [a-z0-9_-], 1 to 63, not "_unknown". */
static int
code_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || !strcmp(s, "_unknown"))
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* group_ok - field names an existing group, else a violation. */
static void
group_ok(struct cfg_part *L, const char *field, const struct ynode *n, const char *g)
{
	if (!getgrnam(g))
		yerr(&L->x, L->x.codes->value, field, n, "%s: no group '%s' on this server "
		     "(addgroup %s)", field, g, g);
}

/* load_pd - pds[i]: a code, or a map of code and group. */
static void
load_pd(struct cfg_part *L, const struct ynode *item, size_t i, struct cfg_pd *pd)
{
	char path[96];
	const struct ynode *code = item;
	size_t j;

	ypath_index(path, sizeof path, "pds", i);
	if (item->kind == Y_MAP) {
		if (ymap_check(&L->x, item, path, pd_keys) < 0)
			return;
		code = ymap_get(item, "code");
		if (ymap_get(item, "group") &&
		    ymap_str(&L->x, item, path, "group", 32, &pd->group) == 0)
			group_ok(L, path, ymap_get(item, "group"), pd->group);
	}
	if (!code || ynode_str(&L->x, code, path, 64, &pd->code) < 0)
		return;
	if (!code_ok(pd->code)) {
		yerr(&L->x, L->x.codes->value, path, code, "%s '%s' is not a PD folder name: lower-"
		     "case letters, digits, '-' and '_' (e.g. bappeda)", path, pd->code);
		return;
	}
	for (j = 0; j < i; j++)
		if (L->c->pds[j].code && !strcmp(L->c->pds[j].code, pd->code))
			yerr(&L->x, L->x.codes->value, path, code, "%s '%s' is listed twice", path,
			     pd->code);
}

void
cfg_pds_load(struct cfg_part *L, const struct ynode *root)
{
	struct cfg *c = L->c;
	const struct ynode *seq;
	size_t i;

	if (ymap_get(root, "spool_group") &&
	    ymap_str(&L->x, root, "", "spool_group", 32, &c->spool_group) == 0)
		group_ok(L, "spool_group", ymap_get(root, "spool_group"), c->spool_group);
	if (ymap_kind(&L->x, root, "", "pds", Y_SEQ, &seq) != 0)
		return;
	if (!(c->pds = calloc(seq->n ? seq->n : 1, sizeof *c->pds)) ||
	    !(c->pd_codes = calloc(seq->n ? seq->n : 1, sizeof *c->pd_codes)))
		return;
	for (i = 0; i < seq->n; i++) {
		load_pd(L, seq->item[i], i, &c->pds[c->npds]);
		c->pd_codes[c->npds] = c->pds[c->npds].code;
		c->npds++;
	}
}

const char *
cfg_pd_group(const struct cfg *c, const char *pd)
{
	size_t i;

	for (i = 0; i < c->npds; i++)
		if (c->pds[i].code && !strcmp(c->pds[i].code, pd) && c->pds[i].group)
			return c->pds[i].group;
	return c->spool_group;
}

void
cfg_pds_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < c->npds; i++) {
		free(c->pds[i].code);
		free(c->pds[i].group);
	}
	free(c->pds);
	free(c->pd_codes);
	free(c->spool_group);
	c->pds = NULL;
	c->pd_codes = NULL;
	c->npds = 0;
	c->spool_group = NULL;
}
