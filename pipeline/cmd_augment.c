/*
 * cmd_augment.c - `sertel augment`: the timestamps that were deferred.
 *
 * With timestamp.on_failure: sign_bb, a document whose TSAs all failed is
 * signed B-B, delivered, and recorded with timestamp_pending = 1.  This
 * command (run by sertel-augment.timer, or by hand once the TSA is back)
 * takes each such document from the store and adds the RFC 3161 signature
 * timestamp to its signature: the token goes into the room kept free in the
 * signature's /Contents (pades_augment), which lies outside the signed byte
 * ranges, so the file keeps its size and every signed byte and becomes
 * exactly what B-T signing would have written.
 *
 * Per document, in this order (each step is safe to repeat):
 *   1. the B-T file is built in memory and verified like the sign stage's
 *      own check (intact, trusted, a valid timestamp on the signature);
 *   2. it goes into the store under its own SHA-256 (write, fsync, rename);
 *   3. one transaction points the database row at it (the commit point);
 *   4. the delivered copy in done/<pd>/ is replaced when it is still the
 *      B-B file (or gone); a different file of that name is left alone;
 *   5. the B-B store copy is removed.
 * A crash before 3 leaves the document waiting (a stray store file at
 * most); after 3 the B-B copy in done/ is still a valid signed document.
 *
 * Beside the daemon: `sertel watch` holds STATE/sertel.lock for its whole
 * life, so augment does not take it (it would wait for ever); it takes
 * STATE/augment.lock against a second augment (which exits 75 naming the
 * PID), and touches nothing the master owns.  It works only on committed
 * documents (the database row, under SQLite's own locking, one document per
 * transaction), writes only new store files named by their own hash, and
 * leaves a document whose signed file is still in queue/ (committed, not
 * yet delivered: the master's delivery would put the B-B file over the B-T
 * one) waiting for the next augment.
 *
 * Exit: 0 all done, 75 some still waiting (a TSA is still down), 1 failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mupdf/fitz.h>
#include <openssl/sha.h>

#include "../base/exits.h"
#include "../base/hex.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../pki/signers.h"
#include "../pki/tsa.h"
#include "../spool/fsutil.h"
#include "../spool/instance.h"
#include "../spool/store.h"
#include "../stages/pdf/accept.h"
#include "../stages/pdf/pades.h"
#include "../stages/pdf/verify.h"
#include "cli.h"

/* What one run needs for every document. */
struct augment {
	const struct cfg *cfg;
	int state_fd;
	int queue_fd;			/* SPOOL/queue, or -1 when there is none */
	struct db *db;
	struct tsa_client *tsa;
	X509_STORE *anchors;
	fz_context *ctx;
};

/* find_hole - our signature of doc id in pdf: 0 with the "<hex>" span, else -1 and why. */
static int
find_hole(struct augment *a, const unsigned char *pdf, size_t len, const char *id,
	  size_t *off, size_t *hlen, struct err *e)
{
	struct verify_opts vo;
	struct verify_report r;
	const struct verify_sig *s;

	err_clear(e);
	memset(&vo, 0, sizeof vo);
	vo.anchors = a->anchors;
	if (verify_pdf(a->ctx, pdf, len, &vo, &r) < 0) {
		verify_report_free(&r);
		return err_set(e, "io.error", "out of memory");
	}
	if ((s = accept_find(&r, id)) == NULL)
		err_set(e, "sign.failed", "the stored copy has no signature with ID %s", id);
	else if (s->integrity != VI_OK)
		err_set(e, "sign.failed", "the stored copy does not verify: %s", s->integrity_why);
	else if (s->tst != VTS_NONE)
		err_set(e, "sign.failed", "the signature carries a timestamp already");
	else {
		*off = (size_t)s->br[1];
		*hlen = (size_t)(s->br[2] - s->br[1]);
	}
	verify_report_free(&r);
	return s && e->code == NULL ? 0 : -1;
}

/*
 * check_bt - the augmented file passes the sign stage's acceptance rule
 * (accept.h) with the timestamp required; *when is its time.
 */
static int
check_bt(struct augment *a, const unsigned char *pdf, size_t len, const char *id,
	 time_t *when, struct err *e)
{
	struct verify_opts vo;
	struct verify_report r;
	const struct verify_sig *s;
	int rc;

	memset(&vo, 0, sizeof vo);
	vo.anchors = a->anchors;
	if (verify_pdf(a->ctx, pdf, len, &vo, &r) < 0) {
		verify_report_free(&r);
		return err_set(e, "io.error", "out of memory");
	}
	if ((rc = accept_signed(&r, id, a->cfg->ntrust > 0, 1, &s, e)) == 0)
		*when = s->tst_time;
	verify_report_free(&r);
	return rc;
}

/* deliver - done/<pd>/<stem>.pdf becomes the B-T file when it is the B-B one or gone. */
static void
deliver(struct augment *a, const struct db_pending *p, const unsigned char *buf, size_t len)
{
	char dir[4096], name[300], hex[65];
	unsigned char h[SHA256_DIGEST_LENGTH];
	const unsigned char *old = NULL;
	size_t olen = 0;
	int dfd, same;

	if (p->delivered[0] == '\0')
		return;
	snprintf(dir, sizeof dir, "%s/done/%s", a->cfg->spool_dir, p->pd);
	snprintf(name, sizeof name, "%s.pdf", p->delivered);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		log_warn(p->id, "augment: %s: %s; the B-T copy is in the store", dir, strerror(errno));
		return;
	}
	same = 1;
	if (fs_map_nonempty(dfd, name, O_NOFOLLOW, &old, &olen) == 0) {
		SHA256(old, olen, h);
		hex_encode(h, sizeof h, hex);
		same = !strcmp(hex, p->sha_signed);
		fs_unmap(old, olen);
	} else if (errno != ENOENT) {
		same = 0;
	}
	if (!same)
		log_warn(p->id, "augment: %s/%s is not the signed file sertel delivered; left alone "
			 "(the B-T copy is in the store: sertel doc show %s)", dir, name, p->id);
	else if (fs_write_atomic(dfd, name, buf, len, 1) < 0)
		log_warn(p->id, "augment: %s/%s: %s; the B-T copy is in the store", dir, name,
			 strerror(errno));
	close(dfd);
}

/* augment_one - one pending document to B-T; 0, or -1 with e (timestamp.* = try later). */
static int
augment_one(struct augment *a, const struct db_pending *p, struct err *e)
{
	const unsigned char *bb = NULL;
	unsigned char *bt = NULL, h[SHA256_DIGEST_LENGTH];
	char sha[65], rel[STORE_PATH_MAX], detail[STORE_PATH_MAX + 96];
	struct store store;
	size_t len = 0, off = 0, hlen = 0;
	time_t when = 0;
	int rc = -1;

	store_init(&store, a->state_fd);
	if (fs_map_nonempty(a->state_fd, p->store_path, O_NOFOLLOW, &bb, &len) < 0)
		return err_set(e, "io.error", "%s: %s", p->store_path, strerror(errno));
	if (find_hole(a, bb, len, p->id, &off, &hlen, e) < 0)
		goto out;
	if ((bt = malloc(len)) == NULL) {
		err_set(e, "io.error", "out of memory (%zu bytes)", len);
		goto out;
	}
	memcpy(bt, bb, len);
	if (pades_augment((char *)bt + off, hlen, tsa_stamp, a->tsa, e) < 0 ||
	    check_bt(a, bt, len, p->id, &when, e) < 0)
		goto out;
	SHA256(bt, len, h);
	hex_encode(h, sizeof h, sha);
	if (store_put(&store, sha, bt, len, rel, sizeof rel) < 0) {
		err_set(e, "io.error", "%s: %s", rel, strerror(errno));
		goto out;
	}
	if (db_begin(a->db, e) < 0)
		goto out;
	snprintf(detail, sizeof detail, "sha256=%s store=%s", sha, rel);
	if (db_timestamp_done(a->db, p->id, sha, (long long)len, rel, (long long)when, e) < 0 ||
	    db_audit(a->db, "augmented", p->id, NULL, p->pd, detail, e) < 0 ||
	    db_commit(a->db, e) < 0) {
		db_rollback(a->db);
		goto out;
	}
	deliver(a, p, bt, len);
	if (strcmp(rel, p->store_path) && unlinkat(a->state_fd, p->store_path, 0) < 0 &&
	    errno != ENOENT)
		log_warn(p->id, "augment: cannot remove the B-B copy %s: %s", p->store_path,
			 strerror(errno));
	rc = 0;
out:
	store_close(&store);
	free(bt);
	fs_unmap(bb, len);
	return rc;
}

/* undelivered - 1 while the master still has p's signed file in queue/ (its delivery is due). */
static int
undelivered(struct augment *a, const struct db_pending *p)
{
	char name[JOBID_LEN + 16];
	struct stat st;

	snprintf(name, sizeof name, "%s.pdf", p->id);
	return a->queue_fd >= 0 && fstatat(a->queue_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* run_all - every pending document; the exit code. */
static int
run_all(struct augment *a)
{
	struct db_pending *v = NULL;
	size_t n = 0, i, done = 0, waiting = 0, failed = 0;
	struct err e;

	if (db_timestamp_pending(a->db, &v, &n, &e) < 0) {
		fprintf(stderr, "sertel: %s\n", e.detail);
		return db_exit(&e);
	}
	for (i = 0; i < n; i++) {
		memset(&e, 0, sizeof e);
		if (undelivered(a, &v[i])) {
			printf("%s: still waiting: not delivered yet (queue/%s.pdf)\n", v[i].id,
			       v[i].id);
			waiting++;
		} else if (augment_one(a, &v[i], &e) == 0) {
			printf("%s: timestamped (B-T)\n", v[i].id);
			done++;
		} else if (!strncmp(e.code, "timestamp.", 10)) {
			printf("%s: still waiting: %s: %s\n", v[i].id, e.code, e.detail);
			waiting++;
		} else {
			printf("%s: FAILED: %s: %s\n", v[i].id, e.code, e.detail);
			log_err(v[i].id, "augment: %s: %s", e.code, e.detail);
			failed++;
		}
	}
	free(v);
	printf("augment: %zu timestamped, %zu still waiting, %zu failed\n", done, waiting, failed);
	return failed ? EX_REFUSED : waiting ? EX_TEMPFAIL : 0;
}

/* no_tsa - augment without timestamp.tsa: 0 when nothing waits, else EX_CONFIG saying so. */
static int
no_tsa(const struct cfg *c)
{
	struct db_pending *v = NULL;
	struct db *db;
	struct err e;
	size_t n = 0;

	if (!(db = db_open_readonly(c->state_dir, &e)))
		return access(c->state_dir, F_OK) != 0 || !db_needs_restore(&e) ? 0 : cli_db_exit(&e);
	if (db_timestamp_pending(db, &v, &n, &e) < 0) {
		db_close(db);
		return cli_db_exit(&e);
	}
	free(v);
	db_close(db);
	if (n == 0)
		return 0;
	fprintf(stderr, "sertel: augment: %zu signed document(s) wait for a timestamp, but %s "
		"names no timestamp.tsa: add one\n", n, c->path);
	return EX_CONFIG;
}

int
cmd_augment(int argc, char **argv)
{
	struct cfg *c = cli_config();
	char queue[4096];
	struct augment a;
	struct err e;
	int rc = EX_TEMPFAIL, lock_fd = -1;

	memset(&a, 0, sizeof a);
	a.cfg = c;
	a.state_fd = a.queue_fd = -1;
	if (argc != 1) {
		fprintf(stderr, "usage: sertel augment\n");
		cfg_free(c);
		return EX_USAGE;
	}
	if (c->timestamp.ntsa == 0) {
		/* the timer runs it on every server: without TSAs there is nothing to
		 * do, unless signatures deferred while TSAs were configured still wait */
		rc = no_tsa(c);
		cfg_free(c);
		return rc;
	}
	/* one augment at a time (not sertel.lock: the daemon holds that for ever) */
	if ((lock_fd = instance_lock(c->state_dir, INSTANCE_AUGMENT_LOCK, &e)) < 0) {
		fprintf(stderr, "sertel: augment: %s\n", e.detail);
		goto out;
	}
	if ((a.state_fd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", c->state_dir, strerror(errno));
		goto out;
	}
	snprintf(queue, sizeof queue, "%s/queue", c->spool_dir);
	a.queue_fd = open(queue, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if ((a.anchors = signers_anchors(c, &e)) == NULL && e.code) {
		fprintf(stderr, "sertel: %s\n", e.detail);
		rc = EX_CONFIG;
		goto out;
	}
	if ((a.db = db_open(c->state_dir, &e)) == NULL) {
		fprintf(stderr, "sertel: %s\n", e.detail);
		rc = db_exit(&e);	/* restore, upgrade, or retry */
		goto out;
	}
	a.tsa = tsa_client_new(c);
	a.ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (a.tsa == NULL || a.ctx == NULL) {
		fprintf(stderr, "sertel: out of memory\n");
		rc = EX_SOFTWARE;
		goto out;
	}
	fz_set_warning_callback(a.ctx, NULL, NULL);
	fz_set_error_callback(a.ctx, NULL, NULL);
	rc = run_all(&a);
out:
	if (a.ctx)
		fz_drop_context(a.ctx);
	tsa_client_free(a.tsa);
	db_close(a.db);
	X509_STORE_free(a.anchors);
	if (a.state_fd >= 0)
		close(a.state_fd);
	if (a.queue_fd >= 0)
		close(a.queue_fd);
	if (lock_fd >= 0)
		close(lock_fd);
	cfg_free(c);
	return rc;
}
