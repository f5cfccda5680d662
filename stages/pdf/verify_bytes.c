/*
 * verify_bytes.c - revisions, byte ranges and the /Contents hole, on the
 * file as given (see verify_bytes.h).
 */
#include <stdlib.h>
#include <string.h>

#include "../../base/hex.h"
#include "verify_bytes.h"
#include "verify_str.h"

/* is_ws - PDF white space. */
static int
is_ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* after_startxref - whether "startxref <digits>" and white space precede pos. */
static int
after_startxref(const unsigned char *p, size_t pos)
{
	size_t i = pos, digits = 0;

	while (i > 0 && is_ws(p[i - 1]))
		i--;
	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
		i--, digits++;
	if (digits == 0 || i == 0 || !is_ws(p[i - 1]))
		return 0;
	while (i > 0 && is_ws(p[i - 1]))
		i--;
	return i >= 9 && memcmp(p + i - 9, "startxref", 9) == 0;
}

/*
 * find_eof - the first "%%EOF" in [h, end), or NULL.  memchr for the '%'
 * first: glibc's memmem walks a letter's 70 KB at about a byte a cycle, and
 * the file is scanned so three times per document (signing, verification).
 */
static const unsigned char *
find_eof(const unsigned char *h, const unsigned char *end)
{
	while ((h = memchr(h, '%', (size_t)(end - h))) != NULL) {
		if (end - h >= 5 && memcmp(h, "%%EOF", 5) == 0)
			return h;
		h++;
	}
	return NULL;
}

int
verify_revs_find(const unsigned char *p, size_t len, struct verify_revs *rv)
{
	const unsigned char *hit = p;
	int cap = 0;

	memset(rv, 0, sizeof *rv);
	while ((hit = find_eof(hit, p + len)) != NULL) {
		size_t eof = (size_t)(hit - p) + 5, end = eof;

		hit += 5;
		if (!after_startxref(p, eof - 5))
			continue;
		if (end < len && p[end] == '\r')
			end++;
		if (end < len && p[end] == '\n')
			end++;
		if (rv->n == cap) {
			int ncap = cap ? 2 * cap : 8;
			size_t *a = realloc(rv->eof, (size_t)ncap * sizeof *a);
			size_t *b = a ? realloc(rv->end, (size_t)ncap * sizeof *b) : NULL;

			if (a)
				rv->eof = a;
			if (b == NULL)
				return -1;
			rv->end = b;
			cap = ncap;
		}
		rv->eof[rv->n] = eof;
		rv->end[rv->n] = end;
		rv->n++;
	}
	return 0;
}

void
verify_revs_free(struct verify_revs *rv)
{
	free(rv->eof);
	free(rv->end);
	memset(rv, 0, sizeof *rv);
}

/* revs_index - the 1-based revision that ends at pos (with or without its EOL), or 0. */
static int
revs_index(const struct verify_revs *rv, size_t pos)
{
	int i;

	for (i = 0; i < rv->n; i++)
		if (rv->eof[i] == pos || rv->end[i] == pos)
			return i + 1;
	return 0;
}

int
verify_only_ws(const unsigned char *p, size_t from, size_t len)
{
	for (; from < len; from++)
		if (!is_ws(p[from]))
			return 0;
	return 1;
}

int
verify_ranges_in_file(const struct verify_sig *s, size_t len)
{
	return s->nbr == 4 && s->br[0] >= 0 && s->br[1] >= 0 && s->br[2] >= 0 && s->br[3] >= 0 &&
	       (unsigned long long)s->br[0] + (unsigned long long)s->br[1] <= len &&
	       (unsigned long long)s->br[2] + (unsigned long long)s->br[3] <= len;
}

void
verify_ranges(const struct verify_sig *s, const unsigned char *p, struct verify_span sp[2])
{
	sp[0].p = p + s->br[0];
	sp[0].n = (size_t)s->br[1];
	sp[1].p = p + s->br[2];
	sp[1].n = (size_t)s->br[3];
}

int
verify_digest(const EVP_MD *md, const struct verify_span *sp, int n, unsigned char *out,
	      unsigned int *outlen)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int i, ok = m != NULL && EVP_DigestInit_ex(m, md, NULL) > 0;
	/* SHAKE: RFC 8419 takes 512 bits of SHAKE256 (and 256 of SHAKE128) */
	size_t xof = *outlen ? *outlen : EVP_MD_get_type(md) == NID_shake256 ? 64 : 32;

	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(m, sp[i].p, sp[i].n) > 0;
	if (ok && (EVP_MD_get_flags(md) & EVP_MD_FLAG_XOF)) {
		ok = xof <= EVP_MAX_MD_SIZE && EVP_DigestFinalXOF(m, out, xof) > 0;
		*outlen = (unsigned int)xof;
	} else {
		ok = ok && EVP_DigestFinal_ex(m, out, outlen) > 0;
	}
	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

int
verify_no_value(struct verify_sig *s, const struct verify_value *v, const char *what)
{
	size_t i;

	for (i = 0; v->contents && i < v->clen && !v->contents[i]; i++)
		;
	if (v->contents && i < v->clen)
		return 0;
	s->integrity = VI_FAILED;
	SETF(s->integrity_why, "the signature dictionary has no %s (%s)", what,
	     v->missing ? "no /Contents" : v->contents && v->clen ? "/Contents is only the "
	     "zero-filled placeholder" : "/Contents is empty");
	return 1;
}

/* hole_check - the bytes between the ranges must be exactly "/Contents <hex>", hex = contents. */
static const char *
hole_check(const unsigned char *p, size_t a, size_t b, const unsigned char *contents,
	   size_t clen)
{
	size_t i, k = a;

	if (b < a + 2 || p[a] != '<' || p[b - 1] != '>')
		return "is not a <hex> string";
	for (i = a + 1; i < b - 1; i++)
		if (hex_digit(p[i]) < 0)
			return "holds more than the <hex> string of /Contents";
	if ((b - a - 2) % 2 != 0 || (b - a - 2) / 2 != clen)
		return "is not the /Contents of this signature";
	for (i = 0; i < clen; i++)
		if ((unsigned char)(hex_digit(p[a + 1 + 2 * i]) << 4 | hex_digit(p[a + 2 + 2 * i])) !=
		    contents[i])
			return "is not the /Contents of this signature";
	while (k > 0 && is_ws(p[k - 1]))
		k--;
	if (k < 9 || memcmp(p + k - 9, "/Contents", 9) != 0)
		return "is not preceded by /Contents";
	return NULL;
}

void
verify_coverage(struct verify_sig *s, const unsigned char *p, size_t len,
		const struct verify_revs *rv, const unsigned char *contents, size_t clen)
{
	unsigned long long a, b, end;
	const char *why;

	s->coverage = VC_INVALID;
	if (s->nbr != 4) {
		SETF(s->coverage_why, "/ByteRange has %d numbers, expected 4 ([0 a b c])", s->nbr);
		return;
	}
	if (s->br[0] < 0 || s->br[1] < 0 || s->br[2] < 0 || s->br[3] < 0) {
		SETF(s->coverage_why, "/ByteRange has a negative number");
		return;
	}
	a = (unsigned long long)s->br[1];
	b = (unsigned long long)s->br[2];
	end = b + (unsigned long long)s->br[3];
	s->end = (size_t)end;
	if (s->br[0] != 0) {
		SETF(s->coverage_why, "the signed bytes start at %lld: the first %lld bytes are "
		     "not signed", s->br[0], s->br[0]);
		return;
	}
	if (a > len || end > len) {
		SETF(s->coverage_why, "/ByteRange points outside the file (to byte %llu of %zu)",
		     a > end ? a : end, len);
		return;
	}
	if (b < a) {
		SETF(s->coverage_why, "the two signed ranges overlap");
		return;
	}
	if ((why = hole_check(p, (size_t)a, (size_t)b, contents, clen)) != NULL) {
		SETF(s->coverage_why, "the unsigned gap (bytes %llu to %llu) %s", a, b, why);
		return;
	}
	s->revision = revs_index(rv, (size_t)end);
	if (s->revision == 0) {
		SETF(s->coverage_why, "the signed bytes end at %llu, which is not the end of a "
		     "revision (startxref ... %%%%EOF)", end);
		return;
	}
	if (s->revision == rv->n) {
		s->coverage = VC_WHOLE;
		SETF(s->coverage_why, "the whole file but the /Contents hole");
	} else {
		s->coverage = VC_REVISION;
		SETF(s->coverage_why, "revision %d of %d (%zu bytes follow)", s->revision, rv->n,
		     len - (size_t)end);
	}
}
