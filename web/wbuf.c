/*
 * wbuf.c - response bodies and escaping (see wbuf.h).  Every string that did
 * not come from sertel's own source goes through wbuf_html or wbuf_json.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/text.h"
#include "wbuf.h"

/* put - n bytes of s. */
static void
put(struct wbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;
		while (cap < b->n + n + 1)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			b->oom = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void
wbuf_raw(struct wbuf *b, const char *s)
{
	put(b, s, strlen(s));
}

void
wbuf_fmt(struct wbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* escape - s with esc(c) for ASCII that needs it; bad bytes and controls as U+FFFD. */
static void
escape(struct wbuf *b, const char *s, const char *(*esc)(unsigned char c, char tmp[8]))
{
	const unsigned char *u = (const unsigned char *)s;
	char tmp[8];
	const char *e;
	unsigned long cp;
	int n;

	while (*u) {
		if (*u < 0x80) {
			if ((e = esc(*u, tmp)) != NULL)
				wbuf_raw(b, e);
			else
				put(b, (const char *)u, 1);
			u++;
		} else if ((n = text_utf8_len(u, &cp)) != 0 && cp >= 0xa0) {
			put(b, (const char *)u, (size_t)n);
			u += n;
		} else {
			/* a stray byte (or a C1 control, as a whole) */
			wbuf_raw(b, "\xef\xbf\xbd");
			u += n ? n : 1;
		}
	}
}

static const char *
esc_html(unsigned char c, char tmp[8])
{
	(void)tmp;
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\t': case '\n': return " ";
	default: return c < 0x20 || c == 0x7f ? "\xef\xbf\xbd" : NULL;
	}
}

static const char *
esc_pre(unsigned char c, char tmp[8])
{
	return c == '\n' ? "\n" : c == '\t' ? "\t" : esc_html(c, tmp);
}

static const char *
esc_json(unsigned char c, char tmp[8])
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\t': return "\\t";
	case '<': case '>': case '&': case '\'':
		snprintf(tmp, 8, "\\u%04x", c);
		return tmp;
	default: return c < 0x20 || c == 0x7f ? "\\ufffd" : NULL;
	}
}

void
wbuf_html(struct wbuf *b, const char *s)
{
	escape(b, s, esc_html);
}

void
wbuf_html_pre(struct wbuf *b, const char *s)
{
	escape(b, s, esc_pre);
}

void
wbuf_json(struct wbuf *b, const char *s)
{
	put(b, "\"", 1);
	escape(b, s, esc_json);
	put(b, "\"", 1);
}

void
wbuf_free(struct wbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}
