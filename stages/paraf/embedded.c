/*
 * embedded.c - the paraf metadata attached to the PDF (see embedded.h).
 *
 * Owns: finding the attachment, where the approved draft ends, and the
 * check that the attaching revision changes nothing a reader renders.
 * MuPDF calls stay inside small fz_try blocks; every failure becomes one
 * sidecar.embedded violation naming what was found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../spool/spool.h"
#include "embedded.h"

#define YAML_MAX (1 << 20)	/* as for a sidecar file */

/* is_ws - PDF white space. */
static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

/*
 * eof_marker - where the last "%%EOF" ending at or before `before` starts,
 * or -1.  A bare "%%EOF" inside a stream does not count: "startxref N" must
 * precede it.
 */
static long
eof_marker(const unsigned char *p, size_t before)
{
	size_t i, k;

	for (i = before; i >= 5; i--) {
		if (memcmp(p + i - 5, "%%EOF", 5) != 0)
			continue;
		k = i - 5;
		while (k > 0 && is_ws(p[k - 1]))
			k--;
		if (k == 0 || p[k - 1] < '0' || p[k - 1] > '9')
			continue;
		while (k > 0 && p[k - 1] >= '0' && p[k - 1] <= '9')
			k--;
		while (k > 0 && is_ws(p[k - 1]))
			k--;
		if (k >= 9 && memcmp(p + k - 9, "startxref", 9) == 0)
			return (long)(i - 5);
	}
	return -1;
}

/*
 * last_start - where the last revision of p begins: just after the previous
 * one's %%EOF and its end of line (*bare: without the end of line), or 0.
 */
static size_t
last_start(const unsigned char *p, size_t len, size_t *bare)
{
	long last = eof_marker(p, len), prev;
	size_t end;

	if (last < 0 || (prev = eof_marker(p, (size_t)last)) < 0)
		return 0;
	end = *bare = (size_t)prev + 5;
	if (end < (size_t)last && p[end] == '\r')
		end++;
	if (end < (size_t)last && p[end] == '\n')
		end++;
	return end;
}

/* dict_differs - the first key (not in skip) whose value differs between a and b, or NULL. */
static const char *
dict_differs(fz_context *ctx, pdf_obj *a, pdf_obj *b, pdf_obj *const *skip, int nskip)
{
	pdf_obj *dicts[2] = { a, b };
	int d, i, k, n;

	for (d = 0; d < 2; d++) {
		n = pdf_dict_len(ctx, dicts[d]);
		for (i = 0; i < n; i++) {
			pdf_obj *key = pdf_dict_get_key(ctx, dicts[d], i);
			for (k = 0; k < nskip && !pdf_name_eq(ctx, key, skip[k]); k++)
				;
			if (k < nskip)
				continue;
			if (pdf_objcmp(ctx, pdf_dict_get(ctx, a, key), pdf_dict_get(ctx, b, key)))
				return pdf_to_name(ctx, key);
		}
	}
	return NULL;
}

/* existed - object num is in use in old. */
static int
existed(fz_context *ctx, pdf_document *old, int num)
{
	pdf_xref_entry *e;

	if (num <= 0 || num >= pdf_xref_len(ctx, old))
		return 0;
	e = pdf_get_xref_entry(ctx, old, num);
	return e && (e->type == 'n' || e->type == 'o');
}

/*
 * only_attachment - why the last revision of doc (old: the file before it)
 * changes more than the attachment may, or NULL.  Runs inside fz_try.
 */
static const char *
only_attachment(fz_context *ctx, pdf_document *doc, pdf_document *old, char *buf, size_t cap)
{
	pdf_obj *cat_skip[] = { PDF_NAME(Names), PDF_NAME(Metadata) };
	pdf_obj *names_skip[] = { PDF_NAME(EmbeddedFiles) };
	pdf_obj *root = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root));
	pdf_obj *oroot = pdf_dict_get(ctx, pdf_trailer(ctx, old), PDF_NAME(Root));
	pdf_obj *onames = pdf_dict_get(ctx, oroot, PDF_NAME(Names));
	int keep[4], n = pdf_xref_len(ctx, doc), num, k;
	const char *key;

	if (pdf_count_versions(ctx, doc) < 2)
		return "lampiran tidak ditambahkan sebagai pembaruan inkremental (revisi baru)";
	if ((key = dict_differs(ctx, pdf_resolve_indirect(ctx, root),
				pdf_resolve_indirect(ctx, oroot), cat_skip, 2))) {
		snprintf(buf, cap, "revisi yang melampirkannya juga mengubah /%s pada katalog PDF",
			 key);
		return buf;
	}
	if (onames && (key = dict_differs(ctx, pdf_dict_get(ctx, root, PDF_NAME(Names)), onames,
					  names_skip, 1))) {
		snprintf(buf, cap, "revisi yang melampirkannya juga mengubah /Names /%s", key);
		return buf;
	}
	/* objects of the draft it may re-write: nothing else of the draft may change */
	keep[0] = pdf_to_num(ctx, oroot);
	keep[1] = pdf_is_indirect(ctx, onames) ? pdf_to_num(ctx, onames) : 0;
	keep[2] = pdf_to_num(ctx, pdf_dict_get(ctx, pdf_trailer(ctx, old), PDF_NAME(Info)));
	keep[3] = pdf_to_num(ctx, pdf_dict_get(ctx, oroot, PDF_NAME(Metadata)));
	for (num = 1; num < n; num++) {
		pdf_obj *ref;
		int v;
		if (!existed(ctx, old, num))
			continue;	/* new in the last revision, or not at all */
		ref = pdf_new_indirect(ctx, doc, num, 0);
		v = pdf_find_version_for_obj(ctx, doc, ref);
		pdf_drop_obj(ctx, ref);
		for (k = 0; k < 4 && keep[k] != num; k++)
			;
		if (v == 0 && k == 4) {
			snprintf(buf, cap, "revisi yang melampirkannya juga mengubah objek %d dari "
				 "draf yang diparaf", num);
			return buf;
		}
	}
	return NULL;
}

/* attached - the attachment's bytes, or NULL when there is none; throws on damage. */
static fz_buffer *
attached(fz_context *ctx, pdf_document *doc)
{
	pdf_obj *name = NULL, *fs;
	fz_buffer *b = NULL;

	fz_var(name);
	fz_var(b);
	fz_try(ctx) {
		name = pdf_new_text_string(ctx, SPOOL_EMBEDDED_NAME);
		fs = pdf_lookup_name(ctx, doc, PDF_NAME(EmbeddedFiles), name);
		if (fs && pdf_is_embedded_file(ctx, fs))
			b = pdf_load_embedded_file_contents(ctx, fs);
	}
	fz_always(ctx)
		pdf_drop_obj(ctx, name);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return b;
}

int
embedded_load(fz_context *ctx, pdf_document *doc, const unsigned char *p, size_t len,
	      struct embedded *out, struct errs *errs)
{
	pdf_document *old = NULL;
	fz_stream *stm = NULL;
	fz_buffer *b = NULL;
	const char *why = NULL;
	char buf[200];
	unsigned char *data;
	size_t n = 0, start;

	memset(out, 0, sizeof *out);
	fz_var(old);
	fz_var(stm);
	fz_var(b);
	fz_var(why);
	fz_try(ctx) {
		if ((b = attached(ctx, doc)) != NULL) {
			n = fz_buffer_storage(ctx, b, &data);
			start = last_start(p, len, &out->bare);
			if (n > YAML_MAX)
				why = "ukurannya lebih dari 1 MiB";
			else if (start == 0)
				why = "lampiran tidak ditambahkan sebagai pembaruan inkremental (berkas "
				      "hanya memiliki satu revisi)";
			else {
				stm = fz_open_memory(ctx, p, start);
				old = pdf_open_document_with_stream(ctx, stm);
				why = only_attachment(ctx, doc, old, buf, sizeof buf);
				out->approved = start;
			}
			if (!why && (out->yaml = malloc(n + 1)) != NULL) {
				memcpy(out->yaml, data, n);
				out->yaml[n] = '\0';
				out->len = n;
			} else if (!why) {
				why = "memori tidak cukup";
			}
		}
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, old);
		fz_drop_stream(ctx, stm);
		fz_drop_buffer(ctx, b);
	}
	fz_catch(ctx) {
		snprintf(buf, sizeof buf, "%s", fz_caught_message(ctx));
		why = buf;
		b = NULL;
	}
	if (why) {
		free(out->yaml);
		memset(out, 0, sizeof *out);
		errs_addf(errs, "sidecar.embedded", "", 0, 0, "lampiran %s tidak dapat digunakan: %s",
			  SPOOL_EMBEDDED_NAME, why);
		return -1;
	}
	return out->yaml ? 1 : 0;
}
