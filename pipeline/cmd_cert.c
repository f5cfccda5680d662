/*
 * cmd_cert.c - `sertel cert`: the certificate registry's commands for the
 * Registration Authority (Pasal 8-20).
 *
 *   cert request --name N --nik NIK [--nip NIP] --jabatan J --pangkat P --unit U
 *                --pd PD --phone TEL --email ADDR --ktp FILE --photo FILE
 *                --recommender NIP [--key rsa|ec] [--passphrase-file FILE]
 *   cert verify|reject ID --by NIP --note TEXT
 *   cert import ID CERT.pem --by NIP [--note TEXT] [--passphrase-file FILE]
 *   cert renew NIP|SERIAL (the options of request)
 *   cert revoke NIP|SERIAL --reason R --by NIP [--note TEXT]
 *   cert reset NIP|SERIAL --by NIP --note TEXT
 *   cert update NIP|SERIAL --jabatan J [--unit U] [--pd PD] --from YYYY-MM-DD --by NIP
 *               --note TEXT
 *   cert expiring --within Nd [--pd PD] [--json]
 *   cert list [--pd PD] [--state S] [--expiring Nd] [--json]
 *   cert show ID|NIP|SERIAL [--json]
 *
 * A request's files (the CSR, the key in its PKCS#12, the KTP copy and the
 * photo) go into STATE/certs/<random>/ before its row commits: a crash in
 * between leaves a folder no row names, never a row without its files.
 * The passphrase comes from a file or the terminal, never from argv.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "../base/exits.h"
#include "../base/hex.h"
#include "../base/nip.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/certs.h"
#include "../db/db.h"
#include "../pki/certreq.h"
#include "../pki/keystore.h"
#include "../spool/fsutil.h"
#include "../spool/spool.h"
#include "../stages/pdf/imagefile.h"
#include "cert_letter.h"
#include "cli.h"
#include "cmd_cert.h"

#define PASS_CAP 1024
#define PASS_MIN 8

/* RFC 5280 CRLReason of each revocation reason sertel knows (Pasal 16, 18-20). */
static const struct reason {
	const char *name;
	int code;
} reasons[] = {
	{ "pensiun", 5 },		/* cessationOfOperation: retired */
	{ "mutasi-keluar", 3 },		/* affiliationChanged: transferred out of the district */
	{ "meninggal", 5 },		/* cessationOfOperation: died */
	{ "kunci-bocor", 1 },		/* keyCompromise */
	{ "pelanggaran", 9 },		/* privilegeWithdrawn: broke the holder's obligations */
};

/* bad - a finding about an option, on stderr; counts it. */
static void
bad(int *n, const char *opt, const char *fmt, const char *arg)
{
	fprintf(stderr, "sertel: cert: %s: ", opt);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	(*n)++;
}

/* text_ok - s is set, not blank, at most max bytes, without control characters. */
static int
text_ok(const char *s, size_t max)
{
	const unsigned char *p;
	int seen = 0;

	if (!s || strlen(s) > max)
		return 0;
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		seen |= !isspace(*p);
	}
	return seen;
}

/* phone_ok - "+" and 8-15 digits, or 8-15 digits. */
static int
phone_ok(const char *s)
{
	size_t n = 0;

	if (*s == '+')
		s++;
	for (; *s; s++, n++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return n >= 8 && n <= 15;
}

/* email_ok - local@domain, the domain the configuration's (any case), a plain local part. */
static int
email_ok(const char *s, const char *domain)
{
	const char *at = strchr(s, '@'), *p;

	if (!at || at == s || strchr(at + 1, '@') || strcasecmp(at + 1, domain))
		return 0;
	for (p = s; p < at; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._%+-", *p))
			return 0;
	return 1;
}

/* read_pass_tty - the passphrase typed twice on /dev/tty without echo. */
static int
read_pass_tty(char *buf, size_t cap)
{
	char again[PASS_CAP];
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int rc = -1, i;

	if (!tty)
		return -1;
	setvbuf(tty, NULL, _IONBF, 0);	/* no stdio buffer keeps a copy */
	if (tcgetattr(fileno(tty), &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
		for (i = 0; i < 2; i++) {
			char *into = i ? again : buf;

			fputs(i ? "\nthe passphrase again: " : "the holder's passphrase: ", tty);
			if (!fgets(into, (int)(i ? sizeof again : cap), tty))
				break;
			into[strcspn(into, "\r\n")] = '\0';
		}
		fputc('\n', tty);
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
		rc = i == 2 && !strcmp(buf, again) ? 0 : -1;
		if (i == 2 && rc < 0)
			fprintf(stderr, "sertel: cert: the two passphrases differ\n");
	}
	OPENSSL_cleanse(again, sizeof again);
	fclose(tty);
	return rc;
}

/* id_kind - nip_check, with why empty when the number is valid (of either kind). */
static enum nip_kind
id_kind(const char *id, time_t now, char *why, size_t cap)
{
	why[0] = '\0';
	return nip_check(id, now, why, cap);
}

/* The options of `cert request`, as given. */
struct request {
	const char *name, *nik, *nip, *jabatan, *pangkat, *unit, *pd, *phone, *email;
	const char *ktp, *photo, *recommender, *key, *pass_file;
	const char *token, *module;	/* --token pkcs11:...: the key made in the token */
	const char *ktp_ext, *photo_ext;
};

/* request_check - every finding about r on stderr; the number found. */
static int
request_check(const struct cfg *c, struct request *r)
{
	const struct { const char *opt, *v; size_t max; } texts[] = {
		{ "--name", r->name, 120 }, { "--jabatan", r->jabatan, 120 },
		{ "--pangkat", r->pangkat, 60 }, { "--unit", r->unit, 120 },
	};
	time_t now = time(NULL);
	char why[200];
	struct err e;
	size_t i;
	int n = 0, w, h;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++)
		if (!text_ok(texts[i].v, texts[i].max))
			bad(&n, texts[i].opt, "%s", texts[i].v ? "empty, too long or holds control "
			    "characters" : "missing");
	if (!r->nik)
		bad(&n, "--nik", "%s", "missing (the NIK of 16 digits)");
	else if (id_kind(r->nik, now, why, sizeof why) != NIP_NIK)
		bad(&n, "--nik", "not a NIK of 16 digits: %s", why[0] ? why : "an 18-digit NIP");
	if (r->nip && id_kind(r->nip, now, why, sizeof why) != NIP_NIP)
		bad(&n, "--nip", "not a NIP of 18 digits: %s", why[0] ? why : "a 16-digit NIK");
	if (!r->pd || !spool_pd_valid(r->pd))
		bad(&n, "--pd", "%s", "missing or not a PD code ([a-z0-9_-])");
	if (!r->phone || !phone_ok(r->phone))
		bad(&n, "--phone", "%s", "missing or not a phone number (8-15 digits, + allowed)");
	if (!r->email)
		bad(&n, "--email", "%s", "missing");
	else if (!email_ok(r->email, c->certs.email_domain))
		bad(&n, "--email", "not an official address at @%s", c->certs.email_domain);
	if (!r->recommender)
		bad(&n, "--recommender", "%s", "missing (the recommending official's NIP)");
	else if (id_kind(r->recommender, now, why, sizeof why) != NIP_NIP)
		bad(&n, "--recommender", "not a NIP of 18 digits: %s", why[0] ? why : "a NIK");
	if (strcmp(r->key, "rsa") && strcmp(r->key, "ec"))
		bad(&n, "--key", "'%s': use rsa or ec", r->key);
	if (r->token && strncmp(r->token, "pkcs11:", 7))
		bad(&n, "--token", "'%s' is not a PKCS#11 URI (pkcs11:token=...;object=...)",
		    r->token);
	else if (r->token && strcmp(r->key, "rsa"))	/* libp11 generates RSA only */
		bad(&n, "--key", "%s", "a key made in a token is RSA-2048 (--key rsa)");
	if (r->module && !r->token)
		bad(&n, "--pkcs11-module", "%s", "only with --token");
	if (!r->ktp)
		bad(&n, "--ktp", "%s", "missing (the KTP copy, JPEG or PNG)");
	else if (imagefile_check(r->ktp, "cert.image", &r->ktp_ext, &w, &h, &e) < 0)
		bad(&n, "--ktp", "%s", e.detail);
	if (!r->photo)
		bad(&n, "--photo", "%s", "missing (the face photo, JPEG or PNG)");
	else if (imagefile_check(r->photo, "cert.image", &r->photo_ext, &w, &h, &e) < 0)
		bad(&n, "--photo", "%s", e.detail);
	return n;
}

/* passphrase - from --passphrase-file or the terminal; 0, or an exit code said. */
static int
passphrase_min(const char *file, char *pass, size_t cap, size_t min)
{
	struct err e;

	if (file ? keystore_read_pass_file(file, pass, cap, &e) < 0 : read_pass_tty(pass, cap) < 0) {
		fprintf(stderr, "sertel: cert: %s\n", file ? e.detail :
			"no passphrase: give --passphrase-file FILE, or type it on a terminal");
		return EX_DATAERR;
	}
	if (strlen(pass) < min) {
		fprintf(stderr, "sertel: cert: the passphrase (PIN) is shorter than %zu characters\n",
			min);
		return EX_DATAERR;
	}
	return 0;
}

static int
passphrase(const char *file, char *pass, size_t cap)
{
	return passphrase_min(file, pass, cap, PASS_MIN);
}

/* store_files - the request's files into a new folder under state/certs; its name into dir. */
static int
store_files(const char *state, const struct request *r, const struct certreq_out *k,
	    char dir[64])
{
	unsigned char rnd[8];
	char path[PATH_MAX], ktp[16], photo[16], token_line[PATH_MAX + 64] = "";
	int fd = -1;

	if (RAND_bytes(rnd, sizeof rnd) != 1)
		return -1;
	/* what cert import puts in the signer's keystore line */
	if (r->token && snprintf(token_line, sizeof token_line, "%s\n%s\n", r->token,
				 r->module ? r->module : "") >= (int)sizeof token_line)
		return errno = ENAMETOOLONG, -1;
	strcpy(dir, "certs/");
	hex_encode(rnd, sizeof rnd, dir + 6);
	snprintf(ktp, sizeof ktp, "ktp.%s", r->ktp_ext);
	snprintf(photo, sizeof photo, "photo.%s", r->photo_ext);
	snprintf(path, sizeof path, "%s/%s", state, dir);
	if (fs_mkdirs(path, 0700) < 0 || (fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fs_write_atomic(fd, "request.csr.pem", k->csr_pem, k->csr_len, 1) < 0 ||
	    (k->p12 && fs_write_atomic(fd, "key.p12", k->p12, k->p12_len, 1) < 0) ||
	    (r->token && fs_write_atomic(fd, "token.txt", token_line, strlen(token_line), 1) < 0) ||
	    fs_copy(AT_FDCWD, r->ktp, fd, ktp, 0600) < 0 ||
	    fs_copy(AT_FDCWD, r->photo, fd, photo, 0600) < 0 || fsync(fd) < 0) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

/* open_db - the configuration (with its certs: section) and the database; 0 or an exit code. */
static int
open_db(struct cfg **c, struct db **db)
{
	struct err e;

	*c = cli_config();
	*db = NULL;
	if (!(*c)->certs.enabled) {
		fprintf(stderr, "sertel: cert: %s has no certs: section (email_domain, verifiers)\n",
			(*c)->path);
		cfg_free(*c);
		return EX_CONFIG;
	}
	/* the registry may be the first thing a new installation keeps */
	if (fs_mkdirs((*c)->state_dir, 0750) < 0)
		fprintf(stderr, "sertel: cert: cannot make %s: %s\n", (*c)->state_dir,
			strerror(errno));
	if (!(*db = db_open((*c)->state_dir, &e))) {
		cfg_free(*c);
		return cli_db_exit(&e);
	}
	return 0;
}

/* refusal - a registry error said; its exit code. */
static int
refusal(const struct err *e)
{
	if (!strcmp(e->code, "cert.unknown")) {
		fprintf(stderr, "sertel: cert: %s\n", e->detail);
		return EX_UNAVAILABLE;
	}
	if (!strncmp(e->code, "cert.", 5)) {
		fprintf(stderr, "sertel: cert: %s (%s)\n", e->detail, e->code);
		return EX_REFUSED;
	}
	return cli_db_exit(e);
}

/*
 * letter - the Lampiran II letter for request row into its folder dir: the
 * recommending official as the register (name, jabatan) and, when they hold a
 * certificate, the registry (NIK, pangkat, unit, e-mail) know them.
 */
static int
letter(const struct cfg *c, struct db *db, const struct db_cert *row, const char *dir,
       struct err *e)
{
	const struct cfg_official *o = cfg_official_find(c, row->recommender);
	struct db_cert rc;
	struct db_cert_holder rec;
	char path[PATH_MAX];
	struct err ignore;

	memset(&rec, 0, sizeof rec);
	if (db_cert_find(db, row->recommender, &rc, &ignore) == 1)
		rec = rc.h;
	snprintf(rec.nip, sizeof rec.nip, "%s", row->recommender);
	if (o) {
		snprintf(rec.name, sizeof rec.name, "%s", o->name);
		snprintf(rec.jabatan, sizeof rec.jabatan, "%s", o->jabatan);
	}
	if (snprintf(path, sizeof path, "%.4000s/rekomendasi.pdf", dir) >= (int)sizeof path)
		return err_set(e, "io.error", "%s: path too long", dir);
	return cert_letter_write(c, &rec, &row->h, time(NULL), path, e);
}

/*
 * cert_request - `cert request`, and `cert renew` (old: the certificate it
 * renews, which stays in use until the renewal is imported).
 */
static int
cert_request(const struct cfg *c, struct db *db, int argc, char **argv, const struct db_cert *old)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "nik", required_argument, NULL, 'k' },
		{ "nip", required_argument, NULL, 'N' }, { "jabatan", required_argument, NULL, 'j' },
		{ "pangkat", required_argument, NULL, 'g' }, { "unit", required_argument, NULL, 'u' },
		{ "pd", required_argument, NULL, 'p' }, { "phone", required_argument, NULL, 't' },
		{ "email", required_argument, NULL, 'e' }, { "ktp", required_argument, NULL, 'K' },
		{ "photo", required_argument, NULL, 'f' },
		{ "recommender", required_argument, NULL, 'r' },
		{ "key", required_argument, NULL, 'a' },
		{ "token", required_argument, NULL, 'T' },
		{ "pkcs11-module", required_argument, NULL, 'M' },
		{ "passphrase-file", required_argument, NULL, 'P' }, { NULL, 0, NULL, 0 },
	};
	struct request r = { .key = "rsa" };
	EVP_PKEY *tk = NULL;
	struct certreq_subject s;
	struct certreq_out k;
	struct db_cert row;
	char pass[PASS_CAP], path[PATH_MAX];
	struct err e;
	int o, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n': r.name = optarg; break;
		case 'k': r.nik = optarg; break;
		case 'N': r.nip = optarg; break;
		case 'j': r.jabatan = optarg; break;
		case 'g': r.pangkat = optarg; break;
		case 'u': r.unit = optarg; break;
		case 'p': r.pd = optarg; break;
		case 't': r.phone = optarg; break;
		case 'e': r.email = optarg; break;
		case 'K': r.ktp = optarg; break;
		case 'f': r.photo = optarg; break;
		case 'r': r.recommender = optarg; break;
		case 'a': r.key = optarg; break;
		case 'T': r.token = optarg; break;
		case 'M': r.module = optarg; break;
		case 'P': r.pass_file = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return EX_USAGE;
	if (request_check(c, &r) > 0)
		return EX_DATAERR;
	if (old && strcmp(old->h.id, r.nip ? r.nip : r.nik)) {
		fprintf(stderr, "sertel: cert: certificate %lld is %s's: a renewal is for the same "
			"holder, not %s\n", old->id, old->h.id, r.nip ? r.nip : r.nik);
		return EX_DATAERR;
	}
	if (old && strcmp(old->state, "issued") && strcmp(old->state, "suspended")) {
		fprintf(stderr, "sertel: cert: certificate %lld is %s: only a certificate in use "
			"(issued or suspended) is renewed; apply anew (cert.transition)\n", old->id,
			old->state);
		return EX_REFUSED;
	}
	/* a token's PIN may be as short as 4 digits; the token limits the tries */
	if ((rc = passphrase_min(r.pass_file, pass, sizeof pass, r.token ? 4 : PASS_MIN)) != 0)
		return rc;
	s = (struct certreq_subject){ r.name, r.nip ? r.nip : r.nik, r.email, c->instansi, r.unit };
	memset(&k, 0, sizeof k);
	if (!r.token)
		rc = certreq_make(r.key, &s, pass, &k, &e);
	else if ((rc = keystore_p11_generate(r.token + 7, r.module, pass, &tk, &e)) == 0)
		rc = certreq_make_key(tk, &s, NULL, &k, &e);
	OPENSSL_cleanse(pass, sizeof pass);
	EVP_PKEY_free(tk);
	if (rc < 0) {
		fprintf(stderr, "sertel: cert: %s\n", e.detail);
		return EX_SOFTWARE;
	}
	memset(&row, 0, sizeof row);
	row.renews = old ? old->id : 0;
	if (store_files(c->state_dir, &r, &k, row.dir) < 0) {
		fprintf(stderr, "sertel: cert: cannot store the request under %s/certs: %s\n",
			c->state_dir, strerror(errno));
		certreq_free(&k);
		return err_errno_temporary(errno) ? EX_TEMPFAIL : EX_CANTCREAT;
	}
	snprintf(row.h.id, sizeof row.h.id, "%s", r.nip ? r.nip : r.nik);
	snprintf(row.h.nik, sizeof row.h.nik, "%s", r.nik);
	snprintf(row.h.nip, sizeof row.h.nip, "%s", r.nip ? r.nip : "");
	snprintf(row.h.name, sizeof row.h.name, "%s", r.name);
	snprintf(row.h.jabatan, sizeof row.h.jabatan, "%s", r.jabatan);
	snprintf(row.h.pangkat, sizeof row.h.pangkat, "%s", r.pangkat);
	snprintf(row.h.unit, sizeof row.h.unit, "%s", r.unit);
	snprintf(row.h.pd, sizeof row.h.pd, "%s", r.pd);
	snprintf(row.h.phone, sizeof row.h.phone, "%s", r.phone);
	snprintf(row.h.email, sizeof row.h.email, "%s", r.email);
	snprintf(row.recommender, sizeof row.recommender, "%s", r.recommender);
	snprintf(row.key_alg, sizeof row.key_alg, "%s", k.alg);
	snprintf(row.pubkey_sha256, sizeof row.pubkey_sha256, "%s", k.spki_sha256);
	certreq_free(&k);
	snprintf(path, sizeof path, "%s/%s", c->state_dir, row.dir);
	if (letter(c, db, &row, path, &e) < 0 ||
	    db_cert_request(db, &row, (long long)time(NULL), &e) < 0) {
		int dirfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (dirfd >= 0) {	/* nothing names the folder: it goes */
			fs_rm_dir(dirfd, row.dir);
			close(dirfd);
		}
		return refusal(&e);
	}
	if (old)
		printf("cert: request %lld renews certificate %lld (serial %s), in use until the "
		       "renewal is imported\n", row.id, old->id, old->serial);
	printf("cert: request %lld recorded for %s (%s), state requested\n"
	       "  request (PKCS#10): %s/request.csr.pem\n", row.id, row.h.name, row.h.id, path);
	if (r.token)
		printf("  key: made in the token, not extractable: %s\n", r.token);
	else
		printf("  key (PKCS#12, the holder's passphrase): %s/key.p12\n", path);
	printf("  recommendation letter (Lampiran II, PDF): %s/rekomendasi.pdf\n", path);
	return 0;
}

/* parse_id - a request's number; -1 when arg is not one. */
static long long
parse_id(const char *arg)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	return errno || end == arg || *end || v <= 0 ? -1 : v;
}

/* The options of verify, reject, import and revoke. */
struct act {
	const char *by, *note, *reason, *pass_file;
};

/* act_opts - --by, --note, --reason into a; the remaining arguments from argv[optind]. */
static int
act_opts(int argc, char **argv, struct act *a)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' }, { "note", required_argument, NULL, 'n' },
		{ "reason", required_argument, NULL, 'r' },
		{ "passphrase-file", required_argument, NULL, 'P' }, { NULL, 0, NULL, 0 },
	};
	int o;

	memset(a, 0, sizeof *a);
	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'b': a->by = optarg; break;
		case 'n': a->note = optarg; break;
		case 'r': a->reason = optarg; break;
		case 'P': a->pass_file = optarg; break;
		default: return -1;
		}
	}
	return 0;
}

/* verifier_check - by may act on c: a configured verifikator, not the holder; 0 or exit code. */
static int
verifier_check(const struct cfg *cfg, const char *by, const struct db_cert *c)
{
	if (!by) {
		fprintf(stderr, "sertel: cert: --by NIP (the verifikator) is required\n");
		return EX_USAGE;
	}
	if (!cfg_strs_has(&cfg->certs.verifiers, by)) {
		fprintf(stderr, "sertel: cert: %s is not a verifikator (certs.verifiers) "
			"(cert.verifier)\n", by);
		return EX_REFUSED;
	}
	if (c && (!strcmp(by, c->h.id) || !strcmp(by, c->h.nik))) {
		fprintf(stderr, "sertel: cert: %s may not act on their own certificate "
			"(cert.verifier)\n", by);
		return EX_REFUSED;
	}
	return 0;
}

/* load - certificate arg (a number) into c; 0 or an exit code said. */
static int
load(struct db *db, const char *arg, struct db_cert *c)
{
	long long id = parse_id(arg);
	struct err e;
	int rc;

	if (id < 0) {
		fprintf(stderr, "sertel: cert: '%s' is not a request number\n", arg);
		return EX_DATAERR;
	}
	if ((rc = db_cert_get(db, id, c, &e)) < 0)
		return cli_db_exit(&e);
	if (rc == 0) {
		fprintf(stderr, "sertel: cert: no certificate request %lld\n", id);
		return EX_UNAVAILABLE;
	}
	return 0;
}

/*
 * cert_decide - `cert verify|reject ID --by NIP --note TEXT`, and `cert reset
 * NIP|SERIAL --by NIP --note TEXT` (to suspended: nothing signs with it until
 * a renewal is imported).
 */
static int
cert_decide(const struct cfg *cfg, struct db *db, const char *to, int argc, char **argv)
{
	int reset = !strcmp(to, "suspended");
	struct db_cert_change ch = { .to = to };
	struct db_cert c;
	struct act a;
	struct err e;
	int rc;

	if (act_opts(argc, argv, &a) < 0 || optind + 1 != argc || a.reason || a.pass_file)
		return EX_USAGE;
	if (!a.note || !text_ok(a.note, 300)) {
		fprintf(stderr, "sertel: cert: --note TEXT (why) is required\n");
		return EX_USAGE;
	}
	if ((rc = reset ? cert_lookup(db, argv[optind], &c) : load(db, argv[optind], &c)) ||
	    (rc = verifier_check(cfg, a.by, &c)))
		return rc;
	ch.by = a.by;
	ch.note = a.note;
	ch.at = (long long)time(NULL);
	if (db_cert_change(db, c.id, &ch, &e) < 0)
		return refusal(&e);
	if (reset)
		printf("cert: certificate %lld of %s (%s), serial %s: suspended; nothing signs with "
		       "it until a renewal (cert renew) is imported\n", c.id, c.h.name, c.h.id,
		       c.serial[0] ? c.serial : "-");
	else
		printf("cert: request %lld of %s (%s): %s\n", c.id, c.h.name, c.h.id, to);
	return 0;
}

/*
 * token_keystore - for a request whose key was made in a token (token.txt:
 * its URI, its module): signer.yaml in the request's folder, the lines of
 * the signer's entry in sertel.yaml.  1 when written, 0 for a PKCS#12
 * request, -1 (errno) when it cannot be written.
 */
static int
token_keystore(int dirfd, const char *dir)
{
	char *t = NULL, *module, buf[2 * PATH_MAX + 256];
	size_t len = 0;
	int n, rc;

	if (fs_read_all(dirfd, "token.txt", PATH_MAX * 2, &t, &len) < 0)
		return errno == ENOENT ? 0 : -1;
	module = strchr(t, '\n');
	if (module) {
		*module++ = '\0';
		module[strcspn(module, "\n")] = '\0';
	}
	n = snprintf(buf, sizeof buf, "keystore: \"%s\"\n%s%s%scertificate: %s/cert.pem\n", t,
		     module && *module ? "pkcs11_module: " : "", module && *module ? module : "",
		     module && *module ? "\n" : "", dir);
	free(t);
	if (n < 0 || (size_t)n >= sizeof buf)
		return errno = ENAMETOOLONG, -1;
	rc = fs_write_atomic(dirfd, "signer.yaml", buf, (size_t)n, 1);
	return rc < 0 ? -1 : 1;
}

/*
 * keep_files - into the request's folder: the certificate (cert.pem) and,
 * with the holder's passphrase, the signing keystore (keystore.p12: the
 * request's key, the certificate, its chain); before the row commits.  0,
 * or an exit code said.
 */
static int
keep_files(const char *dir, const char *cert, const char *pass_file, STACK_OF(X509) *chain,
	   const char *name)
{
	char pass[PASS_CAP], *p12 = NULL;
	unsigned char *ks = NULL;
	size_t len = 0, ks_len = 0;
	struct err e;
	int dirfd, rc = 0;

	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "sertel: cert: %s: %s\n", dir, strerror(errno));
		return EX_CANTCREAT;
	}
	if ((rc = token_keystore(dirfd, dir)) < 0) {
		fprintf(stderr, "sertel: cert: cannot write %s/signer.yaml: %s\n", dir,
			strerror(errno));
		rc = EX_CANTCREAT;
	} else if (rc > 0) {		/* the key is in a token: no keystore.p12 */
		rc = 0;
		if (pass_file)
			fprintf(stderr, "sertel: cert: the key is in a token: --passphrase-file is "
				"not needed (no keystore.p12 is made)\n");
	} else if (pass_file && (rc = passphrase(pass_file, pass, sizeof pass)) == 0) {
		if (fs_read_all(dirfd, "key.p12", 1 << 20, &p12, &len) < 0) {
			fprintf(stderr, "sertel: cert: %s/key.p12: %s\n", dir, strerror(errno));
			rc = EX_NOINPUT;
		} else if (certreq_keystore((unsigned char *)p12, len, pass, chain, name, &ks,
					    &ks_len, &e) < 0) {
			fprintf(stderr, "sertel: cert: %s (%s)\n", e.detail, e.code);
			rc = EX_DATAERR;
		}
		OPENSSL_cleanse(pass, sizeof pass);
	}
	if (rc == 0 && ((ks && fs_write_atomic(dirfd, "keystore.p12", ks, ks_len, 1) < 0) ||
			fs_copy(AT_FDCWD, cert, dirfd, "cert.pem", 0644) < 0 || fsync(dirfd) < 0)) {
		fprintf(stderr, "sertel: cert: cannot keep the certificate in %s: %s\n", dir,
			strerror(errno));
		rc = EX_CANTCREAT;
	}
	free(p12);
	OPENSSL_free(ks);
	close(dirfd);
	return rc;
}

/* access_in - whether dir/name exists. */
static int
access_in(const char *dir, const char *name)
{
	char p[PATH_MAX];

	return snprintf(p, sizeof p, "%s/%s", dir, name) < (int)sizeof p && access(p, F_OK) == 0;
}

/* cert_import - `cert import ID CERT.pem --by NIP [--passphrase-file F]`: matched, chained, kept. */
static int
cert_import(const struct cfg *cfg, struct db *db, int argc, char **argv)
{
	struct db_cert_change ch = { .to = "issued" };
	STACK_OF(X509) *chain = NULL;
	struct certreq_subject s;
	struct certreq_issued x;
	struct db_cert c, issued;
	const char *ids[2];
	char path[PATH_MAX], note[200];
	struct act a;
	struct err e;
	struct tm tm;
	time_t until;
	int rc;

	if (act_opts(argc, argv, &a) < 0 || optind + 2 != argc || a.reason)
		return EX_USAGE;
	if ((rc = load(db, argv[optind], &c)) || (rc = verifier_check(cfg, a.by, &c)))
		return rc;
	ch.issued = &c;		/* for the question only: the certificate is not read yet */
	if (db_cert_may(db, &c, &ch, &e) < 0)	/* before the file: the state says no */
		return refusal(&e);
	ids[0] = c.h.id;
	ids[1] = c.h.nik;
	s = (struct certreq_subject){ c.h.name, c.h.id, c.h.email, NULL, NULL };
	if (certreq_check_cert(argv[optind + 1], c.pubkey_sha256, ids, 2, &s, cfg->trust_anchors,
			       cfg->ntrust, (long long)time(NULL), &x, &chain, &e) < 0) {
		fprintf(stderr, "sertel: cert: %s (%s)\n", e.detail, e.code);
		return !strcmp(e.code, "cert.file") ? EX_DATAERR : 1;
	}
	/* the files first, under names no row trusts until the commit */
	snprintf(path, sizeof path, "%s/%s", cfg->state_dir, c.dir);
	rc = keep_files(path, argv[optind + 1], a.pass_file, chain, c.h.name);
	sk_X509_pop_free(chain, X509_free);
	if (rc)
		return rc;
	memset(&issued, 0, sizeof issued);
	snprintf(issued.serial, sizeof issued.serial, "%s", x.serial);
	snprintf(issued.issuer, sizeof issued.issuer, "%s", x.issuer);
	snprintf(issued.subject, sizeof issued.subject, "%s", x.subject);
	issued.not_before = x.not_before;
	issued.not_after = x.not_after;
	snprintf(note, sizeof note, "serial %s%s%s", x.serial, a.note ? ": " : "",
		 a.note ? a.note : "");
	ch.by = a.by;
	ch.note = note;
	ch.at = (long long)time(NULL);
	ch.issued = &issued;
	if (db_cert_change(db, c.id, &ch, &e) < 0)
		return refusal(&e);
	until = (time_t)x.not_after;
	gmtime_r(&until, &tm);
	printf("cert: request %lld of %s (%s): issued, serial %s, valid until %04d-%02d-%02d "
	       "UTC\n", c.id, c.h.name, c.h.id, x.serial, tm.tm_year + 1900, tm.tm_mon + 1,
	       tm.tm_mday);
	if (a.pass_file && access_in(path, "keystore.p12"))
		printf("  keystore (PKCS#12, the holder's passphrase): %s/keystore.p12\n", path);
	if (access_in(path, "signer.yaml"))
		printf("  keystore: the key in the token; the signer's lines for sertel.yaml: "
		       "%s/signer.yaml\n", path);
	return 0;
}

/* cert_revoke - `cert revoke NIP|SERIAL --reason R --by NIP`: final. */
static int
cert_revoke(const struct cfg *cfg, struct db *db, int argc, char **argv)
{
	struct db_cert_change ch = { .to = "revoked" };
	struct db_cert c;
	struct act a;
	struct err e;
	size_t i;
	int rc;

	if (act_opts(argc, argv, &a) < 0 || optind + 1 != argc || a.pass_file)
		return EX_USAGE;
	for (i = 0; a.reason && i < sizeof reasons / sizeof reasons[0]; i++)
		if (!strcmp(a.reason, reasons[i].name))
			break;
	if (!a.reason || i == sizeof reasons / sizeof reasons[0]) {
		fprintf(stderr, "sertel: cert: --reason must be one of pensiun, mutasi-keluar, "
			"meninggal, kunci-bocor, pelanggaran\n");
		return a.reason ? EX_DATAERR : EX_USAGE;
	}
	if ((rc = cert_lookup(db, argv[optind], &c)) || (rc = verifier_check(cfg, a.by, &c)))
		return rc;
	ch.by = a.by;
	ch.note = a.note;
	ch.at = (long long)time(NULL);
	ch.reason = reasons[i].name;
	ch.reason_code = reasons[i].code;
	if (db_cert_change(db, c.id, &ch, &e) < 0)
		return refusal(&e);
	printf("cert: certificate %lld of %s (%s), serial %s: revoked (%s, CRLReason %d)\n",
	       c.id, c.h.name, c.h.id, c.serial[0] ? c.serial : "-", reasons[i].name,
	       reasons[i].code);
	return 0;
}

/*
 * cert_update - `cert update NIP|SERIAL --jabatan J [--unit U] [--pd PD] --from
 * YYYY-MM-DD --by NIP --note TEXT`: a mutasi within the district, from a day
 * (WIB) on; marks made from then name the new jabatan.
 */
static int
cert_update(const struct cfg *cfg, struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "jabatan", required_argument, NULL, 'j' }, { "unit", required_argument, NULL, 'u' },
		{ "pd", required_argument, NULL, 'p' }, { "from", required_argument, NULL, 'f' },
		{ "by", required_argument, NULL, 'b' }, { "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *jabatan = NULL, *unit = NULL, *pd = NULL, *from = NULL, *by = NULL;
	const char *note = NULL;
	struct db_cert_identity id;
	struct db_cert c;
	struct err e;
	int o, rc;

	optind = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'j': jabatan = optarg; break;
		case 'u': unit = optarg; break;
		case 'p': pd = optarg; break;
		case 'f': from = optarg; break;
		case 'b': by = optarg; break;
		case 'n': note = optarg; break;
		default: return EX_USAGE;
		}
	}
	if (optind + 1 != argc || !jabatan || !from || !note)
		return EX_USAGE;
	memset(&id, 0, sizeof id);
	if (!text_ok(jabatan, 120) || (unit && !text_ok(unit, 120)) || (pd && !spool_pd_valid(pd)) ||
	    !text_ok(note, 300) || (id.effective = text_wib_day(from)) < 0) {
		fprintf(stderr, "sertel: cert: update: --jabatan/--unit text of at most 120 "
			"characters, --pd a PD code, --from a date YYYY-MM-DD, --note why\n");
		return EX_DATAERR;
	}
	if ((rc = cert_lookup(db, argv[optind], &c)) || (rc = verifier_check(cfg, by, &c)))
		return rc;
	snprintf(id.jabatan, sizeof id.jabatan, "%s", jabatan);
	snprintf(id.unit, sizeof id.unit, "%s", unit ? unit : c.h.unit);
	snprintf(id.pd, sizeof id.pd, "%s", pd ? pd : c.h.pd);
	if (db_cert_update(db, c.h.id, &id, by, note, (long long)time(NULL), &e) < 0)
		return refusal(&e);
	printf("cert: %s (%s) from %s: jabatan %s, unit %s, PD %s\n", c.h.name, c.h.id, from,
	       id.jabatan, id.unit, id.pd);
	return 0;
}

/* cert_expiring - `cert expiring --within Nd [--pd PD] [--json]`: cert list --expiring Nd. */
static int
cert_expiring(struct db *db, int argc, char **argv)
{
	char *v[8];
	int i, n = 0, within = 0;

	for (i = 0; i < argc && n < 7; i++) {
		within |= !strcmp(argv[i], "--within");
		v[n++] = !strcmp(argv[i], "--within") ? "--expiring" : argv[i];
	}
	if (i < argc || !within)
		return EX_USAGE;
	v[n] = NULL;
	return cert_list(db, n, v);
}

int
cert_lookup(struct db *db, const char *arg, struct db_cert *c)
{
	long long id = strlen(arg) < 16 ? parse_id(arg) : -1;
	struct err e;
	int rc;

	if (id > 0)
		return load(db, arg, c);
	if ((rc = db_cert_find(db, arg, c, &e)) < 0)
		return cli_db_exit(&e);
	if (rc == 0) {
		fprintf(stderr, "sertel: cert: no issued certificate for NIP/NIK or serial %s\n",
			arg);
		return EX_UNAVAILABLE;
	}
	return 0;
}

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel cert request --name N --nik NIK [--nip NIP] --jabatan J "
		"--pangkat P --unit U --pd PD\n"
		"                         --phone TEL --email ADDR --ktp FILE --photo FILE "
		"--recommender NIP\n"
		"                         [--key rsa|ec] [--passphrase-file FILE]\n"
		"                         [--token pkcs11:token=T;object=O [--pkcs11-module SO]]\n"
		"       sertel cert verify|reject ID --by NIP --note TEXT\n"
		"       sertel cert import ID CERT.pem --by NIP [--note TEXT] "
		"[--passphrase-file FILE]\n"
		"       sertel cert renew NIP|SERIAL (the options of request)\n"
		"       sertel cert revoke NIP|SERIAL --reason pensiun|mutasi-keluar|meninggal|"
		"kunci-bocor|pelanggaran --by NIP [--note TEXT]\n"
		"       sertel cert reset NIP|SERIAL --by NIP --note TEXT\n"
		"       sertel cert update NIP|SERIAL --jabatan J [--unit U] [--pd PD] "
		"--from YYYY-MM-DD --by NIP --note TEXT\n"
		"       sertel cert expiring --within Nd [--pd PD] [--json]\n"
		"       sertel cert list [--pd PD] [--state STATE] [--expiring Nd] [--json]\n"
		"       sertel cert show ID|NIP|SERIAL [--json]\n");
	return EX_USAGE;
}

int
cmd_cert(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	struct db_cert old;
	struct cfg *c;
	struct db *db;
	int rc;

	if (strcmp(sub, "request") && strcmp(sub, "verify") && strcmp(sub, "reject") &&
	    strcmp(sub, "import") && strcmp(sub, "revoke") && strcmp(sub, "list") &&
	    strcmp(sub, "show") && strcmp(sub, "renew") && strcmp(sub, "reset") &&
	    strcmp(sub, "expiring") && strcmp(sub, "update"))
		return usage();
	if (!strcmp(sub, "renew") && (argc < 3 || argv[2][0] == '-'))
		return usage();
	if ((rc = open_db(&c, &db)) != 0)
		return rc;
	if (!strcmp(sub, "request"))
		rc = cert_request(c, db, argc - 1, argv + 1, NULL);
	else if (!strcmp(sub, "renew"))
		rc = (rc = cert_lookup(db, argv[2], &old)) ? rc :
		     cert_request(c, db, argc - 2, argv + 2, &old);
	else if (!strcmp(sub, "reset"))
		rc = cert_decide(c, db, "suspended", argc - 1, argv + 1);
	else if (!strcmp(sub, "update"))
		rc = cert_update(c, db, argc - 1, argv + 1);
	else if (!strcmp(sub, "expiring"))
		rc = cert_expiring(db, argc - 1, argv + 1);
	else if (!strcmp(sub, "verify") || !strcmp(sub, "reject"))
		rc = cert_decide(c, db, !strcmp(sub, "verify") ? "verified" : "rejected", argc - 1,
				 argv + 1);
	else if (!strcmp(sub, "import"))
		rc = cert_import(c, db, argc - 1, argv + 1);
	else if (!strcmp(sub, "revoke"))
		rc = cert_revoke(c, db, argc - 1, argv + 1);
	else if (!strcmp(sub, "list"))
		rc = cert_list(db, argc - 1, argv + 1);
	else
		rc = cert_show(db, argc - 1, argv + 1);
	db_close(db);
	cfg_free(c);
	return rc == EX_USAGE ? usage() : rc;
}
