/*
 * metrics.c - the Prometheus text file (see metrics.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../db/certs.h"
#include "../spool/fsutil.h"
#include "metrics.h"

void
metrics_signed(struct metrics *m)
{
	m->signed_total++;
}

void
metrics_refused(struct metrics *m, const char *code)
{
	size_t i;

	m->refused_total++;
	if (!code)
		code = "unknown";
	for (i = 0; i < m->nrefused; i++)
		if (!strcmp(m->refused[i].code, code)) {
			m->refused[i].n++;
			return;
		}
	if (m->nrefused < METRICS_CODES) {
		snprintf(m->refused[m->nrefused].code, sizeof m->refused[0].code, "%s", code);
		m->refused[m->nrefused++].n = 1;
	}
}

/* cert_one - a db_cert_fn: an issued certificate's end. */
static int
cert_one(void *arg, const struct db_cert *c)
{
	struct metrics *m = arg;

	if (m->ncerts < METRICS_CERTS && c->serial[0]) {
		snprintf(m->certs[m->ncerts].nip, sizeof m->certs[0].nip, "%s", c->h.id);
		m->certs[m->ncerts++].not_after = c->not_after;
	}
	return 0;
}

void
metrics_certs(struct metrics *m, struct db *db)
{
	const struct db_cert_filter f = { NULL, "issued", 0 };
	struct err e;

	m->ncerts = 0;
	if (db_cert_list(db, &f, cert_one, m, &e) < 0)
		m->ncerts = 0;	/* a registry that cannot be read: no expiry lines */
}

int
metrics_write(const struct metrics *m, int state_fd)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	long long now = (long long)time(NULL);
	int fd, rc;

	if (!f)
		return -1;
	fprintf(f, "# HELP sertel_documents_signed_total Documents signed since the daemon started.\n"
		"# TYPE sertel_documents_signed_total counter\nsertel_documents_signed_total %lld\n",
		m->signed_total);
	fprintf(f, "# HELP sertel_documents_refused_total Drops refused since the daemon started, "
		"by refusal code.\n# TYPE sertel_documents_refused_total counter\n");
	for (i = 0; i < m->nrefused; i++)
		fprintf(f, "sertel_documents_refused_total{code=\"%s\"} %lld\n", m->refused[i].code,
			m->refused[i].n);
	fprintf(f, "# HELP sertel_queue_jobs Claimed jobs waiting for a worker.\n"
		"# TYPE sertel_queue_jobs gauge\nsertel_queue_jobs %lld\n", m->queue);
	fprintf(f, "# HELP sertel_batch_seconds Time the group commit of a batch took.\n"
		"# TYPE sertel_batch_seconds summary\nsertel_batch_seconds_sum %.6f\n"
		"sertel_batch_seconds_count %lld\n", m->batch_seconds_sum, m->batches);
	fprintf(f, "# HELP sertel_certificate_expiry_seconds Seconds until an active certificate "
		"of the registry ends, by holder.\n# TYPE sertel_certificate_expiry_seconds gauge\n");
	for (i = 0; i < m->ncerts; i++)
		fprintf(f, "sertel_certificate_expiry_seconds{holder=\"%s\"} %lld\n", m->certs[i].nip,
			m->certs[i].not_after - now);
	fprintf(f, "# HELP sertel_metrics_written_seconds When this file was written.\n"
		"# TYPE sertel_metrics_written_seconds gauge\nsertel_metrics_written_seconds %lld\n",
		now);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	if (mkdirat(state_fd, "metrics", 0755) < 0 && errno != EEXIST) {
		free(buf);
		return -1;
	}
	if ((fd = openat(state_fd, "metrics", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		free(buf);
		return -1;
	}
	/* no fsync: a file read every minute, rewritten after every batch */
	rc = fs_write_atomic(fd, "sertel.prom", buf, len, 0);
	close(fd);
	free(buf);
	return rc;
}
