/*
 * sign.c - the sign stage: PAdES signature of the validated document into
 * queue/<id>/signed.pdf.  The writer itself is pades.c; this stage chooses
 * what goes into the signature dictionary.
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

static int
sign_run(struct doc *d)
{
	const struct cfg_signer *s = &d->signers->cfg[d->signer];
	const struct signer_key *k = &d->signers->keys[d->signer];
	struct pades_request rq;
	struct pades_result res;
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
	fd = openat(d->jobfd, "signed.pdf", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		    0640);
	if (fd < 0) {
		errs_addf(&d->errs, "io.error", "", 0, 0, "queue/%s/signed.pdf: %s", d->job->id,
			  strerror(errno));
		return -1;
	}
	rc = pades_sign(d->ctx, d->pdoc, &rq, fd, &res, &e);
	if (close(fd) < 0 && rc == 0)
		rc = err_set(&e, "io.error", "queue/%s/signed.pdf: %s", d->job->id, strerror(errno));
	if (rc < 0) {
		unlinkat(d->jobfd, "signed.pdf", 0);
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
