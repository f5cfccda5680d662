/*
 * selfsign.c - what sertel writes itself, signed by the service signer
 * (see selfsign.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../base/hex.h"
#include "../config/cfg.h"
#include "../pki/keyclient.h"
#include "../pki/signers.h"
#include "../pki/tsa.h"
#include "../spool/fsutil.h"
#include "../spool/store.h"
#include "../stages/mark.h"
#include "../stages/pdf/layout.h"
#include "../stages/pdf/pades.h"
#include "../stages/stage.h"
#include "selfsign.h"

/*
 * The mark when no marks: rule names the service signer: its text in the
 * lower right corner of the last page (the layouts leave it empty).
 */
static char *const fallback_lines[] = {
	"Ditandatangani secara elektronik oleh", "**{name}**", "{jabatan}", "NIP {nip}",
	"{date} {time}", "ID {id}",
};
static const struct cfg_mark fallback = {
	"layanan", { MARK_TEXT }, 1, MARK_PAGE_LAST, MARK_CORNER_RIGHT, 60, 50, 250, 80,
	NULL, 0, 0, 2, 0, NULL, (char **)fallback_lines, 6, 9, 0, 0,
};

/* Where this process's signatures come from (selfsign_through); kc NULL: the keystore. */
static struct {
	struct keyclient *kc;
	int signer;
	const struct signer_key *key;
} through;

void
selfsign_through(struct keyclient *kc, int signer, const struct signer_key *key)
{
	through.kc = kc;
	through.signer = signer;
	through.key = key;
}

/* key_sign - the key process signs the signed attributes (pades_sign_fn). */
static int
key_sign(void *arg, const EVP_MD *md, int pss, const unsigned char *tbs, size_t tbslen,
	 unsigned char **sig, size_t *siglen, struct err *e)
{
	(void)arg;
	return keyclient_sign(through.kc, through.signer, md, pss, tbs, tbslen, sig, siglen, e);
}

/* The TSA client, and whether timestamp.on_failure: sign_bb. */
struct stamper {
	struct tsa_client *tsa;
	int defer;
	const char *what;
};

/* stamp - a pades_timestamp_fn: the token, or (deferring) 1 for B-B now, augment later. */
static int
stamp(void *arg, const unsigned char *sig, size_t siglen, unsigned char **token,
      size_t *tokenlen, struct err *e)
{
	const struct stamper *st = arg;

	if (tsa_stamp(st->tsa, sig, siglen, token, tokenlen, e) == 0)
		return 0;
	if (!st->defer)
		return -1;
	fprintf(stderr, "sertel: %s: timestamp deferred, signed B-B for `sertel augment`: %s: %s\n",
		st->what, e->code, e->detail);
	return 1;
}

/* sign - doc (rq's bytes) signed by signer i of set into fd. */
static int
sign(fz_context *ctx, const struct cfg *c, const struct signer_set *set, int i,
     pdf_document *doc, const struct selfsign *rq, int fd, struct selfsign_result *r,
     struct err *e)
{
	const struct cfg_signer *s = &set->cfg[i];
	const struct cfg_mark *m = cfg_mark_for(c, NULL, s->nip);
	struct pades_request pr;
	struct pades_result res;
	struct stamper st = { NULL, 0, rq->what };
	struct job j;
	struct doc dd;
	int rc;

	memset(&j, 0, sizeof j);
	if (jobid_new(j.id) < 0)
		return err_set(e, "sign.failed", "no random ID for the %s", rq->what);
	memcpy(r->id, j.id, sizeof r->id);
	memset(&dd, 0, sizeof dd);
	dd.cfg = c;
	dd.signers = set;
	dd.ctx = ctx;
	dd.job = &j;
	dd.pdf = rq->pdf;
	dd.len = rq->len;
	dd.pdoc = doc;
	dd.now = (time_t)rq->at;
	dd.signer = i;
	dd.sc.signer = (char *)s->nip;
	if (!(dd.marks = mark_cache_new()))
		return err_set(e, "sign.failed", "out of memory");
	/* a profile placed over anchor text has nothing to find in what sertel wrote */
	if (m && m->anchor)
		m = NULL;
	if (mark_prepare(&dd, m ? m : &fallback) < 0) {
		rc = err_set(e, dd.errs.n ? dd.errs.v[0].code : "sign.failed", "%s",
			     dd.errs.n ? dd.errs.v[0].detail : "drawing the mark");
		goto out;
	}
	memset(&pr, 0, sizeof pr);
	pr.pdf = rq->pdf;
	pr.len = rq->len;
	pr.key = &set->keys[i];
	if (through.kc)
		pr.sign = key_sign;
	pr.doc_id = j.id;
	pr.name = s->name;
	pr.reason = rq->reason;
	pr.location = rq->location ? rq->location : c->location;
	pr.when = dd.now;
	pr.md = EVP_get_digestbyname(c->digest ? c->digest : "sha256");
	pr.pss = c->rsa_pss;
	pr.appearance = dd.mark ? mark_appearance : NULL;
	pr.appearance_arg = dd.mark;
	/* B-T like a signing job when TSAs are configured (deferred the same way) */
	if (c->timestamp.ntsa > 0) {
		st.tsa = tsa_client_new(c);
		st.defer = c->timestamp.defer;
		pr.timestamp = stamp;
		pr.timestamp_arg = &st;
		pr.reserve = (size_t)c->timestamp.reserve_bytes;
	}
	if ((rc = pades_sign(ctx, doc, &pr, fd, &res, e)) == 0) {
		hex_encode(res.sha256, sizeof res.sha256, r->sha256);
		r->size = res.size;
		r->deferred = res.deferred;
	}
	tsa_client_free(st.tsa);
out:
	mark_plan_free(ctx, dd.mark);
	mark_cache_free(ctx, dd.marks);
	return rc;
}

/* keep - the signed file (fd, r->size bytes) into the store too; r->store its path. */
static int
keep(const struct cfg *c, int fd, struct selfsign_result *r, struct err *e)
{
	const unsigned char *m;
	struct store st;
	int sfd, rc;

	if ((sfd = open(c->state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, "io.error", "%s: %s", c->state_dir, strerror(errno));
	if (fs_map_fd(fd, r->size, &m) < 0) {
		close(sfd);
		return err_set(e, "io.error", "reading the signed file back: %s", strerror(errno));
	}
	store_init(&st, sfd);
	rc = store_put(&st, r->sha256, m, r->size, r->store, sizeof r->store);
	if (rc < 0)
		err_set(e, "io.error", "the store: %s", strerror(errno));
	store_close(&st);
	fs_unmap(m, r->size);
	close(sfd);
	return rc;
}

/* release - set as selfsign_make made it: a borrowed key (selfsign_through) stays. */
static void
release(struct signer_set *set)
{
	if (!through.kc)
		signers_free(set);
}

int
selfsign_make(const struct cfg *c, const struct selfsign *rq, int dirfd, const char *tmp,
	      struct selfsign_result *r, struct err *e)
{
	const struct cfg_signer *s = c->deletion.service_signer ?
				     cfg_signer_find(c, c->deletion.service_signer) : NULL;
	fz_context *ctx;
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	struct signer_set set;
	struct cfg one;
	int fd = -1, rc = -1;

	memset(r, 0, sizeof *r);
	if (!s)
		return err_set(e, "signer.unknown", "the service signer (deletion.service_signer) %s "
			       "is not among signers:", c->deletion.service_signer ?
			       c->deletion.service_signer : "is not configured and");
	memset(&set, 0, sizeof set);
	if (through.kc) {
		/* the key process signs; the configuration read now must still
		 * name the signer the worker's certificate is for */
		if (through.signer != (int)(s - c->signers))
			return err_set(e, ERR_RETRY, "the configuration changed since the service "
				       "started; it is tried again after `sertel` reloads it");
		set.n = 1;
		set.cfg = s;
		set.keys = (struct signer_key *)through.key;	/* borrowed: see release */
	} else {
		/* only the service signer's keystore is opened (the others are not needed) */
		one = *c;
		one.signers = (struct cfg_signer *)s;
		one.nsigners = 1;
		if (signers_load(&one, &set) < 0)
			return err_set(e, "sign.failed", "out of memory");
	}
	if (!set.keys[0].pkey) {
		rc = err_set(e, set.errs[0].code, "the service signer: %s", set.errs[0].detail);
		release(&set);
		return rc;
	}
	if (!(ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT))) {
		release(&set);
		return err_set(e, "sign.failed", "out of memory");
	}
	fz_var(stm);
	fz_var(doc);
	fz_var(rc);
	fz_var(fd);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, rq->pdf, rq->len);
		doc = pdf_open_document_with_stream(ctx, stm);
		fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
		if (fd < 0)
			rc = err_set(e, "io.error", "%s: %s", tmp, strerror(errno));
		else
			rc = sign(ctx, c, &set, 0, doc, rq, fd, r, e);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		rc = err_set(e, "sign.failed", "the %s PDF: %s", rq->what, fz_caught_message(ctx));
	if (fd >= 0) {
		if (rc == 0)
			rc = keep(c, fd, r, e);
		close(fd);
	}
	if (rc == 0) {
		snprintf(r->signer_nip, sizeof r->signer_nip, "%s", s->nip);
		snprintf(r->signer_name, sizeof r->signer_name, "%s", s->name ? s->name : "");
		snprintf(r->cert_serial, sizeof r->cert_serial, "%s", set.keys[0].serial);
		snprintf(r->signer_pd, sizeof r->signer_pd, "%s", s->pd ? s->pd : "");
	}
	fz_drop_context(ctx);
	release(&set);
	return rc;
}

void
selfsign_letterhead(fz_context *ctx, struct layout *L, const struct cfg *c)
{
	const char *kop = c->instansi ? c->instansi : "Pemerintah Kabupaten";

	if (c->deletion.nletterhead > 0)
		layout_letterhead(ctx, L, (const char *const *)c->deletion.letterhead,
				  c->deletion.nletterhead);
	else
		layout_letterhead(ctx, L, &kop, 1);
}
