/*
 * inline.c - the inline images of a content stream (see inline.h).  A small
 * lexer of its own (ISO 32000-2 7.2, 8.9.7): MuPDF's content lexer is not
 * public, and this one only needs tokens, strings and comments told apart.
 */
#include <string.h>

#include "inline.h"

#define NUM_MAX 1000000000ULL	/* a width or height past any image */

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0;
}

static int
is_delim(int c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
	       c == '}' || c == '/' || c == '%';
}

/* skip_string - past a literal string whose '(' was read: nested parentheses, escapes. */
static void
skip_string(fz_context *ctx, fz_stream *stm)
{
	int c, depth = 1;

	while (depth > 0 && (c = fz_read_byte(ctx, stm)) != EOF) {
		if (c == '\\')
			fz_read_byte(ctx, stm);
		else if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
	}
}

/* token - the regular characters from here (at most cap - 1 kept), after white space. */
static int
token(fz_context *ctx, fz_stream *stm, char *tok, size_t cap)
{
	size_t n = 0;
	int c;

	while ((c = fz_peek_byte(ctx, stm)) != EOF && is_space(c))
		fz_read_byte(ctx, stm);
	while ((c = fz_peek_byte(ctx, stm)) != EOF && !is_space(c) && !is_delim(c)) {
		fz_read_byte(ctx, stm);
		if (n + 1 < cap)
			tok[n++] = (char)c;
	}
	tok[n] = '\0';
	return (int)n;
}

/* number - tok as a whole number (a fraction or sign ignored), capped. */
static uint64_t
number(const char *tok)
{
	uint64_t v = 0;

	for (; *tok >= '0' && *tok <= '9'; tok++)
		if ((v = v * 10 + (uint64_t)(*tok - '0')) > NUM_MAX)
			return NUM_MAX;
	return v;
}

/* components - of an inline image's colour space name (4 for one named in the resources). */
static int
components(const char *cs)
{
	if (!strcmp(cs, "G") || !strcmp(cs, "DeviceGray") || !strcmp(cs, "I") || !strcmp(cs, "Indexed"))
		return 1;
	if (!strcmp(cs, "RGB") || !strcmp(cs, "DeviceRGB"))
		return 3;
	return 4;
}

/* skip_nested - past an array or dictionary value whose opener was read. */
static void
skip_nested(fz_context *ctx, fz_stream *stm)
{
	int c, depth = 1;

	while (depth > 0 && (c = fz_read_byte(ctx, stm)) != EOF) {
		if (c == '[' || (c == '<' && fz_peek_byte(ctx, stm) == '<'))
			depth++;
		else if (c == ']' || (c == '>' && fz_peek_byte(ctx, stm) == '>'))
			depth--;
		else if (c == '(')
			skip_string(ctx, stm);
		if ((c == '<' || c == '>') && fz_peek_byte(ctx, stm) == c)
			fz_read_byte(ctx, stm);
	}
}

/* skip_data - past an image's data: to an EI between white space (or the end). */
static void
skip_data(fz_context *ctx, fz_stream *stm)
{
	int c, prev = ' ';

	while ((c = fz_read_byte(ctx, stm)) != EOF) {
		if (is_space(prev) && c == 'E' && fz_peek_byte(ctx, stm) == 'I') {
			fz_read_byte(ctx, stm);
			c = fz_peek_byte(ctx, stm);
			if (c == EOF || is_space(c) || is_delim(c))
				return;
		}
		prev = c;
	}
}

/* image - the pixmap bytes of the inline image whose BI was read, its data skipped. */
static uint64_t
image(fz_context *ctx, fz_stream *stm)
{
	uint64_t w = 0, h = 0;
	int n = 1, c;
	char key[32], val[32];

	for (;;) {
		while ((c = fz_peek_byte(ctx, stm)) != EOF && is_space(c))
			fz_read_byte(ctx, stm);
		if (c == EOF)
			return 0;
		if (c != '/') {
			token(ctx, stm, key, sizeof key);
			if (strcmp(key, "ID") != 0)
				return 0;	/* not an image dictionary after all */
			skip_data(ctx, stm);
			return w * h * (uint64_t)n;
		}
		fz_read_byte(ctx, stm);
		token(ctx, stm, key, sizeof key);
		while ((c = fz_peek_byte(ctx, stm)) != EOF && is_space(c))
			fz_read_byte(ctx, stm);
		if (c == '/') {
			fz_read_byte(ctx, stm);
			token(ctx, stm, val, sizeof val);
			if (!strcmp(key, "CS") || !strcmp(key, "ColorSpace"))
				n = components(val);
		} else if (c == '[' || c == '<') {
			fz_read_byte(ctx, stm);
			if (c == '[' || fz_peek_byte(ctx, stm) == '<') {
				if (c == '<')
					fz_read_byte(ctx, stm);
				skip_nested(ctx, stm);
			} else {
				while ((c = fz_read_byte(ctx, stm)) != EOF && c != '>')
					;
			}
		} else if (c == '(') {
			fz_read_byte(ctx, stm);
			skip_string(ctx, stm);
		} else {
			token(ctx, stm, val, sizeof val);
			if (!strcmp(key, "W") || !strcmp(key, "Width"))
				w = number(val);
			else if (!strcmp(key, "H") || !strcmp(key, "Height"))
				h = number(val);
			else if ((!strcmp(key, "IM") || !strcmp(key, "ImageMask")) && !strcmp(val, "true"))
				n = 1;
		}
	}
}

/* bi_at - whether w[i..] starts "BI" between delimiters (an unknown byte before w: yes). */
static int
bi_at(const unsigned char *w, size_t i, size_t n, int before)
{
	if (i + 2 >= n || w[i] != 'B' || w[i + 1] != 'I' || !(is_space(w[i + 2]) || w[i + 2] == '/'))
		return 0;
	before = i > 0 ? w[i - 1] : before;
	return before < 0 || is_space(before) || is_delim(before) || before == ')';
}

void
inline_scan_feed(struct inline_scan *s, const unsigned char *p, size_t n)
{
	unsigned char w[7];
	size_t wn = s->ntail, i;
	const unsigned char *q = p;

	if (s->seen || n == 0)
		return;
	/* across the seam: a BI whose B is one of the last two bytes fed before (the
	 * tail holds the byte before it too, unless the stream starts there) */
	memcpy(w, s->tail, s->ntail);
	memcpy(w + wn, p, n < 3 ? n : 3);
	wn += n < 3 ? n : 3;
	for (i = s->ntail > 2 ? s->ntail - 2 : 0; i < s->ntail && !s->seen; i++)
		s->seen = bi_at(w, i, wn, -1);
	while (!s->seen && (q = memmem(q, n - (size_t)(q - p), "BI", 2)) != NULL) {
		s->seen = bi_at(p, (size_t)(q - p), n, s->ntail ? s->tail[s->ntail - 1] : -1);
		q++;
	}
	/* the last three bytes of all fed, for the next seam */
	if (n >= 3) {
		memcpy(s->tail, p + n - 3, 3);
		s->ntail = 3;
	} else {
		memcpy(w, s->tail, s->ntail);
		memcpy(w + s->ntail, p, n);
		wn = s->ntail + n;
		s->ntail = wn < 3 ? wn : 3;
		memcpy(s->tail, w + wn - s->ntail, s->ntail);
	}
}

uint64_t
inline_image_bytes(fz_context *ctx, fz_stream *stm)
{
	uint64_t most = 0, b;
	char tok[8];
	int c;

	while ((c = fz_peek_byte(ctx, stm)) != EOF) {
		if (c == '%') {
			while ((c = fz_read_byte(ctx, stm)) != EOF && c != '\n' && c != '\r')
				;
		} else if (c == '(') {
			fz_read_byte(ctx, stm);
			skip_string(ctx, stm);
		} else if (is_space(c) || is_delim(c)) {
			fz_read_byte(ctx, stm);
			if (c == '/')
				token(ctx, stm, tok, sizeof tok);	/* a name, not an operator */
		} else if (token(ctx, stm, tok, sizeof tok) == 2 && !strcmp(tok, "BI")) {
			if ((b = image(ctx, stm)) > most)
				most = b;
		}
	}
	return most;
}
