/*
 * content.c - content-stream text (see content.h).
 */
#include <stdarg.h>
#include <stdio.h>

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
