/*
 * verify_diff.c - what changed after a signature, and whether it was allowed
 * (see verify_diff.h).  The signed revision and the whole file are opened
 * as two MuPDF documents and compared object graph against object graph
 * from the catalog with a work queue: no deep recursion across indirect
 * objects, each pair of objects compared once.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "verify_bytes.h"
#include "verify_diff.h"
#include "verify_str.h"

#define MAX_PAIRS 4000000	/* object pairs compared per signature before giving up */
#define MAX_DEPTH 64		/* nesting of direct objects, and of fields */
#define WHERE 96		/* length of a "page 1/Annots[2]" label */

/* A set of (old, new) object number pairs, open addressing; 0 is the empty slot. */
struct pairset {
	uint64_t *v;
	size_t cap, n;
};

/* pairset_add - 1 if key was new, 0 if present; throws when out of memory. */
static int
pairset_add(fz_context *ctx, struct pairset *s, uint64_t key)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct pairset g = { NULL, s->cap ? 2 * s->cap : 1024, 0 };

		if ((g.v = calloc(g.cap, sizeof *g.v)) == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory comparing revisions");
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				pairset_add(ctx, &g, s->v[i]);
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

/* A pair waiting to be compared, and where it was met (for the report). */
struct pending {
	int onum, nnum;
	char where[WHERE];
};

/* The comparison of the signed revision (od) with the whole file (nd). */
struct cmp {
	fz_context *ctx;
	pdf_document *od, *nd;
	struct pairset seen;
	struct pending *q;
	size_t qhead, qn, qcap;
	int *pages;		/* object numbers of the pages of nd, for labels */
	int npages;
	struct verify_sig *s;
	int allowed, allowed_nondss, disallowed;
	pdf_locked_fields *locked;	/* fields the signature's /Lock protects */
	int docmdp;		/* /P of the signature's DocMDP, 0 none */
};

/* note - record a change, allowed or not (the first VERIFY_CHANGES are kept). */
static void __attribute__((format(printf, 3, 4)))
note(struct cmp *c, int ok, const char *fmt, ...)
{
	struct verify_sig *s = c->s;
	char msg[140];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ok)
		c->allowed++;
	else
		c->disallowed++;
	if (s->nchanges < VERIFY_CHANGES)
		SETF(s->changes[s->nchanges++], "%s: %s", ok ? "allowed" : "DISALLOWED", msg);
	else
		s->changes_dropped++;
}

/* differ - a disallowed change at where; returns 0 (not equal). */
static int
differ(struct cmp *c, const char *where, const char *what)
{
	note(c, 0, "%s %s", where, what);
	return 0;
}

/* enqueue - compare objects onum (old) and nnum (new) later, once. */
static void
enqueue(struct cmp *c, int onum, int nnum, const char *where)
{
	uint64_t key = (uint64_t)(uint32_t)onum << 32 | (uint32_t)nnum;

	if (onum <= 0 && nnum <= 0)
		return;
	if (!pairset_add(c->ctx, &c->seen, key ? key : 1))
		return;
	if (c->qn == c->qcap) {
		size_t cap = c->qcap ? 2 * c->qcap : 256;
		struct pending *v = realloc(c->q, cap * sizeof *v);

		if (v == NULL)
			fz_throw(c->ctx, FZ_ERROR_MEMORY, "out of memory comparing revisions");
		c->q = v;
		c->qcap = cap;
	}
	c->q[c->qn].onum = onum;
	c->q[c->qn].nnum = nnum;
	SETF(c->q[c->qn].where, "%s", where);
	c->qn++;
}

/* mark_seen - a pair compared directly by a rule is not compared again generically. */
static void
mark_seen(struct cmp *c, pdf_obj *o, pdf_obj *n)
{
	if (pdf_is_indirect(c->ctx, o) && pdf_is_indirect(c->ctx, n))
		pairset_add(c->ctx, &c->seen, (uint64_t)(uint32_t)pdf_to_num(c->ctx, o) << 32 |
						      (uint32_t)pdf_to_num(c->ctx, n));
}

/* is_null - a missing key and an explicit null are the same thing. */
static int
is_null(fz_context *ctx, pdf_obj *o)
{
	return o == NULL || pdf_is_null(ctx, o);
}

/* is_type - /Type is name. */
static int
is_type(fz_context *ctx, pdf_obj *d, pdf_obj *name)
{
	return pdf_name_eq(ctx, pdf_dict_get(ctx, d, PDF_NAME(Type)), name);
}

/* field_like - a form field or a widget (terminal, or a named node with kids). */
static int
field_like(fz_context *ctx, pdf_obj *d)
{
	return pdf_dict_get(ctx, d, PDF_NAME(FT)) != NULL ||
	       pdf_name_eq(ctx, pdf_dict_get(ctx, d, PDF_NAME(Subtype)), PDF_NAME(Widget)) ||
	       (pdf_dict_get(ctx, d, PDF_NAME(T)) && pdf_dict_get(ctx, d, PDF_NAME(Kids)));
}

/* is_sig_field - a field or widget whose (inherited) type is /Sig. */
static int
is_sig_field(fz_context *ctx, pdf_obj *d)
{
	return pdf_name_eq(ctx, pdf_dict_get_inheritable(ctx, d, PDF_NAME(FT)), PDF_NAME(Sig));
}

/* child - "where/Key" into buf. */
static const char *
child(char *buf, const char *where, const char *key)
{
	snprintf(buf, WHERE, "%s/%s", where, key);
	return buf;
}

static int cmp_value(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth);

/* cmp_key - compare one key of two dictionaries. */
static int
cmp_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	char w[WHERE];

	return cmp_value(c, pdf_dict_get(c->ctx, o, key), pdf_dict_get(c->ctx, n, key),
			 child(w, where, pdf_to_name(c->ctx, key)), depth);
}

/*
 * A rule compares the keys it knows about itself; every other key goes
 * through cmp_value.  rule_fn returns 1 when it took the key.
 */
typedef int (*rule_fn)(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		       int depth);

/* dict_keys - every key of o and n, through rule first. */
static int
dict_keys(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth, rule_fn rule)
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

/* page_label - "page N" for a page object of the new document. */
static void
page_label(struct cmp *c, int num, char *out)
{
	int i;

	for (i = 0; i < c->npages; i++)
		if (c->pages[i] == num) {
			snprintf(out, WHERE, "page %d", i + 1);
			return;
		}
	snprintf(out, WHERE, "page object %d", num);
}

/* find_num - index of indirect object num in arr, or -1. */
static int
find_num(fz_context *ctx, pdf_obj *arr, int num)
{
	int i, n = pdf_array_len(ctx, arr);

	for (i = 0; i < n; i++)
		if (pdf_is_indirect(ctx, pdf_array_get(ctx, arr, i)) &&
		    pdf_to_num(ctx, pdf_array_get(ctx, arr, i)) == num)
			return i;
	return -1;
}

/* signed_sig - a signature field whose (inherited) /V is a filled-in signature dictionary. */
static int
signed_sig(fz_context *ctx, pdf_obj *f)
{
	pdf_obj *v = pdf_dict_get_inheritable(ctx, f, PDF_NAME(V));

	return is_sig_field(ctx, f) && pdf_is_dict(ctx, v) &&
	       pdf_is_string(ctx, pdf_dict_get(ctx, v, PDF_NAME(Contents))) &&
	       pdf_is_array(ctx, pdf_dict_get(ctx, v, PDF_NAME(ByteRange)));
}

/* in_form - whether the widget's field (top of its /Parent chain) is in the new /Fields. */
static int
in_form(struct cmp *c, pdf_obj *w)
{
	fz_context *ctx = c->ctx;
	pdf_obj *fields = pdf_dict_getp(ctx, pdf_trailer(ctx, c->nd), "Root/AcroForm/Fields");
	int depth;

	for (depth = 0; depth < MAX_DEPTH && pdf_dict_get(ctx, w, PDF_NAME(Parent)); depth++)
		w = pdf_dict_get(ctx, w, PDF_NAME(Parent));
	return pdf_is_indirect(ctx, w) && find_num(ctx, fields, pdf_to_num(ctx, w)) >= 0;
}

/*
 * new_annot - an annotation the old page did not have.  Only the widget of a
 * new, signed signature field of the form may appear (that signature is then
 * verified on its own); a widget outside the form or of an empty field could
 * paint anything over the page.
 */
static void
new_annot(struct cmp *c, pdf_obj *a, const char *label)
{
	fz_context *ctx = c->ctx;
	pdf_obj *sub = pdf_dict_get(ctx, a, PDF_NAME(Subtype));

	if (pdf_name_eq(ctx, sub, PDF_NAME(Widget)) && signed_sig(ctx, a) && in_form(c, a)) {
		note(c, 1, "new signature widget on %s", label);
		c->allowed_nondss++;
	} else if (pdf_name_eq(ctx, sub, PDF_NAME(Widget)) && is_sig_field(ctx, a)) {
		note(c, 0, "new signature widget on %s that is not a signed field of the form",
		     label);
	} else if (c->docmdp == 3 && !pdf_name_eq(ctx, sub, PDF_NAME(Widget))) {
		note(c, 1, "new %s annotation on %s (DocMDP 3)", pdf_to_name(ctx, sub), label);
		c->allowed_nondss++;
	} else {
		note(c, 0, "new %s annotation on %s", pdf_to_name(ctx, sub), label);
	}
}

/*
 * list_rule - an /Annots or /Fields array: every old entry still there (and
 * compared), new entries judged by fresh().  Returns 1 if nothing disallowed.
 */
static int
list_rule(struct cmp *c, pdf_obj *oa, pdf_obj *na, const char *where,
	  void (*fresh)(struct cmp *, pdf_obj *, const char *), const char *label)
{
	fz_context *ctx = c->ctx;
	int i, same = 1, before = c->disallowed;
	char w[WHERE];

	mark_seen(c, oa, na);
	oa = pdf_resolve_indirect_chain(ctx, oa);
	na = pdf_resolve_indirect_chain(ctx, na);
	for (i = 0; i < pdf_array_len(ctx, oa); i++) {
		pdf_obj *e = pdf_array_get(ctx, oa, i);

		snprintf(w, sizeof w, "%s[%d]", where, i);
		if (!pdf_is_indirect(ctx, e))
			same &= cmp_value(c, e, pdf_array_get(ctx, na, i), w, 1);
		else if (find_num(ctx, na, pdf_to_num(ctx, e)) < 0)
			same &= differ(c, w, "was removed");
		else
			enqueue(c, pdf_to_num(ctx, e), pdf_to_num(ctx, e), w);
	}
	for (i = 0; i < pdf_array_len(ctx, na); i++) {
		pdf_obj *e = pdf_array_get(ctx, na, i);

		if (pdf_is_indirect(ctx, e) ? find_num(ctx, oa, pdf_to_num(ctx, e)) >= 0
					    : i < pdf_array_len(ctx, oa))
			continue;
		fresh(c, e, label);
	}
	return same && c->disallowed == before;
}

/* new_field - a field the old form did not have: only signature fields may appear. */
static void
new_field(struct cmp *c, pdf_obj *f, const char *label)
{
	fz_context *ctx = c->ctx;
	const char *name = pdf_dict_get_text_string(ctx, f, PDF_NAME(T));

	if (signed_sig(ctx, f)) {
		note(c, 1, "new signature field \"%.60s\"", name);
		c->allowed_nondss++;
	} else if (is_sig_field(ctx, f)) {
		note(c, 0, "new signature field \"%.60s\" without a signature", name);
	} else {
		note(c, 0, "new form field \"%.60s\" (%s) in %s", name,
		     pdf_to_name(ctx, pdf_dict_get_inheritable(ctx, f, PDF_NAME(FT))), label);
	}
}

/* page_rule_key - /Annots of a page may gain signature widgets. */
static int
page_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	char w[WHERE];

	if (!pdf_name_eq(c->ctx, key, PDF_NAME(Annots)))
		return 0;
	list_rule(c, pdf_dict_get(c->ctx, o, key), pdf_dict_get(c->ctx, n, key),
		  child(w, where, "Annots"), new_annot, where);
	return 1;
}

/* field_value - whether a field's /V differs (values are small: resolved, shallow). */
static int
field_value_changed(fz_context *ctx, pdf_obj *o, pdf_obj *n)
{
	if (is_null(ctx, o) || is_null(ctx, n))
		return !(is_null(ctx, o) && is_null(ctx, n));
	return pdf_objcmp_resolve(ctx, o, n) != 0;
}

/* field_rule_key - /V may change (not a signed signature's), /AP and /AS may; /Kids may not. */
static int
field_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	fz_context *ctx = c->ctx;
	pdf_obj *ov = pdf_dict_get(ctx, o, key), *nv = pdf_dict_get(ctx, n, key);
	char *name;

	if (pdf_name_eq(ctx, key, PDF_NAME(AP)) || pdf_name_eq(ctx, key, PDF_NAME(AS)))
		return 1;	/* appearances follow values; widgets are not page content */
	if (!pdf_name_eq(ctx, key, PDF_NAME(V)))
		return 0;
	if (is_sig_field(ctx, o)) {
		if (!is_null(ctx, ov))
			return 0;	/* a signed signature stays exactly as it was */
		if (!is_null(ctx, nv)) {
			note(c, 1, "%s: an empty signature field was signed", where);
			c->allowed_nondss++;
		}
		return 1;
	}
	if (!field_value_changed(ctx, ov, nv))
		return 1;
	name = pdf_field_name(ctx, o);
	if (c->locked && name && pdf_is_field_locked(ctx, c->locked, name))
		note(c, 0, "form field \"%.60s\" is locked by the signature but its value changed",
		     name);
	else {
		note(c, 1, "form field \"%.60s\" filled in", name ? name : "?");
		c->allowed_nondss++;
	}
	fz_free(ctx, name);
	return 1;
}

/* acroform_rule_key - /Fields may gain signature fields; /SigFlags and /DR may change. */
static int
acroform_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		  int depth)
{
	char w[WHERE];

	if (pdf_name_eq(c->ctx, key, PDF_NAME(SigFlags)) || pdf_name_eq(c->ctx, key, PDF_NAME(DR)))
		return 1;
	if (!pdf_name_eq(c->ctx, key, PDF_NAME(Fields)))
		return 0;
	list_rule(c, pdf_dict_get(c->ctx, o, key), pdf_dict_get(c->ctx, n, key),
		  child(w, where, "Fields"), new_field, "the form");
	return 1;
}

/*
 * catalog_rule_key - /AcroForm by its rule; /DSS and /Perms may change, and
 * /Extensions (long-term validation tools declare ESIC/ADBE there with /DSS).
 */
static int
catalog_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		 int depth)
{
	fz_context *ctx = c->ctx;
	pdf_obj *ov = pdf_dict_get(ctx, o, key), *nv = pdf_dict_get(ctx, n, key);
	pdf_obj *oa, *na;
	char w[WHERE];

	if (!strcmp(pdf_to_name(ctx, key), "DSS") || pdf_name_eq(ctx, key, PDF_NAME(Perms)) ||
	    !strcmp(pdf_to_name(ctx, key), "Extensions")) {
		if (pdf_to_num(ctx, ov) != pdf_to_num(ctx, nv) || is_null(ctx, ov) != is_null(ctx, nv))
			note(c, 1, "catalog /%s added or updated", pdf_to_name(ctx, key));
		return 1;
	}
	if (!pdf_name_eq(ctx, key, PDF_NAME(AcroForm)))
		return 0;
	mark_seen(c, ov, nv);
	oa = pdf_resolve_indirect_chain(ctx, ov);
	na = pdf_resolve_indirect_chain(ctx, nv);
	if (!pdf_is_dict(ctx, na))
		return is_null(ctx, oa) ? 1 : (differ(c, child(w, where, "AcroForm"), "was removed"), 1);
	dict_keys(c, pdf_is_dict(ctx, oa) ? oa : NULL, na, child(w, where, "AcroForm"), depth + 1,
		  acroform_rule_key);
	return 1;
}

/* cmp_dict - two dictionaries, by the rule their kind calls for. */
static int
cmp_dict(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth, int num)
{
	fz_context *ctx = c->ctx;
	char label[WHERE];

	if (is_type(ctx, o, PDF_NAME(Page)) || is_type(ctx, n, PDF_NAME(Page))) {
		if (num > 0)
			page_label(c, num, label);
		else
			snprintf(label, sizeof label, "%s", where);
		return dict_keys(c, o, n, label, depth, page_rule_key);
	}
	if (field_like(ctx, o) || field_like(ctx, n))
		return dict_keys(c, o, n, where, depth, field_rule_key);
	if (is_type(ctx, o, PDF_NAME(Catalog)) || is_type(ctx, n, PDF_NAME(Catalog)))
		return dict_keys(c, o, n, "catalog", depth, catalog_rule_key);
	return dict_keys(c, o, n, where, depth, NULL);
}

/* cmp_value - two values; indirect pairs are queued, direct ones compared now. */
static int
cmp_value(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth)
{
	fz_context *ctx = c->ctx;
	int i, same = 1;
	char w[WHERE];

	if (depth > MAX_DEPTH)
		return differ(c, where, "is nested too deeply to compare");
	if (pdf_is_indirect(ctx, o) && pdf_is_indirect(ctx, n)) {
		enqueue(c, pdf_to_num(ctx, o), pdf_to_num(ctx, n), where);
		return 1;
	}
	if (pdf_is_stream(ctx, o) || pdf_is_stream(ctx, n))
		return differ(c, where, "changed (a stream replaced by a direct object or back)");
	o = pdf_resolve_indirect_chain(ctx, o);
	n = pdf_resolve_indirect_chain(ctx, n);
	if (is_null(ctx, o) || is_null(ctx, n))
		return is_null(ctx, o) && is_null(ctx, n) ? 1
			: differ(c, where, is_null(ctx, o) ? "was added" : "was removed");
	if (pdf_is_dict(ctx, o) && pdf_is_dict(ctx, n))
		return cmp_dict(c, o, n, where, depth + 1, 0);
	if (pdf_is_array(ctx, o) && pdf_is_array(ctx, n)) {
		if (pdf_array_len(ctx, o) != pdf_array_len(ctx, n))
			return differ(c, where, "changed (array length)");
		for (i = 0; i < pdf_array_len(ctx, o); i++) {
			snprintf(w, sizeof w, "%s[%d]", where, i);
			same &= cmp_value(c, pdf_array_get(ctx, o, i), pdf_array_get(ctx, n, i), w,
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
same_location(struct cmp *c, int num)
{
	fz_context *ctx = c->ctx;
	pdf_xref_entry *a, *b;

	if (num <= 0 || num >= pdf_xref_len(ctx, c->od) || num >= pdf_xref_len(ctx, c->nd))
		return 0;
	a = pdf_get_xref_entry(ctx, c->od, num);
	b = pdf_get_xref_entry(ctx, c->nd, num);
	if (a == NULL || b == NULL || a->type != b->type || a->ofs != b->ofs || a->gen != b->gen)
		return 0;
	if (a->type == 'n')
		return 1;
	/* in an object stream: the same stream, itself not redefined */
	return a->type == 'o' && a->ofs > 0 && a->ofs != num && a->ofs < INT32_MAX &&
	       same_location(c, (int)a->ofs);
}

/* stream_same - the raw (still encoded) stream data of both objects. */
static int
stream_same(struct cmp *c, int onum, int nnum)
{
	fz_context *ctx = c->ctx;
	fz_buffer *a = NULL, *b = NULL;
	unsigned char *pa, *pb;
	size_t la, lb;
	int same = 0;

	if (onum == nnum && same_location(c, onum))
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

/* load_obj - an object or NULL when missing or unreadable (out of memory still throws). */
static pdf_obj *
load_obj(fz_context *ctx, pdf_document *doc, int num)
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

/* cmp_pair - one queued pair: stream data, then the values by their rules. */
static void
cmp_pair(struct cmp *c, const struct pending *pd)
{
	fz_context *ctx = c->ctx;
	pdf_obj *o = load_obj(ctx, c->od, pd->onum), *n = NULL;
	char w[WHERE + 16];

	fz_var(n);
	fz_try(ctx) {
		n = load_obj(ctx, c->nd, pd->nnum);
		snprintf(w, sizeof w, "%s (object %d)", pd->where, pd->nnum);
		if (is_null(ctx, o) || is_null(ctx, n)) {
			if (!(is_null(ctx, o) && is_null(ctx, n)))
				differ(c, w, is_null(ctx, o) ? "appeared" : "disappeared");
		} else if (pdf_obj_num_is_stream(ctx, c->od, pd->onum) !=
			   pdf_obj_num_is_stream(ctx, c->nd, pd->nnum)) {
			differ(c, w, "changed kind");
		} else {
			if (pdf_obj_num_is_stream(ctx, c->od, pd->onum) &&
			    !stream_same(c, pd->onum, pd->nnum))
				differ(c, w, "stream data changed");
			if (pdf_is_dict(ctx, o) && pdf_is_dict(ctx, n))
				cmp_dict(c, o, n, pd->where, 1, pd->nnum);
			else
				cmp_value(c, o, n, pd->where, 1);
		}
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, o);
		pdf_drop_obj(ctx, n);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* list_pages - object numbers of the new document's pages (labels only); throws. */
static void
list_pages(struct cmp *c)
{
	int i, n = pdf_count_pages(c->ctx, c->nd);

	c->pages = n > 0 ? calloc((size_t)n, sizeof *c->pages) : NULL;
	if (n > 0 && c->pages == NULL)
		fz_throw(c->ctx, FZ_ERROR_MEMORY, "out of memory listing pages");
	c->npages = n;
	for (i = 0; i < n; i++)
		c->pages[i] = pdf_to_num(c->ctx, pdf_lookup_page_obj(c->ctx, c->nd, i));
}

/* sig_policy - /Lock of the signature field and DocMDP /P of its dictionary (old document). */
static void
sig_policy(struct cmp *c, int fieldnum, int signum)
{
	fz_context *ctx = c->ctx;
	pdf_obj *field = load_obj(ctx, c->od, fieldnum), *sig = NULL, *ref;
	int i;

	fz_try(ctx) {
		if (field)
			c->locked = pdf_find_locked_fields_for_sig(ctx, c->od, field);
		sig = load_obj(ctx, c->od, signum);
		ref = pdf_dict_get(ctx, sig, PDF_NAME(Reference));
		for (i = 0; i < pdf_array_len(ctx, ref); i++) {
			pdf_obj *r = pdf_array_get(ctx, ref, i);

			if (pdf_name_eq(ctx, pdf_dict_get(ctx, r, PDF_NAME(TransformMethod)),
					PDF_NAME(DocMDP)))
				c->docmdp = pdf_dict_getp(ctx, r, "TransformParams/P")
					? pdf_to_int(ctx, pdf_dict_getp(ctx, r, "TransformParams/P")) : 2;
		}
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
compare_docs(struct cmp *c, int fieldnum, int signum)
{
	fz_context *ctx = c->ctx;
	pdf_obj *oroot = pdf_dict_get(ctx, pdf_trailer(ctx, c->od), PDF_NAME(Root));
	pdf_obj *nroot = pdf_dict_get(ctx, pdf_trailer(ctx, c->nd), PDF_NAME(Root));

	list_pages(c);
	sig_policy(c, fieldnum, signum);
	mark_seen(c, oroot, nroot);
	if (!pdf_is_dict(ctx, oroot) || !pdf_is_dict(ctx, nroot))
		differ(c, "the catalog", "cannot be read");
	else
		dict_keys(c, pdf_resolve_indirect_chain(ctx, oroot),
			  pdf_resolve_indirect_chain(ctx, nroot), "catalog", 1, catalog_rule_key);
	while (c->qhead < c->qn) {
		struct pending pd = c->q[c->qhead++];

		if (c->qhead > MAX_PAIRS)
			fz_throw(ctx, FZ_ERROR_GENERIC, "more than %d objects to compare", MAX_PAIRS);
		cmp_pair(c, &pd);
	}
	if (c->docmdp == 1 && c->allowed_nondss > 0)
		note(c, 0, "the signature certifies the document with no changes allowed "
		     "(DocMDP P=1)");
}

pdf_document *
verify_open_prefix(fz_context *ctx, const unsigned char *p, size_t end)
{
	fz_stream *stm = fz_open_memory(ctx, p, end);
	pdf_document *doc = NULL;

	fz_try(ctx)
		doc = pdf_open_document_with_stream(ctx, stm);
	fz_always(ctx)
		fz_drop_stream(ctx, stm);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return doc;
}

void
verify_mods(fz_context *ctx, pdf_document *whole, const unsigned char *p, size_t len,
	    int fieldnum, int signum, struct verify_sig *s)
{
	struct cmp c;

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
	fz_try(ctx) {
		c.od = verify_open_prefix(ctx, p, s->end);
		compare_docs(&c, fieldnum, signum);
	}
	fz_always(ctx) {
		pdf_drop_locked_fields(ctx, c.locked);
		pdf_drop_document(ctx, c.od);
	}
	fz_catch(ctx) {
		s->mods = VM_UNDECIDED;
		SETF(s->mods_why, "the revisions cannot be compared: %s", fz_caught_message(ctx));
	}
	if (s->mods != VM_UNDECIDED) {
		s->mods = c.disallowed ? VM_DISALLOWED : VM_ALLOWED;
		SETF(s->mods_why, "%zu later bytes: %d allowed and %d disallowed change(s)",
		     len - s->end, c.allowed, c.disallowed);
	}
	free(c.seen.v);
	free(c.q);
	free(c.pages);
}
