/*
 * verify_xref.c - the cross-reference sections after a signature against
 * the file's bytes (see verify_xref.h).  MuPDF reads the sections (tables
 * and streams alike) of a fresh copy of the document; nothing is loaded
 * through them before each entry has been checked, so MuPDF's repair (which
 * would hide the lie) cannot run first.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "verify_bytes.h"
#include "verify_xref.h"

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

/* is_ws - PDF white space. */
static int
is_ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* number - the digits at *i (advanced past them), -1 when there are none. */
static long long
number(const unsigned char *p, size_t len, size_t *i)
{
	long long v = 0;
	size_t start = *i;

	while (*i < len && p[*i] >= '0' && p[*i] <= '9' && *i - start < 12)
		v = v * 10 + (p[(*i)++] - '0');
	return *i == start ? -1 : v;
}

/* holds - the bytes at ofs begin "num gen obj" (white space before and between allowed). */
static int
holds(const unsigned char *p, size_t len, size_t ofs, int num, int gen)
{
	size_t i = ofs;

	while (i < len && is_ws(p[i]))
		i++;
	if (number(p, len, &i) != num || i >= len || !is_ws(p[i]))
		return 0;
	while (i < len && is_ws(p[i]))
		i++;
	if (number(p, len, &i) != gen)
		return 0;
	while (i < len && is_ws(p[i]))
		i++;
	return i + 3 <= len && memcmp(p + i, "obj", 3) == 0;
}

/* check_entry - why entry num of a later section lies, or NULL. */
static const char *
check_entry(const unsigned char *p, size_t len, int num, const pdf_xref_entry *e, char *why,
	    size_t cap)
{
	if (e->type != 'n')
		return NULL;
	if (e->ofs < 0 || (uint64_t)e->ofs >= len)
		snprintf(why, cap, "the cross-reference entry of object %d written after the "
			 "signature points past the end of the file (byte %lld of %zu)", num,
			 (long long)e->ofs, len);
	else if (!holds(p, len, (size_t)e->ofs, num, e->gen))
		snprintf(why, cap, "the cross-reference entry of object %d written after the "
			 "signature points at byte %lld, which does not hold that object", num,
			 (long long)e->ofs);
	else
		return NULL;
	return why;
}

/*
 * table_lies - the classic table (if it is one) at ofs: 1 with why when an
 * in-use entry lies.  Read leniently (any white space), bounded by the file.
 */
static int
table_lies(const unsigned char *p, size_t len, size_t ofs, char *why, size_t cap)
{
	size_t i = ofs + 4;
	long long start, count, k;

	if (ofs + 4 > len || memcmp(p + ofs, "xref", 4) != 0)
		return 0;	/* a cross-reference stream: MuPDF reads it (scan) */
	for (;;) {
		while (i < len && is_ws(p[i]))
			i++;
		if ((start = number(p, len, &i)) < 0)
			return 0;	/* "trailer" */
		while (i < len && is_ws(p[i]))
			i++;
		if ((count = number(p, len, &i)) < 0)
			return 0;
		for (k = 0; k < count && i < len; k++) {
			pdf_xref_entry e;
			long long o, g;

			while (i < len && is_ws(p[i]))
				i++;
			o = number(p, len, &i);
			while (i < len && is_ws(p[i]))
				i++;
			g = number(p, len, &i);
			while (i < len && is_ws(p[i]))
				i++;
			if (o < 0 || g < 0 || i >= len)
				return 0;	/* malformed: MuPDF's own reading decides */
			memset(&e, 0, sizeof e);
			e.type = (char)p[i++];
			e.ofs = o;
			e.gen = (unsigned short)g;
			if (start + k <= INT32_MAX &&
			    check_entry(p, len, (int)(start + k), &e, why, cap))
				return 1;
		}
	}
}

/* tables_lie - every classic table of a revision that ends after end; 1 with why on a lie. */
static int
tables_lie(const unsigned char *p, size_t len, size_t end, char *why, size_t cap)
{
	struct verify_revs rv;
	int k, lies = 0;

	if (verify_revs_find(p, len, &rv) < 0) {
		verify_revs_free(&rv);
		return 0;
	}
	for (k = 0; k < rv.n && !lies; k++) {
		size_t i = rv.eof[k] - 5, digits = 0;
		long long at;

		if (rv.end[k] <= end)
			continue;
		while (i > 0 && is_ws(p[i - 1]))
			i--;
		while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
			i--, digits++;
		at = number(p, len, &i);
		if (digits > 0 && at >= 0 && (unsigned long long)at < len)
			lies = table_lies(p, len, (size_t)at, why, cap);
	}
	verify_revs_free(&rv);
	return lies;
}

/*
 * scan - the entries of the sections MuPDF read that the signed revision
 * does not have (newest first: the whole file's first sections beyond the
 * signed revision's count); 1 with why on a lie.
 */
static int
scan(pdf_document *doc, int later, const unsigned char *p, size_t len, char *why, size_t cap)
{
	int i, j;

	for (i = 0; i < later; i++) {
		pdf_xref_subsec *sub;

		for (sub = doc->xref_sections[i].subsec; sub; sub = sub->next)
			for (j = 0; j < sub->len; j++)
				if (check_entry(p, len, sub->start + j, &sub->table[j], why, cap))
					return 1;
	}
	return 0;
}

/* load_one - object num loaded and dropped (a failure shows as a repair). */
static void
load_one(fz_context *ctx, pdf_document *doc, int num)
{
	fz_try(ctx)
		pdf_drop_obj(ctx, pdf_load_object(ctx, doc, num));
	fz_catch(ctx) {
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			fz_rethrow(ctx);
	}
}

/* load_compressed - load each object of the later sections kept in an object stream. */
static void
load_compressed(fz_context *ctx, pdf_document *doc, int later)
{
	int i, j;

	for (i = 0; i < later && !pdf_was_repaired(ctx, doc); i++) {
		pdf_xref_subsec *sub;

		for (sub = doc->xref_sections[i].subsec; sub; sub = sub->next)
			for (j = 0; j < sub->len && !pdf_was_repaired(ctx, doc); j++)
				if (sub->table[j].type == 'o')
					load_one(ctx, doc, sub->start + j);
	}
}

int
verify_xref_lies(fz_context *ctx, const unsigned char *p, size_t len, size_t end, char *why,
		 size_t cap)
{
	pdf_document *doc = NULL, *signed_doc = NULL;
	int lies;

	if ((lies = tables_lie(p, len, end, why, cap)) != 0)
		return lies;
	fz_var(doc);
	fz_var(signed_doc);
	fz_var(lies);
	fz_try(ctx) {
		doc = verify_open_prefix(ctx, p, len);
		signed_doc = verify_open_prefix(ctx, p, end);
		if (pdf_was_repaired(ctx, doc)) {
			/* blame the later revisions only when the signed one reads as written */
			lies = !pdf_was_repaired(ctx, signed_doc);
			if (lies)
				snprintf(why, cap, "the cross-reference data written after the signature "
					 "cannot be read as written (readers rebuild it and may see "
					 "other objects)");
		} else if (!pdf_was_repaired(ctx, signed_doc)) {
			int later = doc->num_xref_sections - signed_doc->num_xref_sections;

			if ((lies = scan(doc, later, p, len, why, cap)) == 0) {
				load_compressed(ctx, doc, later);
				if ((lies = pdf_was_repaired(ctx, doc)) != 0)
					snprintf(why, cap, "an object written after the signature is not "
						 "in the object stream its cross-reference entry names");
			}
		}
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		pdf_drop_document(ctx, signed_doc);
	}
	fz_catch(ctx)
		lies = 0;	/* unreadable: the comparison says so */
	return lies;
}
