/*
 * text.c - YAML and JSON strings, WIB times (see text.h).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "text.h"

/*
 * utf8_len - the length of the well-formed UTF-8 sequence at s (1-4) with its
 * code point in *cp, or 0: a stray byte, an overlong form, a surrogate, a
 * sequence cut short (a detail truncated mid-character, one byte of a
 * character quoted, a name from a PDF in another encoding).
 */
static int
utf8_len(const unsigned char *s, unsigned long *cp)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	int i;

	if (n == 0 || s[0] > 0xf4)
		return 0;
	*cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the terminating NUL */
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min[n] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

int
text_utf8_len(const unsigned char *s, unsigned long *cp)
{
	return utf8_len(s, cp);
}

void
text_yaml_quote(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	int n;

	/* YAML streams are UTF-8 of printable characters (YAML 1.1, 5.1): a
	 * report with anything else is refused by the readers administrators
	 * use, so everything else is escaped (a stray byte as \xNN). */
	fputc('"', f);
	for (; p && *p; p += n) {
		n = 1;
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, f);
		else if (*p < 0x80 || !(n = utf8_len(p, &cp)))
			fprintf(f, "\\x%02x", *p), n = 1;
		else if (cp < 0xa0 || cp == 0x2028 || cp == 0x2029 || cp == 0xfeff ||
			 cp == 0xfffe || cp == 0xffff)
			/* C1 controls, line breaks YAML would fold, a BOM, non-characters */
			fprintf(f, cp < 0x100 ? "\\x%02lx" : "\\u%04lx", cp);
		else
			fwrite(p, 1, (size_t)n, f);
	}
	fputc('"', f);
}

void
text_json_quote(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	unsigned long cp;
	int n;

	fputc('"', f);
	for (; *p; p += n) {
		n = 1;
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (*p < 0x80)
			fputc(*p, f);
		else if (!(n = utf8_len(p, &cp)))
			fputs("\\ufffd", f), n = 1;	/* not UTF-8: never emit invalid JSON */
		else
			fwrite(p, 1, (size_t)n, f);
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

long long
text_wib_day(const char *s)
{
	struct tm tm, back;
	char *end;
	time_t t;

	memset(&tm, 0, sizeof tm);
	if (!s || strlen(s) != 10 || !(end = strptime(s, "%Y-%m-%d", &tm)) || *end)
		return -1;
	/* strptime takes 2026-02-31: a date that does not come back the same is none */
	back = tm;
	if ((t = timegm(&back)) == (time_t)-1 || back.tm_mday != tm.tm_mday ||
	    back.tm_mon != tm.tm_mon)
		return -1;
	return (long long)t - 7 * 3600;	/* WIB is UTC+7 all year */
}
