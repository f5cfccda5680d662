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

#include "../config/cfg.h"
#include "../pipeline/hex.h"
#include "pades.h"
#include "stage.h"
#include "timestamp.h"

static int
sign_run(struct doc *d)
{
	const struct cfg_signer *s = &d->signers->cfg[d->signer];
	const struct signer_key *k = &d->signers->keys[d->signer];
	struct pades_request rq;
	struct pades_result res;
	char out[JOBID_LEN + 16];
	struct err e;
	int fd, rc;

	memset(&rq, 0, sizeof rq);
	rq.pdf = d->pdf;
	rq.len = d->len;
	rq.key = k;
	rq.doc_id = d->job->id;
	rq.name = s->name;
	rq.reason = d->cfg->reason;
	rq.location = d->cfg->location;
	rq.when = d->now;
	rq.md = EVP_get_digestbyname(d->cfg->digest ? d->cfg->digest : "sha256");
	/* B-T when TSAs are configured: a NULL client (out of memory) then
	 * refuses in tsa_stamp, never silently signs B-B. */
	if (d->cfg->timestamp.ntsa > 0) {
		rq.timestamp = tsa_stamp;
		rq.timestamp_arg = d->tsa;
		rq.reserve = (size_t)d->cfg->timestamp.reserve_bytes;
	}
	/* Signed in place: the revision is appended to the claimed file itself,
	 * which is what an incremental update is.  No copy, no new file.  An
	 * attempt cut short is undone by spool_restore_input before the next. */
	rq.append = 1;
	spool_qname(out, sizeof out, d->job->id, "pdf");
	fd = openat(d->queue_fd, out, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		errs_addf(&d->errs, "io.error", "", 0, 0, "queue/%s: %s", out, strerror(errno));
		return -1;
	}
	rc = pades_sign(d->ctx, d->pdoc, &rq, fd, &res, &e);
	if (rc < 0 && ftruncate(fd, (off_t)d->len) < 0)
		errs_addf(&d->errs, "io.error", "", 0, 0, "queue/%s: cannot cut back to the "
			  "original: %s", out, strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = err_set(&e, "io.error", "queue/%s: %s", out, strerror(errno));
	if (rc < 0) {
		errs_add(&d->errs, &e);
		return -1;
	}
	hex_encode(res.sha256, 32, d->out->sha_signed);
	d->out->size_signed = (long long)res.size;
	d->out->signed_at = (long long)d->now;
	snprintf(d->out->cert_serial, sizeof d->out->cert_serial, "%s", k->serial);
	return 0;
}

const struct stage stage_sign = { "sign", "tanda tangan", sign_run };
