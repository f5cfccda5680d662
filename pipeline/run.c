/*
 * run.c - the master loop (see run.h): setup, the loop, the end of a run;
 * its other parts are run_claim.c, run_batch.c and run_hold.c (run_int.h).
 *
 * Jobs flow: drops -> claimed (pending) -> in a worker -> finished -> group
 * commit.  Bundles and rejects never reach a worker: the master unpacks or
 * refuses them.  Recovery at start-up turns whatever a crash left in the
 * queue back into pending or finished jobs, so it is just the first step of
 * the same loop.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/exits.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../pki/keyvault.h"
#include "../pki/signers.h"
#include "../spool/fsutil.h"
#include "../spool/instance.h"
#include "audit_events.h"
#include "cert_remind.h"
#include "fdlimit.h"
#include "preflight.h"
#include "run.h"
#include "run_int.h"

static volatile sig_atomic_t stop_requested, reload_requested;

/* How soon watch starts the key process again while a token is absent: 15 s,
 * doubling up to 5 minutes (a token taken home overnight costs a restart and
 * a log line every 5 minutes, not every 15 s); back to 15 s once all are in. */
#define TOKEN_LOOK_FIRST 15.0
#define TOKEN_LOOK_MAX 300.0
static double token_look_gap = TOKEN_LOOK_FIRST;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_requested = 1;
	else
		stop_requested = sig;
}

/* stop_why - what ended the run, for the stop line. */
static const char *
stop_why(const struct run *r, int rc)
{
	return stop_requested == SIGTERM ? "SIGTERM" : stop_requested == SIGINT ? "SIGINT" :
	       rc < 0 ? "an error, see above" :
	       r->tempfail ? "a temporary condition, see above" :
	       r->watch ? "done" : "nothing more to take";
}

/* watch_add - watch incoming/ and every PD folder in it for finished drops. */
static void
watch_add(struct run *r)
{
	char path[PATH_MAX + NAME_MAX + 16];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof path, "%s/incoming", r->spool.root);
	inotify_add_watch(r->inotify_fd, path, IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_ONLYDIR);
	if (!(dir = opendir(path)))
		return;
	/* every folder, also BAPPEDA/ and ones that are no PD's: their files are taken or refused */
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.') {
			snprintf(path, sizeof path, "%s/incoming/%s", r->spool.root, d->d_name);
			inotify_add_watch(r->inotify_fd, path,
					  IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB | IN_ONLYDIR);
		}
	closedir(dir);
}

/* watch_drain - consume inotify events; new PD folders get their own watch. */
static void
watch_drain(struct run *r)
{
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));

	while (read(r->inotify_fd, buf, sizeof buf) > 0)
		;
	/* Adding a watch twice is harmless; this also covers IN_Q_OVERFLOW. */
	watch_add(r);
}

/*
 * pd_folder - top/pd made (when missing) with its group and mode: the PD's
 * administrators write into incoming/<pd> and read done/ and failed/
 * (setgid, so what sertel writes there has the folder's group).
 */
static void
pd_folder(int topfd, const char *top, const char *pd, const char *group, mode_t mode)
{
	struct group *g = group ? getgrnam(group) : NULL;
	int fd;

	if (mkdirat(topfd, pd, 0750) < 0 && errno != EEXIST) {
		log_warn(NULL, "%s/%s: %s", top, pd, strerror(errno));
		return;
	}
	if (!group)
		return;
	if ((fd = openat(topfd, pd, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return;
	if (!g || fchown(fd, (uid_t)-1, g->gr_gid) < 0 || fchmod(fd, mode) < 0)
		log_warn(NULL, "%s/%s: cannot give it to group %s with mode %04o: %s", top, pd,
			 group, (unsigned)mode, g ? strerror(errno) : "no such group");
	close(fd);
}

/* pd_folders - the folders of every PD the configuration names (at start and on reload). */
static void
pd_folders(struct run *r)
{
	const struct cfg *c = r->cfg;
	size_t i;

	for (i = 0; i < c->npds; i++) {
		const char *g = cfg_pd_group(c, c->pd_codes[i]);
		pd_folder(r->spool.incoming_fd, "incoming", c->pd_codes[i], g, 02770);
		pd_folder(r->spool.done_fd, "done", c->pd_codes[i], g, 02750);
		pd_folder(r->spool.failed_fd, "failed", c->pd_codes[i], g, 02750);
	}
	if (c->spool_group)
		pd_folder(r->spool.failed_fd, "failed", SPOOL_UNKNOWN, c->spool_group, 02750);
}

/* preflight - the server's own files the configuration names (preflight.h). */
static int
preflight(const struct cfg *c, struct err *e)
{
	int unchecked;

	return preflight_trust(c, e) < 0 || preflight_dirs(c, e) < 0 ||
	       preflight_passwords(c, &unchecked, e) < 0 ? -1 : 0;
}

/* setup - everything the loop needs; workers fork after keys are loaded. */
static int
setup(struct run *r, struct err *e)
{
	struct stat a, b;
	struct fd_budget fdb;
	int n = r->cfg->workers > 0 ? r->cfg->workers : (int)sysconf(_SC_NPROCESSORS_ONLN);

	/* before anything is opened or moved: a run that would run out of
	 * descriptors half-way must not start */
	if (fdlimit_plan(n < 1 ? 1 : n, &fdb, e) < 0)
		return -1;
	if (spool_open(&r->spool, r->cfg->spool_dir, e) < 0)
		return -1;
	spool_cache_limit(&r->spool, fdb.pd_dirs);
	spool_set_known(&r->spool, r->cfg->pd_codes, r->cfg->npds);
	pd_folders(r);
	if (fs_mkdirs(r->cfg->state_dir, 0750) < 0 ||
	    (r->state_fd = open(r->cfg->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "state %s: %s", r->cfg->state_dir, strerror(errno));
	/* the key process opens the keystores; this process gets certificates only */
	if (keys_start(&r->keys, r->cfg, r->vault, &r->signers, e) < 0)
		return -1;
	if (signers_misnamed(&r->signers, e) && !r->reloaded)	/* at start-up: 78, not a run */
		return -1;
	/* a token absent now (a temporary condition, unlike a wrong PIN) is looked
	 * for again: the key process reads certificates only at its start */
	for (size_t i = 0; i < r->signers.n; i++)
		if (!r->signers.keys[i].cert && err_is_retry(&r->signers.errs[i]))
			r->token_look_at = clock_mono() + token_look_gap;
	token_look_gap = r->token_look_at > 0 && token_look_gap * 2 < TOKEN_LOOK_MAX ?
			 token_look_gap * 2 : r->token_look_at > 0 ? TOKEN_LOOK_MAX : TOKEN_LOOK_FIRST;
	r->wenv = (struct worker_env){ .cfg = r->cfg, .signers = &r->signers, .spool = &r->spool,
				       .keys = &r->keys };
	r->pool.channel = keys_channel;
	r->pool.channel_arg = &r->keys;
	if (pool_start(&r->pool, n < 1 ? 1 : n, r->cfg->limits.doc_timeout_seconds, worker_main,
		       &r->wenv) < 0)
		return err_set(e, "io.error", "cannot start workers: %s", strerror(errno));
	/* two connections: claims from this thread, outcomes from the commit thread */
	if (!(r->db = db_open(r->cfg->state_dir, e)) ||
	    !(r->cenv.db = db_open(r->cfg->state_dir, e)) ||
	    audit_config(r->db, r->cfg->path, e) < 0)
		return -1;
	metrics_certs(&r->metrics, r->db);
	r->cenv.head_prio = r->watch ? LOG_INFO_ : LOG_DEBUG_;
	r->cenv.spool = &r->spool;
	r->cenv.state_fd = r->state_fd;
	store_init(&r->cenv.store, r->state_fd);
	store_limit(&r->cenv.store, fdb.store_dirs);
	r->cenv.same_fs = fstat(r->spool.root_fd, &a) == 0 && fstat(r->state_fd, &b) == 0 &&
			  a.st_dev == b.st_dev;
	r->cap_fin = (size_t)r->cfg->limits.batch_size + CLAIM_MAX;
	r->fin = calloc(r->cap_fin, sizeof *r->fin);
	r->spare = calloc(r->cap_fin, sizeof *r->spare);
	r->claims = calloc(CLAIM_MAX, sizeof *r->claims);
	if (!r->fin || !r->spare || !r->claims)
		return err_set(e, "io.error", "out of memory");
	if (!(r->committer = committer_start(&r->cenv)))
		return err_set(e, "io.error", "cannot start the commit thread: %s", strerror(errno));
	r->inotify_fd = -1;
	if (r->watch) {
		r->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (r->inotify_fd < 0)
			return err_set(e, "io.error", "inotify: %s", strerror(errno));
		watch_add(r);
	}
	return 0;
}

static void
teardown(struct run *r)
{
	if (r->committer) {
		run_reap(r, 1);
		committer_stop(r->committer);
	}
	if (r->pool.s)
		pool_stop(&r->pool);
	keys_stop(&r->keys);
	signers_free(&r->signers);
	commit_env_close(&r->cenv);
	db_close(r->cenv.db);
	db_close(r->db);
	if (r->inotify_fd >= 0)
		close(r->inotify_fd);
	if (r->state_fd > 0)
		close(r->state_fd);
	spool_close(&r->spool);
	free(r->pending);
	free(r->fin);
	free(r->spare);
	free(r->claims);
	free(r->held);
	free(r->undel);
}

/* loop - the steady state, shared by --once and watch. */
static int
loop(struct run *r)
{
	long settle = r->cfg->limits.settle_seconds;
	double last_scan = 0;
	int rescan = 1;

	for (;;) {
		run_unhold(r);
		/* a stop or a reload drains what is in hand before it happens */
		if (!stop_requested && !reload_requested && !run_paused(r) && !r->tempfail &&
		    r->npending < (size_t)r->pool.n * 2 &&
		    (rescan || (r->watch && clock_mono() - last_scan >= 1.0))) {
			run_scan_incoming(r, settle);
			last_scan = clock_mono();
			rescan = 0;
		}
		/* after a condition that passes, what is in hand finishes and nothing more starts */
		if (r->tempfail && r->npending > 0)
			run_leave_pending(r, "after a temporary failure");
		run_dispatch(r);
		if (pool_busy(&r->pool) == 0 && r->npending > 0 && run_no_workers(r))
			continue;
		if (pool_busy(&r->pool) == 0 && (r->npending == 0 || run_paused(r))) {
			if (run_commit(r, 1) < 0)
				return -1;
			if (stop_requested || reload_requested || r->tempfail)
				return 0;
			if (!r->watch) {
				/* --once: done when a fresh scan finds nothing new, or
				 * when held: what is left waits for the next run */
				if (run_paused(r) || run_scan_incoming(r, settle) == 0)
					return 0;
				continue;
			}
		}
		if (run_collect(r, r->watch && pool_busy(&r->pool) == 0 ? 1000 : 200)) {
			watch_drain(r);
			rescan = 1;
		}
		/* a full batch goes as soon as the committer is free; the next one fills
		 * meanwhile; so does what finished beside a berita acara still in a
		 * worker (a slow TSA there must not hold the documents signed meanwhile) */
		if ((r->nfin >= (size_t)r->cfg->limits.batch_size ||
		     (r->nfin > 0 && r->npending == 0 && run_deletion_busy(r))) &&
		    !committer_busy(r->committer))
			if (run_commit(r, 0) < 0)
				return -1;
		if (r->failed_commit)
			return -1;
		if (r->nundel > 0 && clock_mono() >= r->redeliver_at)
			run_redeliver(r);
		if (!r->watch && r->npending < (size_t)r->pool.n)
			rescan = 1;
		if (r->watch && r->token_look_at > 0 && clock_mono() >= r->token_look_at &&
		    !reload_requested) {
			r->relook = 1;	/* drained like a reload, without reading the configuration */
			reload_requested = 1;
		}
		cert_remind(r->db, r->cfg, r->watch, time(NULL));	/* watch: once a day */
		run_progress(r, 0);
	}
}

/* deliver_before_exit - run --once: a few spaced tries more before it gives up (exit 75). */
static void
deliver_before_exit(struct run *r)
{
	struct timespec ts = { 0, 500000000L };
	char archives[64] = "";
	long nsig, nref;
	int i;

	for (i = 0; i < DELIVER_TRIES && r->nundel > 0 && !stop_requested; i++) {
		if (i > 0) {
			nanosleep(&ts, NULL);	/* a signal cuts it short: stop_requested */
			ts.tv_sec = ts.tv_sec * 2 + ts.tv_nsec * 2 / 1000000000L;
			ts.tv_nsec = ts.tv_nsec * 2 % 1000000000L;
		}
		run_redeliver(r);
	}
	if (r->nundel == 0)
		return;
	nsig = run_nwaiting(r, 0);
	nref = run_nwaiting(r, 1);
	if ((long)r->nundel > nsig + nref)	/* the rest are unpacked archives */
		snprintf(archives, sizeof archives, " (and %ld archive(s))",
			 (long)r->nundel - nsig - nref);
	log_err(NULL, "%ld signed document(s) and %ld refusal(s)%s wait for delivery (%s): their "
		"outcome is recorded and they stay in %s/queue/; make the folder writable and run "
		"again, which delivers them", nsig, nref, archives, r->deliver_why, r->cfg->spool_dir);
}

int
run_main(struct cfg *c, int watch, int quiet)
{
	struct keyvault vault;
	struct cfg *old = NULL;
	struct sigaction sa;
	struct run r;
	struct err e;
	int rc, lrc, lock_fd, fd, reloads = 0, quiet_banner = 0;
	double born = clock_mono();	/* the stop line's uptime and totals span reloads */
	long nsigned = 0, nrefused = 0;

	/* the server's own files: the operator's to fix (78), never a document's refusal */
	if (preflight(c, &e) < 0) {
		log_err(NULL, "%s", e.detail);
		cfg_free(c);
		return EX_CONFIG;
	}
	/* one master per state folder, before the spool or the database is touched */
	if ((lock_fd = instance_lock(c->state_dir, INSTANCE_LOCK, &e)) < 0) {
		log_err(NULL, "%s", e.detail);
		cfg_free(c);
		return EX_TEMPFAIL;
	}
	if (keyvault_open(&vault) < 0) {
		log_err(NULL, "cannot keep passphrases out of the workers (MADV_WIPEONFORK, Linux "
			"4.14 or later): %s", strerror(errno));
		cfg_free(c);
		close(lock_fd);
		return EX_TEMPFAIL;
	}
	for (int reloaded = 0;; reloaded = 1) {
		memset(&r, 0, sizeof r);
		r.cfg = c;
		r.keys.ctl = -1;
		r.vault = &vault;
		r.reloaded = reloaded;
		r.watch = watch;
		r.tty = !quiet && log_progress_begin();	/* before the workers fork */
		r.t0 = clock_mono();
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		signal(SIGPIPE, SIG_IGN);
		rc = setup(&r, &e);
		cfg_free(old);
		old = NULL;
		if (rc < 0) {
			log_err(NULL, "%s", e.detail);
			teardown(&r);
			cfg_free(c);
			close(lock_fd);
			keyvault_close(&vault);
			return db_exit(&e) != EX_TEMPFAIL ? db_exit(&e) :
			       signers_config_error(&e) ? EX_CONFIG : EX_TEMPFAIL;
		}
		if (!quiet && !quiet_banner)	/* -q: warnings and refusals only */
			run_banner(&r, reloads > 0);
		quiet_banner = 0;
		if (run_recover(&r) < 0) {
			teardown(&r);
			cfg_free(c);
			close(lock_fd);
			keyvault_close(&vault);
			return EX_TEMPFAIL;
		}
		lrc = loop(&r);
		if (!watch && lrc == 0)
			deliver_before_exit(&r);
		if (!watch)
			run_summary(&r, quiet);
		else
			run_progress(&r, 1);
		/* held, recorded-but-undelivered or left documents: the next run takes them */
		rc = r.restore ? EX_IOERR :
		     lrc < 0 || r.tempfail || ((r.nheld || r.nundel > 0 || r.unreadable) && !watch) ?
		     EX_TEMPFAIL : r.nfailed && !watch ? EX_REFUSED : EX_OK;
		/* passphrases from the environment survive a reload in the vault */
		teardown(&r);
		nsigned += r.nsigned;
		nrefused += r.nfailed;
		if (!reload_requested || stop_requested) {
			if (!quiet)
				run_stop_line(watch, stop_why(&r, lrc), nsigned, nrefused,
					      clock_mono() - born);
			cfg_free(c);
			close(lock_fd);
			keyvault_close(&vault);
			return rc;
		}
		reload_requested = 0;
		if (r.relook) {
			log_info(NULL, "looking again for the PKCS#11 token(s) absent at start-up");
			quiet_banner = 1;
			continue;
		}
		/* SIGHUP: load the configuration again; keep the old one if the new is bad. */
		reloads++;
		struct cfg *n = cfg_load(c->path, &e);
		fd = -1;
		if (n && preflight(n, &e) < 0) {
			cfg_free(n);
			n = NULL;
		}
		if (!n) {
			log_err(NULL, "reload refused, keeping the running configuration: %s", e.detail);
		} else if (strcmp(n->state_dir, c->state_dir) &&
			   (fd = instance_lock(n->state_dir, INSTANCE_LOCK, &e)) < 0) {
			log_err(NULL, "reload refused, keeping the running configuration: %s", e.detail);
			cfg_free(n);
		} else {
			if (fd >= 0) {	/* a new state folder: its lock replaces the old one */
				close(lock_fd);
				lock_fd = fd;
			}
			old = c;	/* freed after setup, as before */
			c = n;
			err_set_helpdesk(c->helpdesk);
			log_info(NULL, "configuration reloaded from %s", c->path);
		}
	}
}
