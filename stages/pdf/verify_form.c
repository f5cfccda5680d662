/*
 * verify_form.c - what the form may do after a signature (verify_cmp.h; the
 * README's "What may change after a signature"): a field's value may be
 * filled in, its appearance following it; an empty signature field may be
 * signed, gaining widgets and an appearance of its own; new signature
 * fields may appear, their widgets on the pages; annotations other than
 * widgets only under DocMDP P=3.  Anything else a field or widget changes
 * is compared like any object: what a signed page shows stays as signed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "verify_cmp.h"

/* Annotation flags (/F) and field flags (/Ff) that matter here. */
#define F_HIDDEN 2
#define F_NOVIEW 32
#define F_QUIET (64 | 128 | 512)	/* ReadOnly, Locked, LockedContents: no change to what shows */
#define FF_READONLY 1

/* inherited - key of d or of its nearest /Parent that has it (bounded: no cycles). */
static pdf_obj *
inherited(fz_context *ctx, pdf_obj *d, pdf_obj *key)
{
	int depth;

	for (depth = 0; depth < VC_DEPTH && pdf_is_dict(ctx, d); depth++) {
		pdf_obj *v = pdf_dict_get(ctx, d, key);

		if (v)
			return v;
		d = pdf_dict_get(ctx, d, PDF_NAME(Parent));
	}
	return NULL;
}

/* vc_field_like - a form field or a widget (terminal, or a named node with kids). */
int
vc_field_like(fz_context *ctx, pdf_obj *d)
{
	return pdf_dict_get(ctx, d, PDF_NAME(FT)) != NULL ||
	       pdf_name_eq(ctx, pdf_dict_get(ctx, d, PDF_NAME(Subtype)), PDF_NAME(Widget)) ||
	       (pdf_dict_get(ctx, d, PDF_NAME(T)) && pdf_dict_get(ctx, d, PDF_NAME(Kids)));
}

/* is_sig_field - a field or widget whose (inherited) type is /Sig. */
static int
is_sig_field(fz_context *ctx, pdf_obj *d)
{
	return pdf_name_eq(ctx, inherited(ctx, d, PDF_NAME(FT)), PDF_NAME(Sig));
}

/* signed_value - v is a filled-in signature dictionary. */
static int
signed_value(fz_context *ctx, pdf_obj *v)
{
	return pdf_is_dict(ctx, v) && pdf_is_string(ctx, pdf_dict_get(ctx, v, PDF_NAME(Contents))) &&
	       pdf_is_array(ctx, pdf_dict_get(ctx, v, PDF_NAME(ByteRange)));
}

/* field_name - the fully qualified name of a field or widget ("?" when it has none). */
static void
field_name(fz_context *ctx, pdf_obj *d, char *out, size_t cap)
{
	const char *part[16];
	size_t len = 0;
	int n = 0, depth;

	for (depth = 0; depth < VC_DEPTH && pdf_is_dict(ctx, d); depth++) {
		pdf_obj *t = pdf_dict_get(ctx, d, PDF_NAME(T));

		if (pdf_is_string(ctx, t) && n < 16)
			part[n++] = pdf_to_text_string(ctx, t);
		d = pdf_dict_get(ctx, d, PDF_NAME(Parent));
	}
	out[0] = 0;
	while (n-- > 0 && len + 1 < cap) {
		snprintf(out + len, cap - len, "%s%s", len ? "." : "", part[n]);
		len = strlen(out);
	}
	if (!out[0])
		snprintf(out, cap, "?");
}

/* paints - a widget that draws something: a normal appearance, a box, not hidden. */
static int
paints(fz_context *ctx, pdf_obj *w)
{
	fz_rect r = pdf_dict_get_rect(ctx, w, PDF_NAME(Rect));
	int f = pdf_dict_get_int(ctx, w, PDF_NAME(F));

	return pdf_dict_getp(ctx, w, "AP/N") != NULL && !(f & (F_HIDDEN | F_NOVIEW)) &&
	       r.x1 != r.x0 && r.y1 != r.y0;
}

/* doc_timestamp - an invisible field whose value is a /DocTimeStamp (allowed at any level). */
static int
doc_timestamp(fz_context *ctx, pdf_obj *f)
{
	return !strcmp(pdf_to_name(ctx, pdf_dict_get(ctx, inherited(ctx, f, PDF_NAME(V)),
						     PDF_NAME(Type))), "DocTimeStamp") && !paints(ctx, f);
}

/* top_field - the field a widget belongs to: the nearest dictionary with /T, else itself. */
static pdf_obj *
top_field(fz_context *ctx, pdf_obj *w)
{
	pdf_obj *d = w;
	int depth;

	for (depth = 0; depth < VC_DEPTH && pdf_is_dict(ctx, d); depth++) {
		if (pdf_dict_get(ctx, d, PDF_NAME(T)))
			return d;
		d = pdf_dict_get(ctx, d, PDF_NAME(Parent));
	}
	return w;
}

/* in_form - whether the widget's field (top of its /Parent chain) is in the new /Fields. */
static int
in_form(struct vcmp *c, pdf_obj *w)
{
	fz_context *ctx = c->ctx;
	int depth, i;

	if (!c->form_listed) {
		pdf_obj *fields = pdf_dict_getp(ctx, pdf_trailer(ctx, c->nd), "Root/AcroForm/Fields");

		c->form_listed = 1;
		for (i = 0; i < pdf_array_len(ctx, fields); i++)
			if (pdf_is_indirect(ctx, pdf_array_get(ctx, fields, i)))
				vc_set_add(ctx, &c->form,
					   (uint64_t)pdf_to_num(ctx, pdf_array_get(ctx, fields, i)));
	}
	for (depth = 0; depth < VC_DEPTH && pdf_dict_get(ctx, w, PDF_NAME(Parent)); depth++)
		w = pdf_dict_get(ctx, w, PDF_NAME(Parent));
	return pdf_is_indirect(ctx, w) && vc_set_has(&c->form, (uint64_t)pdf_to_num(ctx, w));
}

/* signed_before - the field (object num) was a signed signature field in the signed revision. */
static int
signed_before(struct vcmp *c, pdf_obj *field)
{
	pdf_obj *o;
	int yes;

	if (!pdf_is_indirect(c->ctx, field))
		return 0;
	o = vc_load(c->ctx, c->od, pdf_to_num(c->ctx, field));
	yes = is_sig_field(c->ctx, o) && signed_value(c->ctx, inherited(c->ctx, o, PDF_NAME(V)));
	pdf_drop_obj(c->ctx, o);
	return yes;
}

/*
 * new_annot - an annotation the old page did not have.  A widget may appear
 * for a signature field of the form that is signed now and was not before,
 * or for an empty one when it draws nothing; any other annotation only
 * under DocMDP P=3.
 */
static void
new_annot(struct vcmp *c, pdf_obj *a, const char *label)
{
	fz_context *ctx = c->ctx;
	pdf_obj *sub = pdf_dict_get(ctx, a, PDF_NAME(Subtype)), *f;
	char name[72];

	if (!pdf_name_eq(ctx, sub, PDF_NAME(Widget))) {
		if (c->docmdp == 3)
			vc_allow(c, L_ANNOT, "new %s annotation on %s (DocMDP P=3)",
				 pdf_to_name(ctx, sub), label);
		else
			vc_deny(c, "new %s annotation on %s", pdf_to_name(ctx, sub), label);
		return;
	}
	f = top_field(ctx, a);
	field_name(ctx, f, name, sizeof name);
	if (!in_form(c, a))
		vc_deny(c, "new widget on %s outside the form (it can draw anything)", label);
	else if (!is_sig_field(ctx, a))
		vc_deny(c, "new widget of form field \"%.60s\" on %s", name, label);
	else if (signed_before(c, f))
		vc_deny(c, "new widget on %s of signature field \"%.50s\", signed before", label, name);
	else if (signed_value(ctx, inherited(ctx, a, PDF_NAME(V))))
		vc_allow(c, doc_timestamp(ctx, a) ? L_ALWAYS : L_FILL,
			 "new signature widget on %s (field \"%.60s\")", label, name);
	else if (paints(ctx, a))
		vc_deny(c, "new widget on %s of the empty signature field \"%.50s\" draws over the page",
			label, name);
	else
		vc_allow(c, L_FILL, "new signature widget on %s (field \"%.60s\", empty, draws nothing)",
			 label, name);
}

/* new_field - a field the old form did not have: only signature fields may appear. */
static void
new_field(struct vcmp *c, pdf_obj *f, const char *label)
{
	fz_context *ctx = c->ctx;
	char name[72];

	field_name(ctx, f, name, sizeof name);
	if (is_sig_field(ctx, f) && signed_value(ctx, inherited(ctx, f, PDF_NAME(V))))
		vc_allow(c, doc_timestamp(ctx, f) ? L_ALWAYS : L_FILL, "new signature field \"%.60s\"",
			 name);
	else if (is_sig_field(ctx, f))
		vc_allow(c, L_FILL, "new empty signature field \"%.60s\"", name);
	else
		vc_deny(c, "new form field \"%.60s\" (%s) in %s", name,
			pdf_to_name(ctx, inherited(ctx, f, PDF_NAME(FT))), label);
}

/* new_kid - a widget added to a field's /Kids, judged by what the field does. */
static void
new_kid(struct vcmp *c, pdf_obj *k, enum vc_kind kind, const char *label)
{
	fz_context *ctx = c->ctx;
	int widget = pdf_name_eq(ctx, pdf_dict_get(ctx, k, PDF_NAME(Subtype)), PDF_NAME(Widget));

	if (kind == K_KIDS_SIGNING && widget)
		vc_allow(c, L_FILL, "%s: a new widget of the signature signed here", label);
	else if (kind == K_KIDS_EMPTY && widget && !paints(ctx, k))
		vc_allow(c, L_FILL, "%s: a new widget that draws nothing", label);
	else if (kind == K_KIDS_EMPTY && widget)
		vc_deny(c, "%s: a new widget draws over the page while the field stays empty", label);
	else
		vc_deny(c, "%s gained a %s", label, widget ? "widget" : "child field");
}

/* annot_free - under DocMDP P=3, a non-widget annotation may change or go. */
static int
annot_free(struct vcmp *c, pdf_obj *a)
{
	return c->docmdp == 3 && pdf_is_dict(c->ctx, a) &&
	       !pdf_name_eq(c->ctx, pdf_dict_get(c->ctx, a, PDF_NAME(Subtype)), PDF_NAME(Widget));
}

/* num_set - the object numbers an array refers to. */
static void
num_set(fz_context *ctx, pdf_obj *arr, struct vc_set *s)
{
	int i, n = pdf_array_len(ctx, arr);

	for (i = 0; i < n; i++)
		if (pdf_is_indirect(ctx, pdf_array_get(ctx, arr, i)))
			vc_set_add(ctx, s, (uint64_t)pdf_to_num(ctx, pdf_array_get(ctx, arr, i)));
}

/* list_entries - vc_list's work, with the number sets it fills (freed by the caller). */
static void
list_entries(struct vcmp *c, pdf_obj *oa, pdf_obj *na, enum vc_kind kind, const char *where,
	     const char *label, struct vc_set *os, struct vc_set *ns)
{
	fz_context *ctx = c->ctx;
	char w[VC_WHERE], name[72];
	int i;

	oa = pdf_resolve_indirect_chain(ctx, oa);
	na = pdf_resolve_indirect_chain(ctx, na);
	if ((!vc_null(ctx, oa) && !pdf_is_array(ctx, oa)) ||
	    (!vc_null(ctx, na) && !pdf_is_array(ctx, na))) {
		vc_value(c, oa, na, where, 1);
		return;
	}
	num_set(ctx, oa, os);
	num_set(ctx, na, ns);
	for (i = 0; i < pdf_array_len(ctx, oa); i++) {
		pdf_obj *e = pdf_array_get(ctx, oa, i);

		snprintf(w, sizeof w, "%s[%d]", where, i);
		if (!pdf_is_indirect(ctx, e)) {
			vc_value(c, e, pdf_array_get(ctx, na, i), w, 1);
		} else if (!vc_set_has(ns, (uint64_t)pdf_to_num(ctx, e))) {
			if (annot_free(c, e) && kind == K_ANNOTS) {
				vc_allow(c, L_ANNOT, "%s annotation removed from %s (DocMDP P=3)",
					 pdf_to_name(ctx, pdf_dict_get(ctx, e, PDF_NAME(Subtype))), label);
			} else if (kind == K_FIELDS) {
				field_name(ctx, e, name, sizeof name);
				vc_deny(c, "form field \"%.60s\" was removed from the form", name);
			} else {
				vc_deny(c, "%s (object %d) was removed", w, pdf_to_num(ctx, e));
			}
		} else if (!(kind == K_ANNOTS && annot_free(c, e))) {
			vc_enqueue(c, pdf_to_num(ctx, e), pdf_to_num(ctx, e), K_OBJ, w);
		}
	}
	for (i = 0; i < pdf_array_len(ctx, na); i++) {
		pdf_obj *e = pdf_array_get(ctx, na, i);

		if (pdf_is_indirect(ctx, e) ? vc_set_has(os, (uint64_t)pdf_to_num(ctx, e))
					    : i < pdf_array_len(ctx, oa))
			continue;
		if (kind == K_ANNOTS)
			new_annot(c, e, label);
		else if (kind == K_FIELDS)
			new_field(c, e, label);
		else
			new_kid(c, e, kind, label);
	}
}

/*
 * vc_list - an /Annots, /Fields or /Kids array: every old entry still there
 * (and compared by what it is), new entries judged by the kind of list.
 */
void
vc_list(struct vcmp *c, pdf_obj *oa, pdf_obj *na, enum vc_kind kind, const char *where,
	const char *label)
{
	fz_context *ctx = c->ctx;
	struct vc_set os = { NULL, 0, 0 }, ns = { NULL, 0, 0 };

	fz_try(ctx)
		list_entries(c, oa, na, kind, where, label, &os, &ns);
	fz_always(ctx) {
		free(os.v);
		free(ns.v);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* list_key - a list under key: indirect on both sides, queued; else compared now. */
static void
list_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, enum vc_kind kind,
	 const char *where, const char *label)
{
	fz_context *ctx = c->ctx;
	pdf_obj *ov = pdf_dict_get(ctx, o, key), *nv = pdf_dict_get(ctx, n, key);
	char w[VC_WHERE];

	vc_child(w, where, pdf_to_name(ctx, key));
	if (pdf_is_indirect(ctx, ov) && pdf_is_indirect(ctx, nv)) {
		/* the label travels in where: "page 2/Annots" names its page */
		vc_enqueue(c, pdf_to_num(ctx, ov), pdf_to_num(ctx, nv), kind, kind == K_FIELDS ? w : label);
		return;
	}
	vc_list(c, ov, nv, kind, w, label);
}

/* vc_page_key - /Annots of a page by the list rule; the rest compared. */
int
vc_page_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	if (!pdf_name_eq(c->ctx, key, PDF_NAME(Annots)))
		return 0;
	list_key(c, o, n, key, K_ANNOTS, where, where);
	return 1;
}

/* flags_key - /F or /Ff: only the bits that do not change what shows may change. */
static void
flags_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key)
{
	fz_context *ctx = c->ctx;
	struct vc_fieldctx *f = c->fld;
	int of = pdf_dict_get_int(ctx, o, key), nf = pdf_dict_get_int(ctx, n, key);
	int ff = pdf_name_eq(ctx, key, PDF_NAME(Ff));
	int quiet = ff ? FF_READONLY : F_QUIET;

	if (of == nf)
		return;
	if (!ff && f->signing)
		vc_allow(c, L_FILL, "form field \"%.60s\": /F %d -> %d, set by signing it", f->name, of,
			 nf);
	else if (((of ^ nf) & ~quiet) == 0)
		vc_allow(c, L_FILL, "form field \"%.60s\": /%s %d -> %d (read-only or locked)", f->name,
			 ff ? "Ff" : "F", of, nf);
	else
		vc_deny(c, "form field \"%.60s\": /%s changed from %d to %d (%s)", f->name,
			ff ? "Ff" : "F", of, nf, ff ? "how the field is drawn or kept"
			: "whether and how the widget shows");
}

/* value_key - /V of a field: filled in (not when locked), an empty signature signed. */
static void
value_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, const char *where)
{
	fz_context *ctx = c->ctx;
	struct vc_fieldctx *f = c->fld;
	pdf_obj *ov = pdf_dict_get(ctx, o, PDF_NAME(V)), *nv = pdf_dict_get(ctx, n, PDF_NAME(V));
	char w[VC_WHERE];

	if (f->sig) {
		if (!vc_null(ctx, ov))
			vc_value(c, ov, nv, vc_child(w, where, "V"), 1);	/* a signature stays */
		else if (signed_value(ctx, pdf_resolve_indirect_chain(ctx, nv)))
			vc_allow(c, doc_timestamp(ctx, n) ? L_ALWAYS : L_FILL,
				 "signature field \"%.60s\" signed", f->name);
		else if (!vc_null(ctx, nv))
			vc_deny(c, "signature field \"%.60s\" holds a value that is not a signature",
				f->name);
		return;
	}
	if (!vc_changed(ctx, ov, nv))
		return;
	if (c->locked && pdf_is_field_locked(ctx, c->locked, f->name))
		vc_deny(c, "form field \"%.60s\" is locked by the signature but its value changed",
			f->name);
	else
		vc_allow(c, L_FILL, "form field \"%.60s\" filled in", f->name);
}

/*
 * field_rule_key - a field or widget: /V by value_key; its appearance
 * (/AP, /AS, /MK, /DA, /Q) may change with its value, or when it is signed,
 * and is compared like everything else otherwise; /F and /Ff only in quiet
 * bits; /Kids may gain widgets only for the signature signed here.
 */
static int
field_rule_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	fz_context *ctx = c->ctx;
	struct vc_fieldctx *f = c->fld;

	if (pdf_name_eq(ctx, key, PDF_NAME(V))) {
		value_key(c, o, n, where);
		return 1;
	}
	if (pdf_name_eq(ctx, key, PDF_NAME(AP)) || pdf_name_eq(ctx, key, PDF_NAME(AS)) ||
	    pdf_name_eq(ctx, key, PDF_NAME(MK)) || pdf_name_eq(ctx, key, PDF_NAME(DA)) ||
	    pdf_name_eq(ctx, key, PDF_NAME(Q)))
		return f->signing || f->refill;	/* else compared: what shows did not follow a value */
	if (pdf_name_eq(ctx, key, PDF_NAME(F)) || pdf_name_eq(ctx, key, PDF_NAME(Ff))) {
		flags_key(c, o, n, key);
		return 1;
	}
	if (pdf_name_eq(ctx, key, PDF_NAME(Kids))) {
		char label[VC_WHERE];

		snprintf(label, sizeof label, "form field \"%.60s\"", f->name);
		list_key(c, o, n, key, f->signing ? K_KIDS_SIGNING
			 : f->sig && vc_null(ctx, inherited(ctx, n, PDF_NAME(V))) ? K_KIDS_EMPTY : K_KIDS,
			 where, label);
		return 1;
	}
	/* /Type /Annot may be added to a widget that lacked it */
	return pdf_name_eq(ctx, key, PDF_NAME(Type)) && pdf_dict_get(ctx, o, key) == NULL &&
	       pdf_name_eq(ctx, pdf_dict_get(ctx, n, key), PDF_NAME(Annot));
}

/* vc_field - a field or widget, with what it does in this range as context. */
int
vc_field(struct vcmp *c, pdf_obj *o, pdf_obj *n, int depth)
{
	fz_context *ctx = c->ctx;
	struct vc_fieldctx f, *saved = c->fld;
	pdf_obj *ov = inherited(ctx, o, PDF_NAME(V)), *nv = inherited(ctx, n, PDF_NAME(V));
	char where[VC_WHERE];
	int same = 0;

	fz_var(same);
	memset(&f, 0, sizeof f);
	field_name(ctx, o, f.name, sizeof f.name);
	f.sig = is_sig_field(ctx, o);
	f.signing = f.sig && vc_null(ctx, ov) && signed_value(ctx, pdf_resolve_indirect_chain(ctx, nv));
	f.refill = !f.sig && vc_changed(ctx, ov, nv);
	snprintf(where, sizeof where, "form field \"%.60s\"", f.name);
	c->fld = &f;
	fz_try(ctx)
		same = vc_keys(c, o, n, where, depth, field_rule_key);
	fz_always(ctx)
		c->fld = saved;
	fz_catch(ctx)
		fz_rethrow(ctx);
	return same;
}

/* vc_acroform_key - /Fields by the list rule; /SigFlags, /DR, /DA, /Q may change. */
int
vc_acroform_key(struct vcmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		  int depth)
{
	fz_context *ctx = c->ctx;

	if (pdf_name_eq(ctx, key, PDF_NAME(SigFlags)) || pdf_name_eq(ctx, key, PDF_NAME(DR)) ||
	    pdf_name_eq(ctx, key, PDF_NAME(DA)) || pdf_name_eq(ctx, key, PDF_NAME(Q)))
		return 1;	/* how new appearances are made; existing ones are compared */
	if (!strcmp(pdf_to_name(ctx, key), "NeedAppearances")) {
		if (pdf_to_bool(ctx, pdf_dict_get(ctx, n, key)) &&
		    !pdf_to_bool(ctx, pdf_dict_get(ctx, o, key)))
			vc_deny(c, "the form's /NeedAppearances was set: viewers redraw every field from "
				"its value, not as signed");
		return 1;
	}
	if (!pdf_name_eq(ctx, key, PDF_NAME(Fields)))
		return 0;
	list_key(c, o, n, key, K_FIELDS, where, "the form");
	return 1;
}
