/*
 * verify_diff.c - what changed after a signature, and whether the policy
 * allows it (README, "What may change after a signature"; verify_diff.h).
 *
 * The signed revision and the whole file are opened as two MuPDF documents
 * and compared object graph against object graph from the catalog with a
 * work queue: no recursion across indirect objects, and each pair of
 * objects is compared once per way of comparing it (a memo of visited
 * pairs), so a graph that reaches one object along many paths costs no
 * more than one that reaches it once.
 *
 * A rule that allows a change (an XMP stream, a filled field's appearance)
 * never marks the objects below it as compared: an object that a page also
 * reaches is still compared on the page's path, however it is referenced.
 * Allowed changes are of three levels: always (metadata, /DSS, document
 * timestamps), form filling and signing (not after DocMDP P=1), annotations
 * (only after DocMDP P=3).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "verify_bytes.h"
#include "verify_cmp.h"
#include "verify_diff.h"
#include "verify_str.h"
#include "verify_xref.h"

#define MAX_PAIRS 4000000	/* object pairs compared per signature before giving up */
#define MAX_PAGES 1000000	/* pages listed for labels */
#define VALUE_BUDGET 4096	/* objects looked at to compare two field values */

int
vc_set_add(fz_context *ctx, struct vc_set *s, uint64_t key)
{
	size_t i;

	key = key ? key : UINT64_MAX;	/* 0 marks an empty slot */
	if (2 * (s->n + 1) > s->cap) {
		struct vc_set g = { NULL, s->cap ? 2 * s->cap : 1024, 0 };

		if ((g.v = calloc(g.cap, sizeof *g.v)) == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory comparing revisions");
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				vc_set_add(ctx, &g, s->v[i]);
		free(s->v);
		*s = g;
	}
	for (i = (size_t)(key * 0x9E3779B97F4A7C15ull) & (s->cap - 1); s->v[i];
	     i = (i + 1) & (s->cap - 1))
		if (s->v[i] == key)
			return 0;
	s->v[i] = key;
	s->n++;
	return 1;
}

int
vc_set_has(const struct vc_set *s, uint64_t key)
{
	size_t i;

	key = key ? key : UINT64_MAX;
	if (s->cap == 0)
		return 0;
	for (i = (size_t)(key * 0x9E3779B97F4A7C15ull) & (s->cap - 1); s->v[i];
	     i = (i + 1) & (s->cap - 1))
		if (s->v[i] == key)
			return 1;
	return 0;
}

/* record - one change, kept for the report (the first VERIFY_CHANGES). */
static void
record(struct vcmp *c, int ok, const char *msg)
{
	struct verify_sig *s = c->s;

	if (ok)
		c->allowed++;
	else if (c->disallowed++ == 0)
		SETF(c->first, "%s", msg);
	if (s->nchanges < VERIFY_CHANGES)
		SETF(s->changes[s->nchanges++], "%s: %s", ok ? "allowed" : "DISALLOWED", msg);
	else
		s->changes_dropped++;
}

/* vc_deny - a disallowed change. */
void
vc_deny(struct vcmp *c, const char *fmt, ...)
{
	char msg[150];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	record(c, 0, msg);
}

/* vc_allow - a change the policy allows at level; under DocMDP P=1 only L_ALWAYS is. */
void
vc_allow(struct vcmp *c, enum vc_level level, const char *fmt, ...)
{
	char msg[150];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (level != L_ALWAYS && c->docmdp == 1) {
		char m2[150];

		snprintf(m2, sizeof m2, "%.90s (the certification allows no change, DocMDP P=1)",
			 msg);
		record(c, 0, m2);
	} else {
		record(c, 1, msg);
	}
}

/* differ - a disallowed change at where; returns 0 (not equal). */
static int
differ(struct vcmp *c, const char *where, const char *what)
{
	vc_deny(c, "%s %s", where, what);
	return 0;
}

/* pair_key - the memo's key of a pair compared one way. */
static uint64_t
pair_key(int onum, int nnum, enum vc_kind kind)
{
	return (uint64_t)(uint32_t)onum << 33 | (uint64_t)(uint32_t)nnum << 3 | (uint64_t)kind;
}

/* vc_enqueue - compare objects onum (old) and nnum (new) later, once per kind. */
void
vc_enqueue(struct vcmp *c, int onum, int nnum, enum vc_kind kind, const char *where)
{
	if (onum <= 0 && nnum <= 0)
		return;
	if (!vc_set_add(c->ctx, &c->seen, pair_key(onum, nnum, kind)))
		return;
	if (c->qn == c->qcap && c->qhead >= c->qcap / 2 && c->qhead > 0) {
		/* what was compared makes room: the queue holds only what waits */
		memmove(c->q, c->q + c->qhead, (c->qn - c->qhead) * sizeof *c->q);
		c->qn -= c->qhead;
		c->qdone += c->qhead;
		c->qhead = 0;
	}
	if (c->qn == c->qcap) {
		size_t cap = c->qcap ? 2 * c->qcap : 256;
		struct vc_pending *v = realloc(c->q, cap * sizeof *v);

		if (v == NULL)
			fz_throw(c->ctx, FZ_ERROR_MEMORY, "out of memory comparing revisions");
		c->q = v;
		c->qcap = cap;
	}
	c->q[c->qn].onum = onum;
	c->q[c->qn].nnum = nnum;
	c->q[c->qn].kind = kind;
	SETF(c->q[c->qn].where, "%s", where);
	c->qn++;
}

/* vc_null - a missing key and an explicit null are the same thing. */
int
vc_null(fz_context *ctx, pdf_obj *o)
{
	return o == NULL || pdf_is_null(ctx, o);
}

/* is_type - /Type is name. */
static int
is_type(fz_context *ctx, pdf_obj *d, pdf_obj *name)
{
	return pdf_name_eq(ctx, pdf_dict_get(ctx, d, PDF_NAME(Type)), name);
}

/* key_is - key is the name s. */
static int
key_is(fz_context *ctx, pdf_obj *key, const char *s)
{
	return !strcmp(pdf_to_name(ctx, key), s);
}

/*
 * same_value - two field values (or other small values) equal, indirect ones
 * resolved; a value larger than the budget counts as changed.
 */
static int
same_value(fz_context *ctx, pdf_obj *a, pdf_obj *b, int *budget, int depth)
{
	int i, n;

	if (--*budget < 0 || depth > VC_DEPTH)
		return 0;
	a = pdf_resolve_indirect_chain(ctx, a);
	b = pdf_resolve_indirect_chain(ctx, b);
	if (vc_null(ctx, a) || vc_null(ctx, b))
		return vc_null(ctx, a) && vc_null(ctx, b);
	if (pdf_is_array(ctx, a) || pdf_is_array(ctx, b)) {
		if (!pdf_is_array(ctx, a) || !pdf_is_array(ctx, b) ||
		    (n = pdf_array_len(ctx, a)) != pdf_array_len(ctx, b))
			return 0;
		for (i = 0; i < n; i++)
			if (!same_value(ctx, pdf_array_get(ctx, a, i), pdf_array_get(ctx, b, i), budget,
					depth + 1))
				return 0;
		return 1;
	}
	if (pdf_is_dict(ctx, a) || pdf_is_dict(ctx, b)) {
		if (!pdf_is_dict(ctx, a) || !pdf_is_dict(ctx, b) ||
		    (n = pdf_dict_len(ctx, a)) != pdf_dict_len(ctx, b))
			return 0;
		for (i = 0; i < n; i++)
			if (!same_value(ctx, pdf_dict_get_val(ctx, a, i),
					pdf_dict_get(ctx, b, pdf_dict_get_key(ctx, a, i)), budget,
					depth + 1))
				return 0;
		return 1;
	}
	return pdf_objcmp(ctx, a, b) == 0;
}

/* vc_changed - !same_value with a fresh budget. */
int
vc_changed(fz_context *ctx, pdf_obj *a, pdf_obj *b)
{
	int budget = VALUE_BUDGET;

	return !same_value(ctx, a, b, &budget, 0);
}

/* vc_child - "where/Key" into buf. */
const char *
vc_child(char *buf, const char *where, const char *key)
{
	snprintf(buf, VC_WHERE, "%s/%s", where, key);
	return buf;
}

static int cmp_dict(struct vcmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth,
		    int num, int stm);

/* cmp_key - compare one key of two dictionaries. */
static int
cmp_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	char w[VC_WHERE];

	return vc_value(c, pdf_dict_get(c->ctx, o, key), pdf_dict_get(c->ctx, n, key),
			vc_child(w, where, pdf_to_name(c->ctx, key)), depth);
}

/* vc_keys - every key of o and n, through rule first. */
int
vc_keys(struct vcmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth, vc_rule rule)
{
	fz_context *ctx = c->ctx;
	int i, same = 1, len = pdf_dict_len(ctx, o);

	for (i = 0; i < len; i++) {
		pdf_obj *key = pdf_dict_get_key(ctx, o, i);

		if (rule && rule(c, o, n, key, where, depth))
			continue;
		same &= cmp_key(c, o, n, key, where, depth);
	}
	len = pdf_dict_len(ctx, n);
	for (i = 0; i < len; i++) {
		pdf_obj *key = pdf_dict_get_key(ctx, n, i);

		if (pdf_dict_get(ctx, o, key) != NULL)
			continue;	/* compared above */
		if (rule && rule(c, o, n, key, where, depth))
			continue;
		same &= cmp_key(c, o, n, key, where, depth);
	}
	return same;
}

/* by_num - qsort order of (object number, page index) pairs. */
static int
by_num(const void *a, const void *b)
{
	const int *x = a, *y = b;

	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* list_pages - the new document's pages as (object number, index), each tree node once. */
static void
list_pages(struct vcmp *c)
{
	fz_context *ctx = c->ctx;
	pdf_obj *stack[VC_DEPTH];
	int idx[VC_DEPTH], sp = 0, cap = 0;

	c->pages_listed = 1;
	stack[0] = pdf_dict_getp(ctx, pdf_trailer(ctx, c->nd), "Root/Pages");
	idx[0] = 0;
	vc_set_add(ctx, &c->page_nodes, (uint64_t)pdf_to_num(ctx, stack[0]));
	while (sp >= 0 && c->npages < MAX_PAGES) {
		pdf_obj *kids = pdf_dict_get(ctx, stack[sp], PDF_NAME(Kids));
		pdf_obj *k;

		if (idx[sp] >= pdf_array_len(ctx, kids)) {
			sp--;
			continue;
		}
		k = pdf_array_get(ctx, kids, idx[sp]++);
		if (!pdf_is_indirect(ctx, k) ||
		    !vc_set_add(ctx, &c->page_nodes, (uint64_t)pdf_to_num(ctx, k)))
			continue;
		if (pdf_dict_get(ctx, k, PDF_NAME(Kids)) && sp + 1 < VC_DEPTH) {
			stack[++sp] = k;
			idx[sp] = 0;
			continue;
		}
		if (c->npages == cap) {
			int (*v)[2] = realloc(c->pages, (size_t)(cap = cap ? 2 * cap : 64) * sizeof *v);

			if (v == NULL)
				fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory listing pages");
			c->pages = v;
		}
		c->pages[c->npages][0] = pdf_to_num(ctx, k);
		c->pages[c->npages][1] = c->npages;
		c->npages++;
	}
	if (c->npages > 0)
		qsort(c->pages, (size_t)c->npages, sizeof *c->pages, by_num);
}

/* page_label - "page N" for a page object of the new document. */
static void
page_label(struct vcmp *c, int num, char *out)
{
	int key[2] = { num, 0 };
	int (*hit)[2];

	if (!c->pages_listed)
		list_pages(c);
	hit = c->npages > 0 ? bsearch(key, c->pages, (size_t)c->npages, sizeof *c->pages, by_num)
			    : NULL;
	if (hit)
		snprintf(out, VC_WHERE, "page %d", (*hit)[1] + 1);
	else
		snprintf(out, VC_WHERE, "page object %d", num);
}

/* vc_load - an object or NULL when missing or unreadable (out of memory still throws). */
pdf_obj *
vc_load(fz_context *ctx, pdf_document *doc, int num)
{
	pdf_obj *o = NULL;

	if (num <= 0 || num >= pdf_xref_len(ctx, doc))
		return NULL;
	fz_var(o);
	fz_try(ctx)
		o = pdf_load_object(ctx, doc, num);
	fz_catch(ctx) {
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			fz_rethrow(ctx);
		o = NULL;
	}
	return o;
}

/* xml_start - data begins as XML (a BOM and white space aside). */
static int
xml_start(const unsigned char *d, size_t len)
{
	size_t i = 0;

	if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
		i = 3;
	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return i < len && d[i] == '<';
}

/* xml_stream - object num of doc is a stream whose data begins as XML (only its start is read). */
static int
xml_stream(fz_context *ctx, pdf_document *doc, int num)
{
	fz_stream *stm = NULL;
	unsigned char head[64];
	int yes = 0;

	if (!pdf_obj_num_is_stream(ctx, doc, num))
		return 0;
	fz_var(stm);
	fz_var(yes);
	fz_try(ctx) {
		stm = pdf_open_stream_number(ctx, doc, num);
		yes = xml_start(head, fz_read(ctx, stm, head, sizeof head));
	}
	fz_always(ctx)
		fz_drop_stream(ctx, stm);
	fz_catch(ctx) {
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			fz_rethrow(ctx);
		yes = 0;
	}
	return yes;
}

static int stream_same(struct vcmp *c, int onum, int nnum);

/*
 * metadata_key - the catalog's XMP stream may be replaced or rewritten when
 * the new one is an XML stream; it is not marked compared, so a page that
 * reaches the same object still compares it.
 */
static void
metadata_key(struct vcmp *c, pdf_obj *ov, pdf_obj *nv)
{
	fz_context *ctx = c->ctx;
	int on = pdf_to_num(ctx, ov), nn = pdf_to_num(ctx, nv);

	if (vc_null(ctx, nv)) {
		if (!vc_null(ctx, ov))
			vc_allow(c, L_ALWAYS, "catalog /Metadata removed");
	} else if (!pdf_is_indirect(ctx, nv) || !xml_stream(ctx, c->nd, nn)) {
		vc_deny(c, "catalog/Metadata (object %d) is not an XMP stream", nn);
	} else if (on != nn || !pdf_is_indirect(ctx, ov) || !pdf_obj_num_is_stream(ctx, c->od, on) ||
		   !stream_same(c, on, nn)) {
		vc_allow(c, L_ALWAYS, "catalog /Metadata (XMP, object %d) updated", nn);
	}
}

/*
 * catalog_rule_key - /AcroForm by its rule, /Metadata by metadata_key;
 * /DSS, /Extensions, /Version and /MarkInfo may change (long-term
 * validation material, declarations); /Perms may be added, not replaced.
 */
static int
catalog_rule_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		 int depth)
{
	fz_context *ctx = c->ctx;
	pdf_obj *ov = pdf_dict_get(ctx, o, key), *nv = pdf_dict_get(ctx, n, key);
	pdf_obj *oa, *na;
	char w[VC_WHERE];

	if (key_is(ctx, key, "DSS") || key_is(ctx, key, "Extensions") ||
	    pdf_name_eq(ctx, key, PDF_NAME(Version)) || key_is(ctx, key, "MarkInfo")) {
		if (pdf_to_num(ctx, ov) != pdf_to_num(ctx, nv) || vc_changed(ctx, ov, nv))
			vc_allow(c, L_ALWAYS, "catalog /%s added or updated", pdf_to_name(ctx, key));
		return 1;
	}
	if (pdf_name_eq(ctx, key, PDF_NAME(Perms))) {
		pdf_obj *od = pdf_dict_get(ctx, pdf_resolve_indirect_chain(ctx, ov), PDF_NAME(DocMDP));
		pdf_obj *nd = pdf_dict_get(ctx, pdf_resolve_indirect_chain(ctx, nv), PDF_NAME(DocMDP));

		if (od && pdf_to_num(ctx, od) != pdf_to_num(ctx, nd))
			vc_deny(c, "catalog/Perms/DocMDP changed: the certification is not this one's");
		else if (vc_changed(ctx, ov, nv))
			vc_allow(c, L_ALWAYS, "catalog /Perms added or updated");
		return 1;
	}
	if (pdf_name_eq(ctx, key, PDF_NAME(Metadata))) {
		metadata_key(c, ov, nv);
		return 1;
	}
	if (!pdf_name_eq(ctx, key, PDF_NAME(AcroForm)))
		return 0;
	vc_child(w, where, "AcroForm");
	if (pdf_is_indirect(ctx, ov) && pdf_is_indirect(ctx, nv)) {
		vc_enqueue(c, pdf_to_num(ctx, ov), pdf_to_num(ctx, nv), K_ACROFORM, w);
		return 1;
	}
	oa = pdf_resolve_indirect_chain(ctx, ov);
	na = pdf_resolve_indirect_chain(ctx, nv);
	if (!pdf_is_dict(ctx, na))
		return vc_null(ctx, oa) ? 1 : (differ(c, w, "was removed (the form and its "
						      "signatures)"), 1);
	vc_keys(c, pdf_is_dict(ctx, oa) ? oa : NULL, na, w, depth + 1, vc_acroform_key);
	return 1;
}

/* stream_rule_key - /Length of a stream: its data is compared as such. */
static int
stream_rule_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		int depth)
{
	return pdf_name_eq(c->ctx, key, PDF_NAME(Length));
}

/*
 * cmp_dict - two dictionaries, by the rule the signed one's kind calls for;
 * num is the new object's number (0 direct), stm whether both are streams.
 */
static int
cmp_dict(struct vcmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth, int num, int stm)
{
	fz_context *ctx = c->ctx;
	char label[VC_WHERE];

	if (is_type(ctx, o, PDF_NAME(Page))) {
		if (num > 0)
			page_label(c, num, label);
		else
			snprintf(label, sizeof label, "%s", where);
		return vc_keys(c, o, n, label, depth, vc_page_key);
	}
	if (vc_field_like(ctx, o))
		return vc_field(c, o, n, depth);
	if (is_type(ctx, o, PDF_NAME(Catalog)))
		return vc_keys(c, o, n, "catalog", depth, catalog_rule_key);
	return vc_keys(c, o, n, where, depth, stm ? stream_rule_key : NULL);
}

/* vc_value - two values; indirect pairs are queued, direct ones compared now. */
int
vc_value(struct vcmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth)
{
	fz_context *ctx = c->ctx;
	int i, same = 1;
	char w[VC_WHERE];

	if (depth > VC_DEPTH)
		return differ(c, where, "is nested too deeply to compare");
	if (pdf_is_indirect(ctx, o) && pdf_is_indirect(ctx, n)) {
		vc_enqueue(c, pdf_to_num(ctx, o), pdf_to_num(ctx, n), K_OBJ, where);
		return 1;
	}
	if (pdf_is_stream(ctx, o) || pdf_is_stream(ctx, n))
		return differ(c, where, "changed (a stream replaced by a direct object or back)");
	o = pdf_resolve_indirect_chain(ctx, o);
	n = pdf_resolve_indirect_chain(ctx, n);
	if (vc_null(ctx, o) || vc_null(ctx, n))
		return vc_null(ctx, o) && vc_null(ctx, n) ? 1
			: differ(c, where, vc_null(ctx, o) ? "was added" : "was removed");
	if (pdf_is_dict(ctx, o) && pdf_is_dict(ctx, n))
		return cmp_dict(c, o, n, where, depth + 1, 0, 0);
	if (pdf_is_array(ctx, o) && pdf_is_array(ctx, n)) {
		if (pdf_array_len(ctx, o) != pdf_array_len(ctx, n))
			return differ(c, where, "changed (array length)");
		for (i = 0; i < pdf_array_len(ctx, o); i++) {
			snprintf(w, sizeof w, "%s[%d]", where, i);
			same &= vc_value(c, pdf_array_get(ctx, o, i), pdf_array_get(ctx, n, i), w,
					 depth + 1);
		}
		return same;
	}
	if (pdf_is_dict(ctx, o) || pdf_is_dict(ctx, n) || pdf_is_array(ctx, o) ||
	    pdf_is_array(ctx, n) || pdf_objcmp(ctx, o, n) != 0)
		return differ(c, where, "changed");
	return 1;
}

/* same_location - object num is the same bytes in both documents (not redefined later). */
static int
same_location(struct vcmp *c, int num, int depth)
{
	fz_context *ctx = c->ctx;
	pdf_xref_entry *a, *b;

	if (num <= 0 || num >= pdf_xref_len(ctx, c->od) || num >= pdf_xref_len(ctx, c->nd) ||
	    depth > 1)
		return 0;
	a = pdf_get_xref_entry(ctx, c->od, num);
	b = pdf_get_xref_entry(ctx, c->nd, num);
	if (a == NULL || b == NULL || a->type != b->type || a->ofs != b->ofs || a->gen != b->gen)
		return 0;
	if (a->type == 'n')
		return 1;
	/* in an object stream: the same stream, itself not redefined */
	return a->type == 'o' && a->ofs > 0 && a->ofs != num && a->ofs < INT32_MAX &&
	       same_location(c, (int)a->ofs, depth + 1);
}

/* stream_same - the raw (still encoded) stream data of both objects. */
static int
stream_same(struct vcmp *c, int onum, int nnum)
{
	fz_context *ctx = c->ctx;
	fz_buffer *a = NULL, *b = NULL;
	unsigned char *pa, *pb;
	size_t la, lb;
	int same = 0;

	if (onum == nnum && same_location(c, onum, 0))
		return 1;
	fz_var(a);
	fz_var(b);
	fz_var(same);
	fz_try(ctx) {
		a = pdf_load_raw_stream_number(ctx, c->od, onum);
		b = pdf_load_raw_stream_number(ctx, c->nd, nnum);
		la = fz_buffer_storage(ctx, a, &pa);
		lb = fz_buffer_storage(ctx, b, &pb);
		same = la == lb && (la == 0 || memcmp(pa, pb, la) == 0);
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, a);
		fz_drop_buffer(ctx, b);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return same;
}

/* cmp_pair - one queued pair, the way its kind says. */
static void
cmp_pair(struct vcmp *c, const struct vc_pending *pd)
{
	fz_context *ctx = c->ctx;
	pdf_obj *o = vc_load(ctx, c->od, pd->onum), *n = NULL;
	char w[VC_WHERE + 16];

	fz_var(n);
	fz_try(ctx) {
		n = vc_load(ctx, c->nd, pd->nnum);
		snprintf(w, sizeof w, "%s (object %d)", pd->where, pd->nnum);
		if (pd->kind == K_ACROFORM) {
			if (!pdf_is_dict(ctx, n))
				differ(c, w, "was removed (the form and its signatures)");
			else
				vc_keys(c, pdf_is_dict(ctx, o) ? o : NULL, n, pd->where, 1,
					vc_acroform_key);
		} else if (pd->kind != K_OBJ) {
			char where[VC_WHERE + 8];

			/* /Fields carries its path; the others carry the label of their owner */
			snprintf(where, sizeof where, "%s%s", pd->where,
				 pd->kind == K_FIELDS ? "" : pd->kind == K_ANNOTS ? "/Annots" : "/Kids");
			vc_list(c, o, n, pd->kind, where, pd->kind == K_FIELDS ? "the form"
				: pd->where);
		} else if (vc_null(ctx, o) || vc_null(ctx, n)) {
			if (!(vc_null(ctx, o) && vc_null(ctx, n)))
				differ(c, w, vc_null(ctx, o) ? "appeared" : "disappeared");
		} else if (pdf_obj_num_is_stream(ctx, c->od, pd->onum) !=
			   pdf_obj_num_is_stream(ctx, c->nd, pd->nnum)) {
			differ(c, w, "changed kind");
		} else {
			int stm = pdf_obj_num_is_stream(ctx, c->od, pd->onum);

			if (stm && !stream_same(c, pd->onum, pd->nnum))
				differ(c, w, "stream data changed");
			if (pdf_is_dict(ctx, o) && pdf_is_dict(ctx, n))
				cmp_dict(c, o, n, pd->where, 1, pd->nnum, stm);
			else
				vc_value(c, o, n, pd->where, 1);
		}
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, o);
		pdf_drop_obj(ctx, n);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* docmdp_p - /P of a signature dictionary's DocMDP reference, 0 when it has none. */
static int
docmdp_p(fz_context *ctx, pdf_obj *sig)
{
	pdf_obj *ref = pdf_dict_get(ctx, sig, PDF_NAME(Reference));
	int i;

	for (i = 0; i < pdf_array_len(ctx, ref); i++) {
		pdf_obj *r = pdf_array_get(ctx, ref, i);

		if (pdf_name_eq(ctx, pdf_dict_get(ctx, r, PDF_NAME(TransformMethod)), PDF_NAME(DocMDP)))
			return pdf_dict_getp(ctx, r, "TransformParams/P")
				? pdf_to_int(ctx, pdf_dict_getp(ctx, r, "TransformParams/P")) : 2;
	}
	return 0;
}

/*
 * sig_policy - /Lock of the signature field, and the DocMDP level in force:
 * the signature's own, else the certification's (catalog /Perms /DocMDP).
 */
static void
sig_policy(struct vcmp *c, int fieldnum, int signum)
{
	fz_context *ctx = c->ctx;
	pdf_obj *field = vc_load(ctx, c->od, fieldnum), *sig = NULL;

	fz_try(ctx) {
		if (field)
			c->locked = pdf_find_locked_fields_for_sig(ctx, c->od, field);
		sig = vc_load(ctx, c->od, signum);
		c->docmdp = docmdp_p(ctx, sig);
		if (c->docmdp == 0)
			c->docmdp = docmdp_p(ctx, pdf_dict_getp(ctx, pdf_trailer(ctx, c->od),
								 "Root/Perms/DocMDP"));
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, field);
		pdf_drop_obj(ctx, sig);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* compare_docs - the whole comparison from the catalogs (throws). */
static void
compare_docs(struct vcmp *c, int fieldnum, int signum)
{
	fz_context *ctx = c->ctx;
	pdf_obj *oroot = pdf_dict_get(ctx, pdf_trailer(ctx, c->od), PDF_NAME(Root));
	pdf_obj *nroot = pdf_dict_get(ctx, pdf_trailer(ctx, c->nd), PDF_NAME(Root));

	sig_policy(c, fieldnum, signum);
	vc_set_add(ctx, &c->seen, pair_key(pdf_to_num(ctx, oroot), pdf_to_num(ctx, nroot), K_OBJ));
	if (!pdf_is_dict(ctx, oroot) || !pdf_is_dict(ctx, nroot))
		differ(c, "the catalog", "cannot be read");
	else
		vc_keys(c, pdf_resolve_indirect_chain(ctx, oroot),
			pdf_resolve_indirect_chain(ctx, nroot), "catalog", 1, catalog_rule_key);
	while (c->qhead < c->qn) {
		struct vc_pending pd = c->q[c->qhead++];

		if (c->qdone + c->qhead > MAX_PAIRS)
			fz_throw(ctx, FZ_ERROR_GENERIC, "more than %d objects to compare", MAX_PAIRS);
		cmp_pair(c, &pd);
	}
}

void
verify_mods(fz_context *ctx, pdf_document *whole, const unsigned char *p, size_t len,
	    int fieldnum, int signum, struct verify_sig *s)
{
	struct vcmp c;
	char why[160];
	int undecided = 0;

	if (s->coverage == VC_INVALID || verify_only_ws(p, s->end, len)) {
		s->mods = VM_NONE;
		SETF(s->mods_why, "%s", s->coverage == VC_INVALID ? "not checked (the byte range is "
		     "invalid)" : "no later revision");
		return;
	}
	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.nd = whole;
	c.s = s;
	fz_var(undecided);
	/* an xref that lies is tampering whatever the objects say (and MuPDF would repair it) */
	if (verify_xref_lies(ctx, p, len, s->end, why, sizeof why))
		record(&c, 0, why);
	fz_try(ctx) {
		c.od = verify_open_prefix(ctx, p, s->end);
		compare_docs(&c, fieldnum, signum);
	}
	fz_always(ctx) {
		pdf_drop_locked_fields(ctx, c.locked);
		pdf_drop_document(ctx, c.od);
	}
	fz_catch(ctx) {
		undecided = 1;
		SETF(s->mods_why, "the revisions cannot be compared: %s", fz_caught_message(ctx));
	}
	if (c.disallowed)
		SETF(s->mods_why, "%d disallowed change(s) in the %zu later bytes, first: %s",
		     c.disallowed, len - s->end, c.first);
	else if (!undecided)
		SETF(s->mods_why, "%zu later bytes: %d allowed change(s)", len - s->end, c.allowed);
	s->mods = c.disallowed ? VM_DISALLOWED : undecided ? VM_UNDECIDED : VM_ALLOWED;
	free(c.seen.v);
	free(c.form.v);
	free(c.page_nodes.v);
	free(c.q);
	free(c.pages);
}
