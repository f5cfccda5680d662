/*
 * cfg_load.c - sertel.yaml into struct cfg (see cfg.h and sertel.example.yaml).
 *
 * Owns: reading the file, the top-level keys, their defaults and ranges
 * (spool, state, workers, digest, trust, limits), and the order the part
 * loaders run in: each section's schema is its part's (policy.c,
 * cfg_signers.c, cfg_timestamp.c, cfg_marks.c).  YAML shape checks (unknown,
 * missing, wrong-typed keys) come from ytree.c.  Every violation is
 * collected; the first found is returned, with the count of the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "cfg_marks.h"
#include "cfg_certs.h"
#include "cfg_deletion.h"
#include "cfg_notify.h"
#include "cfg_pds.h"
#include "cfg_web.h"
#include "cfg_part.h"
#include "cfg_signers.h"
#include "cfg_timestamp.h"
#include "policy.h"
#include "ytree.h"

#define CFG_MAX_BYTES	(1024 * 1024)	/* a configuration is a page or two */

static const struct ycodes codes = {
	"config.syntax", "config.unknown_key", "config.missing", "config.type", "config.value",
};

static const struct ykey top_keys[] = {
	{ "officials", 0, NULL },
	{ "instansi", 1, NULL }, { "helpdesk", 0, NULL }, { "location", 0, NULL }, { "reason", 0, NULL },
	{ "spool", 1, NULL }, { "state", 1, NULL }, { "workers", 0, NULL },
	{ "digest", 0, NULL }, { "rsa_padding", 0, NULL }, { "trust", 0, NULL }, { "document_types", 1, NULL },
	{ "signers", 1, NULL }, { "limits", 0, NULL }, { "timestamp", 0, NULL },
	{ "marks", 0, NULL }, { "deletion", 0, NULL },
	{ "certs", 0, NULL },
	{ "web", 0, NULL },
	{ "notify", 0, NULL },
	{ "pds", 0, NULL }, { "spool_group", 0, NULL },
	{ NULL, 0, NULL },
};

/* One integer under limits:, stored scaled into struct cfg_limits. */
struct limit {
	const char *key;
	size_t off;
	enum { L_INT, L_LONG, L_LLONG } type;	/* of the field */
	long long lo, hi, scale;
};

#define LIM(key, field, lo, hi, scale) \
	{ key, offsetof(struct cfg_limits, field), \
	  _Generic(((struct cfg_limits *)0)->field, int: L_INT, long: L_LONG, long long: L_LLONG), \
	  lo, hi, scale }

/* 0 means "no limit" where the consumer supports it (CPU, memory, wall clock, PDF size). */
static const struct limit limits[] = {
	LIM("doc_cpu_seconds", doc_cpu_seconds, 0, 86400, 1),
	LIM("doc_memory_mb", doc_memory_mb, 0, 1048576, 1),
	LIM("doc_timeout_seconds", doc_timeout_seconds, 0, 86400, 1),
	LIM("max_attempts", max_attempts, 1, 100, 1),
	LIM("max_pdf_mb", max_pdf_mb, 0, 65536, 1),
	LIM("bundle_max_entries", bundle_max_entries, 1, 1000000, 1),
	LIM("bundle_max_mb", bundle_max_bytes, 1, 1048576, 1024 * 1024),
	LIM("sidecar_wait_seconds", sidecar_wait_seconds, 0, 31536000, 1),
	LIM("settle_seconds", settle_seconds, 0, 3600, 1),
	LIM("batch_size", batch_size, 1, 4096, 1),
	LIM("keep_done_days", keep_done_days, 0, 36500, 1),
	LIM("keep_failed_days", keep_failed_days, 0, 36500, 1),
};
#define NLIMITS (sizeof limits / sizeof limits[0])

/* read_file - the whole configuration file, or config.io naming it. */
static int
read_file(const char *path, char **buf, size_t *len, struct err *e)
{
	struct stat st;
	ssize_t r;
	size_t n = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return err_set(e, "config.io", "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		err_set(e, "config.io", "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CFG_MAX_BYTES) {
		err_set(e, "config.io", "%s: %s", path,
			!S_ISREG(st.st_mode) ? "not a regular file" : "larger than 1 MiB");
		goto fail;
	}
	if (!(*buf = malloc((size_t)st.st_size + 1))) {
		err_set(e, "config.io", "%s: %s", path, strerror(ENOMEM));
		goto fail;
	}
	while (n < (size_t)st.st_size && (r = read(fd, *buf + n, (size_t)st.st_size - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_set(e, "config.io", "%s: %s", path, strerror(errno));
			goto fail;
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return 0;
fail:
	close(fd);
	free(*buf);
	*buf = NULL;
	return -1;
}

/* locate - the absolute configuration path and its directory. */
static int
locate(const char *path, char **abs, char **dir)
{
	char cwd[PATH_MAX], *slash;

	if (path[0] == '/')
		*abs = strdup(path);
	else if (!getcwd(cwd, sizeof cwd))
		return -1;
	else
		*abs = cfg_part_join(cwd, path);
	if (!*abs || !(*dir = strdup(*abs)))
		return -1;
	slash = strrchr(*dir, '/');
	slash[slash == *dir] = '\0';	/* keep "/" for a file in the root */
	return 0;
}

/* load_trust - trust: a list of PEM files. */
static void
load_trust(struct cfg_part *L, const struct ynode *root)
{
	const struct ynode *seq;
	char field[sizeof ((struct err *)0)->field];
	size_t i;

	if (ymap_kind(&L->x, root, "", "trust", Y_SEQ, &seq) != 0 || seq->n == 0)
		return;
	if (!(L->c->trust_anchors = calloc(seq->n, sizeof *L->c->trust_anchors)))
		return;
	L->c->ntrust = seq->n;
	for (i = 0; i < seq->n; i++) {
		ypath_index(field, sizeof field, "trust", i);
		if (ynode_str(&L->x, seq->item[i], field, PATH_MAX - 1, &L->c->trust_anchors[i]) == 0)
			cfg_part_resolve(L, &L->c->trust_anchors[i]);
	}
}

/* load_limits - limits: integers from the table above. */
static void
load_limits(struct cfg_part *L, const struct ynode *root)
{
	struct ykey keys[NLIMITS + 1] = { { NULL, 0, NULL } };
	const struct ynode *map;
	long long v;
	size_t i;

	if (ymap_kind(&L->x, root, "", "limits", Y_MAP, &map) != 0)
		return;
	for (i = 0; i < NLIMITS; i++)
		keys[i] = (struct ykey){ limits[i].key, 0, NULL };
	ymap_check(&L->x, map, "limits", keys);
	for (i = 0; i < NLIMITS; i++) {
		char *p = (char *)&L->c->limits + limits[i].off;
		if (ymap_int(&L->x, map, "limits", limits[i].key, limits[i].lo, limits[i].hi, &v) != 0)
			continue;
		v *= limits[i].scale;
		if (limits[i].type == L_INT)
			*(int *)(void *)p = (int)v;
		else if (limits[i].type == L_LONG)
			*(long *)(void *)p = (long)v;
		else
			*(long long *)(void *)p = v;
	}
}

/* load_top - the top-level mapping. */
static void
load_top(struct cfg_part *L, const struct ynode *root)
{
	struct cfg *c = L->c;
	char *pad = NULL;
	long long v;

	if (ymap_check(&L->x, root, "", top_keys) < 0)
		return;
	ymap_str(&L->x, root, "", "instansi", TEXT_MAX, &c->instansi);
	ymap_str(&L->x, root, "", "helpdesk", 100, &c->helpdesk);
	ymap_str(&L->x, root, "", "location", TEXT_MAX, &c->location);
	ymap_str(&L->x, root, "", "reason", TEXT_MAX, &c->reason);
	cfg_part_path(L, root, "", "spool", &c->spool_dir);
	cfg_part_path(L, root, "", "state", &c->state_dir);
	if (ymap_int(&L->x, root, "", "workers", 0, 256, &v) == 0)
		c->workers = (int)v;
	if (ymap_str(&L->x, root, "", "digest", 16, &c->digest) == 0 &&
	    strcmp(c->digest, "sha256") && strcmp(c->digest, "sha384") && strcmp(c->digest, "sha512"))
		yerr(&L->x, codes.value, "digest", ymap_get(root, "digest"),
		     "digest '%s' is not supported; use sha256, sha384 or sha512", c->digest);
	if (ymap_str(&L->x, root, "", "rsa_padding", 16, &pad) == 0) {
		if (!strcmp(pad, "pss"))
			c->rsa_pss = 1;
		else if (strcmp(pad, "pkcs1"))
			yerr(&L->x, codes.value, "rsa_padding", ymap_get(root, "rsa_padding"),
			     "rsa_padding '%s' is not supported; use pkcs1 or pss", pad);
		free(pad);
	}
	load_trust(L, root);
	policy_load_doctypes(L, root);
	cfg_signers_load(L, root);
	policy_load_officials(L, root);
	load_limits(L, root);
	cfg_timestamp_load(L, root);
	cfg_marks_load(L, root);
	cfg_deletion_load(L, root);
	cfg_certs_load(L, root);
	cfg_web_load(L, root);
	cfg_notify_load(L, root);
	cfg_pds_load(L, root);
}

/* defaults - every optional setting before the file is read. */
static int
defaults(struct cfg *c)
{
	c->helpdesk = strdup("Diskominfo");
	c->location = strdup("Muara Beliti");
	c->reason = strdup("Dokumen ditandatangani secara elektronik");
	c->digest = strdup("sha256");
	c->timestamp.hash = strdup("sha256");
	c->timestamp.reserve_bytes = 8192;
	c->limits = (struct cfg_limits){
		.doc_cpu_seconds = 30, .doc_memory_mb = 1024, .doc_timeout_seconds = 60,
		.max_attempts = 2, .max_pdf_mb = 200, .bundle_max_entries = 1000,
		.bundle_max_bytes = 1024LL * 1024 * 1024, .sidecar_wait_seconds = 3600,
		.settle_seconds = 2, .batch_size = 64,
	};
	return c->helpdesk && c->location && c->reason && c->digest && c->timestamp.hash ? 0 : -1;
}

/* first - the first violation found, the others counted in its detail. */
static void
first(const struct errs *l, struct err *e)
{
	int more = l->n - 1 + l->dropped;
	size_t len;

	/* found, not earliest in the file: an unknown key comes before the "missing" it causes */
	*e = l->v[0];
	len = strlen(e->detail);
	if (more > 0)
		snprintf(e->detail + len, sizeof e->detail - len, " (and %d more problem%s)", more,
			 more == 1 ? "" : "s");
}

struct cfg *
cfg_load(const char *path, struct err *e)
{
	struct errs errs = { 0 };
	struct cfg_part L = { .x = { &codes, path, NULL, &errs, YLANG_EN } };
	struct ytree t = { 0 };
	char *buf = NULL;
	size_t len = 0;

	err_clear(e);
	errno = 0;
	if (read_file(path, &buf, &len, e) < 0)
		return NULL;
	if (!(L.c = calloc(1, sizeof *L.c)) || defaults(L.c) < 0 ||
	    locate(path, &L.c->path, &L.dir) < 0) {
		err_set(e, "config.io", "%s: %s", path, strerror(errno ? errno : ENOMEM));
		goto fail;
	}
	if (ytree_parse(&t, buf, len, &L.x) == 0)
		load_top(&L, t.root);
	if (errs.n > 0) {
		first(&errs, e);
		goto fail;
	}
	ytree_free(&t);
	free(buf);
	free(L.dir);
	return L.c;
fail:
	ytree_free(&t);
	free(buf);
	free(L.dir);
	cfg_free(L.c);
	return NULL;
}

void
cfg_free(struct cfg *c)
{
	size_t i;

	if (!c)
		return;
	policy_free(c);
	cfg_signers_free(c);
	for (i = 0; i < c->ntrust; i++)
		free(c->trust_anchors[i]);
	free(c->trust_anchors);
	free(c->path);
	free(c->instansi);
	free(c->helpdesk);
	free(c->location);
	free(c->reason);
	free(c->spool_dir);
	free(c->state_dir);
	free(c->digest);
	cfg_timestamp_free(&c->timestamp);
	cfg_marks_free(&c->marks);
	cfg_deletion_free(&c->deletion);
	cfg_certs_free(&c->certs);
	cfg_web_free(&c->web);
	cfg_notify_free(&c->notify);
	cfg_pds_free(c);
	free(c);
}
