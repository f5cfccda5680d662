/*
 * sidecar.c - the paraf sidecar <name>.yaml into struct sidecar (schema 1).
 *
 * Owns: the sidecar schema and the formats of its values (NIP/NIK through
 * cfg_nip_check, RFC 3339 times, SHA-256 hex).  YAML shape checks come from
 * config/ytree.c.  Every violation is reported, sorted by position, so the
 * administrator fixes the file in one go; only a YAML syntax error stops at
 * the first.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../../base/hex.h"
#include "../../config/cfg.h"
#include "../../config/ytree.h"
#include "sidecar.h"

#define TEXT_MAX 512		/* any one value; names, roles and notes are short */

static const struct ycodes codes = {
	"sidecar.syntax", "sidecar.unknown_field", "sidecar.missing_field", "sidecar.type",
	"sidecar.value",
};

static const struct ykey top_keys[] = {
	{ "schema", 1, NULL }, { "type", 1, NULL }, { "number", 0, NULL }, { "subject", 0, NULL },
	{ "signer", 1, NULL }, { "parafs", 1, NULL }, { NULL, 0, NULL },
};

static const struct ykey paraf_keys[] = {
	{ "nip", 1, NULL }, { "name", 1, NULL }, { "role", 1, NULL }, { "time", 1, NULL },
	{ "sha256", 1, NULL }, { "note", 0, NULL }, { NULL, 0, NULL },
};

/* pos_of - the position of n, {0, 0} for NULL. */
static struct pos
pos_of(const struct ynode *n)
{
	return n ? (struct pos){ n->line, n->col } : (struct pos){ 0, 0 };
}

/* num - n decimal digits at s, or -1. */
static int
num(const char *s, int n)
{
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* days_in - days in month (1-12) of year, Gregorian. */
static int
days_in(int year, int month)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return d[month - 1] + (month == 2 && leap);
}

/*
 * Indonesia's three zones (no daylight saving time) by name, and UTC: an
 * administrator writes "2026-11-23 14:05:00 WIB" as readily as "+07:00".
 */
static const struct { const char *name; int minutes; } zones[] = {
	{ "WIB", 7 * 60 }, { "WITA", 8 * 60 }, { "WIT", 9 * 60 }, { "UTC", 0 },
};

/*
 * parse_zone - "Z", "+07:00", "+0700", "+07", or (after an optional space)
 * WIB, WITA, WIT or UTC into minutes east of UTC; why on failure.
 */
static int
parse_zone(const char *z, int *minutes, char *why, size_t size)
{
	int sign, hh, mm = 0;
	size_t n = strlen(z), i;

	for (i = 0; i < sizeof zones / sizeof zones[0]; i++)
		if (!strcasecmp(z + (z[0] == ' '), zones[i].name)) {
			*minutes = zones[i].minutes;
			return 0;
		}
	if (n == 0) {
		snprintf(why, size, "tidak memiliki zona waktu; akhiri dengan Z, +07:00 (WIB), +08:00 "
			 "(WITA) atau +09:00 (WIT)");
		return -1;
	}
	if ((z[0] == 'Z' || z[0] == 'z') && n == 1) {
		*minutes = 0;
		return 0;
	}
	sign = z[0] == '+' ? 1 : z[0] == '-' ? -1 : 0;
	hh = n >= 3 ? num(z + 1, 2) : -1;
	if (n == 6 && z[3] == ':')
		mm = num(z + 4, 2);
	else if (n == 5)
		mm = num(z + 3, 2);
	else if (n != 3)
		hh = -1;
	if (!sign || hh < 0 || mm < 0) {
		snprintf(why, size, "memiliki zona waktu '%s'; tulis Z, +07:00, +0700, +07 atau WIB, "
			 "WITA, WIT", z);
		return -1;
	}
	if (hh > 14 || mm > 59 || hh * 60 + mm > 14 * 60) {
		snprintf(why, size, "memiliki selisih zona waktu %s di luar -14:00..+14:00", z);
		return -1;
	}
	*minutes = sign * (hh * 60 + mm);
	return 0;
}

/*
 * parse_time - RFC 3339 / ISO 8601 "YYYY-MM-DDTHH:MM:SS[.frac]<zone>" into
 * UTC seconds and the written offset.  Seconds and the zone are required:
 * a paraf time without its zone is ambiguous across WIB, WITA and WIT.
 * Times before 2000 are refused: no paraf that old reaches sertel, and a
 * typo'd year would otherwise pass every "not after" check.
 */
static int
parse_time(const char *s, time_t *t, int *tz, char *why, size_t size)
{
	int y, mo, d, h, mi, sec;
	const char *z;
	struct tm tm = { 0 };

	if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || !strchr("Tt ", s[10]) ||
	    s[13] != ':' || s[16] != ':' || (y = num(s, 4)) < 0 || (mo = num(s + 5, 2)) < 0 ||
	    (d = num(s + 8, 2)) < 0 || (h = num(s + 11, 2)) < 0 || (mi = num(s + 14, 2)) < 0 ||
	    (sec = num(s + 17, 2)) < 0) {
		snprintf(why, size, "bukan waktu seperti 2026-11-23T14:05:00+07:00 (tanggal, 'T', "
			 "jam:menit:detik, zona)");
		return -1;
	}
	z = s + 19;
	if (*z == '.' && z[1] >= '0' && z[1] <= '9')	/* fractions of a second are dropped */
		for (z++; *z >= '0' && *z <= '9'; z++)
			;
	if (y < 2000) {
		snprintf(why, size, "bertahun %d; waktu paraf dimulai dari tahun 2000", y);
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo)) {
		snprintf(why, size, "bertanggal %.10s yang tidak ada", s);
		return -1;
	}
	if (h > 23 || mi > 59 || sec > 59) {
		snprintf(why, size, "berjam %.8s, di luar 00:00:00..23:59:59", s + 11);
		return -1;
	}
	if (parse_zone(z, tz, why, size) < 0)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = timegm(&tm) - (time_t)*tz * 60;
	return 0;
}

/* parse_sha256 - exactly 64 hex digits (either case) into 32 bytes. */
static int
parse_sha256(const char *s, unsigned char out[32], char *why, size_t size)
{
	size_t i, n = strlen(s);

	if (n != 64) {
		snprintf(why, size, "panjangnya %zu karakter, seharusnya 64 digit heksadesimal", n);
		return -1;
	}
	for (i = 0; i < 64; i++)
		if (hex_digit((unsigned char)s[i]) < 0) {
			int k = 1;	/* the whole character, not its first byte */
			while (k < 4 && ((unsigned char)s[i + k] & 0xc0) == 0x80)
				k++;
			snprintf(why, size, "memuat '%.*s' di posisi %zu, seharusnya 64 digit heksadesimal (0-9, a-f)",
				 k, s + i, i + 1);
			return -1;
		}
	return hex_decode(s, 32, out);
}

/* text - map[key] as text into *out (0 when set); *at is where it was written. */
static int
text(struct yctx *x, const struct ynode *map, const char *path, const char *key, char **out,
     struct pos *at)
{
	if (at)
		*at = pos_of(ymap_get(map, key));
	return ymap_str(x, map, path, key, TEXT_MAX, out);
}

/* invalid - "<field> '<value>' <why>" at map[key]. */
static void
invalid(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	const char *value, const char *why)
{
	char field[sizeof ((struct err *)0)->field];

	ypath_key(field, sizeof field, path, key);
	yerr(x, x->codes->value, field, ymap_get(map, key), "%s '%.80s%s' %s", field, value,
	     strlen(value) > 80 ? "..." : "", why);
}

/* load_paraf - one entry of parafs:. */
static void
load_paraf(struct yctx *x, const struct ynode *item, size_t i, struct paraf *p)
{
	char path[32], why[200], *hex = NULL;

	ypath_index(path, sizeof path, "parafs", i);
	p->at = pos_of(item);
	if (ymap_check(x, item, path, paraf_keys) < 0)
		return;
	if (text(x, item, path, "nip", &p->nip, &p->at_nip) == 0 &&
	    cfg_nip_check(p->nip, why, sizeof why) < 0)
		invalid(x, item, path, "nip", p->nip, why);
	text(x, item, path, "name", &p->name, &p->at_name);
	text(x, item, path, "role", &p->role, &p->at_role);
	if (text(x, item, path, "time", &p->time, &p->at_time) == 0 &&
	    parse_time(p->time, &p->t, &p->tz_minutes, why, sizeof why) < 0)
		invalid(x, item, path, "time", p->time, why);
	if (text(x, item, path, "sha256", &hex, &p->at_sha256) == 0 &&
	    parse_sha256(hex, p->sha256, why, sizeof why) < 0)
		invalid(x, item, path, "sha256", hex, why);
	free(hex);
	text(x, item, path, "note", &p->note, NULL);
}

/* check_schema - 0 for schema 1 (or absent: reported, read as 1); -1 for anything else. */
static int
check_schema(struct yctx *x, const struct ynode *root, struct sidecar *s)
{
	long long v = 1;
	int rc = ymap_int(x, root, "", "schema", LLONG_MIN, LLONG_MAX, &v);

	s->schema = (int)v;
	if (rc < 0)
		return -1;
	if (v != 1) {
		yerr(x, "sidecar.schema", "schema", ymap_get(root, "schema"),
		     "schema %lld tidak didukung; sertel ini membaca schema 1", v);
		return -1;
	}
	return 0;
}

/* load - the top-level mapping. */
static void
load(struct yctx *x, const struct ynode *root, struct sidecar *s)
{
	const struct ynode *seq;
	char why[200];
	size_t i;

	/* another schema may mean other fields: complaints about them would only mislead */
	if (ynode_want(x, root, "", Y_MAP) < 0 || check_schema(x, root, s) < 0 ||
	    ymap_check(x, root, "", top_keys) < 0)
		return;
	text(x, root, "", "type", &s->type, &s->at_type);
	text(x, root, "", "number", &s->number, NULL);
	text(x, root, "", "subject", &s->subject, NULL);
	if (text(x, root, "", "signer", &s->signer, &s->at_signer) == 0 &&
	    cfg_nip_check(s->signer, why, sizeof why) < 0)
		invalid(x, root, "", "signer", s->signer, why);
	if (ymap_kind(x, root, "", "parafs", Y_SEQ, &seq) != 0)
		return;
	s->at_parafs = pos_of(seq);
	if (seq->n == 0) {
		yerr(x, "paraf.missing", "parafs", seq, "parafs kosong; dokumen memerlukan "
		     "sekurang-kurangnya satu paraf");
		return;
	}
	if (!(s->parafs = calloc(seq->n, sizeof *s->parafs))) {
		yerr(x, codes.value, "parafs", seq, "out of memory");
		return;
	}
	s->nparafs = seq->n;
	for (i = 0; i < seq->n; i++)
		load_paraf(x, seq->item[i], i, &s->parafs[i]);
}

int
sidecar_parse(const char *buf, size_t len, struct sidecar *out, struct errs *errs)
{
	struct yctx x = { &codes, NULL, "x-", errs, YLANG_ID };
	int n0 = errs->n, d0 = errs->dropped;
	struct ytree t;

	memset(out, 0, sizeof *out);
	if (ytree_parse(&t, buf, len, &x) == 0)
		load(&x, t.root, out);
	ytree_free(&t);
	errs_sort(errs, n0);
	return errs->n > n0 || errs->dropped > d0 ? -1 : 0;
}

void
sidecar_free(struct sidecar *s)
{
	size_t i;

	for (i = 0; i < s->nparafs; i++) {
		struct paraf *p = &s->parafs[i];
		free(p->nip);
		free(p->name);
		free(p->role);
		free(p->note);
		free(p->time);
	}
	free(s->parafs);
	free(s->type);
	free(s->number);
	free(s->subject);
	free(s->signer);
	memset(s, 0, sizeof *s);
}
