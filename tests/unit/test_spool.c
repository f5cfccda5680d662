/*
 * test_spool.c - the spool protocol: what a scan takes, claims, signing in
 * place undone, delivery names and the idempotence recovery relies on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "../../base/jobid.h"
#include "../../spool/fsutil.h"
#include "../../spool/spool.h"
#include "fixture.h"

struct fixture {
	char root[64];
	struct spool s;
};

static void
put(const char *dir, const char *name, const char *text, long age)
{
	char path[512];
	struct timeval tv[2];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	gettimeofday(&tv[0], NULL);
	tv[0].tv_sec -= age;
	tv[1] = tv[0];
	utimes(path, tv);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct err e;

	snprintf(fx->root, sizeof fx->root, "/tmp/sertel-spool.XXXXXX");
	assert_non_null(mkdtemp(fx->root));
	assert_int_equal(spool_open(&fx->s, fx->root, &e), 0);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	spool_close(&fx->s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", fx->root);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

struct seen {
	int n;
	struct drop d[16];
};

static int
collect(void *arg, const struct drop *d)
{
	struct seen *s = arg;

	if (s->n < 16)
		s->d[s->n++] = *d;
	return 0;
}

static const struct drop *
find(const struct seen *s, const char *pdf)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->d[i].pdf, pdf))
			return &s->d[i];
	return NULL;
}

/* pd_dir - make incoming/<pd> and return its path. */
static const char *
pd_dir(struct fixture *fx, const char *pd)
{
	static char dir[256];

	snprintf(dir, sizeof dir, "%s/incoming/%s", fx->root, pd);
	mkdir(dir, 0750);
	return dir;
}

static void
test_jobid(void **state)
{
	char a[JOBID_LEN + 1], b[JOBID_LEN + 1];

	(void)state;
	assert_int_equal(jobid_new(a), 0);
	assert_int_equal(jobid_new(b), 0);
	assert_true(jobid_valid(a));
	assert_string_not_equal(a, b);
	assert_null(strpbrk(a, "01IO"));
	assert_false(jobid_valid("../../etc/passwd"));
	assert_false(jobid_valid("ABCDEFGHJKLMNPQ"));	/* 15 characters */
	assert_false(jobid_valid("ABCDEFGHJKLMNPQRS"));	/* 17 */
	assert_false(jobid_valid("ABCDEFGHJKLMNPQ0"));	/* ambiguous 0 */
}

static void
test_scan_classifies(void **state)
{
	struct fixture *fx = *state;
	const char *dir = pd_dir(fx, "diskominfo");
	struct scan_stats st = { 0 };
	struct seen seen = { 0 };
	const struct drop *d;
	char path[512];

	put(dir, "a.pdf", "%PDF-1.4", 10);
	put(dir, "a.yaml", "schema: 1", 10);
	put(dir, "b.pdf", "%PDF-1.4", 10);		/* waits for b.yaml */
	put(dir, "c.pdf", "%PDF-1.4", 0);		/* still being written */
	put(dir, "c.yaml", "schema: 1", 10);
	put(dir, ".d.pdf", "%PDF-1.4", 10);		/* hidden: in progress */
	put(dir, "e.pdf.part", "%PDF-1.4", 10);		/* in progress */
	put(dir, "f.tar.gz", "x", 10);
	put(dir, "g.docx", "x", 10);
	put(dir, "h.yml", "schema: 1", 10);
	put(dir, "h.PDF", "%PDF-1.4", 10);
	snprintf(path, sizeof path, "%s/i.pdf", dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(spool_scan(&fx->s, time(NULL), 2, 3600, collect, &seen, &st), 0);

	assert_int_equal(seen.n, 5);
	assert_non_null(d = find(&seen, "a.pdf"));
	assert_int_equal(d->kind, DROP_DOC);
	assert_string_equal(d->meta, "a.yaml");
	assert_string_equal(d->stem, "a");
	assert_string_equal(d->pd, "diskominfo");
	assert_non_null(d = find(&seen, "h.PDF"));
	assert_string_equal(d->meta, "h.yml");
	assert_non_null(d = find(&seen, "f.tar.gz"));
	assert_int_equal(d->kind, DROP_BUNDLE);
	assert_string_equal(d->stem, "f");
	assert_non_null(d = find(&seen, "g.docx"));
	assert_int_equal(d->kind, DROP_REJECT);
	assert_string_equal(d->reject_code, "input.unsupported");
	assert_non_null(d = find(&seen, "i.pdf"));
	assert_string_equal(d->reject_code, "input.symlink");
	assert_null(find(&seen, "b.pdf"));
	assert_null(find(&seen, "c.pdf"));
	assert_int_equal(st.waiting, 1);
	assert_int_equal(st.unsettled, 1);
}

/* heap_note - keep in *max the heap in use now (big arrays are mmapped: hblkhd). */
static void
heap_note(size_t *max)
{
	struct mallinfo2 mi = mallinfo2();

	if (mi.uordblks + mi.hblkhd > *max)
		*max = mi.uordblks + mi.hblkhd;
}

/* heap_now - the heap in use now, as heap_note counts it. */
static size_t
heap_now(void)
{
	size_t h = 0;

	heap_note(&h);
	return h;
}

/* A scan of a big folder: what it handed over, and the heap in use meanwhile. */
struct tally {
	int docs, unpaired, other, stop_at;
	unsigned char *taken;		/* by the number in the name */
	size_t heap_max;
};

static int
tally(void *arg, const struct drop *d)
{
	struct tally *t = arg;
	char meta[NAME_MAX + 8];
	int k;

	heap_note(&t->heap_max);
	snprintf(meta, sizeof meta, "%s.yaml", d->stem);
	if (d->kind == DROP_DOC && sscanf(d->pdf, "d%d.pdf", &k) == 1 && !strcmp(d->meta, meta) &&
	    t->taken[k]++ == 0)
		t->docs++;
	else if (d->kind == DROP_REJECT && !strcmp(d->pdf, "yatim.yaml") &&
		 !strcmp(d->reject_code, "input.unpaired"))
		t->unpaired++;
	else
		t->other++;
	return t->stop_at && t->docs + t->unpaired + t->other >= t->stop_at;
}

/*
 * test_scan_big_folder - 12,000 pairs (more entries than one chunk): every
 * pair handed over once, its PDF and sidecar together wherever the listing
 * put them, even when the sidecar waited past the limit; an overdue lone
 * sidecar refused as unpaired though the folder is read in chunks; the heap
 * holds a chunk, not the folder; and a scan stopped by the callback stops.
 */
static void
test_scan_big_folder(void **state)
{
	enum { PAIRS = 12000 };
	struct fixture *fx = *state;
	struct scan_stats st = { 0 };
	struct tally t = { 0 };
	const char *dir = pd_dir(fx, "arsip");
	char name[32];
	size_t base;
	int i;

	for (i = 0; i < PAIRS; i++) {
		snprintf(name, sizeof name, "d%05d.pdf", i);
		put(dir, name, "%PDF-1.4", 10);
		snprintf(name, sizeof name, "d%05d.yaml", i);
		put(dir, name, "schema: 1", i % 2 ? 7200 : 10);	/* half overdue */
	}
	put(dir, "yatim.yaml", "schema: 1", 7200);
	assert_non_null(t.taken = calloc(PAIRS, 1));
	base = heap_now();
	assert_int_equal(spool_scan_pd(&fx->s, "arsip", time(NULL), 2, 3600, tally, &t, &st), 0);
	/* the whole folder's entries would be ~24,000 x 200 bytes; a chunk's, ~0.8 MB */
	assert_true(t.heap_max < base + 2 * 1024 * 1024);
	assert_int_equal(t.docs, PAIRS);
	assert_int_equal(t.unpaired, 1);	/* the lone sidecar, refused */
	assert_int_equal(t.other, 0);
	assert_int_equal(st.waiting, 0);	/* the paired ones are not waiting */
	memset(t.taken, 0, PAIRS);
	t.docs = t.unpaired = 0;
	t.stop_at = 100;
	assert_int_equal(spool_scan_pd(&fx->s, "arsip", time(NULL), 2, 3600, tally, &t, &st), 1);
	assert_int_equal(t.docs + t.unpaired + t.other, 100);
	free(t.taken);
}

/* what a scan of incoming/ handed over, by kind, and the heap in use meanwhile */
struct top_tally {
	int no_pd, unknown_pd, docs, other;
	size_t heap_max;
};

static int
top_tally(void *arg, const struct drop *d)
{
	struct top_tally *t = arg;

	heap_note(&t->heap_max);
	if (d->kind == DROP_REJECT && !strcmp(d->reject_code, "input.no_pd") &&
	    !strcmp(d->pd, SPOOL_UNKNOWN))
		t->no_pd++;
	else if (d->kind == DROP_REJECT && !strcmp(d->reject_code, "input.unknown_pd") &&
		 !strcmp(d->dir, "Arsip Lama"))
		t->unknown_pd++;
	else if (d->kind == DROP_DOC && !strcmp(d->pdf, "surat.pdf"))
		t->docs++;
	else
		t->other++;
	return 0;
}

/*
 * test_scan_big_top - 6,000 files dropped straight into incoming/ and 6,000
 * into a folder that is no PD's (more than a chunk each): every one refused
 * once, a PD's pair beside them still signed, and the heap holds a chunk,
 * not the folders.
 */
static void
test_scan_big_top(void **state)
{
	enum { STRAYS = 6000 };
	struct fixture *fx = *state;
	struct scan_stats st = { 0 };
	struct top_tally t = { 0 };
	const char *dir;
	char top[256], name[32];
	size_t base;
	int i;

	snprintf(top, sizeof top, "%s/incoming", fx->root);
	for (i = 0; i < STRAYS; i++) {
		snprintf(name, sizeof name, "salah%05d.pdf", i);
		put(top, name, "%PDF-1.4", 10);
	}
	dir = pd_dir(fx, "Arsip Lama");
	for (i = 0; i < STRAYS; i++) {
		snprintf(name, sizeof name, "lama%05d.pdf", i);
		put(dir, name, "%PDF-1.4", 10);
	}
	dir = pd_dir(fx, "setda");
	put(dir, "surat.pdf", "%PDF-1.4", 10);
	put(dir, "surat.yaml", "schema: 1", 10);
	base = heap_now();
	assert_int_equal(spool_scan(&fx->s, time(NULL), 2, 3600, top_tally, &t, &st), 0);
	/* both folders whole: 3.0 MB; a chunk of each at most: 1.6 MB */
	assert_true(t.heap_max < base + 9 * 1024 * 1024 / 4);
	assert_int_equal(t.no_pd, STRAYS);
	assert_int_equal(t.unknown_pd, STRAYS);
	assert_int_equal(t.docs, 1);
	assert_int_equal(t.other, 0);
}

static void
test_scan_overdue_and_bad_pd(void **state)
{
	struct fixture *fx = *state;
	struct scan_stats st = { 0 };
	struct seen seen = { 0 };

	put(pd_dir(fx, "setda"), "lone.pdf", "%PDF-1.4", 7200);
	put(pd_dir(fx, "setda"), "only.yaml", "schema: 1", 7200);
	put(pd_dir(fx, "Bad Name"), "x.pdf", "%PDF-1.4", 10);
	assert_int_equal(spool_scan(&fx->s, time(NULL), 2, 3600, collect, &seen, &st), 0);
	assert_int_equal(seen.n, 3);
	assert_string_equal(find(&seen, "lone.pdf")->reject_code, "sidecar.missing");
	assert_string_equal(find(&seen, "only.yaml")->reject_code, "input.unpaired");
	/* a folder that is no PD's: its file refused into failed/_unknown/, never ignored */
	assert_string_equal(find(&seen, "x.pdf")->reject_code, "input.unknown_pd");
	assert_string_equal(find(&seen, "x.pdf")->pd, SPOOL_UNKNOWN);
	assert_string_equal(find(&seen, "x.pdf")->dir, "Bad Name");
	assert_false(spool_pd_valid("Bad Name"));
	assert_false(spool_pd_valid(".."));
	assert_true(spool_pd_valid("dinas-pu_2"));
}

/* claim - prepare + commit one drop found by a scan. */
static void
claim(struct fixture *fx, const char *pd, const char *stem, struct job *j)
{
	struct seen seen = { 0 };
	struct scan_stats st = { 0 };
	char src[128], pdf[64];
	struct err e;

	assert_int_equal(spool_scan_pd(&fx->s, pd, time(NULL), 0, 3600, collect, &seen, &st), 0);
	snprintf(pdf, sizeof pdf, "%s.pdf", stem);
	assert_non_null(find(&seen, pdf));
	snprintf(src, sizeof src, "incoming/%s", pd);
	assert_int_equal(spool_claim_prepare(&fx->s, find(&seen, pdf), src, j, &e), 0);
	assert_int_equal(spool_claim_commit(&fx->s, j, &e), 0);
}

static int
exists(struct fixture *fx, const char *rel)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", fx->root, rel);
	return lstat(path, &st) == 0;
}

/*
 * A PDF that names its attached metadata near its end is taken without a
 * sidecar (meta ""), claimed, delivered and released alone; the name further
 * back than the tail scanned, or absent, leaves it waiting.
 */
static void
test_scan_embedded(void **state)
{
	struct fixture *fx = *state;
	struct scan_stats st = { 0 };
	struct seen seen = { 0 };
	char *far = malloc(300 * 1024 + 64), stem[64];
	const struct drop *d;
	struct job j;
	struct err e;

	put(pd_dir(fx, "setda"), "tertanam.pdf", "%PDF-1.4\n<</F(" SPOOL_EMBEDDED_NAME ")>>\n", 10);
	snprintf(far, 64, "%%PDF-1.4 (%s)", SPOOL_EMBEDDED_NAME);
	memset(far + strlen(far), ' ', 300 * 1024);
	far[300 * 1024] = '\0';
	put(pd_dir(fx, "setda"), "jauh.pdf", far, 10);
	put(pd_dir(fx, "setda"), "biasa.pdf", "%PDF-1.4\n", 10);
	free(far);
	assert_int_equal(spool_scan(&fx->s, time(NULL), 2, 3600, collect, &seen, &st), 0);
	assert_int_equal(seen.n, 1);
	assert_non_null(d = find(&seen, "tertanam.pdf"));
	assert_int_equal(d->kind, DROP_DOC);
	assert_string_equal(d->meta, "");
	assert_int_equal(st.waiting, 2);

	assert_int_equal(spool_claim_prepare(&fx->s, d, "incoming/setda", &j, &e), 0);
	assert_int_equal(spool_claim_commit(&fx->s, &j, &e), 0);
	assert_false(exists(fx, "incoming/setda/tertanam.pdf"));
	assert_int_equal(spool_release(&fx->s, &j), 0);
	assert_true(exists(fx, "incoming/setda/tertanam.pdf"));
	assert_int_equal(spool_claim_commit(&fx->s, &j, &e), 0);
	spool_pick_stem(&fx->s, 0, &j, stem, sizeof stem);
	assert_int_equal(spool_deliver(&fx->s, &j, 0, stem), 0);
	assert_true(exists(fx, "done/setda/tertanam.pdf"));
	assert_false(exists(fx, "done/setda/tertanam"));
	assert_false(exists(fx, "done/setda/tertanam.yaml"));
}

/* qexists - queue/<id>.<part> exists. */
static int
qexists(struct fixture *fx, const struct job *j, const char *part)
{
	char rel[128];

	snprintf(rel, sizeof rel, "queue/%s.%s", j->id, part);
	return exists(fx, rel);
}

static void
test_claim(void **state)
{
	struct fixture *fx = *state;
	const char *dir = pd_dir(fx, "bappeda");
	struct job j;
	struct err e;

	put(dir, "surat 1\n.pdf", "%PDF-1.4", 10);	/* odd bytes are fine in names */
	put(dir, "surat 1\n.yaml", "schema: 1", 10);
	claim(fx, "bappeda", "surat 1\n", &j);
	assert_true(jobid_valid(j.id));
	assert_true(qexists(fx, &j, "pdf"));
	assert_true(qexists(fx, &j, "yaml"));
	assert_false(exists(fx, "incoming/bappeda/surat 1\n.pdf"));
	assert_string_equal(j.stem, "surat 1\n");
	assert_string_equal(j.meta, "surat 1\n.yaml");
	assert_string_equal(j.src, "incoming/bappeda");
	assert_int_equal(j.size, 8);
	/* a repeated commit (recovery) is harmless */
	assert_int_equal(spool_claim_commit(&fx->s, &j, &e), 0);
}

static void
test_claim_half_done(void **state)
{
	struct fixture *fx = *state;
	const char *dir = pd_dir(fx, "dinas");
	char from[320], to[320];
	struct seen seen = { 0 };
	struct scan_stats st = { 0 };
	struct job j;
	struct err e;

	put(dir, "y.pdf", "%PDF-1.4", 10);
	put(dir, "y.yaml", "schema: 1", 10);
	assert_int_equal(spool_scan_pd(&fx->s, "dinas", time(NULL), 0, 3600, collect, &seen, &st),
			 0);
	assert_int_equal(spool_claim_prepare(&fx->s, find(&seen, "y.pdf"), "incoming/dinas", &j,
					     &e), 0);
	/* a crash after the PDF moved but before the sidecar did */
	snprintf(from, sizeof from, "%s/y.pdf", dir);
	snprintf(to, sizeof to, "%s/queue/%s.pdf", fx->root, j.id);
	assert_int_equal(rename(from, to), 0);
	assert_int_equal(spool_claim_commit(&fx->s, &j, &e), 0);
	assert_true(qexists(fx, &j, "pdf"));
	assert_true(qexists(fx, &j, "yaml"));
	/* the input vanished: the claim cannot complete */
	put(dir, "z.pdf", "%PDF-1.4", 10);
	put(dir, "z.yaml", "schema: 1", 10);
	memset(&seen, 0, sizeof seen);
	assert_int_equal(spool_scan_pd(&fx->s, "dinas", time(NULL), 0, 3600, collect, &seen, &st),
			 0);
	assert_int_equal(spool_claim_prepare(&fx->s, find(&seen, "z.pdf"), "incoming/dinas", &j,
					     &e), 0);
	snprintf(from, sizeof from, "%s/z.pdf", dir);
	unlink(from);
	assert_int_not_equal(spool_claim_commit(&fx->s, &j, &e), 0);
	assert_string_equal(e.code, "io.error");
}

/*
 * A bundle member's source folder (queue/<bundle>.x) is removed once the
 * bundle is delivered; a crash then leaves member claims whose inputs are
 * in the queue and whose source is gone: the claim is complete, not lost.
 * A member whose inputs are in neither place still cannot complete.
 */
static void
test_claim_source_gone(void **state)
{
	struct fixture *fx = *state;
	char x[256], rel[320];
	struct drop d = { .kind = DROP_DOC, .pd = "setda", .stem = "m", .pdf = "m.pdf",
			  .meta = "m.yaml", .size = 8 };
	struct job j, k;
	struct err e;

	snprintf(x, sizeof x, "%s/queue/BUNDLEX.x", fx->root);
	assert_int_equal(mkdir(x, 0750), 0);
	put(x, "m.pdf", "%PDF-1.4", 0);
	put(x, "m.yaml", "schema: 1", 0);
	assert_int_equal(spool_claim_prepare(&fx->s, &d, "queue/BUNDLEX.x", &j, &e), 0);
	assert_int_equal(spool_claim_prepare(&fx->s, &d, "queue/BUNDLEX.x", &k, &e), 0);
	assert_int_equal(spool_claim_commit(&fx->s, &j, &e), 0);
	assert_int_equal(fs_rm_dir(fx->s.queue_fd, "BUNDLEX.x"), 0);
	assert_int_equal(spool_claim_commit(&fx->s, &j, &e), 0);	/* recovery */
	assert_true(qexists(fx, &j, "pdf"));
	assert_true(qexists(fx, &j, "yaml"));
	assert_int_not_equal(spool_claim_commit(&fx->s, &k, &e), 0);
	assert_string_equal(e.code, "io.error");
	snprintf(rel, sizeof rel, "queue/BUNDLEX.x/m.pdf: No such file or directory");
	assert_string_equal(e.detail, rel);
}

static void
test_release_puts_back(void **state)
{
	struct fixture *fx = *state;
	const char *dir = pd_dir(fx, "dinkes");
	struct job j;

	put(dir, "x.pdf", "%PDF-1.4", 10);
	put(dir, "x.yaml", "schema: 1", 10);
	claim(fx, "dinkes", "x", &j);
	assert_int_equal(spool_release(&fx->s, &j), 0);
	assert_true(exists(fx, "incoming/dinkes/x.pdf"));
	assert_true(exists(fx, "incoming/dinkes/x.yaml"));
	assert_false(qexists(fx, &j, "pdf"));
}

/* append - what signing in place does to queue/<id>.pdf. */
static void
append(struct fixture *fx, const struct job *j, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/queue/%s.pdf", fx->root, j->id);
	assert_non_null(f = fopen(path, "a"));
	fputs(text, f);
	fclose(f);
}

static long
qsize(struct fixture *fx, const struct job *j)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof path, "%s/queue/%s.pdf", fx->root, j->id);
	assert_int_equal(stat(path, &st), 0);
	return (long)st.st_size;
}

static void
test_restore_input(void **state)
{
	struct fixture *fx = *state;
	const char *dir = pd_dir(fx, "bkd");
	char rev[128];
	struct job j;

	put(dir, "r.pdf", "%PDF-1.4", 10);
	put(dir, "r.yaml", "schema: 1", 10);
	claim(fx, "bkd", "r", &j);
	assert_int_equal(spool_restore_input(&fx->s, &j), 0);	/* nothing to undo */
	assert_int_equal(qsize(fx, &j), 8);
	snprintf(rev, sizeof rev, "\n1 0 obj <</SertelID (%s)>> endobj\n", j.id);
	append(fx, &j, rev);
	assert_int_equal(spool_restore_input(&fx->s, &j), 0);	/* our revision: cut off */
	assert_int_equal(qsize(fx, &j), 8);
	append(fx, &j, "\n% someone else's bytes\n");
	assert_int_equal(spool_restore_input(&fx->s, &j), 1);	/* not ours: left alone */
	assert_int_equal(qsize(fx, &j), 8 + 24);
}

static void
test_deliver_idempotent_and_names(void **state)
{
	struct fixture *fx = *state;
	const char *dir = pd_dir(fx, "disdik");
	char stem[NAME_MAX + 1], want[128], path[256];
	struct job j, k;
	FILE *f;

	put(dir, "nota.pdf", "%PDF-1.4", 10);
	put(dir, "nota.yaml", "schema: 1", 10);
	claim(fx, "disdik", "nota", &j);
	append(fx, &j, "signed");
	spool_pick_stem(&fx->s, 0, &j, stem, sizeof stem);
	assert_string_equal(stem, "nota");
	assert_int_equal(spool_deliver(&fx->s, &j, 0, stem), 0);
	assert_int_equal(spool_deliver(&fx->s, &j, 0, stem), 0);	/* again: nothing left to move */
	assert_true(exists(fx, "done/disdik/nota.pdf"));
	assert_true(exists(fx, "done/disdik/nota.yaml"));
	spool_job_remove(&fx->s, j.id);
	assert_false(qexists(fx, &j, "pdf"));

	/* the same name again gets the ID appended, in failed/ too */
	put(dir, "nota.pdf", "%PDF-1.4", 10);
	put(dir, "nota.yaml", "schema: 1", 10);
	claim(fx, "disdik", "nota", &k);
	spool_pick_stem(&fx->s, 0, &k, stem, sizeof stem);
	snprintf(want, sizeof want, "nota-%s", k.id);
	assert_string_equal(stem, want);
	spool_pick_stem(&fx->s, 1, &k, stem, sizeof stem);
	assert_string_equal(stem, "nota");
	snprintf(path, sizeof path, "%s/queue/%s.error.yaml", fx->root, k.id);
	assert_non_null(f = fopen(path, "w"));
	fputs("kode: x\n", f);
	fclose(f);
	assert_int_equal(spool_deliver(&fx->s, &k, 1, stem), 0);
	assert_true(exists(fx, "failed/disdik/nota.pdf"));
	assert_true(exists(fx, "failed/disdik/nota.yaml"));
	assert_true(exists(fx, "failed/disdik/nota.error.yaml"));
}

static void
test_queue_list_and_set_aside(void **state)
{
	struct fixture *fx = *state;
	const char *dir = pd_dir(fx, "setwan");
	char **ids, rel[256];
	size_t n, i;
	struct job j;

	put(dir, "q.pdf", "%PDF-1.4", 10);
	put(dir, "q.yaml", "schema: 1", 10);
	claim(fx, "setwan", "q", &j);
	snprintf(rel, sizeof rel, "%s/queue", fx->root);
	put(rel, "not-an-id.pdf", "x", 0);
	put(rel, ".tmp.123.ABC", "x", 0);	/* a write a crash cut short */
	assert_int_equal(spool_clean_temps(&fx->s), 1);
	assert_int_equal(spool_queue_list(&fx->s, &ids, &n), 0);
	assert_int_equal(n, 1);			/* two files, one id */
	assert_string_equal(ids[0], j.id);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	assert_false(exists(fx, "queue/.tmp.123.ABC"));
	assert_int_equal(spool_set_aside(&fx->s, j.id), 0);
	snprintf(rel, sizeof rel, "corrupt/%s.pdf", j.id);
	assert_true(exists(fx, rel));
	assert_false(qexists(fx, &j, "yaml"));
}

/* open_fds - descriptors this process has open (/proc/self/fd, less the listing's own). */
static int
open_fds(void)
{
	return run("exit $(($(ls /proc/%d/fd | wc -l)))", (int)getpid());
}

/* The done/failed folder cache keeps within its limit, closing the least recently used. */
static void
test_deliver_cache_limit(void **state)
{
	static const char *const pds[] = { "pd-a", "pd-b", "pd-c", "pd-d", "pd-e", "pd-a" };
	struct fixture *fx = *state;
	char stem[NAME_MAX + 1], rel[NAME_MAX + 64];
	size_t i;
	struct job j;
	int before;

	spool_cache_limit(&fx->s, 2);
	before = open_fds();
	for (i = 0; i < sizeof pds / sizeof pds[0]; i++) {
		const char *dir = pd_dir(fx, pds[i]);
		put(dir, "x.pdf", "%PDF-1.4", 10);
		put(dir, "x.yaml", "schema: 1", 10);
		claim(fx, pds[i], "x", &j);
		assert_int_equal(spool_pick_stem(&fx->s, 0, &j, stem, sizeof stem), 0);
		assert_int_equal(spool_deliver(&fx->s, &j, 0, stem), 0);
		assert_true(fx->s.npds <= 2);
		snprintf(rel, sizeof rel, "done/%s/%s.pdf", pds[i], stem);
		assert_true(exists(fx, rel));
	}
	/* pd-a came back (stem x taken: x-ID), the two kept are the last used */
	assert_int_equal(fx->s.npds, 2);
	assert_true(!strcmp(fx->s.pds[0].pd, "pd-a") || !strcmp(fx->s.pds[1].pd, "pd-a"));
	assert_true(!strcmp(fx->s.pds[0].pd, "pd-e") || !strcmp(fx->s.pds[1].pd, "pd-e"));
	assert_true(open_fds() <= before + 4);

	/* a folder that cannot be made: no name is picked (the job must wait) */
	put(fx->root, "done/pd-f", "not a folder", 0);
	put(pd_dir(fx, "pd-f"), "y.pdf", "%PDF-1.4", 10);
	put(pd_dir(fx, "pd-f"), "y.yaml", "schema: 1", 10);
	claim(fx, "pd-f", "y", &j);
	assert_int_equal(spool_pick_stem(&fx->s, 0, &j, stem, sizeof stem), -1);
}

/* Out of descriptors, every PD folder is counted unreadable, none stops the scan. */
/*
 * SPOOL/deletion/<pd>/: a settled berita acara (.yaml/.yml) is a deletion
 * drop, with <stem>.pdf beside it as its scan; in-progress names and
 * unsettled files are left; a lone PDF waits, then is refused; other files
 * and symlinks are refused.  Claimed, its two files go to the queue and are
 * delivered under their own names; no deletion/ folder is no drop.
 */
static void
test_scan_deletions(void **state)
{
	struct fixture *fx = *state;
	struct scan_stats st = { 0 };
	struct seen seen = { 0 };
	const struct drop *d;
	char dir[256], path[512], stem[NAME_MAX + 1];
	struct job j;
	struct err e;

	assert_int_equal(spool_scan_deletions(&fx->s, time(NULL), 2, 3600, collect, &seen, &st), 0);
	assert_int_equal(seen.n, 0);
	snprintf(dir, sizeof dir, "%s/deletion", fx->root);
	mkdir(dir, 0750);
	snprintf(dir, sizeof dir, "%s/deletion/diskominfo", fx->root);
	mkdir(dir, 0750);
	put(dir, "ba.yaml", "schema: 1", 10);
	put(dir, "ba.pdf", "%PDF-1.4", 10);
	put(dir, "solo.yml", "schema: 1", 10);
	put(dir, "tulis.yaml.part", "schema: 1", 10);
	put(dir, "baru.yaml", "schema: 1", 10);
	put(dir, "baru.pdf", "%PDF-1.4", 0);		/* its scan still being written */
	put(dir, "pindaian.pdf", "%PDF-1.4", 10);	/* waits for pindaian.yaml */
	put(dir, "lama.pdf", "%PDF-1.4", 7200);		/* waited too long */
	put(dir, "catatan.txt", "x", 10);
	snprintf(path, sizeof path, "%s/link.yaml", dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(spool_scan_deletions(&fx->s, time(NULL), 2, 3600, collect, &seen, &st), 0);

	assert_int_equal(seen.n, 5);
	assert_non_null(d = find(&seen, "ba.yaml"));
	assert_int_equal(d->kind, DROP_DELETION);
	assert_string_equal(d->meta, "ba.pdf");
	assert_string_equal(d->stem, "ba");
	assert_string_equal(d->pd, "diskominfo");
	assert_non_null(d = find(&seen, "solo.yml"));
	assert_int_equal(d->kind, DROP_DELETION);
	assert_string_equal(d->meta, "");
	assert_non_null(d = find(&seen, "lama.pdf"));
	assert_string_equal(d->reject_code, "input.unpaired");
	assert_non_null(d = find(&seen, "catatan.txt"));
	assert_string_equal(d->reject_code, "input.unsupported");
	assert_non_null(d = find(&seen, "link.yaml"));
	assert_string_equal(d->reject_code, "input.symlink");
	assert_null(find(&seen, "baru.yaml"));
	assert_null(find(&seen, "pindaian.pdf"));
	assert_int_equal(st.unsettled, 1);
	assert_int_equal(st.waiting, 1);

	assert_int_equal(spool_claim_prepare(&fx->s, find(&seen, "ba.yaml"), "deletion/diskominfo",
					     &j, &e), 0);
	assert_int_equal(spool_claim_commit(&fx->s, &j, &e), 0);
	assert_true(qexists(fx, &j, "berita"));
	assert_true(qexists(fx, &j, "lampiran"));
	assert_false(exists(fx, "deletion/diskominfo/ba.yaml"));
	spool_pick_stem(&fx->s, 0, &j, stem, sizeof stem);
	assert_int_equal(spool_deliver(&fx->s, &j, 0, stem), 0);
	assert_true(exists(fx, "done/diskominfo/ba.yaml"));
	assert_true(exists(fx, "done/diskominfo/ba.pdf"));
	spool_job_remove(&fx->s, j.id);
	assert_false(qexists(fx, &j, "berita"));
}

static void
test_scan_unreadable_counted(void **state)
{
	struct fixture *fx = *state;
	struct scan_stats st;
	struct seen seen = { 0 };
	struct rlimit old, rl;
	int rc, saved, fill[64], nfill = 0;

	put(pd_dir(fx, "pd-a"), "a.pdf", "%PDF-1.4", 100);
	put(pd_dir(fx, "pd-b"), "b.pdf", "%PDF-1.4", 100);
	put(pd_dir(fx, "pd-c"), "c.pdf", "%PDF-1.4", 100);
	memset(&st, 0, sizeof st);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	rl = old;
	rl.rlim_cur = (rlim_t)open_fds() + 8;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	/* exactly one descriptor free (whatever gaps the numbers had): the listing
	 * of incoming/ (closed again), then a PD folder opened but not listed */
	while (nfill < (int)(sizeof fill / sizeof fill[0]) &&
	       (fill[nfill] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
		nfill++;
	close(fill[--nfill]);
	rc = spool_scan(&fx->s, time(NULL), 0, 3600, collect, &seen, &st);
	saved = st.unreadable_errno;
	while (nfill > 0)
		close(fill[--nfill]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	assert_int_equal(rc, 0);
	assert_int_equal(st.unreadable, 3);
	assert_int_equal(saved, EMFILE);
	assert_true(spool_pd_valid(st.unreadable_pd));
	assert_int_equal(seen.n, 0);
	/* with descriptors again, all three are listed */
	memset(&st, 0, sizeof st);
	assert_int_equal(spool_scan(&fx->s, time(NULL), 0, 3600, collect, &seen, &st), 0);
	assert_int_equal(st.unreadable, 0);
	assert_int_equal(st.waiting, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jobid),
		cmocka_unit_test_setup_teardown(test_scan_classifies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_overdue_and_bad_pd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_big_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_big_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_embedded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_deletions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_half_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claim_source_gone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_puts_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deliver_idempotent_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_list_and_set_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deliver_cache_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_unreadable_counted, setup, teardown),
	};

	return cmocka_run_group_tests_name("spool", tests, NULL, NULL);
}
