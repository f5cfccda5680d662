/*
 * report.h - the refusal report an administrator reads: <name>.error.yaml.
 *
 * Bahasa Indonesia for people (pesan, saran, tahap), stable codes for
 * machines, and the exact place in the sidecar (file:line:column) for every violation.
 */
#ifndef SERTEL_REPORT_H
#define SERTEL_REPORT_H

#include <stdio.h>
#include <time.h>

#include "../base/err.h"
#include "../base/step.h"

struct job;

/* report_print - the report as YAML on f (sertel validate prints it). */
void report_print(FILE *f, const struct job *j, enum step step, const struct errs *errs,
		  time_t now);
/* report_print_errs - "jumlah_kesalahan" and the "kesalahan" list; positions are in meta. */
void report_print_errs(FILE *f, const char *meta, const struct errs *errs);
/* report_write - write queue/<id>.error.yaml (not fsynced: the batch commit syncs). */
int report_write(int queue_fd, const struct job *j, enum step step, const struct errs *errs,
		 time_t now);
/* report_write_fn - queue/<id>.error.yaml as fn prints it on f (not fsynced); 0, or -1 with errno. */
int report_write_fn(int queue_fd, const char *id, void (*fn)(FILE *f, void *arg), void *arg);
/* report_write1 - the same for a single error. */
int report_write1(int queue_fd, const struct job *j, enum step step, const struct err *e,
		  time_t now);

#endif
