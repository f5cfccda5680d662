/*
 * policy.c - who approves and who signs what (see cfg.h and policy.h).
 *
 * Owns: document_types:, officials:, and the roles and active keys of
 * signers:.  A person is written once: an official who also signs is a
 * signers: entry (with roles: when they paraf or when a type's signed_by
 * names a role), so name, jabatan and PD are never kept equal in two places.
 * The register built here answers every "who is this NIP" question of the
 * validate stage and of `sertel paraf` (through the lookups of cfg.c).
 *
 * References are checked at load time: a type whose required role nobody
 * holds, or a signed_by NIP that is not a signer, stops sertel at start-up
 * (exit 78, file:line:column) instead of refusing every such document later.
 */
#include <stdlib.h>
#include <string.h>

#include "../base/outcome.h"
#include "../spool/spool.h"
#include "policy.h"

#define FIELD_MAX	sizeof ((struct err *)0)->field

static const struct ykey doctype_keys[] = {
	{ "title", 1, NULL }, { "min_parafs", 0, NULL }, { "certify", 0, NULL },
	{ "parafs", 0, NULL }, { "signed_by", 0, NULL }, { "pds", 0, NULL },
	{ NULL, 0, NULL },
};

static const struct ykey official_keys[] = {
	{ "nip", 1, NULL }, { "name", 1, NULL }, { "jabatan", 1, NULL }, { "roles", 1, NULL },
	{ "pd", 1, NULL }, { "active", 0, NULL }, { NULL, 0, NULL },
};

/* A kind of name in a list: why a value is not one (NULL when it is). */
typedef const char *(*name_why)(const char *s, char *buf, size_t cap);

static const char *
role_why(const char *s, char *buf, size_t cap)
{
	(void)buf, (void)cap;
	return spool_pd_valid(s) && !cfg_is_nip(s) ? NULL :
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
	if (!cfg_is_nip(s))
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

/*
 * load_doctype_policy - the keys of document_types.<name> beyond title and
 * min_parafs (parafs, signed_by, pds); settles min_parafs's default.  map is
 * the type's mapping, path its field path.
 */
static void
load_doctype_policy(struct yctx *x, const struct ynode *map, const char *path,
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

void
policy_load_doctypes(struct cfg_part *L, const struct ynode *root)
{
	const struct ynode *map;
	char field[FIELD_MAX];
	long long v;
	size_t i;

	if (ymap_kind(&L->x, root, "", "document_types", Y_MAP, &map) != 0)
		return;
	if (map->n == 0) {
		yerr(&L->x, L->x.codes->value, "document_types", map,
		     "document_types is empty; define at least one document type");
		return;
	}
	if (!(L->c->doctypes = calloc(map->n, sizeof *L->c->doctypes)))
		return;
	L->c->ndoctypes = map->n;
	for (i = 0; i < map->n; i++) {
		const struct ynode *key = map->pair[i].key, *val = map->pair[i].val;
		struct cfg_doctype *dt = &L->c->doctypes[i];
		ypath_key(field, sizeof field, "document_types", key->text);
		dt->name = strdup(key->text);
		dt->min_parafs = 1;
		dt->line = key->line;
		dt->col = key->col;
		if (!spool_pd_valid(key->text))
			yerr(&L->x, L->x.codes->value, field, key, "document type name '%s' must "
			     "be 1-63 characters of a-z, 0-9, '_' and '-'", key->text);
		if (ymap_check(&L->x, val, field, doctype_keys) < 0)
			continue;
		ymap_str(&L->x, val, field, "title", TEXT_MAX, &dt->title);
		if (ymap_int(&L->x, val, field, "min_parafs", 1, OUTCOME_MAX_PARAFS, &v) == 0)
			dt->min_parafs = (int)v;
		/* DocMDP /P of a certification signature: 1 no changes, 2 forms and
		 * signatures, 3 also annotations */
		if (ymap_int(&L->x, val, field, "certify", 1, 3, &v) == 0)
			dt->certify = (int)v;
		load_doctype_policy(&L->x, val, field, dt);
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
			if (cfg_is_nip(s) && !cfg_signer_find(c, s))
				yerr(x, x->codes->value, field, sl->item[j], "%s: %s is not the NIP of "
				     "a signer (signers:)", field, s);
			else if (!cfg_is_nip(s) && !held(c, s, 1))
				yerr(x, x->codes->value, field, sl->item[j], "%s: no signer holds role "
				     "'%s'; add it to a signer's roles", field, s);
		}
	}
}

void
policy_load_officials(struct cfg_part *L, const struct ynode *root)
{
	const struct ynode *seq = NULL, *signers = ymap_get(root, "signers");
	struct yctx *x = &L->x;
	struct cfg *c = L->c;
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
		free(c->doctypes[i].name);
		free(c->doctypes[i].title);
		strs_free(&c->doctypes[i].parafs);
		strs_free(&c->doctypes[i].signed_by);
		strs_free(&c->doctypes[i].pds);
	}
	free(c->doctypes);
	c->doctypes = NULL;
	c->ndoctypes = 0;
}
