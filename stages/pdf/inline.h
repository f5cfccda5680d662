/*
 * inline.h - the inline images (BI ... ID ... EI) of a content stream, read
 * before it is run.  MuPDF unpacks an inline image into a pixmap when the
 * interpreter meets it, before any device sees it and whatever its filter:
 * 70 bytes of JBIG2 declaring 65536 x 65536 pixels made validate allocate
 * 4 GiB (12 s, or the worker's memory limit).  Counting its pixels from its
 * dictionary first lets the check refuse it as a bomb.
 */
#ifndef SERTEL_INLINE_H
#define SERTEL_INLINE_H

#include <stdint.h>

#include <mupdf/fitz.h>

/*
 * A quick pass over a content stream's bytes as they are decoded: whether
 * "BI" stands between delimiters anywhere (a search, not a lexer), so that
 * the streams with no inline image, nearly all, skip inline_image_bytes.
 */
struct inline_scan {
	unsigned char tail[3];	/* the last bytes fed */
	size_t ntail;
	int seen;
};

/* inline_scan_feed - the next n bytes of the stream (s zeroed before the first). */
void inline_scan_feed(struct inline_scan *s, const unsigned char *p, size_t n);

/*
 * inline_image_bytes - the largest pixmap an inline image in the content
 * stream stm asks for: /W x /H x its components (1 for a mask, gray or
 * indexed, 3 RGB, 4 CMYK or a named colour space), a byte each, as MuPDF
 * unpacks it.  Reads stm to its end; strings and comments are skipped, and
 * an image's data is skipped to its EI.  0 when it has none.
 */
uint64_t inline_image_bytes(fz_context *ctx, fz_stream *stm);

#endif
