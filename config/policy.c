/*
 * policy.c - who approves and who signs what (see cfg.h and policy.h).
 *
 * Owns: officials:, the roles and active keys of signers:, and a document
 * type's parafs, signed_by and pds.  A person is written once: an official
 * who also signs is a signers: entry (with roles: when they paraf or when a
 * type's signed_by names a role), so name, jabatan and PD are never kept
 * equal in two places.  The register built here answers every "who is this
 * NIP" question of the validate stage and of `sertel paraf`.
 *
 * References are checked at load time: a type whose required role nobody
 * holds, or a signed_by NIP that is not a signer, stops sertel at start-up
 * (exit 78, file:line:column) instead of refusing every such document later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/outcome.h"
#include "../spool/spool.h"
#include "policy.h"

#define TEXT_MAX	512
#define FIELD_MAX	sizeof ((struct err *)0)->field

static const struct ykey official_keys[] = {
	{ "nip", 1, NULL }, { "name", 1, NULL }, { "jabatan", 1, NULL }, { "roles", 1, NULL },
	{ "pd", 1, NULL }, { "active", 0, NULL }, { NULL, 0, NULL },
};

/* digits - s is a non-empty string of decimal digits (a NIP or NIK, not a name). */
static int
digits(const char *s)
{
	return s[0] && strspn(s, "0123456789") == strlen(s);
}

/* A kind of name in a list: why a value is not one (NULL when it is). */
typedef const char *(*name_why)(const char *s, char *buf, size_t cap);

static const char *
role_why(const char *s, char *buf, size_t cap)
{
	(void)buf, (void)cap;
	return spool_pd_valid(s) && !digits(s) ? NULL :
	       "is not a role name: 1-63 characters of a-z, 0-9, '_' and '-', not only digits";
}

static const char *
pd_why(const char *s, char *buf, size_t cap)
{
	(void)buf, (void)cap;
	return spool_pd_valid(s) ? NULL :
	       "is not a PD folder name: 1-63 characters of a-z, 0-9, '_' and '-'";
}

static const char *
pd_all_why(const char *s, char *buf, size_t cap)
{
	(void)buf, (void)cap;
	return !strcmp(s, "*") || spool_pd_valid(s) ? NULL :
	       "is not a PD folder name (1-63 characters of a-z, 0-9, '_' and '-') or \"*\" "
	       "(every PD)";
}

/* signer_ref_why - a role, or a NIP/NIK of the right structure (a signer's: checked later). */
static const char *
signer_ref_why(const char *s, char *buf, size_t cap)
{
	if (!digits(s))
		return role_why(s, buf, cap);
	return cfg_nip_check(s, buf, cap) < 0 ? buf : NULL;
}

/* strs_add - append s, which the list now owns; -1 (s freed) when out of memory. */
static int
strs_add(struct cfg_strs *l, char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof *v);

	if (!v) {
		free(s);
		return -1;
	}
	l->v = v;
	l->v[l->n++] = s;
	return 0;
}

static void
strs_free(struct cfg_strs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* load_name - one name of list (field path) at n, checked by why and given once. */
static void
load_name(struct yctx *x, const struct ynode *n, const char *field, const char *list,
	  name_why why, struct cfg_strs *l)
{
	char buf[200];
	const char *w;
	char *s = NULL;

	if (ynode_str(x, n, field, TEXT_MAX, &s) < 0)
		return;
	if ((w = why(s, buf, sizeof buf)) != NULL)
		yerr(x, x->codes->value, field, n, "%s '%s' %s", field, s, w);
	else if (cfg_strs_has(l, s))
		yerr(x, x->codes->value, field, n, "%s '%s' is listed twice in %s", field, s, list);
	else if (strs_add(l, s) < 0)
		yerr(x, x->codes->value, field, n, "out of memory");
	else
		return;
	free(s);
}

/*
 * load_names - map[key]: a list of names into *l, each checked by why (a
 * single name too when one_ok).  An empty list is refused: leaving the key
 * out is how "no restriction" is written.  1 when absent.
 */
static int
load_names(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	   int one_ok, name_why why, struct cfg_strs *l)
{
	char field[FIELD_MAX], item[FIELD_MAX];
	const struct ynode *v = ymap_get(map, key);
	size_t i;

	ypath_key(field, sizeof field, path, key);
	if (!v || ynode_null(v))
		return 1;
	if (one_ok && v->kind == Y_SCALAR) {
		load_name(x, v, field, field, why, l);
		return 0;
	}
	if (ynode_want(x, v, field, Y_SEQ) < 0)
		return -1;
	if (v->n == 0) {
		yerr(x, x->codes->value, field, v, "%s is an empty list; list at least one, or "
		     "leave the key out", field);
		return -1;
	}
	for (i = 0; i < v->n; i++) {
		ypath_index(item, sizeof item, field, i);
		load_name(x, v->item[i], item, field, why, l);
	}
	return 0;
}

/* load_bool - map[key] as true/false (YAML 1.2: no yes/no, no on/off); 1 when absent. */
static int
load_bool(struct yctx *x, const struct ynode *map, const char *path, const char *key, int *out)
{
	static const char *const yes[] = { "true", "True", "TRUE" }, *const no[] = { "false",
		"False", "FALSE" };
	char field[FIELD_MAX];
	const struct ynode *v = ymap_get(map, key);
	size_t i;

	if (!v || ynode_null(v))
		return 1;
	ypath_key(field, sizeof field, path, key);
	if (ynode_want(x, v, field, Y_SCALAR) < 0)
		return -1;
	for (i = 0; v->plain && i < 3; i++)
		if (!strcmp(v->text, yes[i]) || !strcmp(v->text, no[i])) {
			*out = !strcmp(v->text, yes[i]);
			return 0;
		}
	yerr(x, x->codes->type, field, v, "%s is '%.40s', expected true or false", field, v->text);
	return -1;
}

void
policy_load_doctype(struct yctx *x, const struct ynode *map, const char *path,
		    struct cfg_doctype *dt)
{
	const struct ynode *min = ymap_get(map, "min_parafs");
	char field[FIELD_MAX];

	load_names(x, map, path, "parafs", 0, role_why, &dt->parafs);
	load_names(x, map, path, "signed_by", 0, signer_ref_why, &dt->signed_by);
	load_names(x, map, path, "pds", 0, pd_why, &dt->pds);
	ypath_key(field, sizeof field, path, "parafs");
	if (dt->parafs.n > OUTCOME_MAX_PARAFS)
		yerr(x, x->codes->value, field, ymap_get(map, "parafs"), "%s lists %zu roles, at "
		     "most %d allowed", field, dt->parafs.n, OUTCOME_MAX_PARAFS);
	if (!min || ynode_null(min)) {
		dt->min_parafs = dt->parafs.n > 1 ? (int)dt->parafs.n : 1;
	} else if (min->kind == Y_SCALAR && atoi(min->text) == dt->min_parafs &&
		   dt->min_parafs < (int)dt->parafs.n) {
		ypath_key(field, sizeof field, path, "min_parafs");
		yerr(x, x->codes->value, field, min, "%s is %d, fewer than the %zu roles its parafs "
		     "requires; raise it or leave it out", field, dt->min_parafs, dt->parafs.n);
	}
}

/* check_unique - o's NIP is not an earlier official's nor a signer's. */
static void
check_unique(struct yctx *x, const struct cfg *c, const struct ynode *item, const char *path,
	     size_t i)
{
	const struct cfg_official *o = &c->officials[i];
	const struct cfg_signer *s = cfg_signer_find(c, o->nip);
	char field[FIELD_MAX];
	size_t j;

	ypath_key(field, sizeof field, path, "nip");
	if (s) {
		yerr(x, x->codes->value, field, ymap_get(item, "nip"), "NIP %s is a signer "
		     "(signers[%zu], line %d); a signer is an official already: give its roles "
		     "and active in that entry instead", o->nip, (size_t)(s - c->signers), s->line);
		return;
	}
	for (j = 0; j < i; j++)
		if (c->officials[j].nip && !strcmp(c->officials[j].nip, o->nip)) {
			yerr(x, x->codes->value, field, ymap_get(item, "nip"), "NIP %s is already "
			     "used by officials[%zu] (line %d); list each official once", o->nip, j,
			     c->officials[j].line);
			return;
		}
}

/* load_official - one entry of officials:. */
static void
load_official(struct yctx *x, struct cfg *c, const struct ynode *item, size_t i)
{
	struct cfg_official *o = &c->officials[c->nofficials++];
	char path[32], field[FIELD_MAX], why[160];

	ypath_index(path, sizeof path, "officials", i);
	o->line = item->line;
	o->col = item->col;
	o->signer = -1;
	o->active = 1;
	if (ymap_check(x, item, path, official_keys) < 0)
		return;
	if (ymap_str(x, item, path, "nip", TEXT_MAX, &o->nip) == 0) {
		ypath_key(field, sizeof field, path, "nip");
		if (cfg_nip_check(o->nip, why, sizeof why) < 0)
			yerr(x, x->codes->value, field, ymap_get(item, "nip"), "%s '%s' %s", field,
			     o->nip, why);
		else
			check_unique(x, c, item, path, i);
	}
	ymap_str(x, item, path, "name", TEXT_MAX, &o->name);
	ymap_str(x, item, path, "jabatan", TEXT_MAX, &o->jabatan);
	load_names(x, item, path, "roles", 0, role_why, &o->roles);
	load_names(x, item, path, "pd", 1, pd_all_why, &o->pds);
	load_bool(x, item, path, "active", &o->active);
}

/* dup_or_null - a copy of s (NULL stays NULL); -1 when out of memory. */
static int
dup_or_null(const char *s, char **out)
{
	*out = s ? strdup(s) : NULL;
	return s && !*out ? -1 : 0;
}

/* add_signer - signers[i] into the register, with its roles and active. */
static void
add_signer(struct yctx *x, struct cfg *c, const struct ynode *item, size_t i)
{
	const struct cfg_signer *s = &c->signers[i];
	struct cfg_official *o = &c->officials[c->nofficials++];
	char path[32], *pd = NULL;

	ypath_index(path, sizeof path, "signers", i);
	o->line = s->line;
	o->col = s->col;
	o->signer = (int)i;
	o->active = 1;
	if (dup_or_null(s->nip, &o->nip) < 0 || dup_or_null(s->name, &o->name) < 0 ||
	    dup_or_null(s->jabatan, &o->jabatan) < 0 || dup_or_null(s->pd, &pd) < 0 ||
	    (pd && strs_add(&o->pds, pd) < 0)) {
		yerr(x, x->codes->value, path, item, "out of memory");
		return;
	}
	if (item && item->kind == Y_MAP) {
		load_names(x, item, path, "roles", 0, role_why, &o->roles);
		load_bool(x, item, path, "active", &o->active);
	}
}

/* held - some official (signers only: some signer) holds role. */
static int
held(const struct cfg *c, const char *role, int signers_only)
{
	size_t i;

	for (i = 0; i < c->nofficials; i++)
		if ((!signers_only || c->officials[i].signer >= 0) &&
		    cfg_strs_has(&c->officials[i].roles, role))
			return 1;
	return 0;
}

/* check_refs - every role a type requires is held, every signed_by names a signer. */
static void
check_refs(struct yctx *x, const struct cfg *c, const struct ynode *root)
{
	const struct ynode *types = ymap_get(root, "document_types");
	char path[FIELD_MAX], list[FIELD_MAX], field[FIELD_MAX];
	size_t i, j;

	for (i = 0; types && types->kind == Y_MAP && i < c->ndoctypes && i < types->n; i++) {
		const struct cfg_doctype *dt = &c->doctypes[i];
		const struct ynode *map = types->pair[i].val;
		const struct ynode *pl = ymap_get(map, "parafs"), *sl = ymap_get(map, "signed_by");

		ypath_key(path, sizeof path, "document_types", dt->name);
		ypath_key(list, sizeof list, path, "parafs");
		for (j = 0; j < dt->parafs.n; j++) {
			ypath_index(field, sizeof field, list, j);
			if (!held(c, dt->parafs.v[j], 0))
				yerr(x, x->codes->value, field, pl->item[j], "%s: no official holds "
				     "role '%s'; add it to the roles of an official (officials:) or "
				     "of a signer", field, dt->parafs.v[j]);
		}
		for (j = 0; j < dt->signed_by.n; j++) {
			const char *s = dt->signed_by.v[j];
			ypath_key(list, sizeof list, path, "signed_by");
			ypath_index(field, sizeof field, list, j);
			if (digits(s) && !cfg_signer_find(c, s))
				yerr(x, x->codes->value, field, sl->item[j], "%s: %s is not the NIP of "
				     "a signer (signers:)", field, s);
			else if (!digits(s) && !held(c, s, 1))
				yerr(x, x->codes->value, field, sl->item[j], "%s: no signer holds role "
				     "'%s'; add it to a signer's roles", field, s);
		}
	}
}

void
policy_load_officials(struct yctx *x, struct cfg *c, const struct ynode *root)
{
	const struct ynode *seq = NULL, *signers = ymap_get(root, "signers");
	size_t i, n;

	if (ymap_kind(x, root, "", "officials", Y_SEQ, &seq) != 0)
		seq = NULL;
	n = (seq ? seq->n : 0) + c->nsigners;
	if (n == 0)
		return;
	if (!(c->officials = calloc(n, sizeof *c->officials))) {
		yerr(x, x->codes->value, "officials", seq, "out of memory");
		return;
	}
	for (i = 0; seq && i < seq->n; i++)
		load_official(x, c, seq->item[i], i);
	for (i = 0; i < c->nsigners; i++)
		add_signer(x, c, signers && signers->kind == Y_SEQ && i < signers->n ?
			   signers->item[i] : NULL, i);
	/* a broken entry (a type's list, an official) would make references to it
	 * look wrong too, or point at the wrong item: judge them on a clean file */
	if (x->errs->n + x->errs->dropped == 0)
		check_refs(x, c, root);
}

void
policy_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < c->nofficials; i++) {
		struct cfg_official *o = &c->officials[i];
		free(o->nip);
		free(o->name);
		free(o->jabatan);
		strs_free(&o->roles);
		strs_free(&o->pds);
	}
	free(c->officials);
	c->officials = NULL;
	c->nofficials = 0;
	for (i = 0; c->doctypes && i < c->ndoctypes; i++) {
		strs_free(&c->doctypes[i].parafs);
		strs_free(&c->doctypes[i].signed_by);
		strs_free(&c->doctypes[i].pds);
	}
}

/* ---- lookups ------------------------------------------------------------ */

int
cfg_strs_has(const struct cfg_strs *l, const char *s)
{
	size_t i;

	for (i = 0; s && i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

const struct cfg_official *
cfg_official_find(const struct cfg *c, const char *nip)
{
	size_t i;

	for (i = 0; c && nip && i < c->nofficials; i++)
		if (c->officials[i].nip && !strcmp(c->officials[i].nip, nip))
			return &c->officials[i];
	return NULL;
}

int
cfg_official_in_pd(const struct cfg_official *o, const char *pd)
{
	return cfg_strs_has(&o->pds, "*") || cfg_strs_has(&o->pds, pd);
}

int
cfg_doctype_may_sign(const struct cfg_doctype *dt, const struct cfg_official *o)
{
	size_t i;

	if (dt->signed_by.n == 0)
		return 1;
	for (i = 0; i < dt->signed_by.n; i++)
		if (digits(dt->signed_by.v[i]) ? o->nip && !strcmp(o->nip, dt->signed_by.v[i])
					       : cfg_strs_has(&o->roles, dt->signed_by.v[i]))
			return 1;
	return 0;
}

int
cfg_doctype_from_pd(const struct cfg_doctype *dt, const char *pd)
{
	return dt->pds.n == 0 || cfg_strs_has(&dt->pds, pd);
}

const char *
cfg_strs_join(const struct cfg_strs *l, const char *sep, const char *none, char *buf, size_t cap)
{
	size_t i, len = 0;

	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (l->n == 0)
		snprintf(buf, cap, "%s", none);
	for (i = 0; i < l->n && len < cap; i++) {
		int k = snprintf(buf + len, cap - len, "%s%s", i ? sep : "", l->v[i]);
		len += k > 0 ? (size_t)k : 0;
	}
	return buf;
}
