/*
 * berita.h - the berita acara of deletion file, schema 1 (README "The
 * berita acara of deletion"): reading it with every shape problem found
 * (deletion.* codes, Bahasa Indonesia, line:column), writing a pre-filled
 * one, and Indonesian number words for its count.
 */
#ifndef SERTEL_BERITA_H
#define SERTEL_BERITA_H

#include <stddef.h>
#include <stdio.h>

#include "../base/err.h"

struct berita_item {
	char *id, *reason;
	int line, col;			/* of the item, for its findings */
	int id_line, id_col, reason_line, reason_col;
};

struct berita {
	char *pd, *day, *date, *place;
	char *name, *nip, *nik, *rank, *jabatan, *instansi, *unit;
	long long count;		/* -1 when absent or bad */
	char *count_words;
	struct berita_item *items;
	size_t n;
	char *attachment;		/* the scanned paper form (a PDF path), or NULL */
	int nip_line, nip_col, count_line, count_col, words_line, words_col;
};

/* berita_read - parse buf; 0, or -1 with its problems in errs (b is still safe to free). */
int berita_read(const char *buf, size_t len, const char *file, struct berita *b,
		struct errs *errs);
void berita_free(struct berita *b);
/* berita_write - b as a schema 1 file on f. */
void berita_write(FILE *f, const struct berita *b);
/* berita_words - n in Indonesian words ("dua belas", "seratus satu") into out. */
void berita_words(long long n, char *out, size_t cap);
/* berita_words_equal - a and b say the same words (case and spacing aside). */
int berita_words_equal(const char *a, const char *b);

#endif
