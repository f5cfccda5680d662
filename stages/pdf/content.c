/*
 * content.c - content-stream text (see content.h).
 */
#include <stdarg.h>
#include <limits.h>
#include <math.h>
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

size_t
content_fixed2(char *out, double v)
{
	double r = rint(v * 100.0);	/* the current rounding mode: ties to even, as printf */
	unsigned long long n;
	char d[24];
	size_t len = 0;
	int k = 0;

	if (!(fabs(r) < 1e15)) {	/* NaN, infinities, huge: printf's own way */
		int m = snprintf(out, 48, "%.2f", v);

		return m < 0 ? 0 : m < 48 ? (size_t)m : 47;
	}
	if (signbit(v))		/* "-0.00" too, as printf */
		out[len++] = '-';
	n = (unsigned long long)fabs(r);
	do {
		d[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n || k < 3);
	while (k > 2)
		out[len++] = d[--k];
	out[len++] = '.';
	out[len++] = d[1];
	out[len++] = d[0];
	return len;
}

void
content_re(fz_context *ctx, fz_buffer *b, float x, float y, float w, float h)
{
	char line[4 * 48 + 4];
	size_t n = 0;

	n += content_fixed2(line + n, x);
	line[n++] = ' ';
	n += content_fixed2(line + n, y);
	line[n++] = ' ';
	n += content_fixed2(line + n, w);
	line[n++] = ' ';
	n += content_fixed2(line + n, h);
	memcpy(line + n, " re\n", 4);
	fz_append_data(ctx, b, line, n + 4);
}

unsigned char *
content_deflate(fz_context *ctx, const unsigned char *data, size_t len, int level,
		size_t *zlen)
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
	if (len > UINT_MAX || deflateInit2(&z, level, Z_DEFLATED, wbits, mem,
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
