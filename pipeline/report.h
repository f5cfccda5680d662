/*
 * report.h - the refusal report an administrator reads: <name>.error.yaml.
 *
 * Bahasa Indonesia for people (pesan, saran), stable codes for machines, and
 * the exact place in the sidecar (file:line:column) for every violation.
 */
#ifndef SERTEL_REPORT_H
#define SERTEL_REPORT_H

#include <stdio.h>
#include <time.h>

#include "../base/err.h"

struct job;

/* report_print - the report as YAML on f (sertel validate prints it). */
void report_print(FILE *f, const struct job *j, const char *tahap, const struct errs *errs,
		  time_t now);
/* report_print_errs - "jumlah_kesalahan" and the "kesalahan" list; positions are in meta. */
void report_print_errs(FILE *f, const char *meta, const struct errs *errs);
/* report_write - write queue/<id>.error.yaml (not fsynced: the batch commit syncs). */
int report_write(int queue_fd, const struct job *j, const char *tahap, const struct errs *errs,
		 time_t now);
/* report_write1 - the same for a single error. */
int report_write1(int queue_fd, const struct job *j, const char *tahap, const struct err *e,
		  time_t now);
/* report_yq - s as a double-quoted YAML scalar (control bytes escaped). */
void report_yq(FILE *f, const char *s);
/* report_time - "YYYY-MM-DD HH:MM:SS WIB" for text people read. */
void report_time(char *buf, size_t cap, time_t t);

#endif
