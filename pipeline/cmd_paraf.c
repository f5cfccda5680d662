/*
 * cmd_paraf.c - `sertel paraf FILE.pdf --nip NIP --role ROLE [--note TEXT]
 *               [--pd PD] [--type TYPE --signer NIP [--number N] [--subject S]]`
 *
 * Writes the paraf sidecar for offices without a document-management
 * system: creates FILE.yaml with the first paraf (--type and --signer say
 * what the document is), or appends one.  The name comes from the officials
 * register, the time is now with the server's UTC offset, the SHA-256 is the
 * PDF's.  Nothing is written when the PDF changed since an earlier paraf,
 * the official is unknown or inactive, does not hold the role or belong to
 * the PD, the role has already paraf'd, or a role that must come after this
 * one already has: what `sertel validate` would refuse is refused here first.
 *
 * The new file is written whole to a temporary name, fsynced and renamed
 * (fs_write_atomic), after re-reading it proves it holds the old parafs and
 * the new one.  flock on the PDF serializes two officials paraf'ing the same
 * draft at the same moment, so neither paraf is lost.
 *
 * Exit: 0 paraf recorded, 1 refused (nothing written; the findings on
 * stderr), 64 usage, 65 not a PDF, 66 no such PDF, 73 the sidecar cannot be
 * written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "../base/exits.h"
#include "../base/hex.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../spool/fsutil.h"
#include "../spool/spool.h"
#include "../stages/paraf/paraf.h"
#include "../stages/paraf/sidecar.h"
#include "../stages/pdf/sniff.h"
#include "cli.h"
#include "draft.h"
#include "report.h"

#define USAGE \
	"usage: sertel paraf FILE.pdf --nip NIP --role ROLE [--note TEXT] [--pd PD]\n" \
	"                   [--type TYPE --signer NIP [--number NUMBER] [--subject TEXT]]\n" \
	"  --type and --signer (and --number, --subject) start a new FILE.yaml.\n"

#define TEXT_MAX 512

struct opts {
	const char *pdf, *nip, *role, *note, *pd, *type, *signer, *number, *subject;
};

/* A paraf being added to a draft. */
struct work {
	const struct cfg *cfg;
	struct opts o;
	char yaml[PATH_MAX];		/* the sidecar's path */
	char *old;			/* its text, NULL when it is created */
	size_t oldlen;
	struct sidecar sc;		/* the old text, parsed */
	unsigned char sha[32];		/* of the PDF */
	const struct cfg_official *who;
	time_t now;
	char when[40];			/* now, RFC 3339 with the server's offset */
	struct errs errs;
};

/* parse - the options into o; 0 or 64. */
static int
parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "nip", required_argument, NULL, 'n' }, { "role", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'c' }, { "pd", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' }, { "signer", required_argument, NULL, 's' },
		{ "number", required_argument, NULL, 'N' }, { "subject", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(o, 0, sizeof *o);
	optind = 0;	/* main.c ran getopt_long already: start afresh */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'n': o->nip = optarg; break;
		case 'r': o->role = optarg; break;
		case 'c': o->note = optarg; break;
		case 'p': o->pd = optarg; break;
		case 't': o->type = optarg; break;
		case 's': o->signer = optarg; break;
		case 'N': o->number = optarg; break;
		case 'S': o->subject = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (optind != argc - 1 || !o->nip || !o->role)
		return EX_USAGE;
	o->pdf = argv[optind];
	return 0;
}

/* now_text - t as "YYYY-MM-DDTHH:MM:SS+hh:mm" in the server's time zone. */
static void
now_text(time_t t, char *out, size_t cap)
{
	struct tm tm;
	long off;
	size_t n;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff;
	n = strftime(out, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, cap - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600,
		 labs(off) % 3600 / 60);
}

/* text_ok - an option's text: at most TEXT_MAX bytes, no control characters. */
static int
text_ok(struct work *w, const char *opt, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			break;
	if (!*p && p - s <= TEXT_MAX)
		return 1;
	errs_addf(&w->errs, "sidecar.value", opt, 0, 0, "%s: teks lebih dari %d byte atau berisi "
		  "karakter kendali", opt, TEXT_MAX);
	return 0;
}

/* read_pdf - the PDF's SHA-256, with flock held on fd (kept open by the caller). */
static int
read_pdf(struct work *w, int *fd)
{
	const unsigned char *p;
	size_t len;

	if ((*fd = open(w->o.pdf, O_RDONLY | O_CLOEXEC)) < 0 || flock(*fd, LOCK_EX) < 0 ||
	    fs_map(AT_FDCWD, w->o.pdf, 0, &p, &len) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", w->o.pdf, strerror(errno));
		return EX_NOINPUT;
	}
	if (!sniff_pdf(p, len)) {
		fprintf(stderr, "sertel: %s is not a PDF (no %%PDF- header)\n", w->o.pdf);
		fs_unmap(p, len);
		return EX_DATAERR;
	}
	SHA256(p, len, w->sha);
	fs_unmap(p, len);
	return 0;
}

/* read_sidecar - the existing sidecar, parsed; 0, or an exit code with the findings printed. */
static int
read_sidecar(struct work *w)
{
	struct errs l;

	draft_sidecar_path(w->o.pdf, w->yaml, sizeof w->yaml);
	if (fs_read_all(AT_FDCWD, w->yaml, 1 << 20, &w->old, &w->oldlen) < 0) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "sertel: %s: %s\n", w->yaml, strerror(errno));
		return EX_NOINPUT;
	}
	memset(&l, 0, sizeof l);
	if (sidecar_parse(w->old, w->oldlen, &w->sc, &l) == 0)
		return 0;
	fprintf(stderr, "# sertel paraf: %s harus diperbaiki dahulu; paraf TIDAK dicatat.\n",
		w->yaml);
	report_print_errs(stderr, basename(w->yaml), &l);
	return EX_REFUSED;
}

/* same_or_unset - an option that starts a sidecar agrees with the existing one. */
static void
same_or_unset(struct work *w, const char *opt, const char *given, const char *have)
{
	if (given && (!have || strcmp(given, have)))
		errs_addf(&w->errs, "sidecar.value", opt, 0, 0, "%s %s tidak sesuai dengan %s yang "
			  "sudah ada (%s); %s hanya dipakai saat membuat metadata baru", opt, given,
			  w->yaml, have ? have : "kosong", opt);
}

/* check_new - the document facts --type/--signer give a sidecar being created. */
static void
check_new(struct work *w)
{
	struct opts *o = &w->o;
	char why[160];

	if (w->old) {
		same_or_unset(w, "--type", o->type, w->sc.type);
		same_or_unset(w, "--signer", o->signer, w->sc.signer);
		same_or_unset(w, "--number", o->number, w->sc.number);
		same_or_unset(w, "--subject", o->subject, w->sc.subject);
		return;
	}
	if (!cfg_doctype_find(w->cfg, o->type))
		errs_addf(&w->errs, "doctype.unknown", "--type", 0, 0, "jenis dokumen '%s' tidak "
			  "terdaftar di %s", o->type, w->cfg->path);
	if (cfg_nip_check(o->signer, why, sizeof why) < 0)
		errs_addf(&w->errs, "sidecar.value", "--signer", 0, 0, "--signer '%s' %s", o->signer,
			  why);
	else if (!cfg_signer_find(w->cfg, o->signer))
		errs_addf(&w->errs, "signer.unknown", "--signer", 0, 0, "tidak ada penandatangan "
			  "dengan NIP/NIK %s di %s", o->signer, w->cfg->path);
	if (o->number)
		text_ok(w, "--number", o->number);
	if (o->subject)
		text_ok(w, "--subject", o->subject);
}

/*
 * check_parafs - the PDF is the one paraf'd before; the role is new and in
 * its turn: every required role before it has paraf'd, none after it has
 * (the paraf is timed now, so a later one out of turn could never be fixed).
 */
static void
check_parafs(struct work *w, const char *type)
{
	const struct cfg_doctype *dt = cfg_doctype_find(w->cfg, type);
	int mine = paraf_role_index(dt, w->o.role), r;
	char want[65], got[65], field[48], order[300];
	size_t i;

	if (dt)
		cfg_strs_join(&dt->parafs, " -> ", "", order, sizeof order);
	for (r = 0; r < mine; r++)
		if (paraf_find_role(&w->sc, dt->parafs.v[r]) < 0)
			errs_addf(&w->errs, "paraf.order", "--role", 0, 0, "peran '%s' memaraf sesudah "
				  "'%s', yang belum memaraf; urutan %s: %s", w->o.role, dt->parafs.v[r],
				  dt->title, order);

	hex_encode(w->sha, 32, got);
	for (i = 0; i < w->sc.nparafs; i++) {
		const struct paraf *p = &w->sc.parafs[i];
		snprintf(field, sizeof field, "parafs[%zu].sha256", i);
		if (memcmp(p->sha256, w->sha, 32)) {
			hex_encode(p->sha256, 32, want);
			errs_addf(&w->errs, "paraf.hash_mismatch", field, p->at_sha256.line,
				  p->at_sha256.col, "%s berubah sejak paraf %s oleh %s: paraf itu "
				  "diberikan pada SHA-256 %s, berkas sekarang %s", w->o.pdf, p->role,
				  p->name, want, got);
		}
		if (!strcmp(p->role, w->o.role))
			errs_addf(&w->errs, "paraf.duplicate", "--role", 0, 0, "peran '%s' sudah "
				  "diparaf oleh %s (%s) pada %s:%d", p->role, p->name, p->time,
				  basename(w->yaml), p->at.line);
		else if (mine >= 0 && paraf_role_index(dt, p->role) > mine)
			errs_addf(&w->errs, "paraf.order", "--role", 0, 0, "peran '%s' harus "
				  "memaraf sebelum '%s', yang sudah memaraf (%s)", w->o.role, p->role,
				  p->time);
		else if (mine >= 0 && paraf_role_index(dt, p->role) >= 0 && p->t > w->now)
			errs_addf(&w->errs, "paraf.order", "--role", 0, 0, "paraf '%s' (%s) tercatat "
				  "lebih lambat daripada waktu server sekarang (%s), sehingga paraf '%s' "
				  "akan tampak lebih awal; periksa jam server dan waktu paraf itu",
				  p->role, p->time, w->when, w->o.role);
	}
}

/* entry - the new paraf as YAML list item lines, the dash indented by indent. */
static void
entry(FILE *f, const struct work *w, int indent)
{
	char hex[65];

	hex_encode(w->sha, 32, hex);
	fprintf(f, "%*s- nip: ", indent, "");
	text_yaml_quote(f, w->o.nip);
	fprintf(f, "\n%*sname: ", indent + 2, "");
	text_yaml_quote(f, w->who->name);
	fprintf(f, "\n%*srole: ", indent + 2, "");
	text_yaml_quote(f, w->o.role);
	fprintf(f, "\n%*stime: ", indent + 2, "");
	text_yaml_quote(f, w->when);
	fprintf(f, "\n%*ssha256: \"%s\"\n", indent + 2, "", hex);
	if (w->o.note) {
		fprintf(f, "%*snote: ", indent + 2, "");
		text_yaml_quote(f, w->o.note);
		fputc('\n', f);
	}
}

/* compose - the new sidecar text: the old one with the paraf appended, or a new one. */
static char *
compose(const struct work *w, size_t *len)
{
	const struct opts *o = &w->o;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int indent;

	if (!f)
		return NULL;
	if (w->old) {
		/* a block list item "- nip:" has its keys two columns right of the dash */
		indent = w->sc.nparafs > 0 && w->sc.parafs[0].at.col >= 3 ?
			 w->sc.parafs[0].at.col - 3 : 2;
		fwrite(w->old, 1, w->oldlen, f);
		if (w->oldlen > 0 && w->old[w->oldlen - 1] != '\n')
			fputc('\n', f);
		entry(f, w, indent);
	} else {
		fprintf(f, "# Metadata paraf untuk %s, ditulis oleh `sertel paraf` (skema: README).\n"
			   "schema: 1\ntype: ", basename((char *)o->pdf));
		text_yaml_quote(f, o->type);
		if (o->number) {
			fprintf(f, "\nnumber: ");
			text_yaml_quote(f, o->number);
		}
		if (o->subject) {
			fprintf(f, "\nsubject: ");
			text_yaml_quote(f, o->subject);
		}
		fprintf(f, "\nsigner: ");
		text_yaml_quote(f, o->signer);
		fprintf(f, "\nparafs:\n");
		entry(f, w, 2);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* holds - text parses to the old parafs plus exactly the new one (appending can misfire
 * when parafs is not a block list at the end of the file). */
static int
holds(const struct work *w, const char *text, size_t len)
{
	struct sidecar s;
	struct errs l;
	const struct paraf *p;
	int ok;

	memset(&l, 0, sizeof l);
	ok = sidecar_parse(text, len, &s, &l) == 0 && s.nparafs == w->sc.nparafs + 1;
	p = ok ? &s.parafs[s.nparafs - 1] : NULL;
	ok = ok && !strcmp(p->nip, w->o.nip) && !strcmp(p->role, w->o.role) &&
	     !strcmp(p->time, w->when) && !memcmp(p->sha256, w->sha, 32) &&
	     (!w->old || (!strcmp(s.type, w->sc.type) && !strcmp(s.signer, w->sc.signer)));
	sidecar_free(&s);
	return ok;
}

/* write_out - the new text, atomically and durably, next to the PDF. */
static int
write_out(const struct work *w, const char *text, size_t len)
{
	char dir[PATH_MAX], base[PATH_MAX];
	int dfd, rc;

	snprintf(dir, sizeof dir, "%s", w->yaml);
	snprintf(base, sizeof base, "%s", w->yaml);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fs_write_atomic(dfd, basename(base), text, len, 1);
	/* an administrator's file, like the PDF beside it: the umask decides, not the
	 * spool's 0640 (sertel, another user, must read it once dropped) */
	if (rc == 0) {
		mode_t um = umask(0);
		umask(um);
		rc = fchmodat(dfd, basename(base), 0666 & ~um, 0);
	}
	close(dfd);
	return rc;
}

/* summary - what was recorded and what the type still needs. */
static void
summary(const struct work *w, const char *type)
{
	const struct cfg_doctype *dt = cfg_doctype_find(w->cfg, type);
	char left[400] = "";
	size_t r, n = 0;

	printf("Paraf dicatat di %s: %s (%s), %s.\n", w->yaml, w->who->name, w->o.role, w->when);
	for (r = 0; dt && r < dt->parafs.n && n < sizeof left; r++)
		if (paraf_find_role(&w->sc, dt->parafs.v[r]) < 0 && strcmp(w->o.role, dt->parafs.v[r]))
			n += (size_t)snprintf(left + n, sizeof left - n, "%s%s", n ? " -> " : "",
					      dt->parafs.v[r]);
	if (left[0])
		printf("%s masih memerlukan paraf: %s.\n", dt->title, left);
	else
		printf("Paraf yang diwajibkan sudah lengkap (%zu paraf). Periksa sebelum diunggah: "
		       "sertel validate %s\n", w->sc.nparafs + 1, w->o.pdf);
}

/* paraf - everything after the options; the exit code. */
static int
paraf(struct work *w)
{
	char pd[PD_MAX];
	const char *type, *how;
	char *text = NULL;
	size_t len = 0;
	int fd = -1, rc;

	if ((rc = read_pdf(w, &fd)) != 0 || (rc = read_sidecar(w)) != 0)
		goto out;
	if (!w->old && (!w->o.type || !w->o.signer)) {
		fprintf(stderr, "sertel: %s belum ada: berikan --type dan --signer untuk membuatnya "
			"bersama paraf pertama\n" USAGE, w->yaml);
		rc = EX_USAGE;
		goto out;
	}
	w->now = time(NULL);
	now_text(w->now, w->when, sizeof w->when);
	type = w->old ? w->sc.type : w->o.type;
	how = draft_pd(w->cfg, w->o.pdf, w->o.pd, w->old ? w->sc.signer : w->o.signer, pd,
		       sizeof pd);
	check_new(w);
	if (w->o.note)
		text_ok(w, "--note", w->o.note);
	w->who = paraf_official(w->cfg, w->o.nip, w->o.role, how ? pd : NULL, "--nip",
				(struct pos){ 0, 0 }, &w->errs);
	check_parafs(w, type);
	if (w->errs.n || w->errs.dropped) {
		fprintf(stderr, "# sertel paraf: DITOLAK; %s tidak diubah.\n# PD %s (%s).\n", w->yaml,
			how ? pd : "-", how ? how : "tidak diketahui");
		report_print_errs(stderr, basename(w->yaml), &w->errs);
		rc = EX_REFUSED;
		goto out;
	}
	if (!(text = compose(w, &len)) || !holds(w, text, len)) {
		fprintf(stderr, "sertel: paraf tidak dapat ditambahkan otomatis ke %s: daftar "
			"'parafs' harus menjadi kunci terakhir, ditulis sebagai daftar blok "
			"(\"- nip: ...\"); tambahkan paraf secara manual atau pindahkan 'parafs' ke "
			"akhir berkas\n", w->yaml);
		rc = EX_REFUSED;
	} else if (write_out(w, text, len) < 0) {
		fprintf(stderr, "sertel: %s: %s\n", w->yaml, strerror(errno));
		rc = EX_CANTCREAT;
	} else {
		summary(w, type);
	}
out:
	free(text);
	if (fd >= 0)
		close(fd);	/* releases the flock */
	return rc;
}

int
cmd_paraf(int argc, char **argv)
{
	struct cfg *c = cli_config();
	struct work w;
	int rc;

	memset(&w, 0, sizeof w);
	w.cfg = c;
	if ((rc = parse(argc, argv, &w.o)) != 0 || (w.o.pd && !spool_pd_valid(w.o.pd))) {
		fputs(USAGE, stderr);
		cfg_free(c);
		return EX_USAGE;
	}
	rc = paraf(&w);
	sidecar_free(&w.sc);
	free(w.old);
	cfg_free(c);
	return rc;
}
