/*
 * revision.c - writing one incremental update (see revision.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "revision.h"

/* buf_reserve - room for n more bytes plus a NUL; -1 when out of memory. */
static int
buf_reserve(struct buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	if (b->len + n + 1 <= b->cap)
		return 0;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (p == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* buf_add - append n bytes. */
static int
buf_add(struct buf *b, const void *s, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* oom - the one MuPDF exception raised by our own code for allocation failure. */
static void
oom(fz_context *ctx)
{
	fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory building the revision");
}

char *
rev_reserve(fz_context *ctx, struct rev *rv, size_t n)
{
	if (buf_reserve(&rv->b, n) < 0)
		oom(ctx);
	return rv->b.p + rv->b.len;
}

/* rev_add - append bytes to the revision. */
void
rev_add(fz_context *ctx, struct rev *rv, const void *s, size_t n)
{
	if (buf_add(&rv->b, s, n) < 0)
		oom(ctx);
}

/* rev_puts - append a C string to the revision. */
void
rev_puts(fz_context *ctx, struct rev *rv, const char *s)
{
	rev_add(ctx, rv, s, strlen(s));
}

/*
 * rev_printf - append formatted text to the revision: formatted once into
 * the room left (an object header, an xref line: it fits), again only when
 * it did not.
 */
void
rev_printf(fz_context *ctx, struct rev *rv, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	int n;

	if (buf_reserve(&rv->b, 255) < 0)
		oom(ctx);
	room = rv->b.cap - rv->b.len;
	va_start(ap, fmt);
	n = vsnprintf(rv->b.p + rv->b.len, room, fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n >= room) {
		if (buf_reserve(&rv->b, (size_t)n) < 0)
			oom(ctx);
		va_start(ap, fmt);
		n = vsnprintf(rv->b.p + rv->b.len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	if (n < 0)
		oom(ctx);
	rv->b.len += (size_t)n;
}

/* rev_alloc - a fresh object number for the revision. */
int
rev_alloc(struct rev *rv)
{
	return rv->next++;
}

/* rev_begin - start "num gen obj" (rev_xref refuses an object written twice). */
void
rev_begin(fz_context *ctx, struct rev *rv, int num, int gen)
{
	if (rv->nobj == rv->capobj) {
		size_t cap = rv->capobj ? 2 * rv->capobj : 8;
		struct rev_obj *o = realloc(rv->obj, cap * sizeof *o);

		if (o == NULL)
			oom(ctx);
		rv->obj = o;
		rv->capobj = cap;
	}
	rv->obj[rv->nobj].num = num;
	rv->obj[rv->nobj].gen = gen;
	rv->obj[rv->nobj].off = rv->b.len;
	rv->nobj++;
	rv->cur_num = num;
	rv->cur_gen = gen;
	rev_printf(ctx, rv, "%d %d obj\n", num, gen);
}

/* rev_end - close the object begun last. */
void
rev_end(fz_context *ctx, struct rev *rv)
{
	rev_puts(ctx, rv, "\nendobj\n");
}

/* emit_plain - serialize obj (references stay "N G R") at the end of the revision. */
static void
emit_plain(fz_context *ctx, struct rev *rv, pdf_obj *obj)
{
	size_t len = 0;
	char *s;

	if (buf_reserve(&rv->b, 256) < 0)
		oom(ctx);
	/* tight, and ascii so that binary strings come out as hex, never as raw
	 * bytes a reader could normalize (an EOL inside a literal string). */
	s = pdf_sprint_obj(ctx, rv->b.p + rv->b.len, rv->b.cap - rv->b.len, &len, obj, 1, 1);
	if (s == rv->b.p + rv->b.len) {
		rv->b.len += len;
		return;
	}
	/* It did not fit: MuPDF allocated s. */
	if (buf_add(&rv->b, s, len) < 0) {
		fz_free(ctx, s);
		oom(ctx);
	}
	fz_free(ctx, s);
}

/* emit_crypt - obj with its strings encrypted for the current object (MuPDF's writer). */
static void
emit_crypt(fz_context *ctx, struct rev *rv, pdf_obj *obj)
{
	fz_buffer *fb = fz_new_buffer(ctx, 256);
	fz_output *out = NULL;
	unsigned char *data;
	size_t len;

	fz_var(out);
	fz_try(ctx) {
		out = fz_new_output_with_buffer(ctx, fb);
		pdf_print_encrypted_obj(ctx, out, obj, 1, 1, rv->crypt, rv->cur_num, rv->cur_gen);
		fz_close_output(ctx, out);
		len = fz_buffer_storage(ctx, fb, &data);
		rev_add(ctx, rv, data, len);
	}
	fz_always(ctx) {
		fz_drop_output(ctx, out);
		fz_drop_buffer(ctx, fb);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* rev_emit - obj serialized, its strings encrypted when the original is. */
void
rev_emit(fz_context *ctx, struct rev *rv, pdf_obj *obj)
{
	if (rv->crypt)
		emit_crypt(ctx, rv, obj);
	else
		emit_plain(ctx, rv, obj);
}

/* rev_text - a UTF-8 string as a PDF text string (PDFDocEncoding or UTF-16BE). */
void
rev_text(fz_context *ctx, struct rev *rv, const char *utf8)
{
	pdf_obj *s = pdf_new_text_string(ctx, utf8);

	fz_try(ctx)
		rev_emit(ctx, rv, s);
	fz_always(ctx)
		pdf_drop_obj(ctx, s);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* rev_ref - "N G R" for an indirect object. */
void
rev_ref(fz_context *ctx, struct rev *rv, pdf_obj *ref)
{
	rev_printf(ctx, rv, "%d %d R", pdf_to_num(ctx, ref), pdf_to_gen(ctx, ref));
}

/* rev_dict_open - "<<" and every entry of dict except the keys in skip (no ">>"). */
void
rev_dict_open(fz_context *ctx, struct rev *rv, pdf_obj *dict, pdf_obj *const *skip, int nskip)
{
	int i, j, n = pdf_dict_len(ctx, dict);

	rev_puts(ctx, rv, "<<");
	for (i = 0; i < n; i++) {
		pdf_obj *key = pdf_dict_get_key(ctx, dict, i);

		for (j = 0; j < nskip && !pdf_name_eq(ctx, key, skip[j]); j++)
			;
		if (j < nskip)
			continue;
		rev_emit(ctx, rv, key);
		rev_puts(ctx, rv, " ");
		rev_emit(ctx, rv, pdf_dict_get_val(ctx, dict, i));
	}
}

/* rev_array_plus - the elements of arr (may be NULL) and then "num 0 R", as an array. */
void
rev_array_plus(fz_context *ctx, struct rev *rv, pdf_obj *arr, int num)
{
	int i, n = pdf_array_len(ctx, arr);

	rev_puts(ctx, rv, "[");
	for (i = 0; i < n; i++) {
		rev_emit(ctx, rv, pdf_array_get(ctx, arr, i));
		rev_puts(ctx, rv, " ");
	}
	rev_printf(ctx, rv, "%d 0 R]", num);
}

/* add_cb - pdf_encrypt_data's sink: append to the revision. */
static void
add_cb(fz_context *ctx, void *arg, const unsigned char *s, size_t n)
{
	rev_add(ctx, arg, s, n);
}

void
rev_stream(fz_context *ctx, struct rev *rv, int num, const char *dict, const void *data,
	   size_t len)
{
	size_t elen = len, at;

	rev_begin(ctx, rv, num, 0);
	/* AES writes nothing for no data, but counts an IV and a block */
	if (rv->crypt && len > 0)
		elen = pdf_encrypted_len(ctx, rv->crypt, num, 0, len);
	rev_printf(ctx, rv, "<<%s/Length %zu>>stream\n", dict ? dict : "", elen);
	at = rv->b.len;
	if (rv->crypt && len > 0)
		pdf_encrypt_data(ctx, rv->crypt, num, 0, add_cb, rv, data, len);
	else
		rev_add(ctx, rv, data, len);
	/* /Length must be what was written: a mismatch would be a corrupt file */
	if (rv->b.len - at != elen)
		fz_throw(ctx, FZ_ERROR_GENERIC, "stream %d: %zu bytes written, %zu announced", num,
			 rv->b.len - at, elen);
	rev_puts(ctx, rv, "\nendstream");
	rev_end(ctx, rv);
}

/* obj_cmp - qsort by object number. */
static int
obj_cmp(const void *a, const void *b)
{
	const struct rev_obj *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

/* rev_hex - "<...>" of n bytes. */
void
rev_hex(fz_context *ctx, struct rev *rv, const unsigned char *p, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t i;

	rev_puts(ctx, rv, "<");
	for (i = 0; i < n; i++) {
		char two[2] = { hx[p[i] >> 4], hx[p[i] & 15] };

		rev_add(ctx, rv, two, 2);
	}
	rev_puts(ctx, rv, ">");
}

/* emit_trailer_keys - /Size /Root /Info /Prev /ID (/Encrypt) shared by both xref kinds;
 * never encrypted (ISO 32000-2 7.6.2: not the trailer, not the xref stream). */
static void
emit_trailer_keys(fz_context *ctx, pdf_document *doc, struct rev *rv, pdf_obj *root, int info,
		  const char *seed)
{
	pdf_obj *trailer = pdf_trailer(ctx, doc);
	pdf_obj *id = pdf_dict_get(ctx, trailer, PDF_NAME(ID));
	pdf_obj *first = pdf_array_get(ctx, id, 0);
	unsigned char h[32];

	/* New second identifier: this revision's content differs from the original. */
	if (!EVP_Digest(seed, strlen(seed), h, NULL, EVP_sha256(), NULL))
		fz_throw(ctx, FZ_ERROR_GENERIC, "cannot derive a file identifier");
	rev_printf(ctx, rv, "/Size %d/Root ", rv->next);
	rev_ref(ctx, rv, root);
	rev_printf(ctx, rv, "/Info %d 0 R/Prev %lld", info, (long long)doc->startxref);
	if (rv->crypt) {
		/* The key is the original's: its handler and identifiers stay. */
		rev_puts(ctx, rv, "/Encrypt ");
		emit_plain(ctx, rv, pdf_dict_get(ctx, trailer, PDF_NAME(Encrypt)));
		if (pdf_is_array(ctx, id)) {
			rev_puts(ctx, rv, "/ID");
			emit_plain(ctx, rv, id);
		}
		return;
	}
	rev_puts(ctx, rv, "/ID[");
	if (pdf_is_string(ctx, first))
		emit_plain(ctx, rv, first);
	else
		rev_hex(ctx, rv, h, 16);
	rev_hex(ctx, rv, h, 16);
	rev_puts(ctx, rv, "]");
}

/*
 * sort_objs - the objects by number; throws when one was written twice.
 * Checked here, once, not at each rev_begin: a revision with a widget on
 * each of 20000 pages would otherwise compare every object with all before.
 */
static void
sort_objs(fz_context *ctx, struct rev *rv)
{
	size_t i;

	qsort(rv->obj, rv->nobj, sizeof *rv->obj, obj_cmp);
	for (i = 1; i < rv->nobj; i++)
		if (rv->obj[i].num == rv->obj[i - 1].num)
			fz_throw(ctx, FZ_ERROR_GENERIC, "object %d would be written twice",
				 rv->obj[i].num);
}

/* put_xref_table - classic "xref" subsections for the sorted objects, and the trailer. */
static void
put_xref_table(fz_context *ctx, pdf_document *doc, struct rev *rv,
	       pdf_obj *root, int info, const char *seed)
{
	size_t i, j, xref = rv->base + rv->b.len;

	rev_puts(ctx, rv, "xref\n");
	for (i = 0; i < rv->nobj; i = j) {
		for (j = i + 1; j < rv->nobj && rv->obj[j].num == rv->obj[j - 1].num + 1; j++)
			;
		rev_printf(ctx, rv, "%d %zu\n", rv->obj[i].num, j - i);
		for (; i < j; i++)
			rev_printf(ctx, rv, "%010zu %05d n\r\n", rv->base + rv->obj[i].off,
				rv->obj[i].gen);
	}
	rev_puts(ctx, rv, "trailer\n<<");
	emit_trailer_keys(ctx, doc, rv, root, info, seed);
	rev_printf(ctx, rv, ">>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* put_xref_stream - an uncompressed /Type/XRef stream object (listing itself too). */
static void
put_xref_stream(fz_context *ctx, pdf_document *doc, struct rev *rv,
		pdf_obj *root, int info, const char *seed)
{
	int num = rev_alloc(rv), w = 4, k;
	size_t i, j, xref = rv->base + rv->b.len, rows;
	unsigned char *row;

	while (w < 8 && (xref >> (8 * w)) != 0)
		w++;
	rev_begin(ctx, rv, num, 0);
	sort_objs(ctx, rv);
	rev_printf(ctx, rv, "<</Type/XRef/W[1 %d 2]/Index[", w);
	for (i = 0; i < rv->nobj; i = j) {
		for (j = i + 1; j < rv->nobj && rv->obj[j].num == rv->obj[j - 1].num + 1; j++)
			;
		rev_printf(ctx, rv, "%s%d %zu", i ? " " : "", rv->obj[i].num, j - i);
	}
	rows = rv->nobj * (size_t)(1 + w + 2);
	rev_puts(ctx, rv, "]");
	emit_trailer_keys(ctx, doc, rv, root, info, seed);
	rev_printf(ctx, rv, "/Length %zu>>stream\n", rows);
	row = (unsigned char *)rev_reserve(ctx, rv, rows);
	for (i = 0; i < rv->nobj; i++) {
		size_t off = rv->base + rv->obj[i].off;

		*row++ = 1;
		for (k = w - 1; k >= 0; k--)
			*row++ = (unsigned char)(off >> (8 * k));
		*row++ = (unsigned char)(rv->obj[i].gen >> 8);
		*row++ = (unsigned char)rv->obj[i].gen;
	}
	rv->b.len += rows;
	rev_puts(ctx, rv, "\nendstream");
	rev_end(ctx, rv);
	rev_printf(ctx, rv, "startxref\n%zu\n%%%%EOF\n", xref);
}

void
rev_xref(fz_context *ctx, pdf_document *doc, struct rev *rv, pdf_obj *root, int info,
	 const char *seed)
{
	if (rv->table) {
		sort_objs(ctx, rv);
		put_xref_table(ctx, doc, rv, root, info, seed);
	} else {
		put_xref_stream(ctx, doc, rv, root, info, seed);
	}
}

/* rev_free - release the revision (safe on a zeroed one). */
void
rev_free(struct rev *rv)
{
	free(rv->b.p);
	free(rv->obj);
	memset(rv, 0, sizeof *rv);
}
