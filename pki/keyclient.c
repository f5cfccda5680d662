/*
 * keyclient.c - the worker's and the master's side of the key process's
 * socket (see keyclient.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "../config/cfg.h"
#include "keyclient.h"
#include "signers.h"

/* Longer than any signature takes: a silent key process is a lost one. */
#define KEY_TIMEOUT_MS 30000

/* lost - the key process is gone: the document waits, the worker ends after it. */
static int
lost(struct keyclient *kc, struct err *e, const char *why)
{
	kc->lost = 1;
	return err_set(e, ERR_RETRY, "the key process %s", why);
}

/* recv_answer - the answer to request seq into buf (cap bytes); its length or -1. */
static ssize_t
recv_answer(struct keyclient *kc, unsigned char *buf, size_t cap)
{
	struct pollfd pf = { kc->fd, POLLIN, 0 };
	ssize_t n;
	int r;

	while ((r = poll(&pf, 1, KEY_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	if (r <= 0)
		return -1;
	while ((n = recv(kc->fd, buf, cap, 0)) < 0 && errno == EINTR)
		;
	return n;
}

int
keyclient_sign(struct keyclient *kc, int signer, const EVP_MD *md, int pss,
	       const unsigned char *tbs, size_t tbslen, unsigned char **sig, size_t *siglen,
	       struct err *e)
{
	unsigned char buf[sizeof(struct key_req) + KEY_TBS_MAX];
	struct key_req rq;
	struct key_resp rs;
	ssize_t n;

	*sig = NULL;
	if (kc == NULL || kc->lost || kc->fd < 0)
		return kc ? lost(kc, e, "is not reachable") : err_set(e, "sign.failed", "no key process");
	if (signer < 0 || tbslen == 0 || tbslen > KEY_TBS_MAX)
		return err_set(e, "sign.failed", "signed attributes of %zu bytes", tbslen);
	memset(&rq, 0, sizeof rq);
	rq.magic = KEY_MAGIC;
	rq.seq = ++kc->seq;
	rq.signer = (uint32_t)signer;
	rq.md_nid = EVP_MD_get_type(md);
	rq.pss = pss ? 1 : 0;
	rq.len = (uint32_t)tbslen;
	memcpy(buf, &rq, sizeof rq);
	memcpy(buf + sizeof rq, tbs, tbslen);
	if (send(kc->fd, buf, sizeof rq + tbslen, MSG_NOSIGNAL) != (ssize_t)(sizeof rq + tbslen))
		return lost(kc, e, "cannot be reached");
	/* an answer to an older request (one that timed out) is skipped */
	do {
		n = recv_answer(kc, buf, sizeof buf);
		if (n < (ssize_t)sizeof rs)
			return lost(kc, e, n < 0 ? "does not answer" : "ended");
		memcpy(&rs, buf, sizeof rs);
	} while (rs.magic == KEY_MAGIC && rs.seq != rq.seq);
	if (rs.magic != KEY_MAGIC || rs.len != (size_t)n - sizeof rs || rs.len > KEY_SIG_MAX)
		return lost(kc, e, "answered something malformed");
	rs.detail[sizeof rs.detail - 1] = '\0';
	if (rs.status == KEY_LATER)
		return err_set(e, ERR_RETRY, "the key process: %s", rs.detail);
	if (rs.status != 0 || rs.len == 0)
		return err_set(e, "sign.failed", "the key process refused: %s", rs.detail);
	if ((*sig = OPENSSL_malloc(rs.len)) == NULL)
		return err_set(e, "sign.failed", "out of memory");
	memcpy(*sig, buf + sizeof rs, rs.len);
	*siglen = rs.len;
	return 0;
}

size_t
keyclient_certs_der(const struct signer_key *k, unsigned char *buf, size_t cap)
{
	size_t len = 0;
	int i, n;

	for (i = -1; i < sk_X509_num(k->chain); i++) {
		X509 *x = i < 0 ? k->cert : sk_X509_value(k->chain, i);
		unsigned char *p = buf + len;
		if ((n = i2d_X509(x, NULL)) <= 0 || (size_t)n > cap - len)
			return 0;
		i2d_X509(x, &p);
		len += (size_t)n;
	}
	return len;
}

int
keyclient_adopt(const unsigned char *der, size_t len, struct signer_key *k, struct err *e)
{
	const unsigned char *p = der, *end = der + len;
	STACK_OF(X509) *chain = sk_X509_new_null();
	X509 *cert = d2i_X509(NULL, &p, (long)len), *x;

	while (chain && cert && p < end) {
		if (!(x = d2i_X509(NULL, &p, (long)(end - p))) || !sk_X509_push(chain, x)) {
			X509_free(x);
			X509_free(cert);
			cert = NULL;
		}
	}
	if (!cert) {
		sk_X509_pop_free(chain, X509_free);
		ERR_clear_error();
		return err_set(e, "signer.keystore", "malformed certificate from the key process");
	}
	return keystore_adopt(k, cert, chain, e);
}

int
keyclient_certs(int ctl, const struct cfg *c, struct signer_set *s, struct err *e)
{
	size_t cap = sizeof(struct key_cert) + KEY_CERTS_MAX, i;
	unsigned char *buf = malloc(cap);
	struct key_cert m;
	ssize_t n;

	memset(s, 0, sizeof *s);
	s->n = c->nsigners;
	s->cfg = c->signers;
	s->keys = calloc(s->n ? s->n : 1, sizeof *s->keys);
	s->errs = calloc(s->n ? s->n : 1, sizeof *s->errs);
	if (!buf || !s->keys || !s->errs) {
		free(buf);
		return err_set(e, "io.error", "out of memory");
	}
	for (i = 0; i < s->n; i++) {
		while ((n = recv(ctl, buf, cap, 0)) < 0 && errno == EINTR)
			;
		memset(&m, 0, sizeof m);
		if (n >= (ssize_t)sizeof m)
			memcpy(&m, buf, sizeof m);
		if (n < (ssize_t)sizeof m || m.magic != KEY_MAGIC || m.index != i ||
		    m.len != (size_t)n - sizeof m) {
			free(buf);
			return err_set(e, "io.error", "the key process ended while loading the keys%s",
				       n < 0 ? " (no answer)" : "");
		}
		m.code[sizeof m.code - 1] = m.detail[sizeof m.detail - 1] = '\0';
		if (!m.ok) {
			/* back to the table's own string: err.code is never owned */
			s->errs[i].code = !strcmp(m.code, ERR_RETRY) ? ERR_RETRY :
					  err_info(m.code)->code;	/* a token away: waits */
			snprintf(s->errs[i].detail, sizeof s->errs[i].detail, "%s", m.detail);
			continue;
		}
		(void)keyclient_adopt(buf + sizeof m, m.len, &s->keys[i], &s->errs[i]);
	}
	free(buf);
	/* for the sign stage's own verification; unreadable ones the key process logged */
	s->anchors = signers_anchors(c, e);
	err_clear(e);
	return 0;
}
