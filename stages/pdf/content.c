/*
 * content.c - content-stream text (see content.h).
 */
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <zlib.h>

#include "content.h"

void
content_put(fz_context *ctx, fz_buffer *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		fz_throw(ctx, FZ_ERROR_GENERIC, "content line too long");
	fz_append_data(ctx, b, tmp, (size_t)n);
}

unsigned char *
content_deflate(fz_context *ctx, const unsigned char *data, size_t len, size_t *zlen)
{
	z_stream z;
	unsigned char *out;
	uLong bound;
	int wbits = 9, mem, rc;

	/* the smallest window that sees the whole input (9..15), and a hash
	 * table of about as many entries as the window (memLevel 1..8) */
	while (wbits < 15 && ((size_t)1 << wbits) < len)
		wbits++;
	mem = wbits - 7 > 8 ? 8 : wbits - 7;
	memset(&z, 0, sizeof z);
	if (len > UINT_MAX || deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, wbits, mem,
					   Z_DEFAULT_STRATEGY) != Z_OK)
		fz_throw(ctx, FZ_ERROR_MEMORY, "content_deflate: cannot start zlib");
	bound = deflateBound(&z, (uLong)len);
	out = fz_malloc_no_throw(ctx, bound);
	if (out == NULL) {
		deflateEnd(&z);
		fz_throw(ctx, FZ_ERROR_MEMORY, "content_deflate: out of memory");
	}
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)bound;
	rc = deflate(&z, Z_FINISH);
	*zlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		fz_free(ctx, out);
		fz_throw(ctx, FZ_ERROR_GENERIC, "content_deflate: zlib: %d", rc);
	}
	return out;
}
