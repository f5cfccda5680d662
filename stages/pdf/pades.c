/*
 * pades.c - PAdES baseline B-B (B-T with a timestamp) signature written as
 * one incremental update (see pades.h; ISO 32000-1 7.5.6 and 12.8, ETSI EN
 * 319 142-1).
 *
 * Three phases, each its own error boundary:
 *   cms_prepare - the CMS skeleton (signer, chain, content-type, ESS
 *                 signing-certificate-v2) and its exact largest DER size,
 *                 which sizes the /Contents hole before anything is written;
 *   rev_build   - the new revision, built in memory.  MuPDF is only read:
 *                 every object is serialized here, so the output is under
 *                 our control and the original bytes are never re-parsed;
 *   cms_finish  - digest of the two byte ranges, signature over the signed
 *                 attributes, the optional RFC 3161 token over that
 *                 signature (unsigned attribute, B-T), DER hex into the hole.
 * The signed file is then one writev() of the untouched original and the
 * revision.
 *
 * Why not CMS_final(): OpenSSL's CMS_SignerInfo_sign() always adds a
 * signing-time attribute, which PAdES B-B forbids (the time is /M).  So the
 * messageDigest attribute is set here and the DER of the signed attributes
 * is signed here; everything else (SignerInfo, algorithms, ESS attribute,
 * certificates) is still OpenSSL's.
 *
 * The revision itself is written with revision.h.  A visible signature
 * (the visual mark) is rq->appearance's: it adds its objects to the same
 * revision and says where the widget goes, so the mark is covered by the
 * signature it shows.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "../../base/hex.h"
#include "encrypted.h"
#include "pades.h"
#include "pdfa.h"
#include "revision.h"
#include "walk.h"

#define BR_DIGITS 10		/* ByteRange numbers: files up to 9,999,999,999 bytes */
#define BR_SPAN (3 + 3 * (BR_DIGITS + 1) + 1)	/* "[0 " 3 x (digits + space) "]" */
#define HOLE_SLACK 32		/* DER bytes beyond the computed bound, defensive only */

/* The CMS being built for one signature. */
struct cms_job {
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	const EVP_MD *md;
	size_t max_der;		/* DER length with the longest possible signature */
	size_t token_len;	/* the timestamp token's DER length, 0 when none */
	int pss;		/* RSASSA-PSS */
	int deferred;		/* the timestamp callback deferred: B-B */
};

/* ---- the objects of the revision ------------------------------------- */

/* pdf_date - "D:YYYYMMDDHHmmSS+00'00'" in UTC. */
static void
pdf_date(time_t t, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "D:%Y%m%d%H%M%S+00'00'", &tm);
}

/* put_sig - the signature dictionary with a ByteRange placeholder and the hole. */
static void
put_sig(fz_context *ctx, struct rev *rv, const struct pades_request *rq, int num,
	size_t hole_bytes, const char *date, int mdp)
{
	rev_begin(ctx, rv, num, 0);
	rev_puts(ctx, rv, "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange");
	/* Fixed width, patched in cms_finish once every offset is known. */
	rv->br_off = rv->b.len;
	rev_printf(ctx, rv, "[0%*s]", BR_SPAN - 3, "");
	rev_puts(ctx, rv, "/Contents");
	rv->hole_off = rv->b.len;
	rv->hole_len = 2 * hole_bytes + 2;
	rev_reserve(ctx, rv, rv->hole_len);
	rv->b.p[rv->b.len] = '<';
	memset(rv->b.p + rv->b.len + 1, '0', 2 * hole_bytes);
	rv->b.p[rv->b.len + rv->hole_len - 1] = '>';
	rv->b.len += rv->hole_len;
	rev_puts(ctx, rv, "/M");
	rev_text(ctx, rv, date);	/* a string: encrypted when the document is */
	if (rq->name) {
		rev_puts(ctx, rv, "/Name");
		rev_text(ctx, rv, rq->name);
	}
	if (rq->reason) {
		rev_puts(ctx, rv, "/Reason");
		rev_text(ctx, rv, rq->reason);
	}
	if (rq->location) {
		rev_puts(ctx, rv, "/Location");
		rev_text(ctx, rv, rq->location);
	}
	rev_puts(ctx, rv, "/SertelID");
	rev_text(ctx, rv, rq->doc_id);
	/* a certification signature: the changes it permits (ISO 32000-1 12.8.2.2) */
	if (mdp)
		rev_printf(ctx, rv, "/Reference[<</Type/SigRef/TransformMethod/DocMDP"
			   "/TransformParams<</Type/TransformParams/P %d/V/1.2>>>>]", mdp);
	rev_puts(ctx, rv, ">>");
	rev_end(ctx, rv);
}

/* name_taken - whether a top-level field of the AcroForm is called name. */
static int
name_taken(fz_context *ctx, pdf_obj *fields, const char *name)
{
	int i, n = pdf_array_len(ctx, fields);

	for (i = 0; i < n; i++)
		if (!strcmp(pdf_dict_get_text_string(ctx, pdf_array_get(ctx, fields, i),
						     PDF_NAME(T)), name))
			return 1;
	return 0;
}

/* field_name - "sertel-<id>", suffixed until unique (a re-signed file keeps the old field). */
static void
field_name(fz_context *ctx, pdf_obj *root, const char *id, char *out, size_t cap)
{
	pdf_obj *fields = pdf_dict_getp(ctx, root, "AcroForm/Fields");
	char *p;
	int i;

	snprintf(out, cap, "sertel-%s", id);
	/* A period separates the parts of a fully qualified field name. */
	for (p = out; *p; p++)
		if (*p == '.')
			*p = '_';
	for (i = 2; name_taken(ctx, fields, out) && i < 1000; i++) {
		snprintf(out, cap, "sertel-%s-%d", id, i);
		for (p = out; *p; p++)
			if (*p == '.')
				*p = '_';
	}
}

/* put_field - the signature field, merged with its widget (parent 0: invisible, or w's
 * appearance), or one widget of the field parent. */
static void
put_field(fz_context *ctx, struct rev *rv, const char *name, int num, int sig, int parent,
	  pdf_obj *page, const struct pades_widget *w)
{
	rev_begin(ctx, rv, num, 0);
	rev_puts(ctx, rv, "<</Type/Annot/Subtype/Widget");
	if (parent) {
		/* /V on each widget too: poppler looks for it there, not in the parent */
		rev_printf(ctx, rv, "/Parent %d 0 R/V %d 0 R", parent, sig);
	} else {
		rev_puts(ctx, rv, "/FT/Sig/T");
		rev_text(ctx, rv, name);
		rev_printf(ctx, rv, "/V %d 0 R", sig);
	}
	/* F 132 = Print|Locked; a zero Rect needs no appearance (PDF/A too). */
	rev_puts(ctx, rv, "/F 132/P ");
	rev_ref(ctx, rv, page);
	if (w->ap)
		rev_printf(ctx, rv, "/Rect[%g %g %g %g]/AP<</N %d 0 R>>", w->rect.x0, w->rect.y0,
			   w->rect.x1, w->rect.y1, w->ap);
	else
		rev_puts(ctx, rv, "/Rect[0 0 0 0]");
	rev_puts(ctx, rv, ">>");
	rev_end(ctx, rv);
}

/* put_parent - the signature field whose n widgets are objects first.. */
static void
put_parent(fz_context *ctx, struct rev *rv, const char *name, int num, int sig, int first, int n)
{
	int i;

	rev_begin(ctx, rv, num, 0);
	rev_puts(ctx, rv, "<</FT/Sig/T");
	rev_text(ctx, rv, name);
	rev_printf(ctx, rv, "/V %d 0 R/Kids[", sig);
	for (i = 0; i < n; i++)
		rev_printf(ctx, rv, "%s%d 0 R", i ? " " : "", first + i);
	rev_puts(ctx, rv, "]>>");
	rev_end(ctx, rv);
}

/* A widget (index i of the plan) on page. */
struct at {
	int page, i;
};

/* cmp_at - page order, then the plan's order. */
static int
cmp_at(const void *a, const void *b)
{
	const struct at *x = a, *y = b;

	if (x->page != y->page)
		return x->page < y->page ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* put_annots - "[" arr's elements, then the k widgets first + run[j].i "]". */
static void
put_annots(fz_context *ctx, struct rev *rv, pdf_obj *arr, int first, const struct at *run, int k)
{
	int i, n = pdf_array_len(ctx, arr);

	rev_puts(ctx, rv, "[");
	for (i = 0; i < n; i++) {
		rev_emit(ctx, rv, pdf_array_get(ctx, arr, i));
		rev_puts(ctx, rv, " ");
	}
	for (i = 0; i < k; i++)
		rev_printf(ctx, rv, "%s%d 0 R", i ? " " : "", first + run[i].i);
	rev_puts(ctx, rv, "]");
}

/* put_page_annot - a page's k widgets into its /Annots (the array or the page rewritten). */
static void
put_page_annot(fz_context *ctx, struct rev *rv, pdf_obj *page, int first, const struct at *run,
	       int k)
{
	pdf_obj *skip[] = { PDF_NAME(Annots) };
	pdf_obj *annots = pdf_dict_get(ctx, page, PDF_NAME(Annots));

	if (pdf_is_indirect(ctx, annots) && pdf_is_array(ctx, annots)) {
		/* The page's own array (walk_pages_check: no other page shares
		 * it); rewriting it keeps the page untouched. */
		rev_begin(ctx, rv, pdf_to_num(ctx, annots), pdf_to_gen(ctx, annots));
		put_annots(ctx, rv, annots, first, run, k);
		rev_end(ctx, rv);
		return;
	}
	rev_begin(ctx, rv, pdf_to_num(ctx, page), pdf_to_gen(ctx, page));
	rev_dict_open(ctx, rv, page, skip, 1);
	rev_puts(ctx, rv, "/Annots");
	put_annots(ctx, rv, pdf_is_array(ctx, annots) ? annots : NULL, first, run, k);
	rev_puts(ctx, rv, ">>");
	rev_end(ctx, rv);
}

/* page_obj - page p as an indirect dictionary (throws otherwise). */
static pdf_obj *
page_obj(fz_context *ctx, const struct walk_pages *pages, int p)
{
	pdf_obj *page = p >= 0 && p < pages->n ? pages->v[p] : NULL;

	if (!pdf_is_indirect(ctx, page) || !pdf_is_dict(ctx, page))
		fz_throw(ctx, FZ_ERROR_GENERIC, "page %d is not an indirect dictionary", p + 1);
	return page;
}

/* put_page_annots - each page once, with all its widgets (in page order: no pass per page). */
static void
put_page_annots(fz_context *ctx, const struct walk_pages *pages, struct rev *rv, int first,
		const struct pades_widget *w, int nw)
{
	struct at *order = fz_malloc_array(ctx, nw, struct at);
	int i, j;

	fz_try(ctx) {
		for (i = 0; i < nw; i++) {
			order[i].page = w[i].page;
			order[i].i = i;
		}
		qsort(order, (size_t)nw, sizeof *order, cmp_at);
		for (i = 0; i < nw; i = j) {
			for (j = i + 1; j < nw && order[j].page == order[i].page; j++)
				;
			put_page_annot(ctx, rv, page_obj(ctx, pages, order[i].page), first,
				       order + i, j - i);
		}
	}
	fz_always(ctx)
		fz_free(ctx, order);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* put_widgets - the field and its widgets (or the invisible one), and the pages' /Annots. */
static void
put_widgets(fz_context *ctx, const struct walk_pages *pages, struct rev *rv, const char *name,
	    int field, int sig, const struct pades_widget *w, int nw)
{
	static const struct pades_widget invisible = { 0, { 0, 0, 0, 0 }, 0 };
	int i, first = field;

	if (nw <= 0) {
		w = &invisible;
		nw = 1;
	}
	if (nw == 1) {
		put_field(ctx, rv, name, field, sig, 0, page_obj(ctx, pages, w->page), w);
	} else {
		first = rev_alloc(rv);
		for (i = 1; i < nw; i++)
			rev_alloc(rv);	/* consecutive: widget i is first + i */
		put_parent(ctx, rv, name, field, sig, first, nw);
		for (i = 0; i < nw; i++)
			put_field(ctx, rv, name, first + i, sig, field,
				  page_obj(ctx, pages, w[i].page), &w[i]);
	}
	put_page_annots(ctx, pages, rv, first, w, nw);
}

/*
 * emit_acroform - acro (may be NULL) with the field appended and SigFlags 3
 * set; on a document signed before, /SigFlags is left as the earlier signer
 * wrote it: validators compare the form dictionary key by key (pyHanko's
 * FormUpdatingRule allows only /Fields, /DR, /DA, /Q and /NeedAppearances
 * to change), so a changed /SigFlags would break the earlier signature.
 */
static void
emit_acroform(fz_context *ctx, struct rev *rv, pdf_obj *acro, int field, int signed_before)
{
	pdf_obj *skip[] = { PDF_NAME(Fields), PDF_NAME(SigFlags) };
	pdf_obj *fields = pdf_dict_get(ctx, acro, PDF_NAME(Fields));

	if (acro)
		rev_dict_open(ctx, rv, acro, skip, signed_before ? 1 : 2);
	else
		rev_puts(ctx, rv, "<<");
	rev_puts(ctx, rv, "/Fields");
	/* An indirect /Fields array is inlined: nothing else should point at it. */
	rev_array_plus(ctx, rv, pdf_is_array(ctx, fields) ? fields : NULL, field);
	/* SignaturesExist | AppendOnly */
	if (!signed_before || !acro)
		rev_printf(ctx, rv, "/SigFlags %d",
			   pdf_dict_get_int(ctx, acro, PDF_NAME(SigFlags)) | 3);
	rev_puts(ctx, rv, ">>");
}

/*
 * put_catalog - the field into /AcroForm, and with a certification signature
 * /Perms /DocMDP: the AcroForm object when it is indirect, the catalog when
 * the AcroForm is direct or /Perms is needed (each object written once).
 */
static void
put_catalog(fz_context *ctx, struct rev *rv, pdf_obj *root, int field, int perms_sig,
	    int signed_before)
{
	pdf_obj *skip[] = { PDF_NAME(AcroForm), PDF_NAME(Perms) };
	pdf_obj *acro = pdf_dict_get(ctx, root, PDF_NAME(AcroForm));
	int acro_apart = pdf_is_indirect(ctx, acro) && pdf_is_dict(ctx, acro);

	if (acro_apart) {
		rev_begin(ctx, rv, pdf_to_num(ctx, acro), pdf_to_gen(ctx, acro));
		emit_acroform(ctx, rv, acro, field, signed_before);
		rev_end(ctx, rv);
		if (!perms_sig)
			return;
	}
	rev_begin(ctx, rv, pdf_to_num(ctx, root), pdf_to_gen(ctx, root));
	rev_dict_open(ctx, rv, root, skip, 2);
	if (acro_apart) {
		rev_puts(ctx, rv, "/AcroForm ");
		rev_ref(ctx, rv, acro);
	} else {
		rev_puts(ctx, rv, "/AcroForm");
		emit_acroform(ctx, rv, pdf_is_dict(ctx, acro) ? acro : NULL, field,
			      signed_before);
	}
	if (perms_sig)
		rev_printf(ctx, rv, "/Perms<</DocMDP %d 0 R>>", perms_sig);
	else if (pdf_dict_get(ctx, root, PDF_NAME(Perms))) {
		rev_puts(ctx, rv, "/Perms");
		rev_emit(ctx, rv, pdf_dict_get(ctx, root, PDF_NAME(Perms)));
	}
	rev_puts(ctx, rv, ">>");
	rev_end(ctx, rv);
}

/* signed_field - a field holding a signature value (walk_fields' callback). */
static int
signed_field(fz_context *ctx, pdf_obj *field, pdf_obj *ft, void *arg)
{
	(void)arg;
	return pdf_name_eq(ctx, ft, PDF_NAME(Sig)) &&
	       pdf_is_dict(ctx, pdf_dict_get(ctx, field, PDF_NAME(V)));
}

/* put_info - a new Info dictionary: the old entries, /SertelID and /ModDate. */
static void
put_info(fz_context *ctx, struct rev *rv, const struct pades_request *rq, pdf_obj *trailer,
	 int num, const char *date)
{
	pdf_obj *skip[] = { pdf_new_name(ctx, "SertelID"), PDF_NAME(ModDate) };
	pdf_obj *old = pdf_dict_get(ctx, trailer, PDF_NAME(Info));
	int keep_date;

	fz_try(ctx) {
		/* PDF/A: Info must agree with the XMP, which sertel does not
		 * rewrite, so the old ModDate stays; /M carries the signing time. */
		keep_date = pdfa_claimed(ctx, pdf_dict_get(ctx, trailer, PDF_NAME(Root)));
		rev_begin(ctx, rv, num, 0);
		if (pdf_is_dict(ctx, old))
			rev_dict_open(ctx, rv, old, skip, keep_date ? 1 : 2);
		else
			rev_puts(ctx, rv, "<<");
		rev_puts(ctx, rv, "/SertelID");
		rev_text(ctx, rv, rq->doc_id);
		if (!keep_date) {
			rev_puts(ctx, rv, "/ModDate");
			rev_text(ctx, rv, date);
		}
		rev_puts(ctx, rv, ">>");
		rev_end(ctx, rv);
	}
	fz_always(ctx)
		pdf_drop_obj(ctx, skip[0]);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* rev_collect - every object of the revision, then its xref (throws). */
static void
rev_collect(fz_context *ctx, pdf_document *doc, const struct walk_pages *pages,
	    const struct pades_request *rq, size_t hole_bytes, struct rev *rv,
	    struct err *mark_err, int *mdp)
{
	pdf_obj *trailer = pdf_trailer(ctx, doc);
	pdf_obj *root = pdf_dict_get(ctx, trailer, PDF_NAME(Root));
	int size = pdf_dict_get_int(ctx, trailer, PDF_NAME(Size));
	char date[32], name[96], seed[256];
	const struct pades_widget *w = NULL;
	int sig, field, info, nw = 0, signed_before;
	unsigned char last;

	if (!pdf_is_indirect(ctx, root) || !pdf_is_dict(ctx, root))
		fz_throw(ctx, FZ_ERROR_GENERIC, "the catalog is not an indirect dictionary");
	rv->next = pdf_xref_len(ctx, doc);
	if (size > rv->next)
		rv->next = size;
	pdf_date(rq->when, date);
	field_name(ctx, root, rq->doc_id, name, sizeof name);

	last = rq->pdf[rq->len - 1];
	if (last != '\n' && last != '\r')
		rev_puts(ctx, rv, "\n");
	sig = rev_alloc(rv);
	field = rev_alloc(rv);
	info = rev_alloc(rv);
	/* Only the first signature of a document may certify it; a document
	 * signed before gets an approval signature (ISO 32000-1 12.8.2.2.1). */
	signed_before = walk_fields(ctx, doc, signed_field, NULL);
	*mdp = rq->certify >= 1 && rq->certify <= 3 && !signed_before &&
	       !pdf_dict_getp(ctx, root, "Perms/DocMDP") ? rq->certify : 0;
	put_sig(ctx, rv, rq, sig, hole_bytes, date, *mdp);
	if (rq->appearance && rq->appearance(rq->appearance_arg, ctx, doc, rv, &w, &nw,
					     mark_err) < 0)
		fz_throw(ctx, FZ_ERROR_GENERIC, "%s", mark_err->detail);
	put_widgets(ctx, pages, rv, name, field, sig, w, nw);
	put_catalog(ctx, rv, root, field, *mdp ? sig : 0, signed_before);
	put_info(ctx, rv, rq, trailer, info, date);
	snprintf(seed, sizeof seed, "sertel/%s/%lld/%zu/%lld", rq->doc_id, (long long)rq->when,
		 rq->len, (long long)doc->startxref);
	rev_xref(ctx, doc, rv, root, info, seed);
}

/* xref_is_table - whether the original's last xref section is "xref" (else a stream). */
static int
xref_is_table(const unsigned char *pdf, size_t len, size_t startxref)
{
	size_t i = startxref;

	while (i < len && (pdf[i] == ' ' || pdf[i] == '\t' || pdf[i] == '\r' || pdf[i] == '\n' ||
			   pdf[i] == '\f' || pdf[i] == '\0'))
		i++;
	return len - i >= 4 && !memcmp(pdf + i, "xref", 4);
}

/* doc_check - refuse what an incremental update cannot or must not extend. */
static int
doc_check(fz_context *ctx, pdf_document *doc, const struct pades_request *rq, struct err *e)
{
	int pages = 0, repaired = 0, dirty = 0;
	const char *part = "dokumen tidak dapat dibaca", *refused = NULL;
	char why[200];

	fz_var(refused);
	fz_var(pages);
	fz_var(repaired);
	fz_var(dirty);
	fz_var(part);
	fz_try(ctx) {
		/* one that opens without a password and allows signing gets an
		 * encrypted revision (rev_build) */
		refused = encrypted_refusal(ctx, doc, why, sizeof why);
		if (!refused) {
			pages = pdf_count_pages(ctx, doc);
			repaired = pdf_was_repaired(ctx, doc);
			dirty = pdf_has_unsaved_changes(ctx, doc);
			/* Pages are found by the tree's /Count; viewers walk the
			 * form as a tree, and hang on one that is not (walk.h). */
			part = "pohon halaman rusak";
			if (pages >= 1)
				walk_pages_check(ctx, doc);
			part = "formulir rusak";
			walk_fields_check(ctx, doc);
		}
	}
	fz_catch(ctx)
		return err_set(e, "pdf.corrupt", "%s: %s", part, fz_caught_message(ctx));
	if (refused)
		return err_set(e, "pdf.encrypted", "%s", refused);
	if (repaired)
		return err_set(e, "pdf.corrupt",
			       "tabel referensi silang (xref) rusak (MuPDF harus memperbaikinya)");
	if (pages < 1)
		return err_set(e, "pdf.corrupt", "PDF tidak memiliki halaman");
	if (doc->startxref <= 0 || (uint64_t)doc->startxref >= rq->len)
		return err_set(e, "pdf.corrupt", "startxref %lld berada di luar berkas",
			       (long long)doc->startxref);
	/* Both would make us write offsets or objects the file does not have. */
	if (doc->file_size != (int64_t)rq->len)
		return err_set(e, "sign.failed", "the open document (%lld bytes) is not the "
			       "%zu bytes given", (long long)doc->file_size, rq->len);
	if (dirty)
		return err_set(e, "sign.failed", "the open document has unsaved changes");
	return 0;
}

/* rev_build - the revision in rv; the MuPDF error boundary. */
static int
rev_build(fz_context *ctx, pdf_document *doc, const struct pades_request *rq,
	  size_t hole_bytes, struct rev *rv, int *mdp, struct err *e)
{
	struct walk_pages pages;
	struct err mark_err;
	int repaired = 0;

	fz_var(repaired);
	fz_var(pages);
	memset(&pages, 0, sizeof pages);
	memset(&mark_err, 0, sizeof mark_err);
	rv->base = rq->len;
	rv->table = xref_is_table(rq->pdf, rq->len, (size_t)doc->startxref);
	rv->crypt = doc->crypt;	/* doc_check allowed it: the document's own key */
	fz_try(ctx) {
		/* page numbers to objects in one pass (walk.h) */
		walk_pages_load(ctx, doc, &pages);
		rev_collect(ctx, doc, &pages, rq, hole_bytes, rv, &mark_err, mdp);
		/* Loading an object may have triggered a repair after doc_check. */
		repaired = pdf_was_repaired(ctx, doc);
	}
	fz_always(ctx)
		walk_pages_drop(ctx, &pages);
	fz_catch(ctx) {
		if (mark_err.code) {	/* the appearance refused, with its own code */
			*e = mark_err;
			return -1;
		}
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			return err_set(e, "sign.failed", "%s", fz_caught_message(ctx));
		return err_set(e, "pdf.corrupt", "dokumen tidak dapat diperbarui: %s",
			       fz_caught_message(ctx));
	}
	if (repaired)
		return err_set(e, "pdf.corrupt",
			       "tabel referensi silang (xref) rusak (MuPDF harus memperbaikinya)");
	return 0;
}

/* ---- CMS ------------------------------------------------------------- */

/* ossl_fail - sign.failed with the last OpenSSL error. */
static int
ossl_fail(struct err *e, const char *what)
{
	unsigned long code = ERR_peek_last_error();
	char why[160] = "unknown error";

	if (code)
		ERR_error_string_n(code, why, sizeof why);
	ERR_clear_error();
	return err_set(e, "sign.failed", "%s: %s", what, why);
}

/* set_digest - (re)place the messageDigest signed attribute. */
static int
set_digest(CMS_SignerInfo *si, const unsigned char *md, int mdlen)
{
	int i = CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1);

	if (i >= 0)
		X509_ATTRIBUTE_free(CMS_signed_delete_attr(si, i));
	return CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
					   md, mdlen) > 0 ? 0 : -1;
}

/*
 * set_pss - the SignerInfo's signatureAlgorithm as id-RSASSA-PSS with explicit
 * parameters (RFC 4056): the digest, MGF1 with the same digest, salt as long
 * as the digest, trailer field 1 (the default, so absent).
 */
static int
set_pss(CMS_SignerInfo *si, const EVP_MD *md)
{
	RSA_PSS_PARAMS *pp = RSA_PSS_PARAMS_new();
	X509_ALGOR *mgfmd = X509_ALGOR_new(), *alg = NULL;
	ASN1_STRING *mgf = NULL, *params = NULL;
	int ok;

	CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &alg);
	ok = pp && mgfmd && alg && (pp->hashAlgorithm = X509_ALGOR_new()) != NULL;
	if (ok) {
		X509_ALGOR_set_md(mgfmd, md);
		X509_ALGOR_set_md(pp->hashAlgorithm, md);
	}
	ok = ok && (mgf = ASN1_item_pack(mgfmd, ASN1_ITEM_rptr(X509_ALGOR), NULL)) != NULL &&
	     (pp->maskGenAlgorithm = X509_ALGOR_new()) != NULL &&
	     X509_ALGOR_set0(pp->maskGenAlgorithm, OBJ_nid2obj(NID_mgf1), V_ASN1_SEQUENCE, mgf);
	if (ok)
		mgf = NULL;	/* owned by pp now */
	ok = ok && (pp->saltLength = ASN1_INTEGER_new()) != NULL &&
	     ASN1_INTEGER_set(pp->saltLength, EVP_MD_get_size(md)) &&
	     (params = ASN1_item_pack(pp, ASN1_ITEM_rptr(RSA_PSS_PARAMS), NULL)) != NULL &&
	     X509_ALGOR_set0(alg, OBJ_nid2obj(NID_rsassaPss), V_ASN1_SEQUENCE, params);
	if (ok)
		params = NULL;
	ASN1_STRING_free(mgf);
	ASN1_STRING_free(params);
	X509_ALGOR_free(mgfmd);
	RSA_PSS_PARAMS_free(pp);
	return ok ? 0 : -1;
}

/* cms_prepare - the CMS without digest and signature, and its largest DER size. */
static int
cms_prepare(struct cms_job *cj, const struct pades_request *rq, struct err *e)
{
	const struct signer_key *k = rq->key;
	unsigned int fl = CMS_PARTIAL | CMS_BINARY | CMS_DETACHED | CMS_NOSMIMECAP;
	unsigned char zero[EVP_MAX_MD_SIZE] = { 0 };
	unsigned char *pad;
	int siglen = EVP_PKEY_get_size(k->pkey), der;

	/* The algorithm CMS_add1_signer (or set_pss) records must match what
	 * sign_attrs produces; EdDSA, DSA and the rest are not for PAdES here. */
	if (!EVP_PKEY_is_a(k->pkey, "RSA") && !EVP_PKEY_is_a(k->pkey, "EC"))
		return err_set(e, "sign.failed", "unsupported key type %s (RSA or ECDSA only)",
			       EVP_PKEY_get0_type_name(k->pkey));
	cj->pss = rq->pss && EVP_PKEY_is_a(k->pkey, "RSA");
	cj->md = rq->md ? rq->md : EVP_sha256();
	ERR_clear_error();
	cj->cms = CMS_sign(NULL, NULL, k->chain, NULL, fl);
	if (cj->cms == NULL)
		return ossl_fail(e, "CMS_sign");
	/* CMS_CADES adds ESS signing-certificate-v2 (v1 only for SHA-1). */
	cj->si = CMS_add1_signer(cj->cms, k->cert, k->pkey, cj->md, fl | CMS_CADES);
	if (cj->si == NULL)
		return ossl_fail(e, "CMS_add1_signer");
	if (cj->pss && set_pss(cj->si, cj->md) < 0)
		return ossl_fail(e, "RSASSA-PSS parameters");
	if (CMS_signed_add1_attr_by_NID(cj->si, NID_pkcs9_contentType, V_ASN1_OBJECT,
					OBJ_nid2obj(NID_pkcs7_data), -1) <= 0 ||
	    set_digest(cj->si, zero, EVP_MD_get_size(cj->md)) < 0)
		return ossl_fail(e, "CMS signed attributes");
	/* RSA signatures have exactly this length, DER ECDSA ones at most. */
	if (siglen <= 0 || (pad = OPENSSL_zalloc((size_t)siglen)) == NULL)
		return ossl_fail(e, "signature size");
	if (!ASN1_STRING_set(CMS_SignerInfo_get0_signature(cj->si), pad, siglen)) {
		OPENSSL_free(pad);
		return ossl_fail(e, "CMS signature placeholder");
	}
	OPENSSL_free(pad);
	der = i2d_CMS_ContentInfo(cj->cms, NULL);
	if (der <= 0)
		return ossl_fail(e, "CMS size");
	cj->max_der = (size_t)der;
	return 0;
}

/* der_cmp - DER SET OF order, as OpenSSL sorts it when encoding the SignerInfo. */
static int
der_cmp(const void *a, const void *b)
{
	const ASN1_STRING *const *x = a, *const *y = b;
	int n = (*x)->length < (*y)->length ? (*x)->length : (*y)->length;
	int c = memcmp((*x)->data, (*y)->data, (size_t)n);

	return c ? c : (*x)->length - (*y)->length;
}

/* attrs_der - DER of the signed attributes as the SET OF that is signed (RFC 5652 5.4). */
static unsigned char *
attrs_der(CMS_SignerInfo *si, size_t *outlen)
{
	int i, n = CMS_signed_get_attr_count(si);
	ASN1_STRING **v = n > 0 ? OPENSSL_zalloc((size_t)n * sizeof *v) : NULL;
	unsigned char *out = NULL, *p;
	size_t total = 0, hdr;

	if (v == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		unsigned char *d = NULL;
		int len = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &d);

		if (len <= 0 || (v[i] = ASN1_STRING_new()) == NULL) {
			OPENSSL_free(d);
			goto out;
		}
		ASN1_STRING_set0(v[i], d, len);
		total += (size_t)len;
	}
	qsort(v, (size_t)n, sizeof *v, der_cmp);
	hdr = total < 0x80 ? 2 : total < 0x100 ? 3 : total < 0x10000 ? 4 : 5;
	if ((out = OPENSSL_malloc(hdr + total)) == NULL)
		goto out;
	p = out;
	*p++ = 0x31;	/* SET */
	if (hdr > 2)
		*p++ = (unsigned char)(0x80 | (hdr - 2));
	for (i = (int)hdr - 3; i >= 0; i--)
		*p++ = (unsigned char)(total >> (8 * i));
	if (hdr == 2)
		p[-1] = (unsigned char)total;
	for (i = 0; i < n; i++) {
		memcpy(p, v[i]->data, (size_t)v[i]->length);
		p += v[i]->length;
	}
	*outlen = hdr + total;
out:
	for (i = 0; i < n; i++)
		ASN1_STRING_free(v[i]);
	OPENSSL_free(v);
	return out;
}

/* sign_attrs - the signature value over the signed attributes, here or by rq->sign. */
static int
sign_attrs(struct cms_job *cj, const struct pades_request *rq, struct err *e)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;	/* owned by mctx */
	EVP_PKEY *pkey = rq->key->pkey;
	unsigned char *tbs = NULL, *sig = NULL;
	size_t tbslen = 0, siglen = 0;
	int rc = -1;

	if (mctx == NULL || (tbs = attrs_der(cj->si, &tbslen)) == NULL) {
		ossl_fail(e, "encoding signed attributes");
		goto out;
	}
	if (rq->sign) {
		if (rq->sign(rq->sign_arg, cj->md, cj->pss, tbs, tbslen, &sig, &siglen, e) < 0)
			goto out;
		if (siglen == 0 || siglen > (size_t)EVP_PKEY_get_size(pkey)) {
			err_set(e, "sign.failed", "a signature of %zu bytes for this key", siglen);
			goto out;
		}
		goto done;
	}
	/* Default padding (PKCS#1 v1.5) matches the rsaEncryption algorithm
	 * CMS_add1_signer recorded, PSS the parameters set_pss wrote; ECDSA
	 * gives a DER signature. */
	if (EVP_DigestSignInit(mctx, &pctx, cj->md, NULL, pkey) <= 0 ||
	    (cj->pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
			 EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, cj->md) <= 0 ||
			 EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0)) ||
	    EVP_DigestSign(mctx, NULL, &siglen, tbs, tbslen) <= 0 ||
	    (sig = OPENSSL_malloc(siglen)) == NULL ||
	    EVP_DigestSign(mctx, sig, &siglen, tbs, tbslen) <= 0) {
		ossl_fail(e, "signing");
		goto out;
	}
done:
	ASN1_STRING_set0(CMS_SignerInfo_get0_signature(cj->si), sig, (int)siglen);
	sig = NULL;
	rc = 0;
out:
	OPENSSL_free(sig);
	OPENSSL_free(tbs);
	EVP_MD_CTX_free(mctx);
	return rc;
}

/* patch_byterange - the real [0 a b c] into the fixed-width placeholder. */
static int
patch_byterange(struct rev *rv, size_t a, size_t b, size_t c, struct err *e)
{
	char tmp[BR_SPAN + 1];
	int n = snprintf(tmp, sizeof tmp, "[0 %zu %zu %zu", a, b, c);

	if (n < 0 || n >= BR_SPAN)
		return err_set(e, "sign.failed", "file too large for /ByteRange");
	memset(tmp + n, ' ', (size_t)(BR_SPAN - 1 - n));
	tmp[BR_SPAN - 1] = ']';
	memcpy(rv->b.p + rv->br_off, tmp, BR_SPAN);
	return 0;
}

/* digest_ranges - md over both ranges; whole holds SHA-256 of the original so far. */
static int
digest_ranges(struct cms_job *cj, const struct pades_request *rq, const struct rev *rv,
	      EVP_MD_CTX *whole, unsigned char *md, unsigned int *mdlen, struct err *e)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	size_t tail = rv->hole_off + rv->hole_len;
	int ok;

	/* The original is hashed once when the signature digest is SHA-256 too. */
	ok = m != NULL && EVP_DigestInit_ex(m, cj->md, NULL) > 0 &&
	     EVP_DigestUpdate(m, rq->pdf, rq->len) > 0 &&
	     (EVP_MD_get_type(cj->md) == NID_sha256
		      ? EVP_MD_CTX_copy_ex(whole, m) > 0
		      : EVP_DigestInit_ex(whole, EVP_sha256(), NULL) > 0 &&
				EVP_DigestUpdate(whole, rq->pdf, rq->len) > 0) &&
	     EVP_DigestUpdate(m, rv->b.p, rv->hole_off) > 0 &&
	     EVP_DigestUpdate(m, rv->b.p + tail, rv->b.len - tail) > 0 &&
	     EVP_DigestFinal_ex(m, md, mdlen) > 0;
	EVP_MD_CTX_free(m);
	return ok ? 0 : ossl_fail(e, "digest");
}

/*
 * hole_fill - the DER of cms as hex into the "<...>" hole (h[0] is '<'),
 * zero-padded; token_len only names the culprit when it does not fit.
 */
static int
hole_fill(char *h, size_t hole_len, CMS_ContentInfo *cms, size_t token_len, struct err *e)
{
	static const char hx[] = "0123456789ABCDEF";
	unsigned char *der = NULL;
	int i, n = i2d_CMS_ContentInfo(cms, &der);

	if (n <= 0)
		return ossl_fail(e, "encoding the CMS");
	if ((size_t)n * 2 > hole_len - 2) {
		OPENSSL_free(der);
		if (token_len)
			return err_set(e, "sign.failed", "CMS of %d bytes (%zu of them the timestamp "
				       "token) does not fit the %zu reserved; raise "
				       "timestamp.reserve_bytes", n, token_len, (hole_len - 2) / 2);
		return err_set(e, "sign.failed", "CMS of %d bytes does not fit the %zu reserved",
			       n, (hole_len - 2) / 2);
	}
	for (i = 0; i < n; i++) {
		h[1 + 2 * i] = hx[der[i] >> 4];
		h[2 + 2 * i] = hx[der[i] & 15];
	}
	memset(h + 1 + 2 * (size_t)n, '0', hole_len - 2 - 2 * (size_t)n);
	OPENSSL_free(der);
	return 0;
}

/*
 * stamp_si - ts's RFC 3161 token over si's signature value as the unsigned
 * attribute id-aa-signatureTimeStampToken (PAdES B-T).  It stamps the
 * signature, so it can only come after it, and it lies outside what is
 * signed.  Returns 0, 1 when ts defers (no token, B-B), -1 with e set.
 */
static int
stamp_si(CMS_SignerInfo *si, pades_timestamp_fn ts, void *arg, size_t *token_len,
	 struct err *e)
{
	const ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
	unsigned char *tok = NULL;
	size_t toklen = 0;
	int ok, r;

	err_clear(e);
	r = ts(arg, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), &tok, &toklen, e);
	if (r != 0) {
		OPENSSL_free(tok);
		if (r > 0)
			return 1;
		return e->code ? -1 : err_set(e, "sign.failed", "timestamp: unknown error");
	}
	if (tok == NULL || toklen == 0 || toklen > 1 << 20) {
		OPENSSL_free(tok);
		return err_set(e, "sign.failed", "timestamp: no usable token (%zu bytes)", toklen);
	}
	/* V_ASN1_SEQUENCE: the bytes are the complete DER of the value, kept as is. */
	ok = CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
					   tok, (int)toklen) > 0;
	OPENSSL_free(tok);
	*token_len = toklen;
	return ok ? 0 : ossl_fail(e, "adding the timestamp token");
}

/* add_timestamp - B-T when the request has a timestamp callback (see stamp_si). */
static int
add_timestamp(struct cms_job *cj, const struct pades_request *rq, struct err *e)
{
	int r;

	if (rq->timestamp == NULL)
		return 0;
	r = stamp_si(cj->si, rq->timestamp, rq->timestamp_arg, &cj->token_len, e);
	cj->deferred = r > 0;
	return r < 0 ? -1 : 0;
}

/* cms_finish - ByteRange, digest, signature, timestamp, CMS into the hole, output SHA-256. */
static int
cms_finish(struct cms_job *cj, const struct pades_request *rq, struct rev *rv,
	   struct pades_result *res, struct err *e)
{
	size_t a = rv->base + rv->hole_off, b = a + rv->hole_len;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *whole = EVP_MD_CTX_new();
	int rc = -1;

	if (whole == NULL) {
		ossl_fail(e, "digest");
		goto out;
	}
	if (patch_byterange(rv, a, b, rv->base + rv->b.len - b, e) < 0 ||
	    digest_ranges(cj, rq, rv, whole, md, &mdlen, e) < 0)
		goto out;
	if (set_digest(cj->si, md, (int)mdlen) < 0) {
		ossl_fail(e, "messageDigest");
		goto out;
	}
	if (sign_attrs(cj, rq, e) < 0 || add_timestamp(cj, rq, e) < 0 ||
	    hole_fill(rv->b.p + rv->hole_off, rv->hole_len, cj->cms, cj->token_len, e) < 0)
		goto out;
	res->deferred = cj->deferred;
	if (EVP_DigestUpdate(whole, rv->b.p, rv->b.len) <= 0 ||
	    EVP_DigestFinal_ex(whole, res->sha256, NULL) <= 0) {
		ossl_fail(e, "digest");
		goto out;
	}
	rc = 0;
out:
	EVP_MD_CTX_free(whole);
	return rc;
}

/* cms_free - release the CMS (safe on a zeroed job). */
static void
cms_free(struct cms_job *cj)
{
	CMS_ContentInfo_free(cj->cms);
	memset(cj, 0, sizeof *cj);
}

/* ---- output ---------------------------------------------------------- */

/* append_out - the revision alone, after the original bytes already in fd. */
static int
append_out(int fd, size_t olen, const struct rev *rv, struct err *e)
{
	size_t done = 0;

	while (done < rv->b.len) {
		ssize_t n = pwrite(fd, rv->b.p + done, rv->b.len - done, (off_t)(olen + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)	/* a full disk is ERR_RETRY: the document waits, it is not refused */
			return err_set(e, err_io_code(errno), "writing the signed PDF: %s",
				       strerror(errno));
		done += (size_t)n;
	}
	return 0;
}

/* write_out - original then revision, with as few writev() calls as the kernel allows. */
static int
write_out(int fd, const unsigned char *orig, size_t olen, const struct rev *rv, struct err *e)
{
	struct iovec iov[2] = {
		{ (void *)orig, olen },
		{ rv->b.p, rv->b.len },
	};
	struct iovec *v = iov;
	int cnt = 2;

	while (cnt > 0) {
		ssize_t n = writev(fd, v, cnt);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)	/* a full disk is ERR_RETRY: the document waits, it is not refused */
			return err_set(e, err_io_code(errno), "writing the signed PDF: %s",
				       strerror(errno));
		while (cnt > 0 && (size_t)n >= v->iov_len) {
			n -= (ssize_t)v->iov_len;
			v++;
			cnt--;
		}
		if (cnt > 0) {
			v->iov_base = (char *)v->iov_base + n;
			v->iov_len -= (size_t)n;
		}
	}
	return 0;
}

/* request_check - the caller's side of the contract. */
static int
request_check(const struct pades_request *rq, struct err *e)
{
	if (rq->pdf == NULL || rq->len < 8 || rq->key == NULL || rq->key->pkey == NULL ||
	    rq->key->cert == NULL || rq->doc_id == NULL)
		return err_set(e, "sign.failed", "incomplete signing request");
	return 0;
}

int
pades_sign(fz_context *ctx, pdf_document *doc, const struct pades_request *rq, int out_fd,
	   struct pades_result *res, struct err *e)
{
	struct pades_request r = *rq;
	struct cms_job cj;
	struct rev rv;
	int rc = -1;

	memset(&cj, 0, sizeof cj);
	memset(&rv, 0, sizeof rv);
	memset(res, 0, sizeof *res);
	if (request_check(rq, e) < 0 || doc_check(ctx, doc, rq, e) < 0)
		return -1;
	if (r.when == 0)
		r.when = time(NULL);
	if (cms_prepare(&cj, &r, e) < 0 ||
	    rev_build(ctx, doc, &r, cj.max_der + r.reserve + HOLE_SLACK, &rv, &res->certified,
		      e) < 0 ||
	    cms_finish(&cj, &r, &rv, res, e) < 0 ||
	    (r.append ? append_out(out_fd, r.len, &rv, e)
		      : write_out(out_fd, r.pdf, r.len, &rv, e)) < 0)
		goto out;
	res->size = r.len + rv.b.len;
	rc = 0;
out:
	cms_free(&cj);
	rev_free(&rv);
	ERR_clear_error();
	return rc;
}

int
pades_augment(char *hole, size_t hole_len, pades_timestamp_fn ts, void *arg, struct err *e)
{
	size_t n = hole_len >= 2 ? (hole_len - 2) / 2 : 0, toklen = 0;
	unsigned char *der = n ? malloc(n) : NULL;
	const unsigned char *q = der;
	CMS_ContentInfo *cms = NULL;
	CMS_SignerInfo *si;
	int rc = -1, r;

	if (der == NULL || hole[0] != '<' || hole[hole_len - 1] != '>' || (hole_len & 1) ||
	    hex_decode(hole + 1, n, der) < 0 || (cms = d2i_CMS_ContentInfo(NULL, &q, (long)n)) == NULL) {
		err_set(e, "sign.failed", "the signature's /Contents is not a CMS");
		goto out;
	}
	si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
	if (si == NULL) {
		err_set(e, "sign.failed", "the CMS has no SignerInfo");
		goto out;
	}
	if (CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, -1) >= 0) {
		err_set(e, "sign.failed", "the signature carries a timestamp already");
		goto out;
	}
	if ((r = stamp_si(si, ts, arg, &toklen, e)) != 0) {
		if (r > 0)
			err_set(e, "timestamp.unavailable", "no timestamp was given");
		goto out;
	}
	rc = hole_fill(hole, hole_len, cms, toklen, e);
out:
	CMS_ContentInfo_free(cms);
	free(der);
	ERR_clear_error();
	return rc;
}
