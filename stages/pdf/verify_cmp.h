/*
 * verify_cmp.h - what the two halves of the later-revision comparison share
 * (nothing else includes it): verify_diff.c is the engine (the queue of
 * object pairs and its memo, values, streams, the catalog, pages and the
 * verdict) and verify_form.c the form (fields, widgets, and the /Fields,
 * /Kids and /Annots lists that hold them).  The policy they apply is the
 * README's "What may change after a signature".
 */
#ifndef SERTEL_VERIFY_CMP_H
#define SERTEL_VERIFY_CMP_H

#include <stddef.h>
#include <stdint.h>

#include <mupdf/pdf.h>

#include "verify_types.h"

#define VC_DEPTH 64		/* nesting of direct objects, and of fields */
#define VC_WHERE 112		/* length of a "page 1/Annots[2]" label */

/* How a pair of objects is compared: by what it is, or by where it was met. */
enum vc_kind {
	K_OBJ,			/* by its type: page, field or widget, catalog, anything */
	K_ACROFORM,		/* the catalog's /AcroForm */
	K_FIELDS,		/* the form's /Fields */
	K_ANNOTS,		/* a page's /Annots */
	K_KIDS,			/* /Kids of a field that may not gain widgets */
	K_KIDS_EMPTY,		/* /Kids of an empty signature field: widgets that draw nothing */
	K_KIDS_SIGNING		/* /Kids of a signature field signed later: its widgets */
};

/* Levels of an allowed change: always, not after DocMDP P=1, only after P=3. */
enum vc_level { L_ALWAYS, L_FILL, L_ANNOT };

/* A set of 64-bit keys (object numbers, pairs), open addressing. */
struct vc_set {
	uint64_t *v;
	size_t cap, n;
};

/* A pair waiting to be compared, and where it was met (for the report). */
struct vc_pending {
	int onum, nnum;
	enum vc_kind kind;
	char where[VC_WHERE];
};

/* What the field being compared is doing in this range of revisions. */
struct vc_fieldctx {
	char name[72];		/* fully qualified, from the signed revision */
	int sig;		/* a signature field */
	int signing;		/* a signature field empty when signed, signed now */
	int refill;		/* its value changed (not a signature): appearances follow */
};

/* The comparison of the signed revision (od) with the whole file (nd). */
struct vcmp {
	fz_context *ctx;
	pdf_document *od, *nd;
	struct vc_set seen;	/* (old, new, kind) compared or queued */
	struct vc_pending *q;	/* waiting pairs: q[qhead] to q[qn - 1] */
	size_t qhead, qn, qcap, qdone;	/* qdone: compared and dropped from q */
	struct vc_set form;	/* top-level fields of the new form, by object number */
	int form_listed;
	int (*pages)[2];	/* (object number, page index) of nd's pages, by number */
	int npages, pages_listed;
	struct vc_set page_nodes;	/* page tree nodes met listing them */
	struct vc_fieldctx *fld;	/* the field whose keys are being compared */
	struct verify_sig *s;
	int allowed, disallowed;
	char first[160];	/* the first disallowed change, for mods_why */
	pdf_locked_fields *locked;	/* fields the signature's /Lock protects */
	int docmdp;		/* DocMDP /P in force: the signature's own or the certification's */
};

/*
 * A rule compares the keys of a dictionary it knows about itself; every
 * other key goes through vc_value.  It returns 1 when it took the key.
 */
typedef int (*vc_rule)(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		       int depth);

/* --- the engine (verify_diff.c) --- */

/* vc_set_add - 1 if key was new, 0 if present; throws when out of memory. */
int vc_set_add(fz_context *ctx, struct vc_set *s, uint64_t key);
/* vc_set_has - whether key is in s. */
int vc_set_has(const struct vc_set *s, uint64_t key);
/* vc_allow - a change the policy allows at level (under DocMDP P=1 only L_ALWAYS is). */
void vc_allow(struct vcmp *c, enum vc_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* vc_deny - a disallowed change. */
void vc_deny(struct vcmp *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* vc_enqueue - compare objects onum (old) and nnum (new) later, once per kind; throws. */
void vc_enqueue(struct vcmp *c, int onum, int nnum, enum vc_kind kind, const char *where);
/* vc_value - two values: indirect pairs queued, direct ones compared now; 0 if they differ. */
int vc_value(struct vcmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth);
/* vc_keys - every key of o and n (either may be NULL), through rule first. */
int vc_keys(struct vcmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth, vc_rule rule);
/* vc_child - "where/key" into buf (VC_WHERE bytes); returns buf. */
const char *vc_child(char *buf, const char *where, const char *key);
/* vc_load - object num of doc, NULL when missing or unreadable (out of memory throws). */
pdf_obj *vc_load(fz_context *ctx, pdf_document *doc, int num);
/* vc_null - a missing value or an explicit null. */
int vc_null(fz_context *ctx, pdf_obj *o);
/* vc_changed - two small values differ (indirect ones resolved; too large counts as changed). */
int vc_changed(fz_context *ctx, pdf_obj *a, pdf_obj *b);

/* --- the form (verify_form.c) --- */

/* vc_field_like - a form field or a widget. */
int vc_field_like(fz_context *ctx, pdf_obj *d);
/* vc_field - a field or widget of the signed revision against its new self. */
int vc_field(struct vcmp *c, pdf_obj *o, pdf_obj *n, int depth);
/* vc_list - an /Annots, /Fields or /Kids array (kind), new entries judged; label names its owner. */
void vc_list(struct vcmp *c, pdf_obj *oa, pdf_obj *na, enum vc_kind kind, const char *where,
	     const char *label);
/* vc_page_key - the rule for a page: /Annots by the list rule. */
int vc_page_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		int depth);
/* vc_acroform_key - the rule for the catalog's /AcroForm. */
int vc_acroform_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		    int depth);

#endif
