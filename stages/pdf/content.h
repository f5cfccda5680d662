/*
 * content.h - writing content streams: short lines with plain C formats
 * (fz_append_printf has its own, different conversions).
 */
#ifndef SERTEL_CONTENT_H
#define SERTEL_CONTENT_H

#include <mupdf/fitz.h>

/* content_put - printf one short piece into b; throws when it does not fit 256 bytes. */
void content_put(fz_context *ctx, fz_buffer *b, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * content_fixed2 - v as printf's "%.2f" writes it, without printf (a QR code
 * is a few hundred rectangles per document); at most 47 bytes at out, not
 * terminated; its length.  Byte for byte the same for a float's value (a
 * float times 100 is exact in a double, and ties round to even in both).
 */
size_t content_fixed2(char *out, double v);
/* content_re - "x y w h re\n" into b, each as %.2f. */
void content_re(fz_context *ctx, fz_buffer *b, float x, float y, float w, float h);

/*
 * content_deflate - the Flate encoding of a short stream (a mark's content,
 * a ToUnicode CMap, a glyph: a few KB) at zlib's level (0-9); *zlen its
 * length, the caller fz_frees it.  zlib's window and hash are sized to the
 * input: its defaults (fz_new_deflated_data) allocate and clear ~270 KB per
 * call, which cost more than compressing the stream.  Throws when out of
 * memory.
 */
unsigned char *content_deflate(fz_context *ctx, const unsigned char *data, size_t len, int level,
			       size_t *zlen);

/*
 * CONTENT_Z_DOC - the level for what is compressed per document: the mark's
 * streams are lines of numbers and hex, on which the lazy matching of the
 * higher levels costs twice the time for the same size.  A QR code's 4.7 KB:
 * level 3 30 us, 1,259 bytes; level 6 54 us, 1,175.  The ToUnicode CMap's
 * 2 KB: level 3 22 us, 657 bytes; level 6 67 us, 745 (level 9: no better).
 */
#define CONTENT_Z_DOC 3

#endif
