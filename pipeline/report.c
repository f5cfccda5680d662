/*
 * report.c - writing <name>.error.yaml (see report.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../spool/fsutil.h"
#include "../spool/spool.h"
#include "report.h"

void
report_yq(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void
report_time(char *buf, size_t cap, time_t t)
{
	struct tm tm;

	/* Musi Rawas keeps WIB (UTC+7) all year; no zone database needed. */
	t += 7 * 3600;
	gmtime_r(&t, &tm);
	strftime(buf, cap, "%Y-%m-%d %H:%M:%S WIB", &tm);
}

void
report_print_errs(FILE *f, const char *meta, const struct errs *errs)
{
	char where[NAME_MAX + 32];
	int i;

	fprintf(f, "jumlah_kesalahan: %d\nkesalahan:\n", errs->n + errs->dropped);
	for (i = 0; i < errs->n; i++) {
		const struct err *e = &errs->v[i];
		const struct err_info *in = err_info(e->code);
		fprintf(f, "  - kode: %s\n    pesan: ", e->code ? e->code : "internal");	/* [a-z._] */
		report_yq(f, in->pesan);
		fprintf(f, "\n    saran: ");
		report_yq(f, in->saran);
		if (e->field[0]) {
			fprintf(f, "\n    kolom: ");
			report_yq(f, e->field);
		}
		if (e->line > 0) {
			snprintf(where, sizeof where, "%s:%d:%d", meta, e->line, e->col);
			fprintf(f, "\n    lokasi: ");
			report_yq(f, where);
		}
		if (e->detail[0]) {
			fprintf(f, "\n    rincian: ");
			report_yq(f, e->detail);
		}
		fputc('\n', f);
	}
	if (errs->dropped)
		fprintf(f, "# ... dan %d kesalahan lain tidak ditampilkan.\n", errs->dropped);
}

void
report_print(FILE *f, const struct job *j, const char *tahap, const struct errs *errs,
	     time_t now)
{
	char when[40], meta[NAME_MAX + 32];

	/* a document without a sidecar file: its metadata was looked for inside the PDF */
	if (j->meta[0] || j->kind != DROP_DOC)
		snprintf(meta, sizeof meta, "%s", j->meta[0] ? j->meta : "-");
	else
		snprintf(meta, sizeof meta, "%s#%s", j->pdf, SPOOL_EMBEDDED_NAME);
	report_time(when, sizeof when, now);
	fprintf(f, "# Laporan penolakan sertel: dokumen ini TIDAK ditandatangani.\n"
		   "# Perbaiki semua kesalahan di bawah, lalu unggah ulang PDF dan metadatanya.\n");
	fprintf(f, "dokumen: ");
	report_yq(f, j->pdf);
	fprintf(f, "\nmetadata: ");
	report_yq(f, meta);
	fprintf(f, "\npd: ");
	report_yq(f, j->pd);
	fprintf(f, "\nid_proses: ");
	report_yq(f, j->id);
	fprintf(f, "\nwaktu: ");
	report_yq(f, when);
	fprintf(f, "\ntahap: ");
	report_yq(f, tahap);
	fputc('\n', f);
	report_print_errs(f, meta, errs);
}

int
report_write(int queue_fd, const struct job *j, const char *tahap, const struct errs *errs,
	     time_t now)
{
	char name[JOBID_LEN + 16], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!(f = open_memstream(&buf, &len)))
		return -1;
	report_print(f, j, tahap, errs, now);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	spool_qname(name, sizeof name, j->id, "error.yaml");
	rc = fs_write_atomic(queue_fd, name, buf, len, 0);
	free(buf);
	return rc;
}

int
report_write1(int queue_fd, const struct job *j, const char *tahap, const struct err *e,
	      time_t now)
{
	struct errs l;

	memset(&l, 0, sizeof l);
	errs_add(&l, e);
	return report_write(queue_fd, j, tahap, &l, now);
}
