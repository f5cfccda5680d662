/*
 * validate.c - the validate stage: is this a PDF we can sign, was this exact
 * file approved (paraf'd) as its type requires, and can its signer sign now?
 *
 * Every check runs even after one fails, so the report lists all problems
 * and the administrator can fix them in one go.  The approval rules live in
 * paraf.c; this file adds what needs the PDF and the keys: the PDF opens,
 * the signer's keystore is loaded and its certificate is valid and not
 * revoked at signing time, and (certs: configured) the certificate
 * registry lets it sign.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>
#include <openssl/x509.h>

#include "../base/hex.h"
#include "../base/text.h"
#include "../config/cfg.h"
#include "../pki/registry.h"
#include "paraf/embedded.h"
#include "paraf/paraf.h"
#include "pdf/docmdp.h"
#include "pdf/encrypted.h"
#include "pdf/inspect.h"
#include "pdf/sniff.h"
#include "pdf/walk.h"
#include "stage.h"

/* copy - bounded string copy into an outcome field ("" for NULL). */
#define copy(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

/* ends_with_eof - "%%EOF" in the last 1024 bytes of p (ISO 32000-1 7.5.5 asks for it at the end; writers add a line break or a little padding). */
static int
ends_with_eof(const unsigned char *p, size_t len)
{
	size_t from = len > 1024 ? len - 1024 : 0;

	return memmem(p + from, len - from, "%%EOF", 5) != NULL;
}

/* open_pdf - parse the PDF with MuPDF; fills d->pdoc or adds an error. */
static void
open_pdf(struct doc *d)
{
	fz_context *ctx = d->ctx;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	const char *code = NULL, *chain;
	char msg[300] = "";
	const char *part = NULL;
	struct inspect_log log;

	fz_var(stm);
	fz_var(doc);
	fz_var(code);
	fz_var(part);
	inspect_listen(ctx, &log);
	fz_var(chain);
	fz_try(ctx) {
		/* from the bytes, before MuPDF reads them: a table naming more
		 * objects than the file holds would cost an entry each there */
		chain = inspect_xref_chain(d->pdf, d->len, msg, sizeof msg);
		if (chain && !strcmp(chain, "pdf.corrupt"))
			fz_throw(ctx, FZ_ERROR_GENERIC, "%s", msg);
		stm = fz_open_memory(ctx, d->pdf, d->len);
		doc = pdf_open_document_with_stream(ctx, stm);
		/* one that opens without a password and allows signing goes on (encrypted.h) */
		if (encrypted_refusal(ctx, doc, msg, sizeof msg) != NULL)
			code = "pdf.encrypted";
		else if ((code = chain) != NULL)
			;	/* before the page count: MuPDF repaired what the loop hid */
		else if (pdf_count_pages(ctx, doc) < 1)
			code = "pdf.corrupt", snprintf(msg, sizeof msg, "PDF tidak memiliki halaman");
		else if (pdf_was_repaired(ctx, doc))
			code = "pdf.corrupt",
			snprintf(msg, sizeof msg, "tabel referensi silang (xref) rusak atau berkas terpotong");
		else {
			/* The mark and sign stages number pages by the tree's /Count;
			 * viewers walk the form as a tree (walk.h). */
			part = "pohon halaman (page tree)";
			walk_pages_check(ctx, doc);
			part = "formulir (AcroForm)";
			walk_fields_check(ctx, doc);
			part = NULL;
			code = inspect_document(ctx, doc, d->pdf, d->len, &log, msg, sizeof msg);
		}
	}
	fz_always(ctx) {
		fz_drop_stream(ctx, stm);
		inspect_unlisten(ctx, &log);
	}
	fz_catch(ctx) {
		code = "pdf.corrupt";
		snprintf(msg, sizeof msg, "%s%s%s", part ? part : "", part ? " rusak: " : "",
			 fz_caught_message(ctx));
	}
	/* a file cut short (an upload that stopped between chunks) has no %%EOF
	 * at its end: say so, since the paraf'd file itself is sound */
	if (code && !strcmp(code, "pdf.corrupt") && !ends_with_eof(d->pdf, d->len)) {
		code = "pdf.incomplete";
		snprintf(msg, sizeof msg, "berkas berakhir tanpa penanda %%%%EOF setelah %zu byte: "
			 "unggahannya terputus", d->len);
	}
	if (code) {
		errs_addf(&d->errs, code, "", 0, 0, "%s: %s", d->job->pdf, msg);
		pdf_drop_document(ctx, doc);
		return;
	}
	d->pdoc = doc;
}

/*
 * certified_locked - a certification signature with DocMDP P=1 permits no
 * change at all: a new signature would break it (ISO 32000-1 12.8.2.2).
 */
static void
certified_locked(struct doc *d)
{
	fz_context *ctx = d->ctx;
	int locked = 0;

	fz_var(locked);
	fz_try(ctx)
		locked = docmdp_level(ctx, d->pdoc) == 1;
	fz_catch(ctx)
		locked = 0;	/* unreadable: the sign stage's own check decides */
	if (locked)
		errs_addf(&d->errs, "pdf.certified_locked", "", 0, 0, "%s disertifikasi tanpa izin "
			  "perubahan apa pun (DocMDP P=1)", d->job->pdf);
}

/* check_count - the outcome record holds at most OUTCOME_MAX_PARAFS parafs. */
static void
check_count(struct doc *d)
{
	if (d->sc.nparafs > OUTCOME_MAX_PARAFS)
		errs_addf(&d->errs, "sidecar.value", "parafs", d->sc.at_parafs.line,
			  d->sc.at_parafs.col, "paling banyak %d paraf per dokumen, ditemukan %zu",
			  OUTCOME_MAX_PARAFS, d->sc.nparafs);
}

/* asn1_date - YYYY-MM-DD of an ASN.1 time. */
static void
asn1_date(const ASN1_TIME *t, char *buf, size_t cap)
{
	struct tm tm;

	if (ASN1_TIME_to_tm(t, &tm) == 1)
		strftime(buf, cap, "%Y-%m-%d", &tm);
	else
		snprintf(buf, cap, "?");
}

/*
 * check_registry - signing obeys the certificate registry: the keystore's
 * certificate (by issuer and serial) is there, issued and within its
 * validity.  A registry that cannot be read now makes the document wait.
 */
static void
check_registry(struct doc *d, int i)
{
	char msg[300];
	const char *code;

	if (registry_fresh(d->registry, d->cfg, d->signers, d->now) < 0) {
		errs_add(&d->errs, &d->registry->err);
		return;
	}
	if ((code = registry_refusal(d->registry, d->signers, i, d->now, msg, sizeof msg)))
		errs_addf(&d->errs, code, "signer", d->sc.at_signer.line, d->sc.at_signer.col,
			  "%s: %s", d->sc.signer, msg);
}

/*
 * check_key - the signer's keystore opened, its certificate valid and not
 * revoked at signing time.  Whether the signer is configured, active and
 * allowed for the type is paraf.c's (signer.unknown is reported there).
 */
static void
check_key(struct doc *d)
{
	int i = signers_find(d->signers, d->sc.signer);
	char when[40];
	time_t at;
	X509 *cert;

	d->signer = i;
	if (i < 0)
		return;
	if (!d->signers->keys[i].pkey) {
		struct err e = d->signers->errs[i];
		err_at(&e, "signer", d->sc.at_signer.line, d->sc.at_signer.col);
		errs_add(&d->errs, &e);
		return;
	}
	cert = d->signers->keys[i].cert;
	if (d->registry && d->registry->on)
		check_registry(d, i);	/* the registry's dates are the certificate's */
	else if (X509_cmp_time(X509_get0_notBefore(cert), &d->now) > 0 ||
	    X509_cmp_time(X509_get0_notAfter(cert), &d->now) < 0) {
		char from[16], to[16];
		asn1_date(X509_get0_notBefore(cert), from, sizeof from);
		asn1_date(X509_get0_notAfter(cert), to, sizeof to);
		errs_addf(&d->errs, "signer.cert_invalid", "signer", d->sc.at_signer.line,
			  d->sc.at_signer.col, "sertifikat %s (serial %s) berlaku dari %s sampai %s, "
			  "tidak pada waktu penandatanganan", d->sc.signer, d->signers->keys[i].serial,
			  from, to);
	}
	if (signers_revoked(d->signers, i, d->now, &at)) {
		text_time_wib(when, sizeof when, at);
		errs_addf(&d->errs, "signer.cert_invalid", "signer", d->sc.at_signer.line,
			  d->sc.at_signer.col, "sertifikat %s (serial %s) telah dicabut pada %s "
			  "(CRL di antara trust anchor)", d->sc.signer, d->signers->keys[i].serial, when);
	}
}

/* fill_outcome - what the database will record about this document. */
static void
fill_outcome(struct doc *d, const unsigned char sha[32], const unsigned char msha[32])
{
	struct outcome *o = d->out;
	size_t i;

	hex_encode(sha, 32, o->sha_orig);
	hex_encode(msha, 32, o->sha_meta);
	o->size_orig = (long long)d->len;
	copy(o->type, d->sc.type);
	copy(o->number, d->sc.number);
	copy(o->subject, d->sc.subject);
	copy(o->signer_nip, d->sc.signer);
	if (d->signer >= 0) {
		copy(o->signer_name, d->signers->cfg[d->signer].name);
		/* what the mark names (mark.c): the registry's jabatan at signing */
		copy(o->signer_jabatan, registry_jabatan(d->registry, d->signer, d->now,
							 d->signers->cfg[d->signer].jabatan));
	}
	for (i = 0; i < d->sc.nparafs && i < OUTCOME_MAX_PARAFS; i++) {
		const struct paraf *p = &d->sc.parafs[i];
		struct outcome_paraf *q = &o->parafs[i];
		copy(q->nip, p->nip);
		copy(q->name, p->name);
		copy(q->role, p->role);
		copy(q->time, p->time);
		copy(q->note, p->note);
		hex_encode(p->sha256, 32, q->sha256);
	}
	o->nparafs = (int)i;
}

/*
 * find_embedded - no sidecar file came with the PDF: the metadata attached to
 * it, whose parafs approved the bytes before the attaching revision (*approved).
 */
static void
find_embedded(struct doc *d, size_t *approved, size_t *bare)
{
	struct embedded em;
	int rc = d->pdoc ? embedded_load(d->ctx, d->pdoc, d->pdf, d->len, &em, &d->errs) : 0;

	if (rc == 0)
		errs_addf(&d->errs, "sidecar.missing", "", 0, 0, "%s tidak disertai metadata paraf "
			  "(%s.yaml) dan tidak memuat lampiran %s", d->job->pdf, d->job->stem,
			  SPOOL_EMBEDDED_NAME);
	if (rc != 1)
		return;
	d->embedded = em.yaml;
	d->meta = em.yaml;
	d->metalen = em.len;
	*approved = em.approved;
	*bare = em.bare;
}

/*
 * approved_sha - the SHA-256 of the bytes the parafs approved: the whole
 * file, or with embedded metadata the file before the attaching revision,
 * with or without the end of line its writer may have added after %%EOF
 * (whichever the first paraf names).
 */
static void
approved_sha(const struct doc *d, const unsigned char whole[32], size_t approved, size_t bare,
	     unsigned char out[32])
{
	if (approved == d->len) {
		memcpy(out, whole, 32);
		return;
	}
	if (bare != approved && d->sc.nparafs > 0) {
		SHA256(d->pdf, bare, out);
		if (memcmp(out, d->sc.parafs[0].sha256, 32) == 0)
			return;
	}
	SHA256(d->pdf, approved, out);
}

/*
 * cut_short - a PDF cut short (pdf.incomplete) cannot match the hash its
 * parafs approved, which was the whole file's: that finding would send the
 * office for a new paraf when the upload only has to be made again whole.
 */
static void
cut_short(struct errs *errs)
{
	int i, k, cut = 0;

	for (i = 0; i < errs->n; i++)
		cut |= errs->v[i].code && !strcmp(errs->v[i].code, "pdf.incomplete");
	if (!cut)
		return;
	for (i = k = 0; i < errs->n; i++)
		if (!errs->v[i].code || strcmp(errs->v[i].code, "paraf.hash_mismatch"))
			errs->v[k++] = errs->v[i];
	errs->n = k;
}

static int
validate_run(struct doc *d)
{
	unsigned char sha[32], msha[32], asha[32];
	long max = d->cfg->limits.max_pdf_mb;
	struct paraf_env env;
	char label[NAME_MAX + 64];
	size_t approved, bare = 0;

	d->signer = -1;
	SHA256(d->pdf, d->len, sha);
	approved = d->len;
	if (max > 0 && d->len > (size_t)max * 1024 * 1024)
		errs_addf(&d->errs, "pdf.too_large", "", 0, 0, "%s berukuran %zu byte, batasnya %ld MiB",
			  d->job->pdf, d->len, max);
	else if (!sniff_pdf(d->pdf, d->len))
		errs_addf(&d->errs, "pdf.not_pdf", "", 0, 0, "%s tidak diawali penanda %%PDF-",
			  d->job->pdf);
	else
		open_pdf(d);
	if (!d->meta)
		find_embedded(d, &approved, &bare);
	SHA256((const unsigned char *)(d->meta ? d->meta : ""), d->metalen, msha);
	if (d->pdoc)
		certified_locked(d);
	/* Policy checks run on whatever the sidecar gave, even when parts of it
	 * were wrong, so one report lists every problem. */
	if (d->meta)
		sidecar_parse(d->meta, d->metalen, &d->sc, &d->errs);
	approved_sha(d, sha, approved, bare, asha);
	snprintf(label, sizeof label, approved == d->len ? "%s" : "%s (sebelum lampiran %s)",
		 d->job->pdf, SPOOL_EMBEDDED_NAME);
	env = (struct paraf_env){ .cfg = d->cfg, .pd = d->job->pd[0] ? d->job->pd : NULL,
				  .sha256 = asha,
				  .pdf = label, .now = d->now, .dropped = d->job->claimed };
	paraf_check(&env, &d->sc, &d->errs);
	cut_short(&d->errs);
	check_count(d);
	if (d->sc.signer)
		check_key(d);
	/* top to bottom, as the administrator reads the sidecar (PDF problems first) */
	errs_sort(&d->errs, 0);
	fill_outcome(d, sha, msha);
	return d->errs.n || d->errs.dropped ? -1 : 0;
}

/* validate_clear - the parsed PDF and sidecar, and the metadata found inside the PDF. */
static void
validate_clear(struct doc *d)
{
	pdf_drop_document(d->ctx, d->pdoc);
	d->pdoc = NULL;
	sidecar_free(&d->sc);
	if (d->meta == d->embedded) {
		d->meta = NULL;
		d->metalen = 0;
	}
	free(d->embedded);
	d->embedded = NULL;
}

/* validate_init - the worker's copy of the certificate registry, read now (registry.h). */
static int
validate_init(struct stage_env *env)
{
	if (!(env->registry = calloc(1, sizeof *env->registry)))
		return -1;
	/* a failed reading is tried again at the first document (registry_fresh) */
	registry_read(env->registry, env->cfg, env->signers, time(NULL));
	return 0;
}

static void
validate_fini(struct stage_env *env)
{
	if (env->registry)
		registry_free(env->registry);
	free(env->registry);
	env->registry = NULL;
}

const struct stage stage_validate = { STEP_VALIDATE, validate_init, validate_fini, validate_run,
				      validate_clear };
