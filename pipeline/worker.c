/*
 * worker.c - the per-document side of the pipeline (see worker.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/exits.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../pki/keyclient.h"
#include "../stages/stage.h"
#include "keys.h"
#include "pool.h"
#include "report.h"
#include "worker.h"

/* limit_self - cap memory once; CPU time is re-armed per document. */
static void
limit_self(const struct cfg *c)
{
	struct rlimit rl;

	if (c->limits.doc_memory_mb > 0) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)c->limits.doc_memory_mb * 1024 * 1024;
		setrlimit(RLIMIT_AS, &rl);
	}
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);	/* keys must never reach a core file */
}

/* arm_cpu_limit - SIGXCPU once this document has used its CPU allowance. */
static void
arm_cpu_limit(long seconds)
{
	struct rusage ru;
	struct rlimit rl;

	if (seconds <= 0 || getrusage(RUSAGE_SELF, &ru) < 0 || getrlimit(RLIMIT_CPU, &rl) < 0)
		return;
	rl.rlim_cur = (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + 1 + seconds);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_CPU, &rl);
}

/*
 * MuPDF's allocator.  Under RLIMIT_AS a failed allocation means the document
 * blew its memory allowance; MuPDF would swallow some of those failures
 * (an object that fails to load reads as null) and the document would look
 * corrupt.  Ending the worker instead lets the master retry it and then
 * report worker.timeout ("melebihi batas waktu atau memori").
 */
static void *
alloc_or_die(void *user, size_t n)
{
	void *p = malloc(n);

	(void)user;
	if (!p && n)
		_exit(EX_WORKER_NOMEM);
	return p;
}

static void *
realloc_or_die(void *user, void *old, size_t n)
{
	void *p = realloc(old, n);

	(void)user;
	if (!p && n)
		_exit(EX_WORKER_NOMEM);
	return p;
}

static void
free_plain(void *user, void *p)
{
	(void)user;
	free(p);
}

static fz_alloc_context allocator = { NULL, alloc_or_die, realloc_or_die, free_plain };

/* quiet - MuPDF warnings about odd files are expected; keep them out of the log. */
static void
quiet(void *user, const char *msg)
{
	(void)user;
	(void)msg;
}

/*
 * first_error - what the outcome names: the first temporary condition
 * (*retry 1: the document is not refused, it waits), else the first finding.
 */
static const struct err *
first_error(const struct errs *l, int *retry)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (err_is_retry(&l->v[i])) {
			*retry = 1;
			return &l->v[i];
		}
	*retry = 0;
	return &l->v[0];
}

/* process - run the job's stages over it; writes <id>.error.yaml when refused. */
static void
process(const struct worker_env *env, const struct stage_env *se, const struct job *j,
	struct outcome *o)
{
	enum step at = STEP_INTAKE;
	struct doc d;

	memset(o, 0, sizeof *o);
	snprintf(o->id, sizeof o->id, "%s", j->id);
	doc_init(&d, se, j, o, time(NULL));
	d.queue_fd = env->spool->queue_fd;
	doc_run(&d, stages_of(j->kind), &at);
	if (d.settled) {	/* the stage's own outcome (a deletion job's) */
		doc_clear(&d);
		return;
	}
	o->ok = d.errs.n == 0 && d.errs.dropped == 0;
	if (!o->ok) {
		const struct err *e = first_error(&d.errs, &o->retry);
		snprintf(o->code, sizeof o->code, "%s", e->code ? e->code : "internal");
		snprintf(o->field, sizeof o->field, "%s", e->field);
		snprintf(o->detail, sizeof o->detail, "%s", e->detail);
		o->line = e->line;
		o->col = e->col;
		/* the key process went away under it: again at once, in a new worker */
		o->requeue = o->retry && se->keys && se->keys->lost;
		/* a refusal without its report would be a refusal nobody can act on:
		 * when the report cannot be written, the document waits instead */
		if (!o->retry && report_write(d.queue_fd, j, at, &d.errs, d.now) < 0) {
			o->retry = 1;
			snprintf(o->code, sizeof o->code, "%s", ERR_RETRY);
			snprintf(o->detail, sizeof o->detail, "its report: %s", strerror(errno));
		}
	}
	doc_clear(&d);
}

void
worker_main(int sock, int keyfd, void *arg)
{
	const struct worker_env *env = arg;
	struct keyclient kc = { keyfd, 0, keyfd < 0 };
	struct outcome *o = malloc(sizeof *o);
	struct stage_env se;
	struct err e;
	struct job j;
	ssize_t n;

	/* The master decides when we stop (by closing the socket): a SIGTERM to the
	 * whole process group must not cut a document in half. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	limit_self(env->cfg);
	if (env->keys && env->keys->ctl >= 0)	/* the master's: a worker only signs over kc */
		close(env->keys->ctl);
	memset(&se, 0, sizeof se);
	se.cfg = env->cfg;
	se.signers = env->signers;
	se.keys = env->keys ? &kc : NULL;
	se.spool = env->spool;
	se.ctx = fz_new_context(&allocator, NULL, 64 << 20);
	if (!se.ctx || !o)
		_exit(EX_SOFTWARE);
	fz_set_warning_callback(se.ctx, quiet, NULL);
	fz_set_error_callback(se.ctx, quiet, NULL);
	/* after the fork: what the stages keep from document to document */
	if (stages_init(&se, &e) < 0) {
		log_err(NULL, "worker: %s", e.detail);
		_exit(EX_SOFTWARE);
	}
	for (;;) {
		n = recv(sock, &j, sizeof j, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof j)
			break;
		arm_cpu_limit(env->cfg->limits.doc_cpu_seconds);
		process(env, &se, &j, o);
		if (send(sock, o, sizeof *o, MSG_NOSIGNAL) != (ssize_t)sizeof *o || kc.lost)
			break;	/* without a key process: a new worker gets a new channel */
	}
	stages_fini(&se);
	fz_drop_context(se.ctx);
	free(o);
	_exit(0);
}
