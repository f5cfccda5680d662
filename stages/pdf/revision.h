/*
 * revision.h - writing one incremental update of a PDF: new and rewritten
 * objects appended after the original bytes, then a cross-reference section
 * of the same kind as the original's last one (table or stream) whose /Prev
 * is the original's.  The original is never touched.
 *
 * The signature writer (pades.c) and the visual mark (mark.c) add their
 * objects through these calls.  Every call may throw a MuPDF exception (out
 * of memory, an object written twice): they run inside the caller's fz_try.
 * Objects are read from the original with MuPDF; references keep their
 * numbers ("N G R"), new objects get numbers from rev_alloc.
 */
#ifndef SERTEL_REVISION_H
#define SERTEL_REVISION_H

#include <stddef.h>

#include <mupdf/pdf.h>

/* A growable byte buffer (plain malloc: it outlives MuPDF exceptions). */
struct buf {
	char *p;
	size_t len, cap;
};

/* One object of the new revision: where "num gen obj" starts in rv->b. */
struct rev_obj {
	int num, gen;
	size_t off;
};

/* The new revision being built. */
struct rev {
	struct buf b;
	size_t base;		/* offset of b.p[0] in the output: the original's length */
	struct rev_obj *obj;
	size_t nobj, capobj;
	int next;		/* next free object number */
	int table;		/* original's last xref section is a classic table */
	/* The original's security handler when it is encrypted (else NULL): every
	 * string and stream written after rev_begin is encrypted with the key of
	 * that object (ISO 32000-2 7.6.2), the trailer and xref stream never. */
	pdf_crypt *crypt;
	int cur_num, cur_gen;	/* the object begun last */
	/* the signature's placeholders, for pades.c (0 in other revisions) */
	size_t br_off;		/* "[0 ...]" of /ByteRange in b */
	size_t hole_off;	/* "<" of /Contents in b */
	size_t hole_len;	/* "<hex>" including both brackets */
};


/* rev_alloc - a fresh object number. */
int rev_alloc(struct rev *rv);
/* rev_begin / rev_end - "num gen obj" ... "endobj"; an object only once per revision
 * (rev_xref throws otherwise). */
void rev_begin(fz_context *ctx, struct rev *rv, int num, int gen);
void rev_end(fz_context *ctx, struct rev *rv);
/* rev_add / rev_puts / rev_printf - raw bytes into the revision. */
void rev_add(fz_context *ctx, struct rev *rv, const void *s, size_t n);
void rev_puts(fz_context *ctx, struct rev *rv, const char *s);
void rev_printf(fz_context *ctx, struct rev *rv, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* rev_reserve - room for n more bytes at the end; write there, then add n to rv->b.len. */
char *rev_reserve(fz_context *ctx, struct rev *rv, size_t n);
/* rev_emit - a MuPDF object, serialized tight (binary strings as hex); its strings
 * encrypted for the current object when rv->crypt is set. */
void rev_emit(fz_context *ctx, struct rev *rv, pdf_obj *obj);
/* rev_text - a UTF-8 string as a PDF text string (PDFDocEncoding or UTF-16BE). */
void rev_text(fz_context *ctx, struct rev *rv, const char *utf8);
/* rev_ref - "N G R" of an indirect object. */
void rev_ref(fz_context *ctx, struct rev *rv, pdf_obj *ref);
/* rev_hex - "<...>" of n bytes. */
void rev_hex(fz_context *ctx, struct rev *rv, const unsigned char *p, size_t n);
/* rev_dict_open - "<<" and every entry of dict but the keys in skip (the caller adds ">>"). */
void rev_dict_open(fz_context *ctx, struct rev *rv, pdf_obj *dict, pdf_obj *const *skip,
		   int nskip);
/* rev_array_plus - "[" the elements of arr (may be NULL) then "num 0 R" "]". */
void rev_array_plus(fz_context *ctx, struct rev *rv, pdf_obj *arr, int num);
/* rev_stream - object num as a stream: "<<" dict "/Length n>>" and data (encrypted with
 * rv->crypt when set; dict must then hold no string). */
void rev_stream(fz_context *ctx, struct rev *rv, int num, const char *dict, const void *data,
		size_t len);
/*
 * rev_xref - the cross-reference section and trailer that end the revision:
 * /Size, /Root, /Info (object info), /Prev, and an /ID whose second part is
 * derived from seed (unique per revision); of an encrypted original, its
 * /Encrypt and its /ID unchanged (the file key derives from the /ID).
 */
void rev_xref(fz_context *ctx, pdf_document *doc, struct rev *rv, pdf_obj *root, int info,
	      const char *seed);
/* rev_free - release the revision (safe on a zeroed one). */
void rev_free(struct rev *rv);

#endif
