/*
 * paraf.c - the approval rules (see paraf.h).
 *
 * Owns: what a document type requires of its parafs and its signer, judged
 * against the officials register (config/policy.c).  Every rule runs even
 * after another failed, so one report lists everything to fix.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../../base/hex.h"
#include "../../base/text.h"
#include "paraf.h"

#define LIST_MAX 300	/* "a, b, c" in a message */

/* reported - errs already holds a violation of field (the parser refused its value). */
static int
reported(const struct errs *l, const char *field)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].field, field) == 0)
			return 1;
	return 0;
}

/* pfield - "parafs[i].key" into out. */
static const char *
pfield(char *out, size_t cap, size_t i, const char *key)
{
	snprintf(out, cap, "parafs[%zu]%s%s", i, key[0] ? "." : "", key);
	return out;
}

/* fold - s lower-cased (ASCII), runs of white space as one space, trimmed. */
static void
fold(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	int space = 0;

	for (; *s && n + 2 < cap; s++) {
		if (isspace((unsigned char)*s)) {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)tolower((unsigned char)*s);
	}
	out[n] = '\0';
}

/* same_name - a and b are the same name but for case and spacing. */
static int
same_name(const char *a, const char *b)
{
	char fa[600], fb[600];

	fold(a, fa, sizeof fa);
	fold(b, fb, sizeof fb);
	return strcmp(fa, fb) == 0;
}

int
paraf_role_index(const struct cfg_doctype *dt, const char *role)
{
	size_t i;

	for (i = 0; dt && role && i < dt->parafs.n; i++)
		if (!strcmp(dt->parafs.v[i], role))
			return (int)i;
	return -1;
}

const struct cfg_official *
paraf_official(const struct cfg *c, const char *nip, const char *role, const char *pd,
	       const char *field, struct pos at, struct errs *errs)
{
	const struct cfg_official *o = cfg_official_find(c, nip);
	char list[LIST_MAX];
	int n0 = errs->n + errs->dropped;

	if (!o) {
		errs_addf(errs, "paraf.official_unknown", field, at.line, at.col, "NIP/NIK %s tidak "
			  "terdaftar sebagai pejabat (officials atau signers) di %s", nip, c->path);
		return NULL;
	}
	if (!o->active)
		errs_addf(errs, "paraf.official_inactive", field, at.line, at.col, "%s (NIP/NIK %s) "
			  "tercatat tidak aktif di %s", o->name, nip, c->path);
	if (role && !cfg_strs_has(&o->roles, role))
		errs_addf(errs, "paraf.role_not_held", field, at.line, at.col, "%s (NIP/NIK %s) tidak "
			  "memegang peran '%s'; perannya: %s", o->name, nip, role,
			  cfg_strs_join(&o->roles, ", ", "(tidak ada)", list, sizeof list));
	if (pd && !cfg_official_in_pd(o, pd))
		errs_addf(errs, "paraf.pd_mismatch", field, at.line, at.col, "%s (NIP/NIK %s) bukan "
			  "pejabat PD '%s' (PD-nya: %s), sehingga tidak dapat memaraf dokumen PD ini",
			  o->name, nip, pd, cfg_strs_join(&o->pds, ", ", "-", list, sizeof list));
	return errs->n + errs->dropped == n0 ? o : NULL;
}

/* check_type - the type exists and this PD may submit it; the type or NULL. */
static const struct cfg_doctype *
check_type(const struct paraf_env *env, const struct sidecar *sc, struct errs *errs)
{
	const struct cfg *c = env->cfg;
	const struct cfg_doctype *dt = cfg_doctype_find(c, sc->type);
	char list[LIST_MAX] = "";
	size_t i, len = 0;

	if (!dt) {
		for (i = 0; i < c->ndoctypes && len < sizeof list; i++)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
						c->doctypes[i].name);
		errs_addf(errs, "doctype.unknown", "type", sc->at_type.line, sc->at_type.col,
			  "jenis dokumen '%s' tidak terdaftar di %s; yang terdaftar: %s", sc->type,
			  c->path, list);
		return NULL;
	}
	if (env->pd && !cfg_doctype_from_pd(dt, env->pd))
		errs_addf(errs, "doctype.pd_not_allowed", "type", sc->at_type.line, sc->at_type.col,
			  "%s (%s) tidak dapat diajukan oleh PD '%s'; PD yang boleh: %s", dt->title,
			  dt->name, env->pd, cfg_strs_join(&dt->pds, ", ", "-", list, sizeof list));
	return dt;
}

/* check_time - given before now and before the drop. */
static void
check_time(const struct paraf_env *env, const struct paraf *p, size_t i, struct errs *errs)
{
	char field[48], when[40];

	pfield(field, sizeof field, i, "time");
	if (!p->time || reported(errs, field))
		return;
	if (p->t > env->now) {
		text_time_wib(when, sizeof when, env->now);
		errs_addf(errs, "paraf.time_future", field, p->at_time.line, p->at_time.col,
			  "waktu paraf %s (%s) belum terjadi: sekarang %s", p->time, p->nip ? p->nip : "-",
			  when);
	} else if (env->dropped && p->t > env->dropped) {
		text_time_wib(when, sizeof when, env->dropped);
		errs_addf(errs, "paraf.time_after_drop", field, p->at_time.line, p->at_time.col,
			  "waktu paraf %s (%s) sesudah dokumen diunggah (%s): paraf diberikan sebelum "
			  "dokumen diserahkan untuk ditandatangani", p->time, p->nip ? p->nip : "-",
			  when);
	}
}

/* check_hash - the paraf was given on exactly these bytes. */
static void
check_hash(const struct paraf_env *env, const struct paraf *p, size_t i, struct errs *errs)
{
	char field[48], want[65], got[65];

	pfield(field, sizeof field, i, "sha256");
	if (!env->sha256 || p->at_sha256.line == 0 || reported(errs, field))
		return;	/* not given (reported as missing), or refused as malformed */
	if (memcmp(p->sha256, env->sha256, 32) == 0)
		return;
	hex_encode(p->sha256, 32, want);
	hex_encode(env->sha256, 32, got);
	errs_addf(errs, "paraf.hash_mismatch", field, p->at_sha256.line, p->at_sha256.col,
		  "paraf %s oleh %s diberikan pada berkas dengan SHA-256 %s, tetapi %s ber-SHA-256 "
		  "%s", p->role ? p->role : "-", p->nip ? p->nip : "-", want, env->pdf, got);
}

/* check_each - every paraf: its official, name, hash and time. */
static void
check_each(const struct paraf_env *env, const struct sidecar *sc, struct errs *errs)
{
	const struct cfg_official *o;
	char field[48];
	size_t i;

	for (i = 0; i < sc->nparafs; i++) {
		const struct paraf *p = &sc->parafs[i];
		pfield(field, sizeof field, i, "nip");
		if (p->nip && !reported(errs, field) &&
		    (o = paraf_official(env->cfg, p->nip, p->role, env->pd, field, p->at_nip,
					errs)) != NULL && p->name && !same_name(p->name, o->name))
			errs_addf(errs, "paraf.name_mismatch", pfield(field, sizeof field, i, "name"),
				  p->at_name.line, p->at_name.col, "nama '%s' tidak sesuai daftar "
				  "pejabat: NIP/NIK %s terdaftar atas nama '%s'", p->name, p->nip,
				  o->name);
		check_hash(env, p, i, errs);
		check_time(env, p, i, errs);
	}
}

/* check_duplicates - one paraf per role. */
static void
check_duplicates(const struct sidecar *sc, struct errs *errs)
{
	char field[48];
	size_t i, j;

	for (i = 1; i < sc->nparafs; i++)
		for (j = 0; j < i; j++)
			if (sc->parafs[i].role && sc->parafs[j].role &&
			    !strcmp(sc->parafs[i].role, sc->parafs[j].role)) {
				errs_addf(errs, "paraf.duplicate", pfield(field, sizeof field, i, "role"),
					  sc->parafs[i].at_role.line, sc->parafs[i].at_role.col,
					  "peran '%s' sudah diparaf pada parafs[%zu] (baris %d); setiap "
					  "peran hanya memaraf satu kali", sc->parafs[i].role, j,
					  sc->parafs[j].at_role.line);
				break;
			}
}

int
paraf_find_role(const struct sidecar *sc, const char *role)
{
	size_t i;

	for (i = 0; i < sc->nparafs; i++)
		if (sc->parafs[i].role && !strcmp(sc->parafs[i].role, role))
			return (int)i;
	return -1;
}

/*
 * check_roles - the type's required roles are all there, in order of time,
 * and the document has at least min_parafs parafs.  Each required role is
 * compared with the latest of the roles before it, so a paraf given before
 * any role that must precede it is named.
 */
static void
check_roles(const struct sidecar *sc, const struct cfg_doctype *dt, struct errs *errs)
{
	char field[48], order[LIST_MAX];
	int latest = -1, missing = 0, k;
	size_t r;

	cfg_strs_join(&dt->parafs, " -> ", "", order, sizeof order);
	for (r = 0; r < dt->parafs.n; r++) {
		if ((k = paraf_find_role(sc, dt->parafs.v[r])) < 0) {
			errs_addf(errs, "paraf.missing", "parafs", sc->at_parafs.line,
				  sc->at_parafs.col, "paraf peran '%s' belum ada; %s memerlukan paraf "
				  "berurutan: %s", dt->parafs.v[r], dt->title, order);
			missing++;
			continue;
		}
		pfield(field, sizeof field, (size_t)k, "time");
		if (!sc->parafs[k].time || reported(errs, field))
			continue;
		if (latest >= 0 && sc->parafs[k].t < sc->parafs[latest].t)
			errs_addf(errs, "paraf.order", field, sc->parafs[k].at_time.line,
				  sc->parafs[k].at_time.col, "paraf '%s' (%s) lebih awal daripada "
				  "paraf '%s' (%s), padahal urutannya: %s", sc->parafs[k].role,
				  sc->parafs[k].time, sc->parafs[latest].role, sc->parafs[latest].time,
				  order);
		if (latest < 0 || sc->parafs[k].t > sc->parafs[latest].t)
			latest = k;
	}
	/* the roles already named say why the count is short */
	if (!missing && sc->nparafs < (size_t)dt->min_parafs)
		errs_addf(errs, "paraf.missing", "parafs", sc->at_parafs.line, sc->at_parafs.col,
			  "%s memerlukan paling sedikit %d paraf, ditemukan %zu", dt->title,
			  dt->min_parafs, sc->nparafs);
}

/* check_signer - configured, active, and allowed to sign this type. */
static void
check_signer(const struct paraf_env *env, const struct sidecar *sc, const struct cfg_doctype *dt,
	     struct errs *errs)
{
	const struct cfg_official *o;
	char list[LIST_MAX];

	if (reported(errs, "signer"))
		return;
	if (!cfg_signer_find(env->cfg, sc->signer) || !(o = cfg_official_find(env->cfg, sc->signer))) {
		errs_addf(errs, "signer.unknown", "signer", sc->at_signer.line, sc->at_signer.col,
			  "tidak ada penandatangan dengan NIP/NIK %s di %s", sc->signer,
			  env->cfg->path);
		return;
	}
	if (!o->active)
		errs_addf(errs, "signer.inactive", "signer", sc->at_signer.line, sc->at_signer.col,
			  "%s (NIP/NIK %s) tercatat tidak aktif di %s", o->name, sc->signer,
			  env->cfg->path);
	if (dt && !cfg_doctype_may_sign(dt, o))
		errs_addf(errs, "signer.not_allowed", "signer", sc->at_signer.line, sc->at_signer.col,
			  "%s (NIP/NIK %s) tidak berwenang menandatangani %s; yang berwenang: %s",
			  o->name, sc->signer, dt->title,
			  cfg_strs_join(&dt->signed_by, ", ", "-", list, sizeof list));
}

void
paraf_check(const struct paraf_env *env, const struct sidecar *sc, struct errs *errs)
{
	const struct cfg_doctype *dt = NULL;

	if (sc->type && !reported(errs, "type"))
		dt = check_type(env, sc, errs);
	if (sc->parafs) {
		check_each(env, sc, errs);
		check_duplicates(sc, errs);
		if (dt)
			check_roles(sc, dt, errs);
	}
	if (sc->signer)
		check_signer(env, sc, dt, errs);
}
