/*
 * inspect.c - a viewer's reading of the document, with budgets, and a strict
 * reading of the bytes beside it.  See inspect.h.
 *
 * Why each check: a signature vouches for what the reader sees, so the file
 * must show the same thing in every viewer.  MuPDF recovers silently (or with
 * a warning) from much that other readers treat differently: a stream that
 * does not decode, a font that does not load, a /Length that does not reach
 * endstream.  Any such message while reading is a refusal here.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inline.h"
#include "inspect.h"
#include "jbig2size.h"
#include "walk.h"

/* Budgets: a page of a letter decodes in kilobytes; a scanned A3 page at
 * 300 dpi in RGB is some 52 MB raw and compresses at most a few hundred times. */
#define STREAM_MAX	(512LL << 20)	/* decoded bytes of one stream, whatever its ratio */
#define STREAM_BIG	(64LL << 20)	/* beyond this a stream must not inflate ... */
#define RATIO_MAX	1000		/* ... more than this many times its encoded size */
#define TOTAL_MAX	(2048LL << 20)	/* decoded bytes of all streams */

/*
 * JBIG2 costs by the pixel, not by the byte: jbig2dec decodes a generic
 * region pixel by pixel (some 10 ns each) unless its rows are "typical", and
 * garbage data makes none typical, so 72 bytes asking for a 58 MiB region
 * kept a worker busy for five seconds.  Bitmap bytes asked for (page and
 * regions, jbig2size.h): a scanned A4 page at 300 dpi asks 2.2 MiB, at
 * 600 dpi 8.7 MiB, an A3 page at 600 dpi 17 MiB; a document of 110 such A4
 * pages at 300 dpi is under the document's budget, some 10 s at worst.
 */
#define JBIG2_MAX	(48LL << 20)	/* bitmap bytes one JBIG2 image asks for */
#define JBIG2_DOC_MAX	(256LL << 20)	/* ... all JBIG2 images of the document */
#define JBIG2_OUTSIDE	(128LL << 10)	/* region bytes past the page's edges (jbig2size.h) */

/* What the streams decoded so far have cost. */
struct decoded {
	long long bytes;	/* decoded bytes of every stream */
	long long jbig2;	/* JBIG2 bitmap bytes asked for */
};

static void
heard(void *user, const char *message)
{
	struct inspect_log *log = user;

	if (log->n++ == 0)
		snprintf(log->first, sizeof log->first, "%s", message);
}

void
inspect_listen(fz_context *ctx, struct inspect_log *log)
{
	memset(log, 0, sizeof *log);
	log->old_warn = fz_warning_callback(ctx, &log->old_warn_user);
	log->old_err = fz_error_callback(ctx, &log->old_err_user);
	fz_flush_warnings(ctx);
	fz_set_warning_callback(ctx, heard, log);
	fz_set_error_callback(ctx, heard, log);
}

void
inspect_unlisten(fz_context *ctx, struct inspect_log *log)
{
	fz_flush_warnings(ctx);
	fz_set_warning_callback(ctx, log->old_warn, log->old_warn_user);
	fz_set_error_callback(ctx, log->old_err, log->old_err_user);
}

/* A reading's finding: code and message, the first one wins; and the objects it visited. */
struct finding {
	const char *code;
	char *msg;
	size_t cap;
	long visits;
};

static void
found(struct finding *f, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (f->code)
		return;
	f->code = code;
	va_start(ap, fmt);
	vsnprintf(f->msg, f->cap, fmt, ap);
	va_end(ap);
}

/*
 * The walk's budget of objects visited: content and appearance streams run,
 * annotations, form XObjects entered by the loop check, bookmarks.  A
 * 20000-page document with a few annotations a page visits some 100,000;
 * one that lists the same annotation a million times (6 MB) kept the walk
 * busy for 4.4 s and a viewer for as long as it draws them.
 */
#define VISIT_MAX 1000000L

/* visit - one object more; past the budget, pdf.bomb (0 then: stop). */
static int
visit(struct finding *f)
{
	if (++f->visits <= VISIT_MAX)
		return 1;
	found(f, "pdf.bomb", "pembacaan dokumen mengunjungi lebih dari %ld objek (halaman, "
	      "anotasi, objek gambar, penanda)", VISIT_MAX);
	return 0;
}

static int
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\0';
}

/*
 * strict_object - object num at offset ofs as a strict reader finds it: its
 * line holds nothing before it (no comment it hides in), and a stream starts
 * after `stream` and an end of line and ends, after exactly /Length bytes and
 * an end of line, with endstream.
 */
static void
strict_object(fz_context *ctx, pdf_document *doc, int num, const unsigned char *pdf, size_t len,
	      struct finding *f)
{
	pdf_xref_entry *e = pdf_get_xref_entry_no_null(ctx, doc, num);
	int64_t ofs = e->ofs, s, end;
	pdf_obj *obj;
	int64_t i, n;

	if (e->type != 'n' || ofs <= 0 || (size_t)ofs >= len)
		return;
	for (i = ofs - 1; i >= 0 && pdf[i] != '\n' && pdf[i] != '\r'; i--)
		if (pdf[i] == '%') {
			found(f, "pdf.ambiguous", "objek %d: offset xref-nya menunjuk ke dalam komentar "
			      "(byte %lld)", num, (long long)ofs);
			return;
		}
	obj = pdf_load_object(ctx, doc, num);
	fz_try(ctx) {
		if (!pdf_obj_num_is_stream(ctx, doc, num))
			break;
		e = pdf_get_xref_entry_no_null(ctx, doc, num);
		s = e->stm_ofs;
		if (s < 8 || (size_t)s > len)
			break;
		if (pdf[s - 1] != '\n' || (memcmp(pdf + s - 7, "stream", 6) != 0 &&
					   memcmp(pdf + s - 8, "stream\r", 7) != 0)) {
			found(f, "pdf.ambiguous", "objek %d: kata kunci stream tidak diikuti akhir "
			      "baris (byte %lld)", num, (long long)s);
			break;
		}
		n = pdf_to_int64(ctx, pdf_dict_get(ctx, obj, PDF_NAME(Length)));
		end = s + n;
		if (n < 0 || (size_t)end > len) {
			found(f, "pdf.ambiguous", "objek %d: /Length %lld melewati akhir berkas", num,
			      (long long)n);
			break;
		}
		while ((size_t)end < len && is_ws(pdf[end]))
			end++;
		if ((size_t)end + 9 > len || memcmp(pdf + end, "endstream", 9) != 0)
			found(f, "pdf.ambiguous", "objek %d: /Length %lld tidak berakhir tepat di "
			      "endstream", num, (long long)n);
	}
	fz_always(ctx)
		pdf_drop_obj(ctx, obj);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* too_big - whether out decoded bytes from in encoded ones are past the stream budgets. */
static int
too_big(long long out, long long in)
{
	return out > STREAM_MAX || (out > STREAM_BIG && out / (in > 0 ? in : 1) > RATIO_MAX);
}

/*
 * jbig2_asks - the bitmap bytes a JBIG2 decoder allocates for stream obj
 * (jbig2size.h), counted before it runs; 0 unless its data as stored is
 * JBIG2 (the first filter).  A JBIG2Decode after another filter is counted
 * as it comes out, like any stream.
 */
static long long
jbig2_asks(fz_context *ctx, pdf_document *doc, int num, pdf_obj *obj, long long *off)
{
	pdf_obj *filter = pdf_dict_get(ctx, obj, PDF_NAME(Filter));
	pdf_obj *parms = pdf_dict_get(ctx, obj, PDF_NAME(DecodeParms));
	fz_buffer *raw = NULL, *globals = NULL;
	unsigned char *data;
	uint64_t asks = 0, outside = 0;
	size_t len;

	*off = 0;
	if (pdf_is_array(ctx, filter)) {
		filter = pdf_array_get(ctx, filter, 0);
		parms = pdf_array_get(ctx, parms, 0);
	}
	if (!pdf_name_eq(ctx, filter, PDF_NAME(JBIG2Decode)))
		return 0;
	fz_var(raw);
	fz_var(globals);
	fz_var(asks);
	fz_var(outside);
	fz_try(ctx) {
		raw = pdf_load_raw_stream_number(ctx, doc, num);
		len = fz_buffer_storage(ctx, raw, &data);
		asks = jbig2_bitmap_bytes(data, len);
		outside = jbig2_outside_bytes(data, len);
		if (pdf_is_stream(ctx, pdf_dict_get(ctx, parms, PDF_NAME(JBIG2Globals)))) {
			globals = pdf_load_stream(ctx, pdf_dict_get(ctx, parms, PDF_NAME(JBIG2Globals)));
			len = fz_buffer_storage(ctx, globals, &data);
			asks += jbig2_bitmap_bytes(data, len);
		}
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, raw);
		fz_drop_buffer(ctx, globals);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	*off = outside > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)outside;
	return asks > (uint64_t)LLONG_MAX ? LLONG_MAX : (long long)asks;
}

/* may_run - whether stream obj may be content a viewer runs (not an image, font program or file). */
static int
may_run(fz_context *ctx, pdf_obj *obj)
{
	pdf_obj *sub = pdf_dict_get(ctx, obj, PDF_NAME(Subtype)), *type = pdf_dict_get(ctx, obj, PDF_NAME(Type));

	return !pdf_name_eq(ctx, sub, PDF_NAME(Image)) && !pdf_name_eq(ctx, sub, PDF_NAME(Type1C)) &&
	       !pdf_name_eq(ctx, sub, PDF_NAME(CIDFontType0C)) && !pdf_name_eq(ctx, sub, PDF_NAME(OpenType)) &&
	       !pdf_name_eq(ctx, type, PDF_NAME(ObjStm)) && !pdf_name_eq(ctx, type, PDF_NAME(Metadata)) &&
	       !pdf_name_eq(ctx, type, PDF_NAME(EmbeddedFile)) && !pdf_dict_get(ctx, obj, PDF_NAME(Length1)) &&
	       !pdf_dict_get(ctx, obj, PDF_NAME(Length2)) && !pdf_dict_get(ctx, obj, PDF_NAME(Length3));
}

/*
 * decode_stream - read stream num to its end, counting, within the budgets;
 * *bi: whether it may be content and holds BI (inline_scan_feed).
 */
static void
decode_stream(fz_context *ctx, pdf_document *doc, int num, struct decoded *total, int *bi,
	      struct finding *f)
{
	static unsigned char buf[1 << 16];	/* scratch: a worker is a process, one document at a time */
	struct inline_scan scan = { { 0 }, 0, 0 };
	fz_stream *stm = NULL;
	pdf_obj *obj = NULL;
	long long out = 0, in, asks, off;
	size_t got;
	int content = 0;

	fz_var(stm);
	fz_var(obj);
	fz_var(out);
	fz_var(scan);
	fz_var(content);
	fz_try(ctx) {
		obj = pdf_load_object(ctx, doc, num);
		if (!pdf_obj_num_is_stream(ctx, doc, num) ||
		    pdf_name_eq(ctx, pdf_dict_get(ctx, obj, PDF_NAME(Type)), PDF_NAME(XRef)))
			break;
		in = pdf_to_int64(ctx, pdf_dict_get(ctx, obj, PDF_NAME(Length)));
		asks = jbig2_asks(ctx, doc, num, obj, &off);
		if (off > JBIG2_OUTSIDE) {
			found(f, "pdf.bomb", "gambar JBIG2 objek %d menempatkan region di luar halamannya "
			      "(%lld KiB bitmap yang didekode tetapi tidak tampil)", num, off >> 10);
			break;
		}
		if (too_big(asks, in) || asks > JBIG2_MAX) {
			found(f, "pdf.bomb", "gambar JBIG2 objek %d meminta %lld MiB bitmap (dari %lld "
			      "byte; batas %lld MiB per gambar)", num, asks >> 20, in, JBIG2_MAX >> 20);
			break;
		}
		if ((total->jbig2 += asks) > JBIG2_DOC_MAX) {
			found(f, "pdf.bomb", "gambar JBIG2 sampai objek %d meminta lebih dari %lld MiB "
			      "bitmap seluruhnya", num, JBIG2_DOC_MAX >> 20);
			break;
		}
		content = may_run(ctx, obj);
		stm = pdf_open_stream_number(ctx, doc, num);
		while ((got = fz_read(ctx, stm, buf, sizeof buf)) > 0) {
			if (content)
				inline_scan_feed(&scan, buf, got);
			out += (long long)got;
			total->bytes += (long long)got;
			if (too_big(out, in)) {
				found(f, "pdf.bomb", "stream objek %d mengembang lebih dari %lld MiB "
				      "(dari %lld byte)", num, out >> 20, in);
				break;
			}
			if (total->bytes > TOTAL_MAX) {
				found(f, "pdf.bomb", "stream sampai objek %d mengembang lebih dari %lld MiB "
				      "seluruhnya", num, total->bytes >> 20);
				break;
			}
		}
	}
	fz_always(ctx) {
		fz_drop_stream(ctx, stm);
		pdf_drop_obj(ctx, obj);
	}
	fz_catch(ctx)
		found(f, "pdf.corrupt", "stream objek %d tidak dapat didekode (%lld byte terbaca)",
		      num, out);
	*bi = scan.seen;
}

/* inline_images - stream num, in which decode_stream saw BI, read again for its inline images' pixmaps. */
static void
inline_images(fz_context *ctx, pdf_document *doc, int num, struct finding *f)
{
	fz_stream *stm = NULL;
	uint64_t asks = 0;

	fz_var(stm);
	fz_var(asks);
	fz_try(ctx) {
		stm = pdf_open_stream_number(ctx, doc, num);
		asks = inline_image_bytes(ctx, stm);
	}
	fz_always(ctx)
		fz_drop_stream(ctx, stm);
	fz_catch(ctx)
		fz_rethrow(ctx);
	if (asks > (uint64_t)STREAM_BIG)
		found(f, "pdf.bomb", "gambar sisip (inline image) di stream objek %d meminta %llu MiB "
		      "piksel", num, (unsigned long long)(asks >> 20));
}

/* contents_loop - a page's /Contents array that lists itself. */
static void
contents_loop(fz_context *ctx, pdf_obj *page, int pno, struct finding *f)
{
	pdf_obj *c = pdf_dict_get(ctx, page, PDF_NAME(Contents));
	int i, n;

	if (!pdf_is_array(ctx, c) || !pdf_is_indirect(ctx, c))
		return;
	n = pdf_array_len(ctx, c);
	for (i = 0; i < n; i++)
		if (pdf_to_num(ctx, pdf_array_get(ctx, c, i)) == pdf_to_num(ctx, c))
			found(f, "pdf.loop", "halaman %d: /Contents memuat dirinya sendiri (objek %d)",
			      pno, pdf_to_num(ctx, c));
}

#define XOBJ_DEPTH 64	/* form XObjects drawn inside each other */

/*
 * xobj_loop - a form XObject that draws itself, directly or through others
 * (the dictionary cycle a viewer follows: MuPDF stops silently, others recurse
 * until they give up).  A form's resources may name the form itself without
 * drawing it (shared resource dictionaries): only names its content uses
 * count.  Each form is entered once in the whole document (done: a form
 * walked to its end draws no loop, whichever page draws it), so the walk is
 * linear in the forms: 2000 pages sharing 2000 forms were 4 million walks.
 */
static void
xobj_loop(fz_context *ctx, pdf_obj *form, struct walk_seen *done, int depth, struct finding *f)
{
	pdf_obj *xo = pdf_dict_getp(ctx, form, "Resources/XObject");
	fz_buffer *buf = NULL;
	int i, n = pdf_dict_len(ctx, xo);

	if (n == 0 || f->code || !visit(f))
		return;
	if (pdf_mark_obj(ctx, form)) {
		found(f, "pdf.loop", "XObject objek %d menggambar dirinya sendiri", pdf_to_num(ctx, form));
		return;
	}
	fz_var(buf);
	fz_try(ctx) {
		unsigned char *data;
		size_t len;

		if (depth > XOBJ_DEPTH) {
			found(f, "pdf.loop", "XObject bersarang lebih dari %d tingkat", XOBJ_DEPTH);
			break;
		}
		buf = pdf_load_stream(ctx, form);
		len = fz_buffer_storage(ctx, buf, &data);
		for (i = 0; i < n && !f->code; i++) {
			pdf_obj *kid = pdf_dict_get_val(ctx, xo, i);
			const char *name = pdf_to_name(ctx, pdf_dict_get_key(ctx, xo, i));
			char tok[130];

			if (!pdf_name_eq(ctx, pdf_dict_get(ctx, kid, PDF_NAME(Subtype)), PDF_NAME(Form)))
				continue;
			snprintf(tok, sizeof tok, "/%s", name);
			if (!memmem(data, len, tok, strlen(tok)))
				continue;
			if (!pdf_obj_marked(ctx, kid) && walk_seen_add(ctx, done, kid))
				continue;
			xobj_loop(ctx, kid, done, depth + 1, f);
		}
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, buf);
		pdf_unmark_obj(ctx, form);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* page_xobj_loop - xobj_loop from every form a page's resources name (done: the document's). */
static void
page_xobj_loop(fz_context *ctx, pdf_obj *page, struct walk_seen *done, struct finding *f)
{
	pdf_obj *xo = pdf_dict_getp(ctx, pdf_dict_get_inheritable(ctx, page, PDF_NAME(Resources)),
				    "XObject");
	int i, n = pdf_dict_len(ctx, xo);

	for (i = 0; i < n && !f->code; i++) {
		pdf_obj *kid = pdf_dict_get_val(ctx, xo, i);
		if (pdf_name_eq(ctx, pdf_dict_get(ctx, kid, PDF_NAME(Subtype)), PDF_NAME(Form)) &&
		    !walk_seen_add(ctx, done, kid))
			xobj_loop(ctx, kid, done, 1, f);
	}
}

/*
 * Fonts a viewer takes from its own store: a Type 1 or TrueType font without
 * an embedded program has nothing in the file to decode, but MuPDF's loading
 * of its encoding (a name lookup per code) is most of a letter's inspection.
 * Such fonts are put in MuPDF's store as a stand-in before the run, and taken
 * out after it, so that later stages load the real ones.
 */
struct stand_ins {
	pdf_obj **key;
	int n, cap;
	fz_store_drop_fn *drop;
};

static int
plain_font(fz_context *ctx, pdf_obj *font)
{
	pdf_obj *sub = pdf_dict_get(ctx, font, PDF_NAME(Subtype));
	pdf_obj *fd = pdf_dict_get(ctx, font, PDF_NAME(FontDescriptor));

	if (!pdf_is_indirect(ctx, font) || (!pdf_name_eq(ctx, sub, PDF_NAME(Type1)) &&
	    !pdf_name_eq(ctx, sub, PDF_NAME(TrueType)) && !pdf_name_eq(ctx, sub, PDF_NAME(MMType1))))
		return 0;
	return !pdf_dict_get(ctx, fd, PDF_NAME(FontFile)) && !pdf_dict_get(ctx, fd, PDF_NAME(FontFile2)) &&
	       !pdf_dict_get(ctx, fd, PDF_NAME(FontFile3));
}

/* stand_in - the plain fonts of resources res, in the store as a base-14 font, identity-coded. */
static void
stand_in(fz_context *ctx, pdf_obj *res, struct stand_ins *s)
{
	pdf_obj *fonts = pdf_dict_get(ctx, res, PDF_NAME(Font));
	int i, n = pdf_dict_len(ctx, fonts);

	if (!s->drop) {		/* the font store's type: its entries' drop function */
		pdf_font_desc *d = pdf_new_font_desc(ctx);
		s->drop = d->storable.drop;
		pdf_drop_font(ctx, d);
	}
	for (i = 0; i < n; i++) {
		pdf_obj *font = pdf_dict_get_val(ctx, fonts, i);
		pdf_font_desc *desc;

		if (!plain_font(ctx, font))
			continue;
		if ((desc = pdf_find_item(ctx, s->drop, font)) != NULL) {
			pdf_drop_font(ctx, desc);	/* loaded already */
			continue;
		}
		if (s->n == s->cap) {
			s->cap = s->cap ? 2 * s->cap : 8;
			s->key = fz_realloc_array(ctx, s->key, s->cap, pdf_obj *);
		}
		desc = pdf_new_font_desc(ctx);
		fz_try(ctx) {
			desc->font = fz_new_base14_font(ctx, "Helvetica");
			desc->encoding = pdf_new_identity_cmap(ctx, 0, 1);
			desc->size = sizeof *desc;
			pdf_store_item(ctx, font, desc, desc->size);
			s->key[s->n++] = pdf_keep_obj(ctx, font);
		}
		fz_always(ctx)
			pdf_drop_font(ctx, desc);
		fz_catch(ctx)
			fz_rethrow(ctx);
	}
}

/* stand_ins_drop - take the stand-ins out of the store again. */
static void
stand_ins_drop(fz_context *ctx, struct stand_ins *s)
{
	int i;

	for (i = 0; i < s->n; i++) {
		pdf_remove_item(ctx, s->drop, s->key[i]);
		pdf_drop_obj(ctx, s->key[i]);
	}
	fz_free(ctx, s->key);
}

/*
 * The drawing budget: a page whose content draws more than this (paths,
 * text runs, images, clips: every device call) is refused as pdf.bomb.  A
 * form XObject drawn twice by one drawn twice by ... (26 levels, 1.7 KB) is
 * 2^26 draws: a viewer would spin for minutes.  Real pages stay far below:
 * a letter makes a few hundred calls, a detailed vector map some 100,000.
 */
#define DRAW_MAX 2000000L

/*
 * And the document's: 40 pages each drawing half a million times (each its
 * own content, so none is skipped as run already) kept validate busy for
 * over two minutes.  Five million calls (a form run counts as one, below)
 * is some 5 s at worst, for calls that are all forms; a 500-page report of
 * text and tables makes a few hundred thousand.
 */
#define DRAW_DOC_MAX 5000000L

/*
 * And the forms run: each run of a form XObject costs far more than a fill
 * (a graphics state, a clip, its resources looked up), some 1 us in a
 * worker and 10 us under the sanitizers, so a form DAG just under the
 * budgets above still kept a worker busy for seconds on a 2 KB file.
 * Letters run a few forms (a logo, a stamp), a 500-page report a few
 * thousand, a map with a form per symbol some tens of thousands.
 */
#define FORM_DOC_MAX 100000L

/*
 * struct tally - a device that counts the calls and draws nothing.  The run
 * itself does the checking: the interpreter bounds every glyph it shows
 * (pdf_tos_make_trm: a font's glyphs loaded, a Type 3 glyph's procedure run),
 * loads every font, image and shading it meets, and warns or throws on what
 * it cannot; what a device does with the calls adds nothing to that.  A
 * bounding-box device behind the tally bounded each glyph a second time
 * (2 us a letter of 3,000 glyphs) for a box nobody read.
 */
struct tally {
	fz_device super;
	long n, total;		/* calls on this page, in the document */
	long forms;		/* form XObjects run in the document */
};

/* count - one call more; past a budget the interpreter is stopped (ABORT is never swallowed). */
static void
count(fz_context *ctx, fz_device *dev)
{
	struct tally *t = (struct tally *)dev;

	if (++t->n > DRAW_MAX || ++t->total > DRAW_DOC_MAX)
		fz_throw(ctx, FZ_ERROR_ABORT, "more than %ld drawing operations", t->n > DRAW_MAX ?
			 DRAW_MAX : DRAW_DOC_MAX);
}

static void
t_fill_path(fz_context *ctx, fz_device *d, const fz_path *p, int eo, fz_matrix m, fz_colorspace *cs,
	    const float *c, float a, fz_color_params cp)
{
	count(ctx, d);
}

static void
t_stroke_path(fz_context *ctx, fz_device *d, const fz_path *p, const fz_stroke_state *st,
	      fz_matrix m, fz_colorspace *cs, const float *c, float a, fz_color_params cp)
{
	count(ctx, d);
}

static void
t_clip_path(fz_context *ctx, fz_device *d, const fz_path *p, int eo, fz_matrix m, fz_rect sc)
{
	count(ctx, d);
}

static void
t_clip_stroke_path(fz_context *ctx, fz_device *d, const fz_path *p, const fz_stroke_state *st,
		   fz_matrix m, fz_rect sc)
{
	count(ctx, d);
}

static void
t_fill_text(fz_context *ctx, fz_device *d, const fz_text *t, fz_matrix m, fz_colorspace *cs,
	    const float *c, float a, fz_color_params cp)
{
	count(ctx, d);
}

static void
t_stroke_text(fz_context *ctx, fz_device *d, const fz_text *t, const fz_stroke_state *st,
	      fz_matrix m, fz_colorspace *cs, const float *c, float a, fz_color_params cp)
{
	count(ctx, d);
}

static void
t_clip_text(fz_context *ctx, fz_device *d, const fz_text *t, fz_matrix m, fz_rect sc)
{
	count(ctx, d);
}

static void
t_clip_stroke_text(fz_context *ctx, fz_device *d, const fz_text *t, const fz_stroke_state *st,
		   fz_matrix m, fz_rect sc)
{
	count(ctx, d);
}

static void
t_ignore_text(fz_context *ctx, fz_device *d, const fz_text *t, fz_matrix m)
{
	count(ctx, d);
}

static void
t_fill_shade(fz_context *ctx, fz_device *d, fz_shade *sh, fz_matrix m, float a, fz_color_params cp)
{
	count(ctx, d);
}

static void
t_fill_image(fz_context *ctx, fz_device *d, fz_image *im, fz_matrix m, float a, fz_color_params cp)
{
	count(ctx, d);
}

static void
t_fill_image_mask(fz_context *ctx, fz_device *d, fz_image *im, fz_matrix m, fz_colorspace *cs,
		  const float *c, float a, fz_color_params cp)
{
	count(ctx, d);
}

static void
t_clip_image_mask(fz_context *ctx, fz_device *d, fz_image *im, fz_matrix m, fz_rect sc)
{
	count(ctx, d);
}

static void
t_begin_mask(fz_context *ctx, fz_device *d, fz_rect r, int lum, fz_colorspace *cs, const float *bc,
	     fz_color_params cp)
{
	count(ctx, d);
}

static void
t_begin_group(fz_context *ctx, fz_device *d, fz_rect r, fz_colorspace *cs, int iso, int ko, int bm,
	      float a)
{
	count(ctx, d);
}

/* t_begin_tile - 0: nothing cached, the interpreter runs the cell's content (as before) */
static int
t_begin_tile(fz_context *ctx, fz_device *d, fz_rect a, fz_rect v, float xs, float ys, fz_matrix m,
	     int id)
{
	count(ctx, d);
	return 0;
}

/* new_tally - a counting device (the ends of clips, masks, groups and tiles are not calls). */
static fz_device *
new_tally(fz_context *ctx)
{
	struct tally *t = fz_new_derived_device(ctx, struct tally);

	t->super.fill_path = t_fill_path;
	t->super.stroke_path = t_stroke_path;
	t->super.clip_path = t_clip_path;
	t->super.clip_stroke_path = t_clip_stroke_path;
	t->super.fill_text = t_fill_text;
	t->super.stroke_text = t_stroke_text;
	t->super.clip_text = t_clip_text;
	t->super.clip_stroke_text = t_clip_stroke_text;
	t->super.ignore_text = t_ignore_text;
	t->super.fill_shade = t_fill_shade;
	t->super.fill_image = t_fill_image;
	t->super.fill_image_mask = t_fill_image_mask;
	t->super.clip_image_mask = t_clip_image_mask;
	t->super.begin_mask = t_begin_mask;
	t->super.begin_group = t_begin_group;
	t->super.begin_tile = t_begin_tile;
	return &t->super;
}

/*
 * A form XObject run counts as a drawing call too: most of a form DAG's
 * cost is running the forms, not the few fills at its leaves.  The run
 * processor is MuPDF's, so its Do of a form is wrapped, with the tally of
 * the run in static storage (a worker reads one document at a time).
 */
static struct tally *running;
static void (*run_do_form)(fz_context *ctx, pdf_processor *proc, const char *name, pdf_obj *form,
			   pdf_obj *page_res);

static void
counted_do_form(fz_context *ctx, pdf_processor *proc, const char *name, pdf_obj *form, pdf_obj *page_res)
{
	if (++running->forms > FORM_DOC_MAX)
		fz_throw(ctx, FZ_ERROR_ABORT, "more than %ld forms run", FORM_DOC_MAX);
	count(ctx, &running->super);
	run_do_form(ctx, proc, name, form, page_res);
}

/* run_stream - content (a stream or an array of them) with resources res, as a viewer runs it. */
static void
run_stream(fz_context *ctx, pdf_document *doc, fz_device *dev, pdf_obj *res, pdf_obj *content,
	   fz_cookie *cookie)
{
	pdf_processor *proc = pdf_new_run_processor(ctx, dev, fz_identity, "View", NULL, NULL, cookie);

	running = (struct tally *)dev;
	run_do_form = proc->op_Do_form;
	proc->op_Do_form = counted_do_form;
	fz_try(ctx) {
		pdf_process_contents(ctx, proc, doc, res, content, cookie);
		pdf_close_processor(ctx, proc);
	}
	fz_always(ctx)
		pdf_drop_processor(ctx, proc);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

#define PARENT_DEPTH 64	/* a field hierarchy is a few levels deep */

/*
 * parent_loop - annot's /Parent chain (a widget's fields) that comes back on
 * itself or goes on past PARENT_DEPTH: viewers follow it for the field's
 * full name and its inherited /FT, /V and /DA, some until they crash.
 */
static void
parent_loop(fz_context *ctx, pdf_obj *annot, int pno, struct finding *f)
{
	pdf_obj *chain[PARENT_DEPTH + 1], *node = annot;
	int n = 0;

	fz_var(node);
	fz_var(n);
	fz_try(ctx) {
		for (; pdf_is_dict(ctx, node) && !f->code; node = pdf_dict_get(ctx, node, PDF_NAME(Parent))) {
			if (n > PARENT_DEPTH) {
				found(f, "pdf.loop", "halaman %d: rantai /Parent anotasi objek %d lebih dari "
				      "%d tingkat", pno, pdf_to_num(ctx, annot), PARENT_DEPTH);
				break;
			}
			if (pdf_mark_obj(ctx, node)) {
				found(f, "pdf.loop", "halaman %d: rantai /Parent anotasi objek %d kembali ke "
				      "objek %d", pno, pdf_to_num(ctx, annot), pdf_to_num(ctx, node));
				break;
			}
			chain[n++] = node;
		}
	}
	fz_always(ctx)
		while (n > 0)
			pdf_unmark_obj(ctx, chain[--n]);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* run_annots - the normal appearance of every annotation on page pno, as shown. */
static void
run_annots(fz_context *ctx, pdf_document *doc, fz_device *dev, pdf_obj *page, int pno,
	   fz_cookie *cookie, struct finding *f)
{
	pdf_obj *annots = pdf_dict_get(ctx, page, PDF_NAME(Annots));
	int i, n = pdf_array_len(ctx, annots);

	for (i = 0; i < n && !f->code && visit(f); i++) {
		pdf_obj *annot = pdf_array_get(ctx, annots, i);
		pdf_obj *ap = pdf_dict_getp(ctx, annot, "AP/N");

		parent_loop(ctx, annot, pno, f);
		if (!pdf_is_stream(ctx, ap))
			ap = pdf_dict_get(ctx, ap, pdf_dict_get(ctx, annot, PDF_NAME(AS)));
		if (pdf_is_stream(ctx, ap) && !f->code)
			run_stream(ctx, doc, dev, pdf_dict_get(ctx, ap, PDF_NAME(Resources)), ap, cookie);
	}
}

/*
 * A page tree deeper than this is refused: a balanced one of 64 levels holds
 * more pages than any file, while readers recurse up /Parent and down /Kids
 * (MuPDF gives up at 100 levels, qpdf --check crashes at 50,000).
 */
#define PAGES_DEPTH 64

/* classify - a MuPDF message: a recursion is a loop, anything else damage. */
static const char *
classify(const char *m)
{
	if (strstr(m, "recurs") || strstr(m, "cycle") || strstr(m, "loop") || strstr(m, "infinite") ||
	    strstr(m, "stack overflow"))	/* MuPDF's nesting depth: a pattern that paints itself */
		return "pdf.loop";
	return "pdf.corrupt";
}

/*
 * run_pages - every page through the counting device (text measured glyph
 * by glyph by the interpreter, so Type 3 glyph procedures run), with its
 * annotations' appearances.  Pages in the page tree's order, found once (walk.h: MuPDF's
 * own lookup is quadratic); a content stream already run with the same
 * resources is not run again (20000 pages drawing one stream).
 */
static void
run_pages(fz_context *ctx, pdf_document *doc, struct finding *f)
{
	struct walk_pages pages = { 0 };
	struct walk_seen done = { 0 };
	fz_device *dev = NULL;
	int *ran = NULL;
	int i = 0, nx = pdf_xref_len(ctx, doc), page_over = 0, forms_over = 0;
	fz_cookie cookie = { 0 };
	struct stand_ins si = { 0 };

	fz_var(dev);
	fz_var(ran);
	fz_var(i);
	fz_try(ctx) {
		walk_pages_load(ctx, doc, &pages);
		if (pages.depth > PAGES_DEPTH) {
			found(f, "pdf.loop", "pohon halaman bersarang %d tingkat (lebih dari %d)",
			      pages.depth, PAGES_DEPTH);
			break;
		}
		walk_seen_init(ctx, doc, &done);
		ran = fz_calloc(ctx, (size_t)nx + 1, sizeof *ran);
		dev = new_tally(ctx);
		for (i = 0; i < pages.n && !f->code; i++) {
			pdf_obj *pg = pages.v[i];
			pdf_obj *res = pdf_dict_get_inheritable(ctx, pg, PDF_NAME(Resources));
			pdf_obj *content = pdf_dict_get(ctx, pg, PDF_NAME(Contents));
			int c = pdf_to_num(ctx, content), r = pdf_to_num(ctx, res) + 1;

			contents_loop(ctx, pg, i + 1, f);
			if (f->code)
				break;
			page_xobj_loop(ctx, pg, &done, f);
			if (f->code || !visit(f))
				break;
			stand_in(ctx, res, &si);
			((struct tally *)dev)->n = 0;	/* DRAW_MAX is per page */
			if (c <= 0 || c >= nx || ran[c] != r)
				run_stream(ctx, doc, dev, res, content, &cookie);
			if (c > 0 && c < nx)
				ran[c] = r;
			run_annots(ctx, doc, dev, pg, i + 1, &cookie, f);
		}
		fz_close_device(ctx, dev);
	}
	fz_always(ctx) {
		page_over = dev && ((struct tally *)dev)->n > DRAW_MAX;
		forms_over = dev && ((struct tally *)dev)->forms > FORM_DOC_MAX;
		fz_drop_device(ctx, dev);
		fz_free(ctx, ran);
		stand_ins_drop(ctx, &si);
		walk_pages_drop(ctx, &pages);
		walk_seen_fini(ctx, &done);
	}
	fz_catch(ctx) {
		if (fz_caught(ctx) == FZ_ERROR_ABORT && forms_over)
			found(f, "pdf.bomb", "halaman 1 sampai %d menjalankan objek gambar (form "
			      "XObject) lebih dari %ld kali seluruhnya (misalnya objek gambar yang saling "
			      "memanggil berlipat ganda)", i + 1, FORM_DOC_MAX);
		else if (fz_caught(ctx) == FZ_ERROR_ABORT && page_over)
			found(f, "pdf.bomb", "halaman %d menggambar lebih dari %ld operasi (misalnya "
			      "objek gambar yang saling memanggil berlipat ganda)", i + 1, DRAW_MAX);
		else if (fz_caught(ctx) == FZ_ERROR_ABORT)
			found(f, "pdf.bomb", "halaman 1 sampai %d menggambar lebih dari %ld operasi "
			      "seluruhnya", i + 1, DRAW_DOC_MAX);
		else
			found(f, classify(fz_caught_message(ctx)), "halaman %d tidak dapat ditampilkan: %s",
			      i + 1, fz_caught_message(ctx));
	}
}

#define OUTLINE_DEPTH 64	/* bookmarks nested in bookmarks */

/*
 * outline_loop - the bookmarks, as a viewer's panel walks them (/First, then
 * /Next): an item reached twice is a loop (MuPDF stops silently; viewers
 * that do not, spin or crash), and nesting stops at OUTLINE_DEPTH.
 */
static void
outline_loop(fz_context *ctx, pdf_document *doc, struct finding *f)
{
	pdf_obj *up[OUTLINE_DEPTH], *item = pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/Outlines/First");
	struct walk_seen seen = { 0 };
	int depth = 0;

	if (!item)
		return;
	fz_var(item);
	fz_var(depth);
	fz_try(ctx) {
		walk_seen_init(ctx, doc, &seen);
		while (!f->code) {
			if (!pdf_is_dict(ctx, item)) {
				if (depth == 0)
					break;
				item = pdf_dict_get(ctx, up[--depth], PDF_NAME(Next));
				continue;
			}
			if (!visit(f))
				break;
			if (walk_seen_add(ctx, &seen, item)) {
				found(f, "pdf.loop", "penanda (bookmark) objek %d tercapai lagi lewat /First "
				      "atau /Next", pdf_to_num(ctx, item));
				break;
			}
			if (!pdf_dict_get(ctx, item, PDF_NAME(First))) {
				item = pdf_dict_get(ctx, item, PDF_NAME(Next));
			} else if (depth == OUTLINE_DEPTH) {
				found(f, "pdf.loop", "penanda (bookmark) bersarang lebih dari %d tingkat",
				      OUTLINE_DEPTH);
			} else {
				up[depth++] = item;
				item = pdf_dict_get(ctx, item, PDF_NAME(First));
			}
		}
	}
	fz_always(ctx)
		walk_seen_fini(ctx, &seen);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* find - the first needle in pdf[from..to), or -1. */
static long long
find(const unsigned char *pdf, size_t from, size_t to, const char *needle)
{
	const unsigned char *p;

	if (from >= to)
		return -1;
	p = memmem(pdf + from, to - from, needle, strlen(needle));
	return p ? (long long)(p - pdf) : -1;
}

#define CHAIN_MAX 4096	/* xref sections; a file with more is refused as a loop too */
/* object numbers an xref may name beyond half the file's bytes: every object
 * takes bytes of the file (a tiny one, compressed in an object stream with
 * its xref stream entry, still five or more) */
#define XREF_LIMIT(len) ((long long)((len) / 2) + XREF_SLACK)
#define XREF_SLACK 65536

/* offset_at - the byte offset written at pos (white space first), within the
 * len bytes (the file is not NUL-terminated: strtoll could read past it); -1: none. */
static long long
offset_at(const unsigned char *pdf, size_t len, size_t pos)
{
	long long v = 0;
	size_t start;

	while (pos < len && (pdf[pos] == ' ' || pdf[pos] == '\t' || pdf[pos] == '\r' ||
			     pdf[pos] == '\n' || pdf[pos] == '\f' || pdf[pos] == 0))
		pos++;
	for (start = pos; pos < len && pdf[pos] >= '0' && pdf[pos] <= '9' && pos - start < 15; pos++)
		v = v * 10 + (pdf[pos] - '0');
	return pos == start ? -1 : v;
}

/* number_at - the non-negative integer at *pos (white space first) up to to, *pos after it; -1: none. */
static long long
number_at(const unsigned char *pdf, size_t to, size_t *pos)
{
	long long v;

	while (*pos < to && (pdf[*pos] == ' ' || pdf[*pos] == '\t' || pdf[*pos] == '\r' ||
			     pdf[*pos] == '\n' || pdf[*pos] == '\f' || pdf[*pos] == 0))
		(*pos)++;
	if ((v = offset_at(pdf, to, *pos)) >= 0)
		while (*pos < to && pdf[*pos] >= '0' && pdf[*pos] <= '9')
			(*pos)++;
	return v;
}

/*
 * xref_names - the highest object number + 1 the xref section at pdf[at..to)
 * names: a table's subsection headers ("start count" lines), its trailer's or
 * stream dictionary's /Size and an xref stream's /Index pairs.  Read from the
 * bytes, before MuPDF allocates for them.
 */
static long long
xref_names(const unsigned char *pdf, size_t at, size_t to)
{
	long long top = 0, a, b, k;
	size_t pos, line;

	while (at < to && (pdf[at] == ' ' || pdf[at] == '\t' || pdf[at] == '\r' ||
			   pdf[at] == '\n' || pdf[at] == '\f' || pdf[at] == 0))
		at++;	/* readers forgive an offset a line break early */
	if (to - at > 4 && !memcmp(pdf + at, "xref", 4)) {
		/* a table: a line of two numbers heads a subsection (entries have three) */
		for (line = at + 4; line < to; line = pos + 1) {
			pos = line;
			a = number_at(pdf, to, &pos);
			b = a >= 0 ? number_at(pdf, to, &pos) : -1;
			while (pos < to && (pdf[pos] == ' ' || pdf[pos] == '\t' || pdf[pos] == '\r'))
				pos++;
			if (a >= 0 && b >= 0 && (pos >= to || pdf[pos] == '\n') && a + b > top)
				top = a + b;
			while (pos < to && pdf[pos] != '\n')
				pos++;
			if (pos + 8 <= to && !memcmp(pdf + pos + 1, "trailer", 7))
				break;
		}
	}
	if ((k = find(pdf, at, to, "/Size")) >= 0 && (a = offset_at(pdf, to, (size_t)k + 5)) > top)
		top = a;
	if ((k = find(pdf, at, to, "/Index")) >= 0) {
		pos = (size_t)k + 6;
		while (pos < to && pdf[pos] != '[' && pdf[pos] != '/' && pdf[pos] != '>')
			pos++;
		for (pos++; pos < to && (a = number_at(pdf, to, &pos)) >= 0 &&
			    (b = number_at(pdf, to, &pos)) >= 0;)
			if (a + b > top)
				top = a + b;
	}
	return top;
}

const char *
inspect_xref_chain(const unsigned char *pdf, size_t len, char *msg, size_t cap)
{
	size_t tail = len > 1024 ? len - 1024 : 0, seen[64];
	long long at = -1, k, end, prev;
	int n = 0, i;

	for (k = find(pdf, tail, len, "startxref"); k >= 0; k = find(pdf, (size_t)k + 9, len, "startxref"))
		at = k;
	if (at < 0)
		return NULL;	/* MuPDF's own reading decides */
	at = offset_at(pdf, len, (size_t)at + 9);
	while (at > 0 && (size_t)at < len) {
		for (i = 0; i < n && i < 64; i++)
			if (seen[i] == (size_t)at) {
				snprintf(msg, cap, "rantai /Prev tabel xref berputar kembali ke byte %lld", at);
				return "pdf.loop";
			}
		if (n < 64)
			seen[n] = (size_t)at;
		if (++n > CHAIN_MAX) {
			snprintf(msg, cap, "lebih dari %d bagian tabel xref", CHAIN_MAX);
			return "pdf.loop";
		}
		/* this section's trailer (or xref stream dictionary) ends before startxref or stream */
		end = find(pdf, (size_t)at, len, "startxref");
		k = find(pdf, (size_t)at, end < 0 ? len : (size_t)end, "stream");
		if (k >= 0)
			end = k;
		if ((k = xref_names(pdf, (size_t)at, end < 0 ? len : (size_t)end)) >
		    XREF_LIMIT(len)) {
			/* before MuPDF reads it: it would build a table entry for each */
			snprintf(msg, cap, "tabel xref di byte %lld menyebut nomor objek sampai %lld, "
				 "lebih dari yang dapat dimuat berkas %zu byte", at, k - 1, len);
			return "pdf.corrupt";
		}
		prev = find(pdf, (size_t)at, end < 0 ? len : (size_t)end, "/Prev");
		if (prev < 0)
			return NULL;
		at = offset_at(pdf, len, (size_t)prev + 5);
	}
	return NULL;
}

/*
 * whole_xref - the xref one section of n entries, when it is one section of
 * fewer: after a repair MuPDF rebuilds it with the objects it found, and
 * grows it by one entry (a copy of the whole) for each higher number asked
 * for, so the loops below were quadratic in /Size or the highest number the
 * file names (the fuzzer's find: a subsection "222229 1", minutes for 2 KB).
 */
static void
whole_xref(fz_context *ctx, pdf_document *doc, int n)
{
	if (doc->num_xref_sections == 1 && doc->xref_sections[0].num_objects < n)
		pdf_ensure_solid_xref(ctx, doc, n);
}

const char *
inspect_document(fz_context *ctx, pdf_document *doc, const unsigned char *pdf, size_t len,
		 struct inspect_log *log, char *msg, size_t cap)
{
	struct finding f = { NULL, msg, cap, 0 };
	struct decoded total = { 0, 0 };
	int num = 0, n = 0;

	fz_var(num);
	fz_var(n);
	fz_try(ctx) {
		n = pdf_xref_len(ctx, doc);
		/* a table MuPDF rebuilt (a repair) that names more numbers than the
		 * file could hold: reading it would cost an entry of the table for
		 * each (inspect_xref_chain checks the bytes before MuPDF opens them) */
		if (n > XREF_LIMIT(len))
			found(&f, "pdf.corrupt", "tabel xref menyebut %d nomor objek, lebih dari yang "
			      "dapat dimuat berkas %zu byte", n - 1, len);
		/* strict reading first: a differential is the precise reason */
		for (num = 1; num < n && !f.code; num++) {
			whole_xref(ctx, doc, n);
			strict_object(ctx, doc, num, pdf, len, &f);
		}
		/* every stream decoded (and content read for inline images) before any is run */
		for (num = 1; num < n && !f.code; num++) {
			int bi = 0;

			whole_xref(ctx, doc, n);
			decode_stream(ctx, doc, num, &total, &bi, &f);
			if (bi && !f.code)
				inline_images(ctx, doc, num, &f);
		}
		if (!f.code)
			run_pages(ctx, doc, &f);
		if (!f.code)
			outline_loop(ctx, doc, &f);
	}
	fz_catch(ctx)	/* an object nested past MuPDF's stack, for one */
		found(&f, classify(fz_caught_message(ctx)), "%s", fz_caught_message(ctx));
	fz_flush_warnings(ctx);
	if (!f.code && log->n) {
		f.code = classify(log->first);
		snprintf(msg, cap, "MuPDF harus memperbaiki atau menebak saat membaca (%d pesan), "
			 "yang pertama: %s", log->n, log->first);
	}
	return f.code;
}
