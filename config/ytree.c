/*
 * ytree.c - YAML text to a positioned tree (libyaml events), and the typed,
 * position-reporting lookups shared by the configuration and sidecar readers.
 *
 * Owns: what YAML sertel accepts at all, and the wording of the generic
 * violations (unknown key, wrong type, missing key, out of range).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "ytree.h"


/* L - the message in the context's language: English, or Bahasa Indonesia. */
#define L(c, en, in) ((c)->lang == YLANG_ID ? (in) : (en))

/* The parser's state: the open collections, innermost last. */
struct builder {
	struct ytree *t;
	struct yctx *x;
	struct ynode *stack[YTREE_MAX_DEPTH];
	int depth;
	int docs;
	int failed;
};

/* vadd - append one violation, "file:line:col: " in front of the detail. */
static void
vadd(struct yctx *x, const char *code, const char *field, int line, int col, const char *fmt,
     va_list ap)
{
	struct err e;
	char msg[sizeof e.detail];
	int n = 0;

	vsnprintf(msg, sizeof msg, fmt, ap);
	e.code = code;
	if (x->file && line > 0)
		n = snprintf(e.detail, sizeof e.detail, "%s:%d:%d: ", x->file, line, col);
	else if (x->file)
		n = snprintf(e.detail, sizeof e.detail, "%s: ", x->file);
	if (n < 0 || (size_t)n >= sizeof e.detail)
		n = 0;
	snprintf(e.detail + n, sizeof e.detail - (size_t)n, "%s", msg);
	err_at(&e, field, line, col);
	errs_add(x->errs, &e);
}

void
yerr(struct yctx *x, const char *code, const char *field, const struct ynode *n,
     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(x, code, field, n ? n->line : 0, n ? n->col : 0, fmt, ap);
	va_end(ap);
}

/* yerr_at - yerr for a position that has no node. */
static void __attribute__((format(printf, 6, 7)))
yerr_at(struct yctx *x, const char *code, const char *field, int line, int col,
	const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(x, code, field, line, col, fmt, ap);
	va_end(ap);
}

/* put - snprintf whose truncation is intended (paths are capped to struct err's field). */
static void __attribute__((format(printf, 3, 4)))
put(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out, size, fmt, ap);
	va_end(ap);
}

void
ypath_key(char *out, size_t size, const char *parent, const char *key)
{
	if (parent && parent[0])
		put(out, size, "%s.%s", parent, key);
	else
		put(out, size, "%s", key);
}

void
ypath_index(char *out, size_t size, const char *parent, size_t i)
{
	put(out, size, "%s[%zu]", parent ? parent : "", i);
}

/* node_free - a node and everything under it. */
static void
node_free(struct ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->kind == Y_MAP) {
			node_free(n->pair[i].key);
			node_free(n->pair[i].val);
		} else if (n->kind == Y_SEQ) {
			node_free(n->item[i]);
		}
	}
	free(n->pair);
	free(n->item);
	free(n->text);
	free(n);
}

void
ytree_free(struct ytree *t)
{
	node_free(t->root);
	t->root = NULL;
	t->nodes = 0;
}

/* path_of - the field path of the place the parser is at (frames below upto). */
static void
path_of(const struct builder *b, int upto, char *out, size_t size)
{
	char tmp[sizeof ((struct err *)0)->field];
	int k;

	out[0] = '\0';
	for (k = 0; k < upto; k++) {
		const struct ynode *f = b->stack[k];
		int inner = k < b->depth - 1;

		snprintf(tmp, sizeof tmp, "%s", out);
		if (f->kind == Y_SEQ)
			ypath_index(out, size, tmp, inner ? f->n - 1 : f->n);
		else if (f->n > 0 && (inner || !f->pair[f->n - 1].val))
			ypath_key(out, size, tmp, f->pair[f->n - 1].key->text);
	}
}

/* fail - the one parse violation; parsing stops after it. */
static void __attribute__((format(printf, 4, 5)))
fail(struct builder *b, const yaml_mark_t *m, const char *field, const char *fmt, ...)
{
	char path[sizeof ((struct err *)0)->field];
	va_list ap;

	if (b->failed++)
		return;
	if (!field) {
		path_of(b, b->depth, path, sizeof path);
		field = path;
	}
	va_start(ap, fmt);
	vadd(b->x, b->x->codes->syntax, field, (int)m->line + 1, (int)m->column + 1, fmt, ap);
	va_end(ap);
}

/* syntax_error - libyaml's own words and position for a text that is not YAML. */
static void
syntax_error(struct builder *b, const yaml_parser_t *p, const char *buf, size_t len)
{
	yaml_mark_t m = p->problem_mark;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	size_t i;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		m.line = m.column = 0;
		fail(b, &m, "", "out of memory while parsing YAML");
		return;
	case YAML_READER_ERROR:
		/* the reader reports a byte offset only; turn it into line:column */
		m.line = m.column = 0;
		for (i = 0; i < p->problem_offset && i < len; i++) {
			if (buf[i] == '\n')
				m.line++, m.column = 0;
			else
				m.column++;
		}
		fail(b, &m, "", "%s (byte %zu, value 0x%02x); the file must be UTF-8 text",
		     problem, p->problem_offset, (unsigned)p->problem_value & 0xffu);
		return;
	default:
		if (p->context)
			fail(b, &m, "", "%s (%s at line %d column %d)", problem, p->context,
			     (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
		else
			fail(b, &m, "", "%s", problem);
	}
}

/* node_new - a node at mark, counted against YTREE_MAX_NODES. */
static struct ynode *
node_new(struct builder *b, enum ykind kind, const yaml_mark_t *m)
{
	struct ynode *n;

	if (b->t->nodes >= YTREE_MAX_NODES) {
		fail(b, m, NULL, "more than %d YAML nodes", YTREE_MAX_NODES);
		return NULL;
	}
	if (!(n = calloc(1, sizeof *n))) {
		fail(b, m, NULL, "out of memory while parsing YAML");
		return NULL;
	}
	b->t->nodes++;
	n->kind = kind;
	n->line = (int)m->line + 1;
	n->col = (int)m->column + 1;
	return n;
}

/* grow - room for one more pair or item in collection c. */
static int
grow(struct ynode *c)
{
	size_t cap = c->cap ? c->cap * 2 : 4;
	void *p;

	if (c->n < c->cap)
		return 0;
	if (c->kind == Y_MAP)
		p = realloc(c->pair, cap * sizeof *c->pair);
	else
		p = realloc(c->item, cap * sizeof *c->item);
	if (!p)
		return -1;
	if (c->kind == Y_MAP)
		c->pair = p;
	else
		c->item = p;
	c->cap = cap;
	return 0;
}

/* attach - hang n under the innermost open collection (or make it the root); frees n on failure. */
static int
attach(struct builder *b, struct ynode *n, const yaml_mark_t *m)
{
	struct ynode *c;

	if (b->depth == 0) {
		b->t->root = n;
		return 0;
	}
	c = b->stack[b->depth - 1];
	if (c->kind == Y_MAP && c->n > 0 && !c->pair[c->n - 1].val) {
		c->pair[c->n - 1].val = n;
		return 0;
	}
	if (c->kind == Y_MAP && n->kind != Y_SCALAR) {
		fail(b, m, NULL, "a mapping key must be text, not %s",
		     n->kind == Y_MAP ? "a mapping" : "a list");
		goto fail;
	}
	if (grow(c) < 0) {
		fail(b, m, NULL, "out of memory while parsing YAML");
		goto fail;
	}
	if (c->kind == Y_MAP)
		c->pair[c->n++] = (struct ypair){ n, NULL };
	else
		c->item[c->n++] = n;
	return 0;
fail:
	node_free(n);
	return -1;
}

/* no_anchor - refuse &anchors: with aliases they expand one node into billions. */
static int
no_anchor(struct builder *b, const yaml_char_t *anchor, const yaml_mark_t *m)
{
	if (!anchor)
		return 0;
	fail(b, m, NULL, "anchor '&%s': anchors and aliases are not allowed", (const char *)anchor);
	return -1;
}

/* on_scalar - a text node. */
static void
on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n;

	if (no_anchor(b, ev->data.scalar.anchor, &ev->start_mark) < 0 ||
	    !(n = node_new(b, Y_SCALAR, &ev->start_mark)))
		return;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->len = ev->data.scalar.length;
	if (!(n->text = malloc(n->len + 1))) {
		node_free(n);
		fail(b, &ev->start_mark, NULL, "out of memory while parsing YAML");
		return;
	}
	memcpy(n->text, ev->data.scalar.value, n->len);
	n->text[n->len] = '\0';
	attach(b, n, &ev->start_mark);
}

/* on_start - open a mapping or a sequence. */
static void
on_start(struct builder *b, const yaml_event_t *ev, enum ykind kind)
{
	const yaml_char_t *anchor = kind == Y_MAP ? ev->data.mapping_start.anchor
						  : ev->data.sequence_start.anchor;
	struct ynode *n;

	if (no_anchor(b, anchor, &ev->start_mark) < 0)
		return;
	if (b->depth >= YTREE_MAX_DEPTH) {
		fail(b, &ev->start_mark, NULL, "nesting deeper than %d levels", YTREE_MAX_DEPTH);
		return;
	}
	if (!(n = node_new(b, kind, &ev->start_mark)) || attach(b, n, &ev->start_mark) < 0)
		return;
	b->stack[b->depth++] = n;
}

struct keyref {
	const struct ynode *key;
	size_t i;
};

/* same_key - two keys with the same text. */
static int
same_key(const struct ynode *a, const struct ynode *b)
{
	return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* keyref_cmp - by length and text, then by position in the mapping. */
static int
keyref_cmp(const void *pa, const void *pb)
{
	const struct keyref *a = pa, *b = pb;
	int c;

	if (a->key->len != b->key->len)
		return a->key->len < b->key->len ? -1 : 1;
	if ((c = memcmp(a->key->text, b->key->text, a->key->len)))
		return c;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* check_dups - refuse a key given twice (sorting keeps a 50000-key mapping cheap). */
static void
check_dups(struct builder *b, const struct ynode *map, const yaml_mark_t *m)
{
	char parent[sizeof ((struct err *)0)->field], field[sizeof parent];
	const struct ynode *dup, *first;
	struct keyref *v;
	size_t i, best = 0, orig = 0;

	if (map->n < 2)
		return;
	if (!(v = malloc(map->n * sizeof *v))) {
		fail(b, m, NULL, "out of memory while parsing YAML");
		return;
	}
	for (i = 0; i < map->n; i++)
		v[i] = (struct keyref){ map->pair[i].key, i };
	qsort(v, map->n, sizeof *v, keyref_cmp);
	/* report the earliest second occurrence: v[i] right after the first of its run */
	for (i = 1; i < map->n; i++)
		if (same_key(v[i].key, v[i - 1].key) && (i == 1 || !same_key(v[i - 2].key, v[i].key)) &&
		    (!best || v[i].i < best))
			best = v[i].i, orig = v[i - 1].i;
	free(v);
	if (!best)
		return;
	dup = map->pair[best].key;
	first = map->pair[orig].key;
	path_of(b, b->depth - 1, parent, sizeof parent);
	ypath_key(field, sizeof field, parent, dup->text);
	yerr(b->x, b->x->codes->syntax, field, dup, L(b->x, "duplicate key '%s' (first given at "
	     "line %d column %d)", "kunci '%s' ganda (pertama kali di baris %d kolom %d)"),
	     dup->text, first->line, first->col);
	b->failed++;
}

/* on_event - one libyaml event into the tree; sets b->failed on a refusal. */
static void
on_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1)
			fail(b, &ev->start_mark, "", "more than one YAML document (a second '---')");
		break;
	case YAML_ALIAS_EVENT:
		fail(b, &ev->start_mark, NULL, "alias '*%s': anchors and aliases are not allowed",
		     (const char *)ev->data.alias.anchor);
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(b, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_start(b, ev, Y_SEQ);
		break;
	case YAML_MAPPING_START_EVENT:
		on_start(b, ev, Y_MAP);
		break;
	case YAML_MAPPING_END_EVENT:
		check_dups(b, b->stack[b->depth - 1], &ev->start_mark);
		b->depth--;
		break;
	case YAML_SEQUENCE_END_EVENT:
		b->depth--;
		break;
	default:
		break;
	}
}

int
ytree_parse(struct ytree *t, const char *buf, size_t len, struct yctx *x)
{
	struct builder b = { .t = t, .x = x };
	yaml_parser_t p;
	yaml_event_t ev;
	int done = 0;

	t->root = NULL;
	t->nodes = 0;
	if (!buf)	/* libyaml asserts on a NULL input, even an empty one */
		buf = "", len = 0;
	if (!yaml_parser_initialize(&p)) {
		yerr_at(x, x->codes->syntax, "", 0, 0, "out of memory while parsing YAML");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && !b.failed) {
		if (!yaml_parser_parse(&p, &ev)) {
			syntax_error(&b, &p, buf, len);
			break;
		}
		on_event(&b, &ev);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (!b.failed)
		return 0;
	ytree_free(t);
	return -1;
}

const struct ynode *
ymap_get(const struct ynode *map, const char *key)
{
	size_t i, len = strlen(key);

	if (!map || map->kind != Y_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->pair[i].key->len == len && memcmp(map->pair[i].key->text, key, len) == 0)
			return map->pair[i].val;
	return NULL;
}

int
ynode_null(const struct ynode *n)
{
	return n && n->kind == Y_SCALAR && n->plain &&
	       (n->len == 0 || !strcmp(n->text, "~") || !strcmp(n->text, "null") ||
		!strcmp(n->text, "Null") || !strcmp(n->text, "NULL"));
}

/* describe - what n is, for "expected X, found Y" messages. */
static const char *
describe(const struct yctx *x, const struct ynode *n, char *buf, size_t size)
{
	if (n->kind == Y_MAP)
		return L(x, "a mapping", "sebuah mapping");
	if (n->kind == Y_SEQ)
		return L(x, "a list", "sebuah daftar");
	if (ynode_null(n))
		return L(x, "empty", "kosong");
	snprintf(buf, size, "'%.40s%s'", n->text, n->len > 40 ? "..." : "");
	return buf;
}

/* kind_name - the name of kind in messages. */
static const char *
kind_name(const struct yctx *x, enum ykind kind)
{
	return kind == Y_MAP ? L(x, "a mapping (key: value)", "sebuah mapping (kunci: nilai)")
	       : kind == Y_SEQ ? L(x, "a list", "sebuah daftar") : L(x, "text", "teks");
}

/* what - how a message names field ("the document" for the top level). */
static const char *
what(const struct yctx *x, const char *field)
{
	return field && field[0] ? field : L(x, "the document", "dokumen");
}

int
ynode_want(struct yctx *x, const struct ynode *n, const char *field, enum ykind kind)
{
	char buf[64];

	if (n && n->kind == kind)
		return 0;
	if (!n)
		yerr_at(x, x->codes->type, field, 1, 1, L(x, "%s is empty, expected %s",
			"%s kosong, seharusnya %s"), what(x, field), kind_name(x, kind));
	else
		yerr(x, x->codes->type, field, n, L(x, "%s is %s, expected %s",
		     "%s berisi %s, seharusnya %s"), what(x, field), describe(x, n, buf, sizeof buf),
		     kind_name(x, kind));
	return -1;
}

/* distance - optimal string alignment distance (a swap counts once), capped at 9. */
static int
distance(const char *a, const char *b)
{
	int d[33][33], i, j, la = (int)strlen(a), lb = (int)strlen(b);

	if (la > 32 || lb > 32)
		return 9;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[la][lb];
}

/* closest - the known key name is most likely a typo of, or NULL. */
static const char *
closest(const struct ykey *keys, const char *name)
{
	const char *best = NULL;
	int bestd = 9;

	for (; keys->name; keys++) {
		int d = distance(name, keys->name);
		int limit = strlen(keys->name) >= 6 ? 2 : 1;
		if (!keys->refuse && d <= limit && d < bestd)
			best = keys->name, bestd = d;
	}
	return best;
}

/* find_key - the entry for name in keys, or NULL. */
static const struct ykey *
find_key(const struct ykey *keys, const char *name)
{
	for (; keys->name; keys++)
		if (!strcmp(keys->name, name))
			return keys;
	return NULL;
}

int
ymap_check(struct yctx *x, const struct ynode *map, const char *path, const struct ykey *keys)
{
	char field[sizeof ((struct err *)0)->field];
	const char *in = path && path[0] ? L(x, " in ", " di ") : "";
	const struct ykey *k;
	size_t i;
	int bad = 0;

	if (ynode_want(x, map, path, Y_MAP) < 0)
		return -1;
	for (i = 0; i < map->n; i++) {
		const struct ynode *key = map->pair[i].key;
		const char *hint;
		if (x->ignore_prefix && !strncmp(key->text, x->ignore_prefix, strlen(x->ignore_prefix)))
			continue;
		ypath_key(field, sizeof field, path, key->text);
		if (!(k = find_key(keys, key->text))) {
			hint = closest(keys, key->text);
			yerr(x, x->codes->unknown, field, key, L(x, "unknown key '%s'%s%s%s%s%s",
			     "kunci '%s' tidak dikenal%s%s%s%s%s"), key->text, in, path ? path : "",
			     hint ? L(x, " (did you mean '", " (maksudnya '") : "", hint ? hint : "",
			     hint ? "'?)" : "");
			bad++;
		} else if (k->refuse) {
			yerr(x, x->codes->unknown, field, key, L(x, "key '%s'%s%s is not allowed: %s",
			     "kunci '%s'%s%s tidak diizinkan: %s"), key->text, in, path ? path : "",
			     k->refuse);
			bad++;
		}
	}
	for (k = keys; k->name; k++) {
		const struct ynode *v = ymap_get(map, k->name);
		if (!k->required || (v && !ynode_null(v)))
			continue;
		ypath_key(field, sizeof field, path, k->name);
		/* a key written without a value: point at it rather than at the mapping */
		if (v)
			yerr(x, x->codes->missing, field, v, L(x, "no value for required key '%s'%s%s",
			     "kunci wajib '%s'%s%s tidak diberi nilai"), k->name, in, path ? path : "");
		else
			yerr(x, x->codes->missing, field, map, L(x, "missing required key '%s'%s%s",
			     "kunci wajib '%s'%s%s tidak ada"), k->name, in, path ? path : "");
		bad++;
	}
	return bad;
}

/* bad_byte - the offset of a control character other than tab/newline/CR, or -1. */
static long
bad_byte(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') ||
		    s[i] == 0x7f)
			return (long)i;
	return -1;
}

int
ynode_str(struct yctx *x, const struct ynode *n, const char *field, size_t max, char **out)
{
	char *s;
	long at;

	if (ynode_want(x, n, field, Y_SCALAR) < 0)
		return -1;
	if (ynode_null(n) || n->len == 0) {
		yerr(x, x->codes->value, field, n, L(x, "%s is empty", "%s kosong"), what(x, field));
		return -1;
	}
	if (n->len > max) {
		yerr(x, x->codes->value, field, n, L(x, "%s is %zu bytes long, at most %zu allowed",
		     "%s panjangnya %zu byte, paling banyak %zu"), what(x, field), n->len, max);
		return -1;
	}
	if ((at = bad_byte(n->text, n->len)) >= 0) {
		yerr(x, x->codes->value, field, n, L(x, "%s contains control character 0x%02x at "
		     "byte %ld", "%s memuat karakter kendali 0x%02x pada byte %ld"), what(x, field),
		     (unsigned char)n->text[at], at + 1);
		return -1;
	}
	if (!(s = strdup(n->text))) {
		yerr(x, x->codes->value, field, n, "out of memory");
		return -1;
	}
	free(*out);
	*out = s;
	return 0;
}

int
ynode_int(struct yctx *x, const struct ynode *n, const char *field, long long lo, long long hi,
	  long long *out)
{
	const char *p;
	char buf[64], *end;
	long long v;

	if (ynode_want(x, n, field, Y_SCALAR) < 0)
		return -1;
	/* decimal only: YAML 1.1 would also read 0x1F, 0o17, 1_000 and 017 (octal!) */
	p = n->text + (n->text[0] == '+' || n->text[0] == '-');
	if (!*p || strspn(p, "0123456789") != strlen(p) || n->len != strlen(n->text)) {
		yerr(x, x->codes->type, field, n, L(x, "%s is %s, expected a whole number",
		     "%s berisi %s, seharusnya bilangan bulat"), what(x, field),
		     describe(x, n, buf, sizeof buf));
		return -1;
	}
	errno = 0;
	v = strtoll(n->text, &end, 10);
	if (errno == ERANGE || v < lo || v > hi) {
		yerr(x, x->codes->value, field, n, L(x, "%s is %s, must be between %lld and %lld",
		     "%s berisi %s, seharusnya antara %lld dan %lld"), what(x, field), n->text, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* lookup - map[key] and its field path; NULL when absent or written without a value. */
static const struct ynode *
lookup(const struct ynode *map, const char *path, const char *key, char *field, size_t size)
{
	const struct ynode *v = ymap_get(map, key);

	ypath_key(field, size, path, key);
	return v && !ynode_null(v) ? v : NULL;
}

int
ymap_str(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	 size_t max, char **out)
{
	char field[sizeof ((struct err *)0)->field];
	const struct ynode *v = lookup(map, path, key, field, sizeof field);

	return v ? ynode_str(x, v, field, max, out) : 1;
}

int
ymap_int(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	 long long lo, long long hi, long long *out)
{
	char field[sizeof ((struct err *)0)->field];
	const struct ynode *v = lookup(map, path, key, field, sizeof field);

	return v ? ynode_int(x, v, field, lo, hi, out) : 1;
}

int
ymap_kind(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	  enum ykind kind, const struct ynode **out)
{
	char field[sizeof ((struct err *)0)->field];
	const struct ynode *v = lookup(map, path, key, field, sizeof field);

	if (!v)
		return 1;
	if (ynode_want(x, v, field, kind) < 0)
		return -1;
	*out = v;
	return 0;
}
