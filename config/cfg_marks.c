/*
 * cfg_marks.c - marks: of sertel.yaml, the visual mark (QR code, barcode,
 * image, text) drawn in the signed revision (see cfg.h struct cfg_marks and
 * cfg_marks.h).
 *
 * Owns: the profiles and their defaults, the rules that pick a profile per
 * signer and per document type, and what can be judged before any document
 * is seen: placeholders, images, and parts large enough to scan.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/jobid.h"
#include "cfg_marks.h"

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
mark_str_choice(struct cfg_part *L, const struct ynode *map, const char *path, const char *key,
		const char *const *words, const char *hint)
{
	char *s = NULL, field[sizeof ((struct err *)0)->field];
	int i;

	if (ymap_str(&L->x, map, path, key, 32, &s) != 0)
		return -1;
	if ((i = mark_word(s, words)) < 0) {
		ypath_key(field, sizeof field, path, key);
		yerr(&L->x, L->x.codes->value, field, ymap_get(map, key), "%s '%s' is not "
		     "supported; use %s", field, s, hint);
	}
	free(s);
	return i;
}

/* mark_kinds - kinds: a list of qr, barcode, image, text, each at most once. */
static void
mark_kinds(struct cfg_part *L, const struct ynode *map, const char *path, struct cfg_mark *m)
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
		yerr(&L->x, L->x.codes->value, field, seq, "%s is empty; list one or more of qr, "
		     "barcode, image, text", field);
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->item[i];

		if (ynode_want(&L->x, it, field, Y_SCALAR) < 0)
			continue;
		if ((k = mark_word(it->text, names)) < 0)
			yerr(&L->x, L->x.codes->value, field, it, "%s: unknown kind '%s'; use qr, "
			     "barcode, image or text", field, it->text);
		else if (seen & 1u << k)
			yerr(&L->x, L->x.codes->value, field, it, "%s lists '%s' twice", field,
			     it->text);
		else {
			seen |= 1u << k;
			m->kind[m->nkinds++] = (enum cfg_mark_kind)k;
		}
	}
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
mark_lines(struct cfg_part *L, const struct ynode *map, const char *path, struct cfg_mark *m)
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
			yerr(&L->x, L->x.codes->value, field, seq->item[i], "%s %s", field, why);
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
mark_page(struct cfg_part *L, const struct ynode *map, const char *path, struct cfg_mark *m)
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
		yerr(&L->x, L->x.codes->value, field, v, "%s '%s' is not a page; use first, last, "
		     "every or a page number", field, v->text);
	else if (ynode_int(&L->x, v, field, 1, 100000, &n) == 0)
		m->page = (int)n;
}

/* mark_fits - the parts must be large enough to scan (checked here, not per document). */
static void
mark_fits(struct cfg_part *L, const struct ynode *map, const char *path, const struct cfg_mark *m)
{
	int row = m->height - (cfg_mark_has(m, MARK_BARCODE) ? m->barcode_height + 8 : 0);

	if (cfg_mark_has(m, MARK_BARCODE) && m->width < MARK_BARCODE_MODULES * MARK_MIN_MODULE)
		yerr(&L->x, L->x.codes->value, path, map, "%s is %d points wide: a barcode of an "
		     "ID needs at least %d to scan; widen it", path, m->width,
		     (int)(MARK_BARCODE_MODULES * MARK_MIN_MODULE + 1));
	if (cfg_mark_has(m, MARK_BARCODE) && m->nkinds == 1)
		row = MARK_MIN_QR;	/* the bars take the whole box */
	if (m->nkinds > (cfg_mark_has(m, MARK_BARCODE) ? 1 : 0) && row < MARK_MIN_QR)
		yerr(&L->x, L->x.codes->value, path, map, "%s leaves %d points of height beside "
		     "the barcode for %s; make height at least %d", path, row,
		     cfg_mark_has(m, MARK_QR) ? "the QR code (too small to scan)" : "the other kinds",
		     MARK_MIN_QR + m->height - row);
}

/* load_mark - one profile under marks.profiles. */
static void
load_mark(struct cfg_part *L, const struct ynode *key, const struct ynode *map, struct cfg_mark *m)
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
		yerr(&L->x, L->x.codes->value, field, ymap_get(map, "anchor"),
		     "%s must be one line", field);
	}
	m->anchor_fallback = mark_str_choice(L, map, path, "anchor_missing", missing,
					     "fail or corner") == 1;
	/* opaque by default: a mark must be readable on a dark page (issue 13) */
	m->white = mark_str_choice(L, map, path, "background", bg, "none or white") != 0;
	if ((i = mark_str_choice(L, map, path, "qr_ecc", ecc, "L, M, Q or H")) >= 0)
		m->qr_ecc = i + 1;
	if (ymap_int(&L->x, map, path, "barcode_height", 8, 200, &v) == 0)
		m->barcode_height = (int)v;
	if (ymap_int(&L->x, map, path, "font_size", 4, 36, &v) == 0)
		m->font_size = (int)v;
	mark_lines(L, map, path, m);
	ypath_key(field, sizeof field, path, "image");
	if (cfg_part_path(L, map, path, "image", &m->image) == 0) {
		if (!cfg_mark_has(m, MARK_IMAGE))
			yerr(&L->x, L->x.codes->value, field, ymap_get(map, "image"), "%s is set "
			     "but kinds has no 'image'; add image to kinds or remove %s", field,
			     field);
		else if ((why = mark_image_why(m->image, buf, sizeof buf)))
			yerr(&L->x, L->x.codes->value, field, ymap_get(map, "image"), "%s %s %s",
			     field, m->image, why);
	} else if (cfg_mark_has(m, MARK_IMAGE) && !ymap_get(map, "image"))
		yerr(&L->x, L->x.codes->missing, field, map, "%s lists 'image' in kinds but has no "
		     "image: name a PNG or JPEG file", path);
	if (ymap_get(map, "anchor_missing") && !m->anchor) {
		ypath_key(field, sizeof field, path, "anchor_missing");
		yerr(&L->x, L->x.codes->value, field, ymap_get(map, "anchor_missing"),
		     "%s needs anchor", field);
	}
	mark_fits(L, map, path, m);
}

/* mark_profile - the index of profile name (or -1 for "none"); -2 with an error. */
static int
mark_profile(struct cfg_part *L, const struct ynode *v, const char *field)
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
	yerr(&L->x, L->x.codes->value, field, v, "%s '%s' is not a profile under marks.profiles "
	     "(or 'none' for no mark)", field, v->text);
	return -2;
}

/* mark_rules - marks.document_types / marks.signers: name -> profile. */
static void
mark_rules(struct cfg_part *L, const struct ynode *mk, const char *key, int signers,
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
			yerr(&L->x, L->x.codes->value, field, k, "%s: '%s' is not a configured %s",
			     field, k->text, signers ? "signer NIP/NIK (signers[].nip)" :
			     "document type (document_types)");
	}
}

void
cfg_marks_load(struct cfg_part *L, const struct ynode *root)
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
		if ((why = cfg_part_url_why(mk->url)) == NULL && !strstr(mk->url, "{id}"))
			why = "has no {id}: the QR code must lead to this document's verification";
		if (why)
			yerr(&L->x, L->x.codes->value, "marks.url", ymap_get(m, "url"),
			     "marks.url '%s' %s", mk->url, why);
	}
	if (ymap_kind(&L->x, m, "marks", "profiles", Y_MAP, &profiles) == 0 && profiles->n > 0 &&
	    (mk->profiles = calloc(profiles->n, sizeof *mk->profiles))) {
		mk->nprofiles = profiles->n;
		for (i = 0; i < profiles->n; i++)
			load_mark(L, profiles->pair[i].key, profiles->pair[i].val, &mk->profiles[i]);
	}
	for (i = 0; i < mk->nprofiles; i++)
		if (!mk->url && cfg_mark_has(&mk->profiles[i], MARK_QR))
			yerr(&L->x, L->x.codes->missing, "marks.url", m, "profile %s draws a QR "
			     "code but marks.url is not set: give the verification URL with {id}",
			     mk->profiles[i].name);
	if ((v = ymap_get(m, "default")) && !ynode_null(v) &&
	    (mk->dflt = mark_profile(L, v, "marks.default")) < -1)
		mk->dflt = -1;
	mark_rules(L, m, "document_types", 0, &mk->by_type, &mk->ntype);
	mark_rules(L, m, "signers", 1, &mk->by_signer, &mk->nsigner);
}

void
cfg_marks_free(struct cfg_marks *mk)
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
