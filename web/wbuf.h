/*
 * wbuf.h - a response body being written, and the one place text from the
 * database or the request is escaped on its way into HTML or JSON.
 */
#ifndef SERTEL_WBUF_H
#define SERTEL_WBUF_H

#include <stddef.h>

struct wbuf {
	char *p;
	size_t n, cap;
	int oom;		/* an allocation failed: the body is not whole */
};

/* wbuf_raw - s as it is (markup and JSON syntax written by sertel itself). */
void wbuf_raw(struct wbuf *b, const char *s);
/* wbuf_fmt - printf into b (numbers; never untrusted text: use wbuf_html/wbuf_json). */
void wbuf_fmt(struct wbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * wbuf_html - s as HTML text or a quoted attribute value: & < > " ' escaped,
 * control characters and bytes that are not UTF-8 replaced by U+FFFD.
 */
void wbuf_html(struct wbuf *b, const char *s);
/* wbuf_html_pre - the same, keeping line breaks and tabs (text in a <pre>). */
void wbuf_html_pre(struct wbuf *b, const char *s);
/* wbuf_json - s as a JSON string with its quotes (same replacement; <>& as \u escapes). */
void wbuf_json(struct wbuf *b, const char *s);
void wbuf_free(struct wbuf *b);

#endif
