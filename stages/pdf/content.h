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

#endif
