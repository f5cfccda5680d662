/*
 * run_report.c - what a run tells the operator (see run_int.h): the progress
 * line on a terminal, the start-up banner, the stop line and the closing
 * summary of a batch run.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/log.h"
#include "../base/nip.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../spool/waiting.h"
#include "run_int.h"

#define PROGRESS_EVERY 0.25	/* seconds: at most four updates a second */
#define LIST_MAX 640		/* a banner line's list: the rest is counted, not named */
#define WAITING_MAX 256		/* folders of incoming/ the summary looks at */

/* progress - one updating line on a terminal, throttled; last: the final state, always. */
void
run_progress(struct run *r, int last)
{
	double now = clock_mono(), dt = now - r->t0;

	if (!r->tty || (!last && now - r->progress_at < PROGRESS_EVERY))
		return;
	r->progress_at = now;
	log_progress(last, "%ld signed, %ld failed, %zu waiting, %d working, %.1f docs/s",
		     r->nsigned, r->nfailed, r->npending, pool_busy(&r->pool),
		     dt > 0 ? (double)(r->nsigned + r->nfailed) / dt : 0.0);
}

/* tally - one more under key in v (of cap, *n used); a key that finds no room is not counted. */
static void
tally(struct run_count *v, size_t *n, size_t cap, const char *key)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(v[i].key, key)) {
			v[i].n++;
			return;
		}
	if (*n < cap) {
		snprintf(v[*n].key, sizeof v[*n].key, "%s", key);
		v[(*n)++].n = 1;
	}
}

void
run_count_refusal(struct run *r, const char *pd, const char *code)
{
	tally(r->refused_pd, &r->nrefused_pd, RUN_COUNTS, pd);
	tally(r->refused_code, &r->nrefused_code, RUN_COUNTS, code ? code : "unknown");
}

/* add - append "sep item" to the list in buf while it fits under LIST_MAX; 0 when it did not. */
static int
add(char *buf, size_t cap, const char *sep, const char *item)
{
	size_t len = strlen(buf);

	if (len + strlen(sep) + strlen(item) >= (cap < LIST_MAX ? cap : LIST_MAX))
		return 0;
	snprintf(buf + len, cap - len, "%s%s", len ? sep : "", item);
	return 1;
}

/* more - ", and N more" after a list that stopped at shown of total. */
static void
more(char *buf, size_t cap, size_t shown, size_t total)
{
	size_t len = strlen(buf);

	if (shown < total)
		snprintf(buf + len, cap - len, ", and %zu more", total - shown);
}

void
run_banner(const struct run *r, int again)
{
	const struct cfg *c = r->cfg;
	const struct signer_set *s = &r->signers;
	char pds[LIST_MAX + 32] = "", who[LIST_MAX + 32] = "", item[256], nip[64];
	size_t i, shown = 0, usable = 0;

	log_info(NULL, "%s %s (PID %ld): spool %s, state %s, %d worker(s), timestamps %s",
		 r->watch ? "watch" : "run", again ? "runs with the reloaded configuration" :
		 "started", (long)getpid(), c->spool_dir, c->state_dir, r->pool.n,
		 c->timestamp.ntsa == 0 ? "off (no TSA configured: PAdES B-B)" :
		 c->timestamp.defer ? "on (PAdES B-T; B-B when no TSA answers)" : "on (PAdES B-T)");
	for (i = 0; i < c->npds && add(pds, sizeof pds, ", ", c->pd_codes[i]); i++)
		shown++;
	more(pds, sizeof pds, shown, c->npds);
	log_info(NULL, "%zu PD(s) known: %s", c->npds,
		 c->npds ? pds : "none configured: every folder of incoming/ is a PD");
	for (i = shown = 0; i < s->n; i++) {
		usable += s->keys[i].pkey != NULL;
		snprintf(item, sizeof item, "%s (%s)%s", s->cfg[i].name,
			 nip_mask(s->cfg[i].nip, nip, sizeof nip),
			 s->keys[i].pkey ? "" : " NO KEY");
		shown += (size_t)add(who, sizeof who, ", ", item);
	}
	more(who, sizeof who, shown, s->n);
	log_info(NULL, "%zu signer(s), %zu with their key loaded: %s", s->n, usable, s->n ? who : "none");
}

/* uptime - "H:MM:SS", with days in front after a day. */
static void
uptime(char *buf, size_t cap, double seconds)
{
	long t = (long)seconds;

	if (t >= 86400)
		snprintf(buf, cap, "%ld d %ld:%02ld:%02ld", t / 86400, t % 86400 / 3600,
			 t % 3600 / 60, t % 60);
	else
		snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t % 3600 / 60, t % 60);
}

void
run_stop_line(int watch, const char *why, long nsigned, long nrefused, double seconds)
{
	char up[48];

	uptime(up, sizeof up, seconds);
	log_info(NULL, "%s stopped (%s): %ld document(s) signed, %ld refused since it started, "
		 "up %s", watch ? "watch" : "run", why, nsigned, nrefused, up);
}

/* by - "label: key n, key n" of the counts in v (largest first), or nothing when empty. */
static void
by(const char *label, struct run_count *v, size_t n)
{
	size_t i, j;

	if (n == 0)
		return;
	for (i = 1; i < n; i++)	/* a handful: insertion sort */
		for (j = i; j > 0 && v[j].n > v[j - 1].n; j--) {
			struct run_count t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	printf("sertel: refused by %s:", label);
	for (i = 0; i < n; i++)
		printf("%s %s %ld", i ? "," : "", v[i].key, v[i].n);
	printf("\n");
}

/* still_waiting - each folder of incoming/ that still holds files: how many, the oldest. */
static void
still_waiting(const struct run *r)
{
	static struct spool_waiting w[WAITING_MAX];
	char when[48];
	time_t now = time(NULL);
	int n = spool_waiting(r->cfg->spool_dir, w, WAITING_MAX), i;

	for (i = 0; i < n; i++) {
		if (!w[i].files)
			continue;
		text_time_wib(when, sizeof when, w[i].oldest);
		printf("sertel: still waiting in incoming/%s: %ld file(s), the oldest from %s "
		       "(%ld min ago)\n", w[i].pd, w[i].files, when, (long)((now - w[i].oldest) / 60));
	}
}

void
run_summary(struct run *r, int quiet)
{
	double dt = clock_mono() - r->t0;

	run_progress(r, 1);
	if (quiet)
		return;
	if (r->nundel > 0)
		printf("sertel: %ld signed, %ld waiting for delivery, %ld failed in %.2f s\n",
		       r->nsigned, (long)r->nundel, r->nfailed, dt);
	else
		printf("sertel: %ld signed, %ld failed in %.2f s (%.1f docs/s)\n", r->nsigned,
		       r->nfailed, dt, dt > 0 ? (double)(r->nsigned + r->nfailed) / dt : 0.0);
	by("code", r->refused_code, r->nrefused_code);
	by("PD", r->refused_pd, r->nrefused_pd);
	if (r->ndeletions)
		printf("sertel: %ld berita acara of deletion carried out (done/<pd>/berita-acara-*)\n",
		       r->ndeletions);
	if (r->nheld)
		printf("sertel: %ld document(s) left for the next run: %s\n", r->nheld,
		       r->held_why);
	if (r->scan.waiting)
		printf("sertel: %d file(s) waiting for their PDF or sidecar (sent to failed/ after "
		       "%ld s)\n", r->scan.waiting, r->cfg->limits.sidecar_wait_seconds);
	if (r->tempfail)
		printf("sertel: stopped by a temporary condition (see the log): %ld job(s) left "
		       "queued, and what was not taken, wait for the next run\n", r->ndeferred);
	if (r->unreadable)
		printf("sertel: %s could not be read: its drops wait (see the log)\n",
		       r->unreadable < 0 ? "incoming/" : "a PD folder");
	still_waiting(r);
	printf("sertel: signed files in %s/done/, refusals in %s/failed/, database %s/sertel.db\n",
	       r->cfg->spool_dir, r->cfg->spool_dir, r->cfg->state_dir);
}
