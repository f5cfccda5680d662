/*
 * text.c - YAML scalars and WIB times (see text.h).
 */
#include <stdio.h>
#include <time.h>

#include "text.h"

void
text_yaml_quote(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
text_time_wib(char *buf, size_t cap, time_t t)
{
	struct tm tm;

	/* Musi Rawas keeps WIB (UTC+7) all year. */
	t += 7 * 3600;
	gmtime_r(&t, &tm);
	strftime(buf, cap, "%Y-%m-%d %H:%M:%S WIB", &tm);
}
