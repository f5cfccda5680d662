/*
 * cfg.h - sertel.yaml, loaded once into one immutable struct.
 *
 * Every string is owned by the struct and freed by cfg_free().  Relative paths
 * in the file are resolved against the directory of the configuration file,
 * so a configuration can be moved together with its PKI and spool.
 *
 * cfg_load.c loads it, one part loader per section (cfg_signers.c, policy.c,
 * cfg_timestamp.c, cfg_marks.c); cfg.c answers the lookups declared below,
 * which the part loaders use too.
 */
#ifndef SERTEL_CFG_H
#define SERTEL_CFG_H

#include <stddef.h>

#include "../base/err.h"

struct cfg_signer {
	char *nip;		/* 18-digit NIP or 16-digit NIK, the key */
	char *name;
	char *jabatan;
	char *pd;		/* PD code, e.g. "diskominfo" */
	char *keystore_scheme;	/* "keystore: [SCHEME:]WHERE": the backend's name,
				 * "pkcs12" when none is written */
	char *keystore;		/* WHERE: for pkcs12 a file, absolute after loading;
				 * for another scheme as written */
	char *pass_file;	/* passphrase source: a file (first line) ... */
	char *pass_env;		/* ... or an environment variable; exactly one is set
				 * (for a pkcs11: token, the PIN) */
	char *p11_module;	/* pkcs11: the PKCS#11 module, absolute; NULL: p11-kit's proxy */
	char *certificate;	/* PEM: the signer's certificate then its chain, absolute;
				 * NULL: from the keystore (for pkcs11:, the token) */
	int line, col;		/* where the entry starts in sertel.yaml */
};

/* A list of names (roles, PDs, NIPs) from the configuration. */
struct cfg_strs {
	char **v;
	size_t n;
};

struct cfg_doctype {
	char *name;		/* key used in sidecars, e.g. "surat_keluar" */
	char *title;		/* human title, e.g. "Surat Keluar" */
	int min_parafs;		/* at least this many parafs (default: the roles in
				 * parafs, at least 1) */
	int certify;		/* DocMDP /P (1-3) of a certification signature when the
				 * document is not signed yet; 0 = approval (default) */
	struct cfg_strs parafs;	/* roles that must paraf, in this order (may be empty) */
	struct cfg_strs signed_by; /* roles or NIPs that may sign; empty = every signer */
	struct cfg_strs pds;	/* PDs that may submit it; empty = every PD */
	int line, col;
};

/*
 * An official: someone who may paraf (and, for a signer, sign).  The register
 * cfg->officials holds the entries of officials: and then one entry per
 * signer, built from its signers: entry (a signer is written once, there,
 * with optional roles and active).  A NIP appears once in the register.
 */
struct cfg_official {
	char *nip;		/* 18-digit NIP or 16-digit NIK, the key */
	char *name, *jabatan;
	struct cfg_strs roles;	/* e.g. kasubbag_umum, sekretaris */
	struct cfg_strs pds;	/* PDs whose documents they may paraf; "*" = every PD */
	int active;		/* 0: retired, moved, suspended: no paraf, no signature */
	int signer;		/* index into signers, or -1 */
	int line, col;
};

struct cfg_limits {
	long doc_cpu_seconds;		/* RLIMIT_CPU per document (default 30) */
	long doc_memory_mb;		/* RLIMIT_AS per worker (default 1024) */
	long doc_timeout_seconds;	/* wall clock per document (default 60) */
	int max_attempts;		/* worker crashes before a job fails (default 2) */
	long max_pdf_mb;		/* larger inputs are refused (default 200) */
	long bundle_max_entries;	/* default 1000 */
	long long bundle_max_bytes;	/* uncompressed, default 1 GiB */
	long sidecar_wait_seconds;	/* a PDF without sidecar is reported after (default 3600) */
	long settle_seconds;		/* batch mode skips files modified more recently (default 2) */
	int batch_size;			/* jobs per group commit (default 64) */
	/* `sertel prune`: files delivered to done/<pd>/ and failed/<pd>/ are
	 * removed after this many days (the store keeps the signed copy); 0: kept */
	long keep_done_days;
	long keep_failed_days;
};

/* One RFC 3161 time-stamping authority (timestamp.tsa[i]). */
struct cfg_tsa {
	char *url;		/* http:// or https://, never with credentials in it */
	long timeout_seconds;	/* the whole HTTP exchange (default 10) */
	long min_interval_ms;	/* at least this between two requests to this TSA, counted
				 * across every worker and sertel process (default 0) */
	char *username;		/* HTTP basic auth, with password_file; NULL = none */
	char *password_file;	/* absolute; its first line is the password */
	int line, col;		/* where the entry starts in sertel.yaml */
};

/* timestamp: PAdES B-T.  No TSA configured = no timestamps (B-B). */
struct cfg_timestamp {
	struct cfg_tsa *tsa;	/* tried in order */
	size_t ntsa;
	char **trust;		/* PEM anchors the TSA certificates must chain to, absolute */
	size_t ntrust;
	char *hash;		/* message imprint: "sha256" (default), "sha384" or "sha512" */
	long reserve_bytes;	/* room for the token in /Contents (default 8192) */
	int defer;		/* on_failure: sign_bb - no token: sign B-B, `sertel augment`
				 * adds it later (else: fail) */
};

/*
 * marks: the visual mark (QR code, barcode, image, text) drawn in the signed
 * revision.  A profile says what is drawn and where; rules pick a profile per
 * signer, then per document type, then the default.  No marks: section, or
 * no profile for a document: the signature stays invisible.
 */
enum cfg_mark_kind { MARK_QR, MARK_BARCODE, MARK_IMAGE, MARK_TEXT, MARK_NKINDS };

#define MARK_PAGE_LAST  0	/* cfg_mark.page: a page number (1-based) or one of these */
#define MARK_PAGE_EVERY (-1)
#define MARK_CORNER_TOP   1	/* cfg_mark.corner: bits */
#define MARK_CORNER_RIGHT 2

struct cfg_mark {
	char *name;		/* marks.profiles.<name> */
	enum cfg_mark_kind kind[MARK_NKINDS];	/* as listed in kinds:, left to right */
	int nkinds;
	int page;		/* >0 1-based, MARK_PAGE_LAST or MARK_PAGE_EVERY */
	int corner;		/* MARK_CORNER_* bits; 0 = bottom-left */
	int x, y;		/* points from the corner to the mark's nearest corner */
	int width, height;	/* the mark's box in points */
	char *anchor;		/* text to cover and place the mark at; NULL: corner */
	int anchor_fallback;	/* anchor missing: place at the corner instead of failing */
	int white;		/* background: white (the default; always under an anchor) */
	int qr_ecc;		/* 1..4 = L, M, Q, H */
	int barcode_height;	/* points of bars */
	char *image;		/* PNG or JPEG, absolute */
	char **lines;		/* text: templates with {name} {jabatan} {nip} {date} {time} {id}
				 * {instansi} {url}; "**...**" bold */
	size_t nlines;
	int font_size;		/* largest size tried, points; shrunk to fit down to 4 */
	int line, col;
};

struct cfg_mark_rule {
	char *key;		/* document type name or signer NIP */
	int profile;		/* index into profiles; -1: "none", no mark */
};

struct cfg_marks {
	char *url;		/* verification URL template with {id}, for qr */
	struct cfg_mark *profiles;
	size_t nprofiles;
	int dflt;		/* profile of documents no rule names; -1: none */
	struct cfg_mark_rule *by_type, *by_signer;
	size_t ntype, nsigner;
};

/* deletion: berita acara of deletion (Lampiran III), filed by records officers. */
struct cfg_deletion {
	int enabled;			/* the section is there: deletions may be filed */
	struct cfg_strs officer_roles;	/* an official holding one of these is a records officer */
	char *service_signer;		/* NIP of the signers: entry that signs for Diskominfo */
	char *number_format;		/* "NNN/Diskominfo/YYYY" (NNN: number in the year) */
	char *place;			/* where it is signed; NULL: location */
	char **letterhead;		/* lines on top of the berita acara; NULL: instansi */
	size_t nletterhead;
	int line, col;
};

/* certs: the Registration Authority's settings for certificate applications. */
struct cfg_certs {
	int enabled;			/* the section is there: `sertel cert` may be used */
	char *email_domain;		/* an applicant's official e-mail is at this domain */
	struct cfg_strs verifiers;	/* NIPs of who may verify, reject and revoke */
	int line, col;
};

/* pds: one of the district's PDs, and who may read and write its folders. */
struct cfg_pd {
	char *code;		/* its folder name: incoming/<code>, done/<code>, failed/<code> */
	char *group;		/* the group of its folders (its administrators); NULL: spool_group */
};

/* notify: refusals mailed to the PD's contact through the district's SMTP server. */
enum cfg_starttls { STARTTLS_OFF, STARTTLS_OPTIONAL, STARTTLS_REQUIRED };
struct cfg_notify_pd {
	char *pd;
	struct cfg_strs to;	/* addresses */
};
struct cfg_notify {
	char *smtp;		/* smtp://host[:port] or smtps://host[:port]; NULL: no notifications */
	char *from;		/* the sender address */
	char *username;		/* SMTP AUTH, with password_file; NULL = none */
	char *password_file;	/* absolute; its first line is the password */
	int starttls;		/* enum cfg_starttls, for smtp:// (default required) */
	long timeout_seconds;	/* one message's whole exchange (default 20) */
	struct cfg_notify_pd *pds;
	size_t npds;
	int line, col;		/* the section, 0 when absent */
};

/* web: `sertel serve`, the verification page the QR code leads to. */
enum cfg_web_nip { WEB_NIP_HIDDEN, WEB_NIP_MASKED, WEB_NIP_FULL };
struct cfg_web {
	char *listen;		/* "ADDR:PORT" (default 127.0.0.1:8480; behind a proxy) */
	char *public_url;	/* the URL before the ID (default: marks.url without {id}) */
	char *path;		/* its path, e.g. "/verifikasi/": where IDs are answered */
	int show_nip;		/* enum cfg_web_nip: masked by default */
	long rate_per_minute;	/* page requests per client and minute (default 60) */
	long min_response_ms;	/* every page takes at least this (default 20): no timing oracle */
	long timeout_seconds;	/* an idle or slow connection is closed (default 10) */
	long max_connections;	/* at once (default 256) */
	long per_ip_connections; /* at once from one address (default 16) */
	long max_upload_kb;	/* an uploaded PDF to check, at most (default 20480) */
	struct cfg_strs proxies; /* peers whose X-Forwarded-For names the client */
	struct cfg_strs report_from; /* clients that may read PATHlaporan (none: nobody) */
	int line, col;		/* the section, 0 when absent */
};

struct cfg {
	char *path;		/* the configuration file itself, absolute */
	char *instansi;		/* e.g. "Pemerintah Kabupaten Musi Rawas" */
	char *helpdesk;		/* the office administrators turn to, named in the advice
				 * of refusal reports (default "Diskominfo") */
	char *location;		/* /Location of signatures, default "Muara Beliti" */
	char *reason;		/* /Reason, default "Dokumen ditandatangani secara elektronik" */
	char *spool_dir;	/* absolute */
	char *state_dir;	/* absolute: sertel.db and store/ live here */
	int workers;		/* 0 = one per online CPU */
	char *digest;		/* "sha256" (default), "sha384" or "sha512" */
	int rsa_pss;		/* rsa_padding: pss (RSASSA-PSS) instead of pkcs1 (v1.5) */

	struct cfg_signer *signers;
	size_t nsigners;
	char **trust_anchors;	/* PEM files, absolute */
	size_t ntrust;
	struct cfg_doctype *doctypes;
	size_t ndoctypes;
	struct cfg_official *officials;	/* officials: then the signers (see above) */
	size_t nofficials;
	struct cfg_limits limits;
	struct cfg_timestamp timestamp;
	struct cfg_marks marks;
	struct cfg_deletion deletion;
	struct cfg_certs certs;
	struct cfg_web web;
	struct cfg_notify notify;
	/* pds: the district's PDs (optional): their folders made at start and on
	 * reload, other folder names in incoming/ refused; none: any valid name */
	struct cfg_pd *pds;
	size_t npds;
	char **pd_codes;	/* pds[i].code, as a list (borrowed) */
	char *spool_group;	/* the group of the spool's folders; NULL: sertel's own */
};

/*
 * cfg_load - parse and validate path.  On failure returns NULL and fills e
 * with a config.* code, the key path in e->field and the line:column.
 */
struct cfg *cfg_load(const char *path, struct err *e);
void cfg_free(struct cfg *c);

/* cfg_signer_find - the signers: entry for nip, or NULL. */
const struct cfg_signer *cfg_signer_find(const struct cfg *c, const char *nip);

/*
 * cfg_nip_check - the one place the NIP/NIK format rule lives (the sidecar
 * reader uses it too): 0, or -1 with why completed by the caller's field name,
 * e.g. "is 17 digits long, expected an 18-digit NIP or a 16-digit NIK".
 */
int cfg_nip_check(const char *id, char *why, size_t whylen);
/* cfg_is_nip - s is all digits: a NIP or NIK (format unchecked) where a role may stand. */
int cfg_is_nip(const char *s);
/* cfg_doctype_find - the document type called name, or NULL. */
const struct cfg_doctype *cfg_doctype_find(const struct cfg *c, const char *name);
/* cfg_mark_has - profile m draws kind k. */
int cfg_mark_has(const struct cfg_mark *m, enum cfg_mark_kind k);
/* cfg_mark_for - the mark profile of a document (signer rule, type rule, default), or NULL. */
const struct cfg_mark *cfg_mark_for(const struct cfg *c, const char *type, const char *signer);

/* cfg_official_find - the register entry for nip (officials or signers), or NULL. */
const struct cfg_official *cfg_official_find(const struct cfg *c, const char *nip);
/* cfg_strs_has - s is in l. */
int cfg_strs_has(const struct cfg_strs *l, const char *s);
/* cfg_pd_group - the group of pd's folders (its own, else spool_group), or NULL. */
const char *cfg_pd_group(const struct cfg *c, const char *pd);
/* cfg_official_in_pd - o may paraf documents of pd. */
int cfg_official_in_pd(const struct cfg_official *o, const char *pd);
/* cfg_doctype_may_sign - o (a signer's register entry) may sign documents of dt. */
int cfg_doctype_may_sign(const struct cfg_doctype *dt, const struct cfg_official *o);
/* cfg_doctype_from_pd - documents of dt may come from pd. */
int cfg_doctype_from_pd(const struct cfg_doctype *dt, const char *pd);
/* cfg_strs_join - l as "a, b, c" into buf (empty: none). */
const char *cfg_strs_join(const struct cfg_strs *l, const char *sep, const char *none, char *buf,
			  size_t cap);

#endif
