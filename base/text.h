/*
 * text.h - text people and programs read: YAML and JSON strings, times in WIB.
 *
 * Shared by the refusal report, `sertel paraf`'s sidecar writer and the
 * stages that put a time into a finding, so a time reads the same everywhere.
 */
#ifndef SERTEL_TEXT_H
#define SERTEL_TEXT_H

#include <stdio.h>
#include <time.h>

/*
 * text_utf8_len - the length (1-4) of the well-formed UTF-8 sequence at s (a
 * byte >= 0x80) with its code point in *cp, or 0 (stray, overlong, surrogate,
 * cut short, beyond U+10FFFF).  The web page's escaping uses the same rule.
 */
int text_utf8_len(const unsigned char *s, unsigned long *cp);
/*
 * text_yaml_quote - s as a double-quoted YAML scalar on f: what YAML does not
 * allow as it is (control characters, bytes that are not UTF-8) escaped.
 */
void text_yaml_quote(FILE *f, const char *s);
/*
 * text_json_quote - s (NULL: "") as a JSON string literal on f: quotes and
 * control characters escaped, bytes that are not UTF-8 as U+FFFD.
 */
void text_json_quote(FILE *f, const char *s);
/* text_time_wib - "YYYY-MM-DD HH:MM:SS WIB" (UTC+7, no zone database needed). */
void text_time_wib(char *buf, size_t cap, time_t t);

/* text_wib_day - "YYYY-MM-DD" as the Unix time its WIB day begins; -1 when it is no date. */
long long text_wib_day(const char *s);

#endif
