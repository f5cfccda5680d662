/*
 * cmd_deletion.c - `sertel deletion new --officer NIP --reason TEXT ID...`
 * (a pre-filled berita acara on stdout) and `sertel deletion submit FILE`:
 * validate it (every violation listed, Bahasa Indonesia, line:column), then
 * carry it out all or nothing (db/deletions.h), remove the store copies
 * after the commit, and write the receipt and the signed berita acara PDF
 * (berita_pdf.h) into SPOOL/done/<pd>/.  The same file submitted again (a
 * retry after a crash) only completes that delivery.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "../base/exits.h"
#include "../base/hex.h"
#include "../base/jobid.h"
#include "../base/outcome.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "../pki/keyclient.h"
#include "../pki/keystore.h"
#include "../spool/fsutil.h"
#include "berita.h"
#include "cli.h"
#include "deletion.h"
#include "report.h"
#include "selfsign.h"
#include "worker.h"

static const char *const hari[] = { "Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat",
				    "Sabtu" };
static const char *const bulan[] = { "Januari", "Februari", "Maret", "April", "Mei", "Juni",
				      "Juli", "Agustus", "September", "Oktober", "November",
				      "Desember" };

/* submit - `deletion submit FILE`: 0 carried out, 1 refused (the report on stdout). */
static int
submit(const struct cfg *c, const char *file)
{
	struct errs errs = { 0 };
	struct deletion_result res;
	char *buf = NULL;
	size_t len = 0;
	struct err e;
	struct db *db;
	int rc;

	if (fs_read_all(AT_FDCWD, file, 1 << 20, &buf, &len) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", file, strerror(errno));
		return EX_NOINPUT;
	}
	if (!(db = db_open(c->state_dir, &e))) {
		free(buf);
		return cli_db_exit(&e);
	}
	rc = deletion_carry_out(c, db, buf, len, file, NULL, &errs, &res, &e);
	free(buf);
	db_close(db);
	if (rc == DELETION_REFUSED) {
		deletion_print_refusal(stdout, file, &errs);
		return EX_REFUSED;
	}
	if (rc == DELETION_ERROR)
		return cli_db_exit(&e);
	if (res.retry)
		printf("sertel: berita acara Nomor: %s was carried out before; completing its "
		       "delivery\n", res.number);
	else
		printf("sertel: berita acara Nomor: %s carried out: %zu document(s) deleted\n",
		       res.number, res.n);
	if (rc == DELETION_UNDELIVERED) {
		fprintf(stderr, "sertel: berita acara Nomor: %s is not delivered yet: %s: %s\n",
			res.number, e.code, e.detail);
		return EX_TEMPFAIL;
	}
	if (res.delivered_before) {
		printf("sertel: receipt %s (delivered before)\n", res.receipt);
		return 0;
	}
	printf("sertel: berita acara %s (ID %s)\n", res.pdf, res.id);
	printf("sertel: receipt %s\n", res.receipt);
	return 0;
}

/* prefill - `deletion new`: the berita acara from the register and the database. */
static int
prefill(const struct cfg *c, const char *nip, const char *reason, char **idv, int n)
{
	const struct cfg_official *o = cfg_official_find(c, nip);
	struct berita b;
	struct db_document d;
	struct db_paraf *p;
	char words[256], date[64];
	size_t np;
	struct err e;
	struct db *db;
	struct tm tm;
	time_t now = time(NULL);
	int i, rc = 0;

	if (!o) {
		fprintf(stderr, "sertel: %s is not in the register (officials:)\n", nip);
		return EX_DATAERR;
	}
	if (!(db = db_open_readonly(c->state_dir, &e)))
		return cli_db_exit(&e);
	memset(&b, 0, sizeof b);
	if (!(b.items = calloc((size_t)n, sizeof *b.items))) {
		db_close(db);
		return EX_SOFTWARE;
	}
	for (i = 0; i < n && rc == 0; i++) {
		int got = jobid_valid(idv[i]) ? db_doc_get(db, idv[i], &d, &p, &np, &e) : 0;
		if (got < 0) {
			rc = cli_db_exit(&e);
			break;
		}
		if (got == 0) {
			fprintf(stderr, "sertel: no signed document with ID %s\n", idv[i]);
			rc = EX_DATAERR;
			break;
		}
		free(p);
		if (!b.pd)
			b.pd = strdup(d.pd);
		b.items[b.n].id = idv[i];
		b.items[b.n++].reason = (char *)reason;
	}
	localtime_r(&now, &tm);
	snprintf(date, sizeof date, "%d %s %d", tm.tm_mday, bulan[tm.tm_mon], tm.tm_year + 1900);
	berita_words((long long)b.n, words, sizeof words);
	b.day = (char *)hari[tm.tm_wday];
	b.date = date;
	b.place = c->deletion.place ? c->deletion.place : c->location;
	b.name = o->name;
	b.nip = o->nip;
	b.jabatan = o->jabatan;
	b.instansi = c->instansi;
	b.unit = b.pd;
	b.count = (long long)b.n;
	b.count_words = words;
	if (rc == 0)
		berita_write(stdout, &b);
	free(b.pd);
	free(b.items);
	db_close(db);
	return rc;
}

/* usage - the synopsis on stderr; EX_USAGE. */
static int usage(void);

/*
 * job - `deletion job [--keys N SEQ] ID PD FILE [SCAN]`, internal: a
 * worker's berita acara ID (queue/ID.berita, its scan queue/ID.lampiran)
 * carried out in this fresh process (stages/deletion.c); the outcome as one
 * struct on stdout.  With --keys it signs as signer N through the key
 * process on fd 3, its requests numbered from SEQ, with the certificate and
 * chain read from stdin (DER): this process never holds the key.
 */
static int
job(const struct cfg *c, char **argv, int argc)
{
	struct keyclient kc = { -1, 0, 0 };
	struct signer_key key;
	struct outcome o;
	struct job j;
	struct err e;
	unsigned char *der = NULL;
	char q[PATH_MAX], *end;
	size_t off = 0, len = 0;
	ssize_t n;
	long signer = -1;
	int fd;

	memset(&key, 0, sizeof key);
	if (argc > 3 && !strcmp(argv[0], "--keys")) {
		signer = strtol(argv[1], &end, 10);
		if (*end || signer < 0 || signer >= (long)c->nsigners)
			return usage();
		kc.seq = (uint32_t)strtoul(argv[2], &end, 10);
		if (*end)
			return usage();
		kc.fd = 3;
		argv += 3;
		argc -= 3;
	}
	memset(&j, 0, sizeof j);
	j.kind = DROP_DELETION;
	if (argc < 3 || argc > 4 || !jobid_valid(argv[0]) || strlen(argv[1]) >= sizeof j.pd ||
	    strlen(argv[2]) >= sizeof j.pdf || (argc > 3 && strlen(argv[3]) >= sizeof j.meta))
		return usage();
	if (kc.fd >= 0) {
		if (!(der = malloc(KEY_CERTS_MAX)))
			return EX_OSERR;
		while (len < KEY_CERTS_MAX && ((n = read(STDIN_FILENO, der + len,
							 KEY_CERTS_MAX - len)) > 0 ||
					       (n < 0 && errno == EINTR)))
			len += n > 0 ? (size_t)n : 0;
		if (keyclient_adopt(der, len, &key, &e) < 0) {
			fprintf(stderr, "sertel: deletion job: %s\n", e.detail);
			free(der);
			keystore_free(&key);
			return EX_DATAERR;
		}
		free(der);
		selfsign_through(&kc, (int)signer, &key);
	}
	snprintf(j.id, sizeof j.id, "%s", argv[0]);
	snprintf(j.pd, sizeof j.pd, "%s", argv[1]);
	snprintf(j.pdf, sizeof j.pdf, "%s", argv[2]);
	snprintf(j.meta, sizeof j.meta, "%s", argc > 3 ? argv[3] : "");
	snprintf(q, sizeof q, "%s/queue", c->spool_dir);
	if ((fd = open(q, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", q, strerror(errno));
		keystore_free(&key);
		return EX_IOERR;
	}
	run_deletion_work(c, fd, c->spool_dir, &j, &o);
	close(fd);
	keystore_free(&key);
	while (off < sizeof o && ((n = write(STDOUT_FILENO, (char *)&o + off, sizeof o - off)) > 0 ||
				  (n < 0 && errno == EINTR)))
		off += n > 0 ? (size_t)n : 0;
	return off == sizeof o ? 0 : EX_IOERR;
}

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel deletion new --officer NIP --reason TEXT ID...\n"
		"       sertel deletion submit FILE\n");
	return EX_USAGE;
}

int
cmd_deletion(int argc, char **argv)
{
	const char *nip = NULL, *reason = NULL;
	struct cfg *c;
	int i = 2, rc;

	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "new")) {
		for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
			if (!strcmp(argv[i], "--officer"))
				nip = argv[i + 1];
			else if (!strcmp(argv[i], "--reason"))
				reason = argv[i + 1];
			else
				return usage();
		}
		if (!nip || !reason || i >= argc)
			return usage();
	} else if (!strcmp(argv[1], "job")) {
		if (argc < 5 || argc > 9)
			return usage();
	} else if (strcmp(argv[1], "submit") || argc != 3) {
		return usage();
	}
	c = cli_config();
	if (!c->deletion.enabled) {
		fprintf(stderr, "sertel: %s has no deletion: section; deletions are not "
			"configured\n", c->path);
		cfg_free(c);
		return EX_CONFIG;
	}
	rc = !strcmp(argv[1], "new") ? prefill(c, nip, reason, argv + i, argc - i) :
	     !strcmp(argv[1], "job") ? job(c, argv + 2, argc - 2) : submit(c, argv[2]);
	cfg_free(c);
	return rc;
}
