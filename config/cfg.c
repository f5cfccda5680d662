/*
 * cfg.c - sertel.yaml into struct cfg (see cfg.h and sertel.example.yaml).
 *
 * Owns: the configuration schema, its defaults and ranges, and resolving
 * relative paths against the file's directory.  YAML shape checks (unknown,
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
#include <strings.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../base/outcome.h"
#include "../base/jobid.h"
#include "../spool/spool.h"
#include "../base/nip.h"
#include "cfg.h"
#include "policy.h"
#include "ytree.h"

#define CFG_MAX_BYTES	(1024 * 1024)	/* a configuration is a page or two */
#define TEXT_MAX	512
#define NIP_MAX		TEXT_MAX	/* cfg_nip_check explains a wrong length better */
#define ENV_MAX		128

static const struct ycodes codes = {
	"config.syntax", "config.unknown_key", "config.missing", "config.type", "config.value",
};

#define NO_PASS "passphrases are never stored in the configuration; " \
		"use passphrase_file or passphrase_env"

static const struct ykey top_keys[] = {
	{ "officials", 0, NULL },
	{ "instansi", 1, NULL }, { "location", 0, NULL }, { "reason", 0, NULL },
	{ "spool", 1, NULL }, { "state", 1, NULL }, { "workers", 0, NULL },
	{ "digest", 0, NULL }, { "rsa_padding", 0, NULL }, { "trust", 0, NULL }, { "document_types", 1, NULL },
	{ "signers", 1, NULL }, { "limits", 0, NULL }, { "timestamp", 0, NULL },
	{ "marks", 0, NULL },
	{ NULL, 0, NULL },
};

static const struct ykey signer_keys[] = {
	{ "nip", 1, NULL }, { "name", 1, NULL }, { "jabatan", 1, NULL }, { "pd", 1, NULL },
	{ "keystore", 1, NULL }, { "passphrase_file", 0, NULL }, { "passphrase_env", 0, NULL },
	{ "roles", 0, NULL }, { "active", 0, NULL },
	{ "passphrase", 0, NO_PASS }, { "password", 0, NO_PASS }, { NULL, 0, NULL },
};

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

static const struct ykey doctype_keys[] = {
	{ "title", 1, NULL }, { "min_parafs", 0, NULL }, { "certify", 0, NULL },
	{ "parafs", 0, NULL }, { "signed_by", 0, NULL }, { "pds", 0, NULL },
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
};
#define NLIMITS (sizeof limits / sizeof limits[0])

/* A load in progress. */
struct loader {
	struct yctx x;
	struct cfg *c;
	char *dir;		/* directory of the configuration file, absolute */
};

int
cfg_nip_check(const char *id, char *why, size_t whylen)
{
	/* structure, not just length: birth date, appointment, sex digit, region */
	return nip_check(id, time(NULL), why, whylen) == NIP_INVALID ? -1 : 0;
}

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

/* join - dir/rel as a new string, a leading "./" of rel dropped. */
static char *
join(const char *dir, const char *rel)
{
	char *s;

	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (asprintf(&s, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", rel) < 0)
		return NULL;
	return s;
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
		*abs = join(cwd, path);
	if (!*abs || !(*dir = strdup(*abs)))
		return -1;
	slash = strrchr(*dir, '/');
	slash[slash == *dir] = '\0';	/* keep "/" for a file in the root */
	return 0;
}

/* resolve - make *p absolute against the configuration's directory. */
static int
resolve(struct loader *L, char **p)
{
	char *s;

	if ((*p)[0] == '/')
		return 0;
	if (!(s = join(L->dir, *p))) {
		yerr(&L->x, codes.value, "", NULL, "out of memory");
		return -1;
	}
	free(*p);
	*p = s;
	return 0;
}

/* path_key - map[key] as a path resolved against the configuration's directory. */
static int
path_key(struct loader *L, const struct ynode *map, const char *path, const char *key, char **out)
{
	int rc = ymap_str(&L->x, map, path, key, PATH_MAX - 1, out);

	return rc == 0 ? resolve(L, out) : rc;
}

/* load_trust - trust: a list of PEM files. */
static void
load_trust(struct loader *L, const struct ynode *root)
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
			resolve(L, &L->c->trust_anchors[i]);
	}
}

/* load_doctypes - document_types: name -> { title, min_parafs, and policy.c's keys }. */
static void
load_doctypes(struct loader *L, const struct ynode *root)
{
	const struct ynode *map;
	char field[sizeof ((struct err *)0)->field];
	long long v;
	size_t i;

	if (ymap_kind(&L->x, root, "", "document_types", Y_MAP, &map) != 0)
		return;
	if (map->n == 0) {
		yerr(&L->x, codes.value, "document_types", map,
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
			yerr(&L->x, codes.value, field, key, "document type name '%s' must be 1-63 "
			     "characters of a-z, 0-9, '_' and '-'", key->text);
		if (ymap_check(&L->x, val, field, doctype_keys) < 0)
			continue;
		ymap_str(&L->x, val, field, "title", TEXT_MAX, &dt->title);
		if (ymap_int(&L->x, val, field, "min_parafs", 1, OUTCOME_MAX_PARAFS, &v) == 0)
			dt->min_parafs = (int)v;
		/* DocMDP /P of a certification signature: 1 no changes, 2 forms and
		 * signatures, 3 also annotations */
		if (ymap_int(&L->x, val, field, "certify", 1, 3, &v) == 0)
			dt->certify = (int)v;
		policy_load_doctype(&L->x, val, field, dt);
	}
}

/* env_name_ok - a portable environment variable name. */
static int
env_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && !(s[0] >= '0' && s[0] <= '9') &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* check_nip - the signer's NIP format, and that no earlier signer has it. */
static void
check_nip(struct loader *L, const struct ynode *item, const char *path, size_t i)
{
	const struct cfg_signer *s = &L->c->signers[i];
	const struct ynode *at = ymap_get(item, "nip");
	char field[sizeof ((struct err *)0)->field], why[160];
	size_t j;

	ypath_key(field, sizeof field, path, "nip");
	if (cfg_nip_check(s->nip, why, sizeof why) < 0) {
		yerr(&L->x, codes.value, field, at, "%s '%s' %s", field, s->nip, why);
		return;
	}
	for (j = 0; j < i; j++)
		if (L->c->signers[j].nip && !strcmp(L->c->signers[j].nip, s->nip)) {
			yerr(&L->x, codes.value, field, at, "NIP %s is already used by signers[%zu] "
			     "(line %d); each signer must be listed once", s->nip, j,
			     L->c->signers[j].line);
			return;
		}
}

/* has_refused - item has a refused key, whose message already names the sources. */
static int
has_refused(const struct ynode *item)
{
	const struct ykey *k;

	for (k = signer_keys; k->name; k++)
		if (k->refuse && ymap_get(item, k->name))
			return 1;
	return 0;
}

/* load_signer - one entry of signers:. */
static void
load_signer(struct loader *L, const struct ynode *item, size_t i)
{
	struct cfg_signer *s = &L->c->signers[i];
	char path[32], field[sizeof ((struct err *)0)->field];

	ypath_index(path, sizeof path, "signers", i);
	s->line = item->line;
	s->col = item->col;
	if (ymap_check(&L->x, item, path, signer_keys) < 0)
		return;
	if (ymap_str(&L->x, item, path, "nip", NIP_MAX, &s->nip) == 0)
		check_nip(L, item, path, i);
	ymap_str(&L->x, item, path, "name", TEXT_MAX, &s->name);
	ymap_str(&L->x, item, path, "jabatan", TEXT_MAX, &s->jabatan);
	if (ymap_str(&L->x, item, path, "pd", TEXT_MAX, &s->pd) == 0 && !spool_pd_valid(s->pd)) {
		ypath_key(field, sizeof field, path, "pd");
		yerr(&L->x, codes.value, field, ymap_get(item, "pd"), "%s '%s' must be 1-63 "
		     "characters of a-z, 0-9, '_' and '-' (it names the PD's spool folder)", field, s->pd);
	}
	/* "pkcs12:PATH" is PATH; a value with another scheme (not absolute, with a ':')
	 * names no file: kept as written for pki/keystore.c to take or refuse */
	if (ymap_str(&L->x, item, path, "keystore", PATH_MAX - 1, &s->keystore) == 0) {
		if (strncmp(s->keystore, "pkcs12:", 7) == 0)
			memmove(s->keystore, s->keystore + 7, strlen(s->keystore) - 6);
		if (s->keystore[0] == '/' || !strchr(s->keystore, ':'))
			resolve(L, &s->keystore);
	}
	path_key(L, item, path, "passphrase_file", &s->pass_file);
	if (ymap_str(&L->x, item, path, "passphrase_env", ENV_MAX, &s->pass_env) == 0 &&
	    !env_name_ok(s->pass_env)) {
		ypath_key(field, sizeof field, path, "passphrase_env");
		yerr(&L->x, codes.value, field, ymap_get(item, "passphrase_env"), "%s '%s' is not an "
		     "environment variable name (letters, digits, '_')", field, s->pass_env);
	}
	if (ymap_get(item, "passphrase_file") && ymap_get(item, "passphrase_env"))
		yerr(&L->x, codes.value, path, item, "%s has both passphrase_file and "
		     "passphrase_env; give exactly one", path);
	else if (!ymap_get(item, "passphrase_file") && !ymap_get(item, "passphrase_env") &&
		 !has_refused(item))
		yerr(&L->x, codes.value, path, item, "%s has no passphrase source; add "
		     "passphrase_file or passphrase_env", path);
}

/* load_signers - signers: a non-empty list. */
static void
load_signers(struct loader *L, const struct ynode *root)
{
	const struct ynode *seq;
	size_t i;

	if (ymap_kind(&L->x, root, "", "signers", Y_SEQ, &seq) != 0)
		return;
	if (seq->n == 0) {
		yerr(&L->x, codes.value, "signers", seq, "signers is empty; list at least one signer");
		return;
	}
	if (!(L->c->signers = calloc(seq->n, sizeof *L->c->signers)))
		return;
	L->c->nsigners = seq->n;
	for (i = 0; i < seq->n; i++)
		load_signer(L, seq->item[i], i);
}

/* load_limits - limits: integers from the table above. */
static void
load_limits(struct loader *L, const struct ynode *root)
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

/* url_why - why u is not a usable TSA URL, or NULL. */
static const char *
url_why(const char *u)
{
	const char *host = !strncasecmp(u, "http://", 7) ? u + 7 :
			   !strncasecmp(u, "https://", 8) ? u + 8 : NULL;
	size_t hlen;

	if (host == NULL)
		return "must begin with http:// or https://";
	if (strpbrk(u, " \t\r\n"))
		return "must not contain white space";
	hlen = strcspn(host, "/?#");
	if (hlen == 0)
		return "has no host";
	/* user:password@host would put a secret in the file and in every log line */
	if (memchr(host, '@', hlen))
		return "must not carry credentials (user@host); use username and password_file";
	return NULL;
}

/* ---- marks: the visual mark (see cfg.h struct cfg_marks) ------------- */

static const struct ykey marks_keys[] = {
	{ "url", 0, NULL }, { "default", 0, NULL }, { "document_types", 0, NULL },
	{ "signers", 0, NULL }, { "profiles", 1, NULL }, { NULL, 0, NULL },
};

static const struct ykey mark_keys[] = {
	{ "kinds", 1, NULL }, { "page", 0, NULL }, { "corner", 0, NULL }, { "x", 0, NULL },
	{ "y", 0, NULL }, { "width", 0, NULL }, { "height", 0, NULL }, { "anchor", 0, NULL },
	{ "anchor_missing", 0, NULL }, { "background", 0, NULL }, { "qr_ecc", 0, NULL },
	{ "barcode_height", 0, NULL }, { "image", 0, NULL }, { "lines", 0, NULL },
	{ "font_size", 0, NULL }, { NULL, 0, NULL },
};

/* The text block when a profile gives no lines: Bahasa Indonesia, BSrE's wording. */
static const char *const mark_default_lines[] = {
	"Ditandatangani secara elektronik oleh:",
	"**{name}**",
	"{jabatan}",
	"{nip_label} {nip}",
	"Tanggal: {date}",
	"ID TTE: {id}",
	"Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik "
	"yang diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), BSSN.",
};

static const char *const mark_placeholders[] = {
	"name", "jabatan", "nip", "nip_label", "date", "time", "id", "instansi", "url", NULL,
};

/* Narrowest Code 128 module a scanner reads off paper, in points (0.19 mm). */
#define MARK_MIN_MODULE 0.54
/* Modules of the longest Code 128 of an ID: start, one per character, check, stop
 * (11 each, the stop 13) and two quiet zones of 10. */
#define MARK_BARCODE_MODULES ((JOBID_LEN + 3) * 11 + 2 + 20)
#define MARK_MIN_QR 36		/* points: below this a phone camera struggles */

/* mark_word - s is one of words (NULL-terminated); its index, or -1. */
static int
mark_word(const char *s, const char *const *words)
{
	int i;

	for (i = 0; words[i]; i++)
		if (!strcmp(s, words[i]))
			return i;
	return -1;
}

/* mark_str_choice - map[key] as one of words: its index, -1 absent or wrong (reported). */
static int
mark_str_choice(struct loader *L, const struct ynode *map, const char *path, const char *key,
		const char *const *words, const char *hint)
{
	char *s = NULL, field[sizeof ((struct err *)0)->field];
	int i;

	if (ymap_str(&L->x, map, path, key, 32, &s) != 0)
		return -1;
	if ((i = mark_word(s, words)) < 0) {
		ypath_key(field, sizeof field, path, key);
		yerr(&L->x, codes.value, field, ymap_get(map, key), "%s '%s' is not supported; "
		     "use %s", field, s, hint);
	}
	free(s);
	return i;
}

/* mark_kinds - kinds: a list of qr, barcode, image, text, each at most once. */
static void
mark_kinds(struct loader *L, const struct ynode *map, const char *path, struct cfg_mark *m)
{
	static const char *const names[] = { "qr", "barcode", "image", "text", NULL };
	char field[sizeof ((struct err *)0)->field];
	const struct ynode *seq;
	unsigned seen = 0;
	size_t i;
	int k;

	if (ymap_kind(&L->x, map, path, "kinds", Y_SEQ, &seq) != 0)
		return;
	ypath_key(field, sizeof field, path, "kinds");
	if (seq->n == 0)
		yerr(&L->x, codes.value, field, seq, "%s is empty; list one or more of qr, barcode, "
		     "image, text", field);
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->item[i];

		if (ynode_want(&L->x, it, field, Y_SCALAR) < 0)
			continue;
		if ((k = mark_word(it->text, names)) < 0)
			yerr(&L->x, codes.value, field, it, "%s: unknown kind '%s'; use qr, barcode, "
			     "image or text", field, it->text);
		else if (seen & 1u << k)
			yerr(&L->x, codes.value, field, it, "%s lists '%s' twice", field, it->text);
		else {
			seen |= 1u << k;
			m->kind[m->nkinds++] = (enum cfg_mark_kind)k;
		}
	}
}

int
cfg_mark_has(const struct cfg_mark *m, enum cfg_mark_kind k)
{
	int i;

	for (i = 0; i < m->nkinds; i++)
		if (m->kind[i] == k)
			return 1;
	return 0;
}

/* mark_template_why - why a text line template is unusable, or NULL. */
static const char *
mark_template_why(const char *t, char *buf, size_t cap)
{
	const char *p = t, *e;

	while ((p = strchr(p, '{')) != NULL) {
		if ((e = strchr(p, '}')) == NULL)
			return "has a '{' without '}'";
		snprintf(buf, cap, "%.*s", (int)(e - p - 1), p + 1);
		if (mark_word(buf, mark_placeholders) < 0) {
			snprintf(buf, cap, "uses the unknown placeholder {%.*s}; known: {name} "
				 "{jabatan} {nip} {nip_label} {date} {time} {id} {instansi} {url}",
				 (int)(e - p - 1), p + 1);
			return buf;
		}
		p = e + 1;
	}
	return NULL;
}

/* mark_lines - lines: the text block's templates (default: BSrE's wording). */
static void
mark_lines(struct loader *L, const struct ynode *map, const char *path, struct cfg_mark *m)
{
	char field[sizeof ((struct err *)0)->field], buf[200];
	const struct ynode *seq = NULL;
	const char *why;
	size_t i, n;

	if (ymap_kind(&L->x, map, path, "lines", Y_SEQ, &seq) < 0)
		return;
	n = seq ? seq->n : sizeof mark_default_lines / sizeof mark_default_lines[0];
	if (n == 0 || !(m->lines = calloc(n, sizeof *m->lines)))
		return;
	m->nlines = n;
	for (i = 0; i < n; i++) {
		if (seq == NULL) {
			m->lines[i] = strdup(mark_default_lines[i]);
			continue;
		}
		ypath_key(buf, sizeof buf, path, "lines");
		ypath_index(field, sizeof field, buf, i);
		if (ynode_str(&L->x, seq->item[i], field, TEXT_MAX, &m->lines[i]) == 0 &&
		    (why = mark_template_why(m->lines[i], buf, sizeof buf)))
			yerr(&L->x, codes.value, field, seq->item[i], "%s %s", field, why);
	}
}

/* mark_image_why - why path is not a usable PNG or JPEG, or NULL (checked at start-up). */
static const char *
mark_image_why(const char *path, char *buf, size_t cap)
{
	unsigned char head[8] = { 0 };
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		snprintf(buf, cap, "cannot be read: %s", strerror(errno));
		return buf;
	}
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (n == 8 && !memcmp(head, "\x89PNG\r\n\x1a\n", 8))
		return NULL;
	if (n >= 3 && !memcmp(head, "\xff\xd8\xff", 3))
		return NULL;
	return "is neither a PNG nor a JPEG file";
}

/* mark_page - page: first, last, every or a page number. */
static void
mark_page(struct loader *L, const struct ynode *map, const char *path, struct cfg_mark *m)
{
	const struct ynode *v = ymap_get(map, "page");
	char field[sizeof ((struct err *)0)->field];
	long long n;

	m->page = MARK_PAGE_LAST;
	if (v == NULL || ynode_null(v))
		return;
	ypath_key(field, sizeof field, path, "page");
	if (v->kind == Y_SCALAR && !strcmp(v->text, "first"))
		m->page = 1;
	else if (v->kind == Y_SCALAR && !strcmp(v->text, "last"))
		m->page = MARK_PAGE_LAST;
	else if (v->kind == Y_SCALAR && !strcmp(v->text, "every"))
		m->page = MARK_PAGE_EVERY;
	else if (v->kind == Y_SCALAR && strspn(v->text, "0123456789") != v->len)
		yerr(&L->x, codes.value, field, v, "%s '%s' is not a page; use first, last, every "
		     "or a page number", field, v->text);
	else if (ynode_int(&L->x, v, field, 1, 100000, &n) == 0)
		m->page = (int)n;
}

/* mark_fits - the parts must be large enough to scan (checked here, not per document). */
static void
mark_fits(struct loader *L, const struct ynode *map, const char *path, const struct cfg_mark *m)
{
	int row = m->height - (cfg_mark_has(m, MARK_BARCODE) ? m->barcode_height + 8 : 0);

	if (cfg_mark_has(m, MARK_BARCODE) && m->width < MARK_BARCODE_MODULES * MARK_MIN_MODULE)
		yerr(&L->x, codes.value, path, map, "%s is %d points wide: a barcode of an ID "
		     "needs at least %d to scan; widen it", path, m->width,
		     (int)(MARK_BARCODE_MODULES * MARK_MIN_MODULE + 1));
	if (cfg_mark_has(m, MARK_BARCODE) && m->nkinds == 1)
		row = MARK_MIN_QR;	/* the bars take the whole box */
	if (m->nkinds > (cfg_mark_has(m, MARK_BARCODE) ? 1 : 0) && row < MARK_MIN_QR)
		yerr(&L->x, codes.value, path, map, "%s leaves %d points of height beside the "
		     "barcode for %s; make height at least %d", path, row,
		     cfg_mark_has(m, MARK_QR) ? "the QR code (too small to scan)" : "the other kinds",
		     MARK_MIN_QR + m->height - row);
}

/* load_mark - one profile under marks.profiles. */
static void
load_mark(struct loader *L, const struct ynode *key, const struct ynode *map, struct cfg_mark *m)
{
	/* in MARK_CORNER_* bit order: TOP 1, RIGHT 2 */
	static const char *const corners[] = { "bottom-left", "top-left", "bottom-right",
					       "top-right", NULL };
	static const char *const ecc[] = { "L", "M", "Q", "H", NULL };
	static const char *const missing[] = { "fail", "corner", NULL };
	static const char *const bg[] = { "none", "white", NULL };
	char path[sizeof ((struct err *)0)->field], field[sizeof path], buf[160];
	const char *why;
	long long v;
	int i;

	ypath_key(path, sizeof path, "marks.profiles", key->text);
	m->name = strdup(key->text);
	m->line = key->line;
	m->col = key->col;
	m->corner = MARK_CORNER_RIGHT;
	m->x = m->y = 40;
	m->width = 260;
	m->height = 80;
	m->qr_ecc = 2;
	m->barcode_height = 24;
	m->font_size = 7;
	if (ymap_check(&L->x, map, path, mark_keys) < 0)
		return;
	mark_kinds(L, map, path, m);
	mark_page(L, map, path, m);
	if ((i = mark_str_choice(L, map, path, "corner", corners, "bottom-left, bottom-right, "
				 "top-left or top-right")) >= 0)
		m->corner = i;
	if (ymap_int(&L->x, map, path, "x", 0, 10000, &v) == 0)
		m->x = (int)v;
	if (ymap_int(&L->x, map, path, "y", 0, 10000, &v) == 0)
		m->y = (int)v;
	if (ymap_int(&L->x, map, path, "width", 36, 2000, &v) == 0)
		m->width = (int)v;
	if (ymap_int(&L->x, map, path, "height", 18, 2000, &v) == 0)
		m->height = (int)v;
	if (ymap_str(&L->x, map, path, "anchor", 64, &m->anchor) == 0 && strchr(m->anchor, '\n')) {
		ypath_key(field, sizeof field, path, "anchor");
		yerr(&L->x, codes.value, field, ymap_get(map, "anchor"), "%s must be one line", field);
	}
	m->anchor_fallback = mark_str_choice(L, map, path, "anchor_missing", missing,
					     "fail or corner") == 1;
	m->white = mark_str_choice(L, map, path, "background", bg, "none or white") == 1;
	if ((i = mark_str_choice(L, map, path, "qr_ecc", ecc, "L, M, Q or H")) >= 0)
		m->qr_ecc = i + 1;
	if (ymap_int(&L->x, map, path, "barcode_height", 8, 200, &v) == 0)
		m->barcode_height = (int)v;
	if (ymap_int(&L->x, map, path, "font_size", 4, 36, &v) == 0)
		m->font_size = (int)v;
	mark_lines(L, map, path, m);
	ypath_key(field, sizeof field, path, "image");
	if (path_key(L, map, path, "image", &m->image) == 0) {
		if (!cfg_mark_has(m, MARK_IMAGE))
			yerr(&L->x, codes.value, field, ymap_get(map, "image"), "%s is set but kinds "
			     "has no 'image'; add image to kinds or remove %s", field, field);
		else if ((why = mark_image_why(m->image, buf, sizeof buf)))
			yerr(&L->x, codes.value, field, ymap_get(map, "image"), "%s %s %s", field,
			     m->image, why);
	} else if (cfg_mark_has(m, MARK_IMAGE) && !ymap_get(map, "image"))
		yerr(&L->x, codes.missing, field, map, "%s lists 'image' in kinds but has no "
		     "image: name a PNG or JPEG file", path);
	if (ymap_get(map, "anchor_missing") && !m->anchor) {
		ypath_key(field, sizeof field, path, "anchor_missing");
		yerr(&L->x, codes.value, field, ymap_get(map, "anchor_missing"), "%s needs anchor",
		     field);
	}
	mark_fits(L, map, path, m);
}

/* mark_profile - the index of profile name (or -1 for "none"); -2 with an error. */
static int
mark_profile(struct loader *L, const struct ynode *v, const char *field)
{
	const struct cfg_marks *mk = &L->c->marks;
	size_t i;

	if (ynode_want(&L->x, v, field, Y_SCALAR) < 0)
		return -2;
	if (!strcmp(v->text, "none"))
		return -1;
	for (i = 0; i < mk->nprofiles; i++)
		if (mk->profiles[i].name && !strcmp(mk->profiles[i].name, v->text))
			return (int)i;
	yerr(&L->x, codes.value, field, v, "%s '%s' is not a profile under marks.profiles (or "
	     "'none' for no mark)", field, v->text);
	return -2;
}

/* mark_rules - marks.document_types / marks.signers: name -> profile. */
static void
mark_rules(struct loader *L, const struct ynode *mk, const char *key, int signers,
	   struct cfg_mark_rule **out, size_t *nout)
{
	char path[32], field[sizeof ((struct err *)0)->field];
	const struct ynode *map;
	size_t i;
	int known;

	snprintf(path, sizeof path, "marks.%s", key);
	if (ymap_kind(&L->x, mk, "marks", key, Y_MAP, &map) != 0 || map->n == 0 ||
	    !(*out = calloc(map->n, sizeof **out)))
		return;
	*nout = map->n;
	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->pair[i].key;

		ypath_key(field, sizeof field, path, k->text);
		(*out)[i].key = strdup(k->text);
		(*out)[i].profile = mark_profile(L, map->pair[i].val, field);
		known = signers ? cfg_signer_find(L->c, k->text) != NULL
				: cfg_doctype_find(L->c, k->text) != NULL;
		if (!known)
			yerr(&L->x, codes.value, field, k, "%s: '%s' is not a configured %s", field,
			     k->text, signers ? "signer NIP/NIK (signers[].nip)" : "document type "
			     "(document_types)");
	}
}

/* load_marks - marks: profiles, then the rules that pick one per document. */
static void
load_marks(struct loader *L, const struct ynode *root)
{
	struct cfg_marks *mk = &L->c->marks;
	const struct ynode *m, *profiles, *v;
	const char *why;
	size_t i;

	mk->dflt = -1;
	if (ymap_kind(&L->x, root, "", "marks", Y_MAP, &m) != 0 ||
	    ymap_check(&L->x, m, "marks", marks_keys) < 0)
		return;
	if (ymap_str(&L->x, m, "marks", "url", 1024, &mk->url) == 0) {
		if ((why = url_why(mk->url)) == NULL && !strstr(mk->url, "{id}"))
			why = "has no {id}: the QR code must lead to this document's verification";
		if (why)
			yerr(&L->x, codes.value, "marks.url", ymap_get(m, "url"), "marks.url '%s' %s",
			     mk->url, why);
	}
	if (ymap_kind(&L->x, m, "marks", "profiles", Y_MAP, &profiles) == 0 && profiles->n > 0 &&
	    (mk->profiles = calloc(profiles->n, sizeof *mk->profiles))) {
		mk->nprofiles = profiles->n;
		for (i = 0; i < profiles->n; i++)
			load_mark(L, profiles->pair[i].key, profiles->pair[i].val, &mk->profiles[i]);
	}
	for (i = 0; i < mk->nprofiles; i++)
		if (!mk->url && cfg_mark_has(&mk->profiles[i], MARK_QR))
			yerr(&L->x, codes.missing, "marks.url", m, "profile %s draws a QR code but "
			     "marks.url is not set: give the verification URL with {id}",
			     mk->profiles[i].name);
	if ((v = ymap_get(m, "default")) && !ynode_null(v) &&
	    (mk->dflt = mark_profile(L, v, "marks.default")) < -1)
		mk->dflt = -1;
	mark_rules(L, m, "document_types", 0, &mk->by_type, &mk->ntype);
	mark_rules(L, m, "signers", 1, &mk->by_signer, &mk->nsigner);
}

/* marks_free - the strings of the marks section. */
static void
marks_free(struct cfg_marks *mk)
{
	size_t i, j;

	for (i = 0; i < mk->nprofiles; i++) {
		struct cfg_mark *m = &mk->profiles[i];

		for (j = 0; j < m->nlines; j++)
			free(m->lines[j]);
		free(m->lines);
		free(m->name);
		free(m->anchor);
		free(m->image);
	}
	for (i = 0; i < mk->ntype; i++)
		free(mk->by_type[i].key);
	for (i = 0; i < mk->nsigner; i++)
		free(mk->by_signer[i].key);
	free(mk->profiles);
	free(mk->by_type);
	free(mk->by_signer);
	free(mk->url);
}

/* mark_rule - the rule for key: 1 with *profile set, 0 when there is none. */
static int
mark_rule(const struct cfg_mark_rule *r, size_t n, const char *key, int *profile)
{
	size_t i;

	for (i = 0; key && i < n; i++)
		if (!strcmp(r[i].key, key)) {
			*profile = r[i].profile;
			return 1;
		}
	return 0;
}

const struct cfg_mark *
cfg_mark_for(const struct cfg *c, const char *type, const char *signer)
{
	const struct cfg_marks *mk = &c->marks;
	int p = mk->dflt;

	if (!mark_rule(mk->by_signer, mk->nsigner, signer, &p))
		mark_rule(mk->by_type, mk->ntype, type, &p);
	return p >= 0 && (size_t)p < mk->nprofiles ? &mk->profiles[p] : NULL;
}

/* present - map has key with a value (a key written without one counts as absent). */
static int
present(const struct ynode *map, const char *key)
{
	const struct ynode *v = ymap_get(map, key);

	return v && !ynode_null(v);
}

/* load_tsa - one entry of timestamp.tsa. */
static void
load_tsa(struct loader *L, const struct ynode *item, size_t i)
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
	if (ymap_str(&L->x, item, path, "url", 1024, &t->url) == 0 && (why = url_why(t->url))) {
		ypath_key(field, sizeof field, path, "url");
		yerr(&L->x, codes.value, field, ymap_get(item, "url"), "%s '%s' %s", field, t->url,
		     why);
	}
	if (ymap_int(&L->x, item, path, "timeout_seconds", 1, 600, &v) == 0)
		t->timeout_seconds = (long)v;
	if (ymap_int(&L->x, item, path, "min_interval_ms", 0, 3600000, &v) == 0)
		t->min_interval_ms = (long)v;
	ymap_str(&L->x, item, path, "username", TEXT_MAX, &t->username);
	path_key(L, item, path, "password_file", &t->password_file);
	user = present(item, "username");
	if (user != present(item, "password_file") && !ymap_get(item, "password"))
		yerr(&L->x, codes.value, path, item, "%s has %s without %s; HTTP basic auth needs "
		     "both", path, user ? "username" : "password_file",
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
load_ts_trust(struct loader *L, const struct ynode *ts)
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
		    resolve(L, &t->trust[i]) < 0)
			continue;
		if (t->ntsa > 0 && (why = pem_why(t->trust[i], buf, sizeof buf)))
			yerr(&L->x, codes.value, field, seq->item[i], "%s %s %s", field, t->trust[i],
			     why);
	}
}

/* load_ts_misc - timestamp.hash, reserve_bytes and on_failure. */
static void
load_ts_misc(struct loader *L, const struct ynode *ts)
{
	struct cfg_timestamp *t = &L->c->timestamp;
	char *fb = NULL;
	long long v;

	if (ymap_str(&L->x, ts, "timestamp", "hash", 16, &t->hash) == 0 &&
	    strcmp(t->hash, "sha256") && strcmp(t->hash, "sha384") && strcmp(t->hash, "sha512"))
		yerr(&L->x, codes.value, "timestamp.hash", ymap_get(ts, "hash"), "timestamp.hash "
		     "'%s' is not supported; use sha256, sha384 or sha512", t->hash);
	if (ymap_int(&L->x, ts, "timestamp", "reserve_bytes", 2048, 65536, &v) == 0)
		t->reserve_bytes = (long)v;
	if (ymap_str(&L->x, ts, "timestamp", "on_failure", 32, &fb) == 0) {
		if (!strcmp(fb, "sign_bb"))
			t->defer = 1;
		else if (strcmp(fb, "fail"))
			yerr(&L->x, codes.value, "timestamp.on_failure", ymap_get(ts, "on_failure"),
			     "timestamp.on_failure '%s' is not supported; use 'fail' or 'sign_bb'", fb);
	}
	free(fb);
}

/* load_timestamp - timestamp: the TSAs, their trust anchors and the imprint hash. */
static void
load_timestamp(struct loader *L, const struct ynode *root)
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
		yerr(&L->x, codes.missing, "timestamp.trust", ts, "timestamp.trust is required when "
		     "timestamp.tsa lists a TSA: the PEM anchors its certificate must chain to");
}

/* check_ts_time - every TSA can be tried before the master kills the document. */
static void
check_ts_time(struct loader *L, const struct ynode *root)
{
	const struct cfg *c = L->c;
	long total = 0;
	size_t i;

	for (i = 0; i < c->timestamp.ntsa; i++)
		total += c->timestamp.tsa[i].timeout_seconds;
	if (c->limits.doc_timeout_seconds > 0 && total >= c->limits.doc_timeout_seconds)
		yerr(&L->x, codes.value, "timestamp.tsa", ymap_get(ymap_get(root, "timestamp"), "tsa"),
		     "the TSA timeouts add up to %ld s, not less than limits.doc_timeout_seconds "
		     "(%ld s): a document would be stopped before the last TSA is tried", total,
		     c->limits.doc_timeout_seconds);
}

/* load_top - the top-level mapping. */
static void
load_top(struct loader *L, const struct ynode *root)
{
	struct cfg *c = L->c;
	char *pad = NULL;
	long long v;

	if (ymap_check(&L->x, root, "", top_keys) < 0)
		return;
	ymap_str(&L->x, root, "", "instansi", TEXT_MAX, &c->instansi);
	ymap_str(&L->x, root, "", "location", TEXT_MAX, &c->location);
	ymap_str(&L->x, root, "", "reason", TEXT_MAX, &c->reason);
	path_key(L, root, "", "spool", &c->spool_dir);
	path_key(L, root, "", "state", &c->state_dir);
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
	load_doctypes(L, root);
	load_signers(L, root);
	policy_load_officials(&L->x, L->c, root);
	load_limits(L, root);
	load_timestamp(L, root);
	check_ts_time(L, root);
	load_marks(L, root);
}

/* defaults - every optional setting before the file is read. */
static int
defaults(struct cfg *c)
{
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
	return c->location && c->reason && c->digest && c->timestamp.hash ? 0 : -1;
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
	struct loader L = { .x = { &codes, path, NULL, &errs } };
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

/* signer_free - the strings of one signer. */
static void
signer_free(struct cfg_signer *s)
{
	free(s->nip);
	free(s->name);
	free(s->jabatan);
	free(s->pd);
	free(s->keystore);
	free(s->pass_file);
	free(s->pass_env);
}

/* timestamp_free - the strings of the timestamp section. */
static void
timestamp_free(struct cfg_timestamp *t)
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

void
cfg_free(struct cfg *c)
{
	size_t i;

	if (!c)
		return;
	policy_free(c);
	for (i = 0; i < c->nsigners; i++)
		signer_free(&c->signers[i]);
	for (i = 0; i < c->ntrust; i++)
		free(c->trust_anchors[i]);
	for (i = 0; i < c->ndoctypes; i++) {
		free(c->doctypes[i].name);
		free(c->doctypes[i].title);
	}
	free(c->signers);
	free(c->trust_anchors);
	free(c->doctypes);
	free(c->path);
	free(c->instansi);
	free(c->location);
	free(c->reason);
	free(c->spool_dir);
	free(c->state_dir);
	free(c->digest);
	timestamp_free(&c->timestamp);
	marks_free(&c->marks);
	free(c);
}

const struct cfg_signer *
cfg_signer_find(const struct cfg *c, const char *nip)
{
	size_t i;

	for (i = 0; c && nip && i < c->nsigners; i++)
		if (c->signers[i].nip && !strcmp(c->signers[i].nip, nip))
			return &c->signers[i];
	return NULL;
}

const struct cfg_doctype *
cfg_doctype_find(const struct cfg *c, const char *name)
{
	size_t i;

	for (i = 0; c && name && i < c->ndoctypes; i++)
		if (c->doctypes[i].name && !strcmp(c->doctypes[i].name, name))
			return &c->doctypes[i];
	return NULL;
}
