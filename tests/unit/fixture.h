/*
 * fixture.h - helpers the unit tests share: running the generators in
 * tests/lib and reading the files they make.  Included after <cmocka.h>;
 * one copy per test binary.
 */
#ifndef SERTEL_TEST_FIXTURE_H
#define SERTEL_TEST_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

/* run - system() with printf formatting; the exit status (127 for a command cut short). */
static int __attribute__((format(printf, 1, 2), unused))
run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st, n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof cmd)
		return 127;
	st = system(cmd);
	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* slurp - a whole file, malloc'd and NUL-terminated (for sscanf). */
static __attribute__((unused)) unsigned char *
slurp(const char *file, size_t *len)
{
	FILE *f = fopen(file, "rb");
	unsigned char *p;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* dir_path - dir/name in a ring of buffers (eight calls before one is reused). */
static __attribute__((unused)) const char *
dir_path(const char *dir, const char *name)
{
	static char ring[8][160];
	static int i;
	char *p = ring[i++ % 8];

	snprintf(p, sizeof ring[0], "%s/%s", dir, name);
	return p;
}

/* dir_fresh - dir/stem-N.pdf, N counting up across the binary: a new output name. */
static __attribute__((unused)) const char *
dir_fresh(const char *dir, const char *stem)
{
	static int n;
	char name[64];

	snprintf(name, sizeof name, "%s-%d.pdf", stem, ++n);
	return dir_path(dir, name);
}

/* spit - write a whole file. */
static __attribute__((unused)) void
spit(const char *file, const void *p, size_t len)
{
	FILE *f = fopen(file, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, len, f), len);
	fclose(f);
}

#endif
