/*
 * verify_lost.c - signatures taken out of the form by a later revision (see
 * verify_lost.h).  Candidates come from the raw bytes (each "/ByteRange
 * [0 a b c]" whose b+c ends a revision that later ones follow); each is
 * looked up in the form of the revision it signed, opened on its own.
 */
#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "verify_diff.h"
#include "verify_xref.h"
#include "verify_lost.h"

#define MAX_LOST 32		/* revisions opened to look for lost signatures */

/* is_ws - PDF white space. */
static int
is_ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* byte_range - the four numbers of "/ByteRange [...]" at p[i] (after the key); 0 when not so. */
static int
byte_range(const unsigned char *p, size_t len, size_t i, long long br[4])
{
	int k;

	while (i < len && is_ws(p[i]))
		i++;
	if (i >= len || p[i++] != '[')
		return 0;
	for (k = 0; k < 4; k++) {
		size_t start;

		while (i < len && is_ws(p[i]))
			i++;
		for (start = i, br[k] = 0; i < len && p[i] >= '0' && p[i] <= '9' && i - start < 15; i++)
			br[k] = br[k] * 10 + (p[i] - '0');
		if (i == start)
			return 0;
	}
	return 1;
}

/* same_br - s has exactly the byte range br. */
static int
same_br(const struct verify_sig *s, const long long br[4])
{
	return s->nbr == 4 && s->br[0] == br[0] && s->br[1] == br[1] && s->br[2] == br[2] &&
	       s->br[3] == br[3];
}

/* known - r already has a signature with byte range br. */
static int
known(const struct verify_report *r, const long long br[4])
{
	size_t i;

	for (i = 0; i < r->nsig; i++)
		if (same_br(&r->sig[i], br))
			return 1;
	return 0;
}

/* ends_early - br's signed bytes end a revision that a later one follows. */
static int
ends_early(const struct verify_revs *rv, const long long br[4])
{
	unsigned long long end = (unsigned long long)br[2] + (unsigned long long)br[3];
	int i;

	for (i = 0; i + 1 < rv->n; i++)
		if (rv->eof[i] == end || rv->end[i] == end)
			return 1;
	return 0;
}

/* adopt - signature j of the revision's finds into f and r; -1 when out of memory. */
static int
adopt(fz_context *ctx, struct verify_finds *tf, struct verify_report *tr, size_t j,
      struct verify_finds *f, struct verify_report *r)
{
	struct verify_sig *sig = realloc(r->sig, (r->nsig + 1) * sizeof *sig);

	if (sig == NULL)
		return -1;
	r->sig = sig;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4;
		struct verify_found *v = realloc(f->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		f->v = v;
		f->cap = cap;
	}
	r->sig[r->nsig++] = tr->sig[j];
	f->v[f->n] = tf->v[j];
	f->v[f->n].field = f->v[f->n].sig = NULL;
	f->n++;
	pdf_drop_obj(ctx, tf->v[j].field);
	pdf_drop_obj(ctx, tf->v[j].sig);
	tf->v[j].field = tf->v[j].sig = NULL;
	tf->v[j].contents = NULL;	/* now f's */
	tf->v[j].cert = NULL;
	return 0;
}

/* from_revision - the signatures of the revision ending at end that r lacks; -1 out of memory. */
static int
from_revision(fz_context *ctx, const unsigned char *p, size_t end, struct verify_finds *f,
	      struct verify_report *r)
{
	struct verify_finds tf;
	struct verify_report tr;
	pdf_document *doc = NULL;
	size_t j;
	int rc = 0;

	fz_var(rc);
	memset(&tf, 0, sizeof tf);
	memset(&tr, 0, sizeof tr);
	fz_var(doc);
	fz_try(ctx)
		doc = verify_open_prefix(ctx, p, end);
	fz_catch(ctx)
		rc = fz_caught(ctx) == FZ_ERROR_MEMORY ? -1 : 1;
	if (rc != 0)
		return rc < 0 ? -1 : 0;	/* unreadable: nothing to find there */
	rc = verify_find_sigs(ctx, doc, &tf, &tr);
	for (j = 0; rc == 0 && j < tr.nsig; j++)
		if (tr.sig[j].nbr == 4 && (size_t)(tr.sig[j].br[2] + tr.sig[j].br[3]) == end &&
		    !known(r, tr.sig[j].br)) {
			/* where this revision puts it: the file's last xref may not (verify_binding) */
			tf.v[j].sigofs = verify_sig_offset(ctx, doc, tf.v[j].signum);
			rc = adopt(ctx, &tf, &tr, j, f, r);
		}
	verify_finds_free(ctx, &tf);
	free(tr.sig);
	pdf_drop_document(ctx, doc);
	return rc;
}

int
verify_lost_sigs(fz_context *ctx, const unsigned char *p, size_t len,
		 const struct verify_revs *rv, struct verify_finds *f, struct verify_report *r)
{
	size_t ends[MAX_LOST], i, n = 0;
	const unsigned char *hit = p;

	while (n < MAX_LOST && (hit = memmem(hit, len - (size_t)(hit - p), "/ByteRange", 10))) {
		long long br[4];
		size_t end;

		hit += 10;
		if (!byte_range(p, len, (size_t)(hit - p), br) || br[0] != 0 || !ends_early(rv, br) ||
		    known(r, br))
			continue;
		end = (size_t)(br[2] + br[3]);
		for (i = 0; i < n && ends[i] != end; i++)
			;
		if (i == n)
			ends[n++] = end;
	}
	for (i = 0; i < n; i++)
		if (from_revision(ctx, p, ends[i], f, r) < 0)
			return -1;
	return 0;
}
