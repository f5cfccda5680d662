/*
 * metrics.h - the daemon's numbers in Prometheus's text format, written
 * after each batch to STATE/metrics/sertel.prom (atomically) for
 * node_exporter's textfile collector or any scraper that reads a file.
 * Counters count from the process's start (Prometheus takes a restart's
 * reset in its stride); the certificates' expiry comes from the registry.
 */
#ifndef SERTEL_METRICS_H
#define SERTEL_METRICS_H

#include <stddef.h>

struct db;

#define METRICS_CODES 64
#define METRICS_CERTS 256

struct metrics {
	long long signed_total, refused_total, batches;
	struct { char code[48]; long long n; } refused[METRICS_CODES];
	size_t nrefused;
	double batch_seconds, batch_seconds_sum;	/* the last commit; all of them */
	long long queue;				/* waiting for a worker at the last write */
	struct { char nip[24]; long long not_after; } certs[METRICS_CERTS];
	size_t ncerts;
};

/* metrics_signed, metrics_refused - one document signed; one refusal with its code. */
void metrics_signed(struct metrics *m);
void metrics_refused(struct metrics *m, const char *code);
/* metrics_certs - the active certificates' ends from the registry (at start and reload). */
void metrics_certs(struct metrics *m, struct db *db);
/* metrics_write - STATE/metrics/sertel.prom (state_fd); 0, or -1 (errno). */
int metrics_write(const struct metrics *m, int state_fd);

#endif
