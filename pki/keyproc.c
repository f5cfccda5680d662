/*
 * keyproc.c - the key process (see keyproc.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "../base/log.h"
#include "../config/cfg.h"
#include "keyclient.h"
#include "keyproc.h"
#include "keyvault.h"
#include "signers.h"

#define CHANNELS_MAX 256		/* workers' channels at once: far more than workers */
#define KEYPROC_AS_MB 1024		/* address space: OpenSSL and a few keys, not documents */

/* harden - no core, not dumpable, bounded memory, only ctl and stdio open. */
static void
harden(int ctl)
{
	struct rlimit rl = { 0, 0 };

	prctl(PR_SET_NAME, "sertel-keys", 0, 0, 0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	setrlimit(RLIMIT_CORE, &rl);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
	/* ASan reserves terabytes of shadow: the limit only without it */
	rl.rlim_cur = rl.rlim_max = (rlim_t)KEYPROC_AS_MB << 20;
	setrlimit(RLIMIT_AS, &rl);
#endif
	/* the master's spool, database and sockets are none of its business */
	if (ctl > 3)
		close_range(3, (unsigned)ctl - 1, 0);
	close_range((unsigned)ctl + 1, ~0U, 0);
	signal(SIGTERM, SIG_IGN);	/* the master ends it by closing ctl */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

/* read_vault - the master's first message: the environment's passphrases. */
static int
read_vault(int ctl, struct keyvault *v)
{
	size_t cap = sizeof(struct key_ctl) + KEYVAULT_SIZE;
	unsigned char *buf = malloc(cap);
	struct key_ctl m;
	ssize_t n;
	int rc = -1;

	if (buf == NULL)
		return -1;
	while ((n = recv(ctl, buf, cap, 0)) < 0 && errno == EINTR)
		;
	if (n >= (ssize_t)sizeof m) {
		memcpy(&m, buf, sizeof m);
		if (m.magic == KEY_MAGIC && m.kind == KEY_CTL_VAULT)
			rc = keyvault_set(v, buf + sizeof m, (size_t)n - sizeof m);
	}
	OPENSSL_cleanse(buf, cap);
	free(buf);
	return rc;
}

/* tell_master - one key_cert per signer: what it may build the CMS with. */
static int
tell_master(int ctl, const struct signer_set *s)
{
	size_t cap = sizeof(struct key_cert) + KEY_CERTS_MAX, i;
	unsigned char *buf = malloc(cap);
	struct key_cert m;
	int rc = 0;

	for (i = 0; buf && rc == 0 && i < s->n; i++) {
		memset(&m, 0, sizeof m);
		m.magic = KEY_MAGIC;
		m.index = (uint32_t)i;
		m.ok = s->keys[i].pkey != NULL;
		if (m.ok && !(m.len = (uint32_t)keyclient_certs_der(&s->keys[i], buf + sizeof m, KEY_CERTS_MAX))) {
			m.ok = 0;
			snprintf(m.detail, sizeof m.detail, "signer %s: certificate chain too large",
				 s->cfg[i].nip);
		}
		if (!m.ok) {
			snprintf(m.code, sizeof m.code, "%s",
				 s->errs[i].code ? s->errs[i].code : "signer.keystore");
			if (!m.detail[0])
				snprintf(m.detail, sizeof m.detail, "%s", s->errs[i].detail);
		}
		memcpy(buf, &m, sizeof m);
		if (send(ctl, buf, sizeof m + m.len, MSG_NOSIGNAL) != (ssize_t)(sizeof m + m.len))
			rc = -1;
	}
	free(buf);
	return buf && rc == 0 ? 0 : -1;
}

/* md_allowed - the digests sertel signs with. */
static const EVP_MD *
md_allowed(int nid)
{
	return nid == NID_sha256 ? EVP_sha256() : nid == NID_sha384 ? EVP_sha384() :
	       nid == NID_sha512 ? EVP_sha512() : NULL;
}

/* do_sign - signature of tbs by k into sig; its length or 0 with why. */
static size_t
do_sign(EVP_PKEY *k, const EVP_MD *md, int pss, const unsigned char *tbs, size_t tbslen,
	unsigned char *sig, const char **why)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;	/* owned by mctx */
	size_t siglen = KEY_SIG_MAX;

	*why = "signing failed";
	if ((size_t)EVP_PKEY_get_size(k) > KEY_SIG_MAX)
		siglen = 0;
	/* the same parameters pades.c's local signing uses and its set_pss declares */
	else if (!mctx || EVP_DigestSignInit(mctx, &pctx, md, NULL, k) <= 0 ||
		 (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
			  EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) <= 0 ||
			  EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0)) ||
		 EVP_DigestSign(mctx, sig, &siglen, tbs, tbslen) <= 0)
		siglen = 0;
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	return siglen;
}

/*
 * answer - one request of n bytes in buf, checked field by field before
 * anything is signed; the answer goes back on fd.
 */
static void
answer(int fd, const struct signer_set *s, const unsigned char *buf, ssize_t n)
{
	unsigned char out[sizeof(struct key_resp) + KEY_SIG_MAX];
	const char *why = NULL;
	struct key_req rq;
	struct key_resp rs;
	const EVP_MD *md = NULL;
	size_t siglen = 0;

	memset(&rq, 0, sizeof rq);
	memset(&rs, 0, sizeof rs);
	if (n >= (ssize_t)sizeof rq)
		memcpy(&rq, buf, sizeof rq);
	if (n < (ssize_t)sizeof rq || rq.magic != KEY_MAGIC)
		why = "malformed request";
	else if (rq.len == 0 || rq.len > KEY_TBS_MAX || rq.len != (size_t)n - sizeof rq)
		why = "malformed size";
	else if (rq.signer >= s->n || !s->keys[rq.signer].pkey)
		why = "unknown signer";
	else if (!(md = md_allowed(rq.md_nid)))
		why = "digest not allowed";
	else if (rq.pss > 1 || (rq.pss && !EVP_PKEY_is_a(s->keys[rq.signer].pkey, "RSA")))
		why = "RSASSA-PSS only with an RSA key";
	else
		siglen = do_sign(s->keys[rq.signer].pkey, md, (int)rq.pss, buf + sizeof rq, rq.len,
				 out + sizeof rs, &why);
	rs.magic = KEY_MAGIC;
	rs.seq = rq.seq;
	rs.status = siglen ? 0 : -1;
	rs.len = (uint32_t)siglen;
	if (!siglen) {
		snprintf(rs.detail, sizeof rs.detail, "%s", why);
		log_warn(NULL, "key process: request for signer %u refused: %s", rq.signer, why);
	}
	memcpy(out, &rs, sizeof rs);
	(void)send(fd, out, sizeof rs + siglen, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* take_channel - a worker's channel passed on ctl; 0, or -1 when ctl is closed. */
static int
take_channel(int ctl, struct pollfd *pf, int *npf)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct key_ctl m;
	struct iovec iov = { &m, sizeof m };
	struct msghdr mh;
	struct cmsghdr *cm;
	ssize_t n;
	int fd = -1;

	memset(&mh, 0, sizeof mh);
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof cbuf;
	while ((n = recvmsg(ctl, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (n <= 0)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof fd);
	if (fd < 0)
		return 0;
	if (n != (ssize_t)sizeof m || m.magic != KEY_MAGIC || m.kind != KEY_CTL_CHANNEL ||
	    *npf > CHANNELS_MAX) {
		close(fd);
		return 0;
	}
	pf[*npf].fd = fd;
	pf[*npf].events = POLLIN;
	(*npf)++;
	return 0;
}

/* serve - answer the channels until the master closes ctl. */
static void
serve(int ctl, const struct signer_set *s)
{
	static unsigned char buf[sizeof(struct key_req) + KEY_TBS_MAX + 1];
	struct pollfd pf[CHANNELS_MAX + 1];
	int npf = 1, i;
	ssize_t n;

	pf[0].fd = ctl;
	pf[0].events = POLLIN;
	for (;;) {
		for (i = 0; i < npf; i++)
			pf[i].revents = 0;
		if (poll(pf, (nfds_t)npf, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pf[0].revents && take_channel(ctl, pf, &npf) < 0)
			return;
		for (i = 1; i < npf; i++) {
			if (!pf[i].revents)
				continue;
			/* one more byte than the largest request: a longer one is cut and refused */
			n = recv(pf[i].fd, buf, sizeof buf, MSG_DONTWAIT);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n > 0) {
				answer(pf[i].fd, s, buf, n);
				OPENSSL_cleanse(buf, (size_t)n);
				continue;
			}
			close(pf[i].fd);	/* the worker ended */
			pf[i--] = pf[--npf];
		}
	}
}

void
keyproc_main(int ctl, const struct cfg *c)
{
	struct signer_set s;
	struct keyvault v;
	struct err e;
	size_t i;

	harden(ctl);
	if (keyvault_open(&v) < 0 || read_vault(ctl, &v) < 0) {
		log_err(NULL, "key process: no passphrase vault from the master");
		_exit(1);
	}
	if (signers_load_vault(c, &s, &v) < 0) {
		log_err(NULL, "key process: out of memory loading the signers");
		_exit(1);
	}
	keyvault_close(&v);	/* every keystore that needed it is open */
	if (tell_master(ctl, &s) < 0)
		_exit(1);
	/* a certificate that does not name its signer is refused by the master
	 * (signers_misnamed, logged there); its key signs nothing here either */
	for (i = 0; i < s.n; i++)
		if (s.keys[i].pkey && !signers_identity(&s, i, &e))
			keystore_free(&s.keys[i]);
	serve(ctl, &s);
	_exit(0);
}
