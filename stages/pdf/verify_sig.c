/*
 * verify_sig.c - the signature dictionaries, read with MuPDF (see
 * verify_sig.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "verify_sig.h"
#include "verify_str.h"
#include "walk.h"

/* Signatures judged per document: each one hashes up to the whole file, so
 * a form listing thousands would cost thousands of passes over it. */
#define MAX_SIGS 256

/* finds_add - keep field and its signature dictionary (once per dictionary); 1 when
 * there is no room for another; throws. */
static int
finds_add(fz_context *ctx, struct verify_finds *f, pdf_obj *field, pdf_obj *sig)
{
	int num = pdf_to_num(ctx, sig);
	size_t i;

	for (i = 0; num > 0 && i < f->n; i++)
		if (f->v[i].signum == num)
			return 0;
	if (f->n == MAX_SIGS)
		return 1;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4;
		struct verify_found *v = realloc(f->v, cap * sizeof *v);

		if (v == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory listing signatures");
		f->v = v;
		f->cap = cap;
	}
	memset(&f->v[f->n], 0, sizeof f->v[f->n]);
	f->v[f->n].field = pdf_keep_obj(ctx, field);
	f->v[f->n].sig = pdf_keep_obj(ctx, sig);
	f->v[f->n].signum = num;
	f->v[f->n].fieldnum = pdf_to_num(ctx, field);
	f->n++;
	return 0;
}

/* found - a signed /FT/Sig field: kept (walk_fields' callback; throws). */
static int
found(fz_context *ctx, pdf_obj *field, pdf_obj *ft, void *arg)
{
	struct verify_finds *f = arg;
	pdf_obj *v = pdf_dict_get(ctx, field, PDF_NAME(V));

	if (!pdf_name_eq(ctx, ft, PDF_NAME(Sig)) || !pdf_is_dict(ctx, v))
		return 0;
	return finds_add(ctx, f, field, v);
}

/* read_sig - the facts of one signature dictionary into s (and its /Contents); throws. */
static void
read_sig(fz_context *ctx, struct verify_found *fd, struct verify_sig *s)
{
	pdf_obj *br = pdf_dict_get(ctx, fd->sig, PDF_NAME(ByteRange));
	pdf_obj *c = pdf_dict_get(ctx, fd->sig, PDF_NAME(Contents));
	char *name = pdf_field_name(ctx, fd->field);
	int64_t m;
	int i;

	SETF(s->field, "%s", name ? name : "");
	fz_free(ctx, name);
	SETF(s->subfilter, "%s", pdf_to_name(ctx, pdf_dict_get(ctx, fd->sig, PDF_NAME(SubFilter))));
	SETF(s->sertel_id, "%s", pdf_to_text_string(ctx, pdf_dict_gets(ctx, fd->sig, "SertelID")));
	s->doc_timestamp = !strcmp(pdf_to_name(ctx, pdf_dict_get(ctx, fd->sig, PDF_NAME(Type))),
				   "DocTimeStamp") || !strcmp(s->subfilter, "ETSI.RFC3161");
	m = pdf_dict_get_date(ctx, fd->sig, PDF_NAME(M));
	s->claimed_time = m > 0 ? (time_t)m : 0;
	s->nbr = pdf_is_array(ctx, br) ? pdf_array_len(ctx, br) : 0;
	for (i = 0; i < s->nbr && i < 4; i++) {
		pdf_obj *x = pdf_array_get(ctx, br, i);

		s->br[i] = pdf_is_int(ctx, x) ? pdf_to_int64(ctx, x) : -1;
	}
	fd->missing = !pdf_is_string(ctx, c);
	if (pdf_is_string(ctx, c) && pdf_to_str_len(ctx, c) > 0) {
		fd->clen = pdf_to_str_len(ctx, c);
		fd->contents = malloc(fd->clen);
		if (fd->contents == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory reading /Contents");
		memcpy(fd->contents, pdf_to_str_buf(ctx, c), fd->clen);
	}
}

/* read_cert - /Cert (adbe.x509.rsa_sha1): a string or an array of them, signer first; throws. */
static void
read_cert(fz_context *ctx, struct verify_found *fd)
{
	pdf_obj *c = pdf_dict_get(ctx, fd->sig, PDF_NAME(Cert));
	int i, n = pdf_is_array(ctx, c) ? pdf_array_len(ctx, c) : 1;
	size_t len = 0;

	for (i = 0; i < n; i++)
		len += pdf_to_str_len(ctx, pdf_is_array(ctx, c) ? pdf_array_get(ctx, c, i) : c);
	if (len == 0)
		return;
	if ((fd->cert = malloc(len)) == NULL)
		fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory reading /Cert");
	/* each string resolved once, and never copied past what was counted: an
	 * entry loaded above may have made MuPDF repair the file, after which an
	 * entry counted before is another object now, and may be longer */
	for (i = 0; i < n && fd->certlen < len; i++) {
		pdf_obj *x = pdf_resolve_indirect(ctx, pdf_is_array(ctx, c) ? pdf_array_get(ctx, c, i) : c);
		size_t k = pdf_to_str_len(ctx, x);

		if (k > len - fd->certlen)
			k = len - fd->certlen;
		memcpy(fd->cert + fd->certlen, pdf_to_str_buf(ctx, x), k);
		fd->certlen += k;
	}
}

int
verify_find_sigs(fz_context *ctx, pdf_document *doc, struct verify_finds *f,
		 struct verify_report *r)
{
	size_t i;
	int rc = 0;

	fz_try(ctx) {
		if (walk_fields(ctx, doc, found, f))
			fz_throw(ctx, FZ_ERROR_GENERIC, "the form holds more than %d signatures",
				 MAX_SIGS);
		if (f->n > 0 && (r->sig = calloc(f->n, sizeof *r->sig)) == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
		for (i = 0; i < f->n; i++) {
			read_sig(ctx, &f->v[i], &r->sig[i]);
			read_cert(ctx, &f->v[i]);
		}
		r->nsig = f->n;
	}
	fz_catch(ctx) {
		SETF(r->why, "cannot read the signature fields: %s", fz_caught_message(ctx));
		rc = fz_caught(ctx) == FZ_ERROR_MEMORY ? -1 : 0;
		r->nsig = 0;
	}
	return rc;
}

void
verify_sort_sigs(struct verify_report *r, struct verify_finds *f)
{
	size_t i, j;

	for (i = 1; i < r->nsig; i++)
		for (j = i; j > 0; j--) {
			struct verify_sig *a = &r->sig[j - 1], *b = &r->sig[j], ts;
			struct verify_found tf;
			long long ka = a->nbr == 4 ? a->br[2] + a->br[3] : -1;
			long long kb = b->nbr == 4 ? b->br[2] + b->br[3] : -1;

			if (ka <= kb)
				break;
			ts = *a, *a = *b, *b = ts;
			tf = f->v[j - 1], f->v[j - 1] = f->v[j], f->v[j] = tf;
		}
}

void
verify_finds_free(fz_context *ctx, struct verify_finds *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		pdf_drop_obj(ctx, f->v[i].field);
		pdf_drop_obj(ctx, f->v[i].sig);
		free(f->v[i].contents);
		free(f->v[i].cert);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

long long
verify_sig_offset(fz_context *ctx, pdf_document *doc, int num)
{
	pdf_xref_entry *x = NULL;

	/* MuPDF 1.21's pdf_get_xref_entry stores into its index at num
	 * unchecked: a number past pdf_xref_len writes past that array */
	if (num <= 0 || num >= pdf_xref_len(ctx, doc))
		return -1;
	fz_var(x);
	fz_try(ctx)
		x = pdf_get_xref_entry(ctx, doc, num);
	fz_catch(ctx)
		return -1;
	return x && x->type == 'n' && x->ofs >= 0 ? (long long)x->ofs : -1;
}

void
verify_binding(fz_context *ctx, pdf_document *doc, const unsigned char *p,
	       const struct verify_found *fd, struct verify_sig *s)
{
	long long at = fd->sig ? verify_sig_offset(ctx, doc, fd->signum) : fd->sigofs;
	size_t ofs, a = (size_t)s->br[1];

	if (s->coverage == VC_INVALID)
		return;
	if (at < 0 || (size_t)at >= a) {
		s->coverage = VC_INVALID;
		SETF(s->coverage_why, "the signature dictionary (object %d) is not where its "
		     "/Contents hole is", fd->signum);
		return;
	}
	ofs = (size_t)at;
	if (memmem(p + ofs, a - ofs, "endobj", 6) != NULL) {
		s->coverage = VC_INVALID;
		SETF(s->coverage_why, "the /Contents hole lies outside the signature dictionary "
		     "(object %d)", fd->signum);
	}
}
