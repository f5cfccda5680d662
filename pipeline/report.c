/*
 * report.c - writing <name>.error.yaml (see report.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/text.h"
#include "../spool/fsutil.h"
#include "../spool/spool.h"
#include "report.h"

void
report_print_errs(FILE *f, const char *meta, const struct errs *errs)
{
	char where[NAME_MAX + 32];
	int i;

	fprintf(f, "jumlah_kesalahan: %d\nkesalahan:\n", errs->n + errs->dropped);
	for (i = 0; i < errs->n; i++) {
		const struct err *e = &errs->v[i];
		const struct err_info *in = err_info(e->code);
		char buf[1024];
		fprintf(f, "  - kode: %s\n    pesan: ", e->code ? e->code : "internal");	/* [a-z._] */
		text_yaml_quote(f, err_text(in->message, buf, sizeof buf));
		fprintf(f, "\n    saran: ");
		text_yaml_quote(f, err_text(in->advice, buf, sizeof buf));
		if (e->field[0]) {
			fprintf(f, "\n    kolom: ");
			text_yaml_quote(f, e->field);
		}
		if (e->line > 0) {
			snprintf(where, sizeof where, "%s:%d:%d", meta, e->line, e->col);
			fprintf(f, "\n    lokasi: ");
			text_yaml_quote(f, where);
		}
		if (e->detail[0]) {
			fprintf(f, "\n    rincian: ");
			text_yaml_quote(f, e->detail);
		}
		fputc('\n', f);
	}
	if (errs->dropped)
		fprintf(f, "# ... dan %d kesalahan lain tidak ditampilkan.\n", errs->dropped);
}

/*
 * server_side - a code that is no fault of the document or its metadata:
 * the server's (a keystore, the TSA, a worker, the disk) or an internal one.
 */
static int
server_side(const char *code)
{
	static const char *const prefixes[] = { "worker.", "io.", "internal", "sign.failed",
						"timestamp.", "signer.keystore", "signer.cert_invalid",
						"config." };
	size_t i;

	for (i = 0; code && i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (!strncmp(code, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

/* what_to_do - the header's advice, right for what the findings are. */
static const char *
what_to_do(const struct errs *errs)
{
	int i, server = 0, duplicate = 0;

	for (i = 0; i < errs->n; i++) {
		server += server_side(errs->v[i].code);
		duplicate += errs->v[i].code && !strcmp(errs->v[i].code, "doc.duplicate");
	}
	if (errs->n > 0 && duplicate == errs->n)
		return "Dokumen yang sama sudah pernah ditandatangani: tidak perlu diunggah ulang "
		       "(lihat rincian untuk ID-nya).";
	if (errs->n > 0 && server == errs->n)
		return "Penyebabnya ada di server, bukan di dokumen atau metadatanya: tidak ada yang "
		       "perlu Anda ubah. Hubungi pengelola sertel dengan menyebut id_proses.";
	return "Perbaiki semua kesalahan di bawah, lalu unggah ulang PDF dan metadatanya.";
}

void
report_print(FILE *f, const struct job *j, enum step step, const struct errs *errs,
	     time_t now)
{
	char when[40], meta[NAME_MAX + 32];

	/* a document without a sidecar file: its metadata was looked for inside the PDF */
	if (j->meta[0] || j->kind != DROP_DOC)
		snprintf(meta, sizeof meta, "%s", j->meta[0] ? j->meta : "-");
	else
		snprintf(meta, sizeof meta, "%s#%s", j->pdf, SPOOL_EMBEDDED_NAME);
	text_time_wib(when, sizeof when, now);
	fprintf(f, "# Laporan penolakan sertel: dokumen ini TIDAK ditandatangani.\n# %s\n",
		what_to_do(errs));
	fprintf(f, "dokumen: ");
	text_yaml_quote(f, j->pdf);
	fprintf(f, "\nmetadata: ");
	text_yaml_quote(f, meta);
	fprintf(f, "\npd: ");
	text_yaml_quote(f, j->pd);
	fprintf(f, "\nid_proses: ");
	text_yaml_quote(f, j->id);
	fprintf(f, "\nwaktu: ");
	text_yaml_quote(f, when);
	fprintf(f, "\ntahap: ");
	text_yaml_quote(f, step_label(step));
	fputc('\n', f);
	report_print_errs(f, meta, errs);
}

/*
 * twin - the report again as <name>.error.txt, for a double click on
 * Windows: the same text with CRLF line ends and a UTF-8 byte order mark,
 * which Notepad of every Windows version shows right.
 */
static int
twin(int queue_fd, const char *id, const char *yaml, size_t len)
{
	char name[JOBID_LEN + 16], *buf = malloc(2 * len + 4), *o = buf;
	size_t i;
	int rc;

	if (!buf)
		return -1;
	memcpy(o, "\xef\xbb\xbf", 3);
	o += 3;
	for (i = 0; i < len; i++) {
		if (yaml[i] == '\n' && (i == 0 || yaml[i - 1] != '\r'))
			*o++ = '\r';
		*o++ = yaml[i];
	}
	spool_qname(name, sizeof name, id, "error.txt");
	rc = fs_write_atomic(queue_fd, name, buf, (size_t)(o - buf), 0);
	free(buf);
	return rc;
}

int
report_write_fn(int queue_fd, const char *id, void (*fn)(FILE *f, void *arg), void *arg)
{
	char name[JOBID_LEN + 16], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!(f = open_memstream(&buf, &len)))
		return -1;
	fn(f, arg);
	if (fclose(f) != 0) {
		free(buf);
		return -1;
	}
	spool_qname(name, sizeof name, id, "error.yaml");
	rc = fs_write_atomic(queue_fd, name, buf, len, 0);
	if (rc == 0)
		rc = twin(queue_fd, id, buf, len);
	free(buf);
	return rc;
}

/* The arguments of report_print, for report_write_fn. */
struct report_args {
	const struct job *j;
	enum step step;
	const struct errs *errs;
	time_t now;
};

/* print_args - report_print over a struct report_args. */
static void
print_args(FILE *f, void *arg)
{
	const struct report_args *a = arg;

	report_print(f, a->j, a->step, a->errs, a->now);
}

int
report_write(int queue_fd, const struct job *j, enum step step, const struct errs *errs,
	     time_t now)
{
	struct report_args a = { j, step, errs, now };

	return report_write_fn(queue_fd, j->id, print_args, &a);
}

int
report_write1(int queue_fd, const struct job *j, enum step step, const struct err *e,
	      time_t now)
{
	struct errs l;

	memset(&l, 0, sizeof l);
	errs_add(&l, e);
	return report_write(queue_fd, j, step, &l, now);
}
