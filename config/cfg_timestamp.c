/*
 * cfg_timestamp.c - timestamp: of sertel.yaml, PAdES B-T (see cfg.h struct
 * cfg_timestamp and cfg_timestamp.h).
 *
 * Owns: the TSAs and how each is reached, the anchors their certificates
 * must chain to (read now, not at the first document), the imprint hash,
 * what happens when no TSA answers, and that the TSA timeouts fit inside a
 * document's wall clock.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cfg_timestamp.h"

#define NO_TSA_PASS "passwords are never stored in the configuration; use password_file"

static const struct ykey timestamp_keys[] = {
	{ "tsa", 0, NULL }, { "trust", 0, NULL }, { "hash", 0, NULL },
	{ "reserve_bytes", 0, NULL }, { "on_failure", 0, NULL }, { NULL, 0, NULL },
};

static const struct ykey tsa_keys[] = {
	{ "url", 1, NULL }, { "timeout_seconds", 0, NULL }, { "min_interval_ms", 0, NULL },
	{ "username", 0, NULL }, { "password_file", 0, NULL },
	{ "password", 0, NO_TSA_PASS }, { NULL, 0, NULL },
};

/* present - map has key with a value (a key written without one counts as absent). */
static int
present(const struct ynode *map, const char *key)
{
	const struct ynode *v = ymap_get(map, key);

	return v && !ynode_null(v);
}

/* load_tsa - one entry of timestamp.tsa. */
static void
load_tsa(struct cfg_part *L, const struct ynode *item, size_t i)
{
	struct cfg_tsa *t = &L->c->timestamp.tsa[i];
	char path[32], field[sizeof ((struct err *)0)->field];
	const char *why;
	long long v;
	int user;

	ypath_index(path, sizeof path, "timestamp.tsa", i);
	t->line = item->line;
	t->col = item->col;
	t->timeout_seconds = 10;
	if (ymap_check(&L->x, item, path, tsa_keys) < 0)
		return;
	if (ymap_str(&L->x, item, path, "url", 1024, &t->url) == 0 &&
	    (why = cfg_part_url_why(t->url))) {
		ypath_key(field, sizeof field, path, "url");
		yerr(&L->x, L->x.codes->value, field, ymap_get(item, "url"), "%s '%s' %s", field,
		     t->url, why);
	}
	if (ymap_int(&L->x, item, path, "timeout_seconds", 1, 600, &v) == 0)
		t->timeout_seconds = (long)v;
	if (ymap_int(&L->x, item, path, "min_interval_ms", 0, 3600000, &v) == 0)
		t->min_interval_ms = (long)v;
	ymap_str(&L->x, item, path, "username", TEXT_MAX, &t->username);
	cfg_part_path(L, item, path, "password_file", &t->password_file);
	user = present(item, "username");
	if (user != present(item, "password_file") && !ymap_get(item, "password"))
		yerr(&L->x, L->x.codes->value, path, item, "%s has %s without %s; HTTP basic auth "
		     "needs both", path, user ? "username" : "password_file",
		     user ? "password_file" : "username");
}

/* pem_why - why path cannot serve as a PEM trust anchor, or NULL. */
static const char *
pem_why(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	X509 *x;

	if (f == NULL) {
		snprintf(buf, cap, "cannot be read: %s", strerror(errno));
		return buf;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	X509_free(x);
	return x ? NULL : "holds no PEM certificate";
}

/* load_ts_trust - timestamp.trust: PEM files, checked now because without them no
 * token can be verified and so no document signed. */
static void
load_ts_trust(struct cfg_part *L, const struct ynode *ts)
{
	struct cfg_timestamp *t = &L->c->timestamp;
	char field[sizeof ((struct err *)0)->field], buf[160];
	const struct ynode *seq;
	const char *why;
	size_t i;

	if (ymap_kind(&L->x, ts, "timestamp", "trust", Y_SEQ, &seq) != 0 || seq->n == 0)
		return;
	if (!(t->trust = calloc(seq->n, sizeof *t->trust)))
		return;
	t->ntrust = seq->n;
	for (i = 0; i < seq->n; i++) {
		ypath_index(field, sizeof field, "timestamp.trust", i);
		if (ynode_str(&L->x, seq->item[i], field, PATH_MAX - 1, &t->trust[i]) != 0 ||
		    cfg_part_resolve(L, &t->trust[i]) < 0)
			continue;
		if (t->ntsa > 0 && (why = pem_why(t->trust[i], buf, sizeof buf)))
			yerr(&L->x, L->x.codes->value, field, seq->item[i], "%s %s %s", field,
			     t->trust[i], why);
	}
}

/* load_ts_misc - timestamp.hash, reserve_bytes and on_failure. */
static void
load_ts_misc(struct cfg_part *L, const struct ynode *ts)
{
	struct cfg_timestamp *t = &L->c->timestamp;
	char *fb = NULL;
	long long v;

	if (ymap_str(&L->x, ts, "timestamp", "hash", 16, &t->hash) == 0 &&
	    strcmp(t->hash, "sha256") && strcmp(t->hash, "sha384") && strcmp(t->hash, "sha512"))
		yerr(&L->x, L->x.codes->value, "timestamp.hash", ymap_get(ts, "hash"),
		     "timestamp.hash '%s' is not supported; use sha256, sha384 or sha512", t->hash);
	if (ymap_int(&L->x, ts, "timestamp", "reserve_bytes", 2048, 65536, &v) == 0)
		t->reserve_bytes = (long)v;
	if (ymap_str(&L->x, ts, "timestamp", "on_failure", 32, &fb) == 0) {
		if (!strcmp(fb, "sign_bb"))
			t->defer = 1;
		else if (strcmp(fb, "fail"))
			yerr(&L->x, L->x.codes->value, "timestamp.on_failure",
			     ymap_get(ts, "on_failure"), "timestamp.on_failure '%s' is not "
			     "supported; use 'fail' or 'sign_bb'", fb);
	}
	free(fb);
}

/* load_timestamp - timestamp: the TSAs, their trust anchors and the imprint hash. */
static void
load_timestamp(struct cfg_part *L, const struct ynode *root)
{
	struct cfg_timestamp *t = &L->c->timestamp;
	const struct ynode *ts, *seq;
	size_t i;

	if (ymap_kind(&L->x, root, "", "timestamp", Y_MAP, &ts) != 0 ||
	    ymap_check(&L->x, ts, "timestamp", timestamp_keys) < 0)
		return;
	if (ymap_kind(&L->x, ts, "timestamp", "tsa", Y_SEQ, &seq) == 0 && seq->n > 0 &&
	    (t->tsa = calloc(seq->n, sizeof *t->tsa))) {
		t->ntsa = seq->n;
		for (i = 0; i < seq->n; i++)
			load_tsa(L, seq->item[i], i);
	}
	load_ts_trust(L, ts);
	load_ts_misc(L, ts);
	if (t->ntsa > 0 && t->ntrust == 0)
		yerr(&L->x, L->x.codes->missing, "timestamp.trust", ts, "timestamp.trust is "
		     "required when timestamp.tsa lists a TSA: the PEM anchors its certificate "
		     "must chain to");
}

/* check_ts_time - every TSA can be tried before the master kills the document. */
static void
check_ts_time(struct cfg_part *L, const struct ynode *root)
{
	const struct cfg *c = L->c;
	long total = 0;
	size_t i;

	for (i = 0; i < c->timestamp.ntsa; i++)
		total += c->timestamp.tsa[i].timeout_seconds;
	if (c->limits.doc_timeout_seconds > 0 && total >= c->limits.doc_timeout_seconds)
		yerr(&L->x, L->x.codes->value, "timestamp.tsa",
		     ymap_get(ymap_get(root, "timestamp"), "tsa"), "the TSA timeouts add up to "
		     "%ld s, not less than limits.doc_timeout_seconds (%ld s): a document would "
		     "be stopped before the last TSA is tried", total,
		     c->limits.doc_timeout_seconds);
}

void
cfg_timestamp_load(struct cfg_part *L, const struct ynode *root)
{
	load_timestamp(L, root);
	check_ts_time(L, root);
}

void
cfg_timestamp_free(struct cfg_timestamp *t)
{
	size_t i;

	for (i = 0; i < t->ntsa; i++) {
		free(t->tsa[i].url);
		free(t->tsa[i].username);
		free(t->tsa[i].password_file);
	}
	for (i = 0; i < t->ntrust; i++)
		free(t->trust[i]);
	free(t->tsa);
	free(t->trust);
	free(t->hash);
}
