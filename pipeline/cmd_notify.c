/*
 * cmd_notify.c - `sertel notify`: each PD's refusals mailed to its contacts
 * (notify: in sertel.yaml), one message per PD with every refusal since the
 * last one, in Bahasa Indonesia, the refusal reports attached.
 *
 * Run every few minutes by sertel-notify.timer, apart from the daemon: a
 * mail server that is slow or down never holds up signing.  A refusal is
 * mailed once it is in failed/<pd>/ (its report is there to attach) and
 * marked only when the server accepted the message; when it could not be
 * reached, nothing is marked, the command exits 75 and the next run tries
 * again.  Each message is one audit record per refusal ("notified").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "../base/err.h"
#include "../config/cfg.h"
#include "../config/cfg_notify.h"
#include "../db/db.h"
#include "../db/refusals.h"
#include "../spool/fsutil.h"
#include "cli.h"
#include "mail.h"

#define PER_MESSAGE 50		/* refusals in one message; more go in the next run's */
#define REPORT_MAX (1 << 20)	/* a refusal report is a few kB */

/* The refusals of one message. */
struct batch {
	struct db_refusal v[PER_MESSAGE];
	size_t n;
};

/* collect - a db_refusal_fn: one more refusal into the batch. */
static int
collect(void *arg, const struct db_refusal *r)
{
	struct batch *b = arg;

	if (b->n == PER_MESSAGE)
		return 1;
	b->v[b->n++] = *r;
	return 0;
}

/* body - the message's text for b's refusals of pd (caller frees). */
static char *
body(const struct cfg *c, const char *pd, const struct batch *b)
{
	char *buf = NULL, text[1024];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "Yth. Admin %s,\n\n%zu dokumen yang diunggah ke folder bersama tidak dapat "
		"ditandatangani secara elektronik. Dokumennya sudah dikembalikan ke folder "
		"failed/%s/ bersama laporannya (terlampir).\n\n", pd, b->n, pd);
	for (i = 0; i < b->n; i++) {
		const struct db_refusal *r = &b->v[i];
		const struct err_info *ei = err_info(r->code);
		fprintf(f, "%zu. %s (ID proses %s)\n   %s\n", i + 1, r->file, r->id,
			ei ? err_text(ei->message, text, sizeof text) : r->code);
		if (ei && ei->advice)
			fprintf(f, "   Yang perlu dilakukan: %s\n", err_text(ei->advice, text, sizeof text));
		fprintf(f, "   Laporan lengkap: failed/%s/%s.error.yaml\n\n", pd, r->delivered);
	}
	fprintf(f, "Pesan ini dikirim otomatis oleh sistem tanda tangan elektronik (sertel) %s. "
		"Jangan membalas pesan ini; untuk bantuan hubungi %s dengan menyebut ID "
		"proses di atas.\n", c->instansi ? c->instansi : "", c->helpdesk);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* notify_pd - every waiting refusal of pd, a message per PER_MESSAGE; 0, 1 (retry later) or -1. */
static int
notify_pd(const struct cfg *c, struct db *db, int failed_fd, const char *pd,
	  const struct cfg_strs *to)
{
	struct mail_attachment att[PER_MESSAGE];
	char *data, ids[PER_MESSAGE][JOBID_LEN + 1], names[PER_MESSAGE][300], subject[256];
	struct batch *b = calloc(1, sizeof *b);
	struct err e;
	size_t i, natt;
	int rc = 0, pdfd;
	char *text;

	if (!b)
		return -1;
	pdfd = openat(failed_fd, pd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (rc == 0) {
		b->n = 0;
		if (db_notice_pending(db, pd, PER_MESSAGE, collect, b, &e) < 0) {
			fprintf(stderr, "sertel: notify: %s\n", e.detail);
			rc = -1;
			break;
		}
		if (b->n == 0)
			break;
		for (i = natt = 0; i < b->n; i++) {
			size_t len;
			snprintf(ids[i], sizeof ids[i], "%s", b->v[i].id);
			snprintf(names[natt], sizeof names[natt], "%s.error.yaml", b->v[i].delivered);
			/* a report someone removed meanwhile: the text still names the refusal */
			if (pdfd >= 0 && fs_read_all(pdfd, names[natt], REPORT_MAX, &data, &len) == 0) {
				att[natt] = (struct mail_attachment){ names[natt],
					"text/yaml; charset=UTF-8", data, len };
				natt++;
			}
		}
		snprintf(subject, sizeof subject, "[sertel] %zu dokumen ditolak - %s", b->n, pd);
		if (!(text = body(c, pd, b))) {
			rc = -1;
		} else {
			struct mail m = { subject, text, att, natt };
			char list[512] = "";
			for (i = 0; i < to->n; i++)
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 i ? ", " : "", to->v[i]);
			if (mail_send(&c->notify, to, &m, &e) < 0) {
				fprintf(stderr, "sertel: notify: %s: %s\n", pd, e.detail);
				rc = err_is_retry(&e) ? 1 : -1;
			} else if (db_notice_done(db, pd, ids, b->n, (long long)time(NULL), list,
						  &e) < 0) {
				fprintf(stderr, "sertel: notify: %s: %s\n", pd, e.detail);
				rc = 1;
			} else if (!cli.quiet) {
				fprintf(stderr, "sertel: notify: %s: %zu refusal(s) mailed to %s\n", pd,
					b->n, list);
			}
		}
		free(text);
		for (i = 0; i < natt; i++)
			free((char *)att[i].data);
		if (b->n < PER_MESSAGE)
			break;
	}
	if (pdfd >= 0)
		close(pdfd);
	free(b);
	return rc;
}

int
cmd_notify(int argc, char **argv)
{
	struct cfg *c;
	struct db *db;
	struct err e;
	char path[4096];
	int rc = 0, r, failed_fd;
	size_t i;

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: sertel notify\n");
		return EX_USAGE;
	}
	c = cli_config();
	if (!c->notify.smtp) {
		cfg_free(c);	/* not configured: the timer runs it anyway */
		return 0;
	}
	if (!(db = db_open(c->state_dir, &e))) {
		cfg_free(c);
		return cli_db_exit(&e);
	}
	snprintf(path, sizeof path, "%s/failed", c->spool_dir);
	failed_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (i = 0; i < c->notify.npds; i++) {
		const struct cfg_strs *to = cfg_notify_for(c, c->notify.pds[i].pd);
		if (!to)
			continue;
		r = notify_pd(c, db, failed_fd, c->notify.pds[i].pd, to);
		if (r != 0 && rc != EX_CONFIG)
			rc = r > 0 ? EX_TEMPFAIL : EX_CONFIG;
	}
	if (failed_fd >= 0)
		close(failed_fd);
	db_close(db);
	cfg_free(c);
	return rc;
}
