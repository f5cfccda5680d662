/*
 * sign.c - the sign stage: PAdES signature of the validated document,
 * appended to queue/<id>.pdf.  The writer itself is pades.c; this stage chooses
 * what goes into the signature dictionary, and whether an RFC 3161 timestamp
 * (timestamp.c) makes it B-T.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../base/hex.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../pki/keyclient.h"
#include "../pki/tsa.h"
#include "../spool/fsutil.h"
#include "mark.h"
#include "pdf/accept.h"
#include "pdf/pades.h"
#include "pdf/verify.h"
#include "pdf/verify_certs.h"
#include "stage.h"

/*
 * self_check - sign, then verify, then release: the signed file (fd, size
 * bytes) goes through sertel verify's checks, and the job moves on only when
 * it passes the acceptance rule (accept.h).  The new signature must chain to
 * the anchors when trust: names some, and carry a valid timestamp when
 * stamped (B-T).
 */
static int
self_check(struct doc *d, int fd, size_t size, int stamped, struct err *e)
{
	struct verify_opts vo;
	struct verify_report r;
	const unsigned char *m;
	int rc;

	if (fs_map_fd(fd, size, &m) < 0)
		return err_set(e, err_io_code(errno), "reading the signed file back: %s",
			       strerror(errno));
	memset(&vo, 0, sizeof vo);
	vo.anchors = d->signers->anchors;
	vo.now = d->now;
	vo.certs = d->certs;	/* the signer's chain, parsed once per worker */
	if (verify_pdf(d->ctx, m, size, &vo, &r) < 0) {
		fs_unmap(m, size);
		verify_report_free(&r);
		return err_set(e, "sign.failed", "own verification: out of memory");
	}
	fs_unmap(m, size);
	rc = accept_signed(&r, d->job->id, d->cfg->ntrust > 0, stamped, NULL, e);
	verify_report_free(&r);
	return rc;
}

/*
 * stamp_or_defer - the worker's TSA client; with timestamp.on_failure: sign_bb
 * a failure defers the timestamp (B-B now, `sertel augment` adds it) instead
 * of failing the document.
 */
static int
stamp_or_defer(void *arg, const unsigned char *sig, size_t siglen, unsigned char **token,
	       size_t *tokenlen, struct err *e)
{
	struct doc *d = arg;

	if (tsa_stamp(d->tsa, sig, siglen, token, tokenlen, e) == 0)
		return 0;
	if (!d->cfg->timestamp.defer)
		return -1;
	log_warn(d->job->id, "timestamp deferred, signed B-B for `sertel augment`: %s: %s",
		 e->code, e->detail);
	return 1;
}

/* key_sign - the key process signs the signed attributes (pades_sign_fn). */
static int
key_sign(void *arg, const EVP_MD *md, int pss, const unsigned char *tbs, size_t tbslen,
	 unsigned char **sig, size_t *siglen, struct err *e)
{
	struct doc *d = arg;

	return keyclient_sign(d->keys, d->signer, md, pss, tbs, tbslen, sig, siglen, e);
}

static int
sign_run(struct doc *d)
{
	const struct cfg_signer *s = &d->signers->cfg[d->signer];
	const struct signer_key *k = &d->signers->keys[d->signer];
	const struct cfg_doctype *dt;
	struct pades_request rq;
	struct pades_result res;
	char out[JOBID_LEN + 16];
	struct err e;
	int fd, rc;

	memset(&rq, 0, sizeof rq);
	rq.pdf = d->pdf;
	rq.len = d->len;
	rq.key = k;
	if (d->keys) {	/* the worker has the certificate and public key only */
		rq.sign = key_sign;
		rq.sign_arg = d;
	}
	rq.doc_id = d->job->id;
	rq.name = s->name;
	rq.reason = d->cfg->reason;
	rq.location = d->cfg->location;
	rq.when = d->now;
	rq.md = EVP_get_digestbyname(d->cfg->digest ? d->cfg->digest : "sha256");
	rq.pss = d->cfg->rsa_pss;
	dt = d->sc.type ? cfg_doctype_find(d->cfg, d->sc.type) : NULL;
	rq.certify = dt ? dt->certify : 0;
	/* B-T when TSAs are configured: a NULL client (out of memory) then
	 * refuses in tsa_stamp, never silently signs B-B. */
	if (d->cfg->timestamp.ntsa > 0) {
		rq.timestamp = stamp_or_defer;
		rq.timestamp_arg = d;
		rq.reserve = (size_t)d->cfg->timestamp.reserve_bytes;
	}
	/* the visual mark, drawn by the mark stage, inside the signed revision */
	if (d->mark) {
		rq.appearance = mark_appearance;
		rq.appearance_arg = d->mark;
	}
	/* Signed in place: the revision is appended to the claimed file itself,
	 * which is what an incremental update is.  No copy, no new file.  An
	 * attempt cut short is undone by spool_restore_input before the next. */
	rq.append = 1;
	spool_qname(out, sizeof out, d->job->id, "pdf");
	fd = openat(d->queue_fd, out, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		errs_addf(&d->errs, err_io_code(errno), "", 0, 0, "queue/%s: %s", out,
			  strerror(errno));
		return -1;
	}
	rc = pades_sign(d->ctx, d->pdoc, &rq, fd, &res, &e);
	if (rc == 0)
		rc = self_check(d, fd, res.size, d->cfg->timestamp.ntsa > 0 && !res.deferred, &e);
	/* signed but not handed out, and not cut back: it waits in queue/ (the
	 * next attempt's spool_restore_input cuts it), never refused like that */
	if (rc < 0 && ftruncate(fd, (off_t)d->len) < 0)
		errs_addf(&d->errs, ERR_RETRY, "", 0, 0, "queue/%s: cannot cut back to the "
			  "original: %s", out, strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = err_set(&e, err_io_code(errno), "queue/%s: %s", out, strerror(errno));
	if (rc < 0) {
		errs_add(&d->errs, &e);
		return -1;
	}
	hex_encode(res.sha256, 32, d->out->sha_signed);
	d->out->size_signed = (long long)res.size;
	d->out->signed_at = (long long)d->now;
	d->out->timestamp_pending = res.deferred;
	snprintf(d->out->cert_serial, sizeof d->out->cert_serial, "%s", k->serial);
	return 0;
}

/*
 * sign_init - the worker's RFC 3161 client, after the fork: libcurl is
 * initialized per process, and one handle per worker keeps its connection to
 * the TSA from document to document; and the certificates its own
 * verification has parsed (the signer's chain is in every signature).
 */
static int
sign_init(struct stage_env *env)
{
	env->tsa = tsa_client_new(env->cfg);
	env->certs = verify_certcache_new();	/* NULL (out of memory): parsed each time */
	return 0;
}

/* sign_fini - close the TSA client, drop the certificates. */
static void
sign_fini(struct stage_env *env)
{
	tsa_client_free(env->tsa);
	env->tsa = NULL;
	verify_certcache_free(env->certs);
	env->certs = NULL;
}

const struct stage stage_sign = { STEP_SIGN, sign_init, sign_fini, sign_run, NULL };
