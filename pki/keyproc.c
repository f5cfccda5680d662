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
#include "keystore.h"
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

#define WHY_GONE "token gone"

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
	if (!siglen && keystore_token_gone())
		*why = WHY_GONE;
	ERR_clear_error();
	return siglen;
}

/*
 * A signer whose token went away (keystore_token_gone): its requests wait
 * (KEY_LATER) and the next one opens the token again.  Only the key the
 * certificate the master already has names is taken back: never another.
 */
struct tokens {
	unsigned char *away;		/* per signer */
	const struct keyvault *v;	/* passphrase_env PINs, for opening again */
};

/* is_p11 - whether signer i's key is in a token. */
static int
is_p11(const struct signer_set *s, size_t i)
{
	return !strcmp(s->cfg[i].keystore_scheme, "pkcs11");
}

/* drop - signer i signs nothing more; a token's key object is dead, not freed. */
static void
drop(struct signer_set *s, size_t i)
{
	if (is_p11(s, i))
		s->keys[i].pkey = NULL;
	keystore_free(&s->keys[i]);
}

/* reopen - signer i's token once more; 0, or -1 with *later and *why. */
static int
reopen(struct signer_set *s, size_t i, const struct tokens *t, int *later, const char **why)
{
	struct signer_key k;
	struct err e;
	size_t j;

	/* every module starts afresh: every token signer opens its key again */
	keystore_p11_reconnect();
	for (j = 0; j < s->n; j++)
		if (s->keys[j].pkey && is_p11(s, j))
			t->away[j] = 1;
	if (keystore_load_pass(&s->cfg[i], t->v ? keyvault_pass(t->v, &s->cfg[i]) : NULL, &k,
			       &e) < 0) {
		*later = e.code && !strcmp(e.code, ERR_RETRY);
		log_warn(NULL, "key process: signer %s: %s", s->cfg[i].nip, e.detail);
		*why = *later ? "the signer's token is away (it waits until it is back)" :
		       "the signer's token came back but cannot be used (see the log)";
		if (!*later)	/* a wrong PIN now: that signer signs nothing more */
			drop(s, i);
		return -1;
	}
	if (X509_cmp(k.cert, s->keys[i].cert)) {
		log_err(NULL, "key process: signer %s: the token that came back holds another "
			"certificate; that signer signs nothing until sertel is restarted",
			s->cfg[i].nip);
		keystore_free(&k);
		drop(s, i);
		*later = 0;
		*why = "the token that came back holds another key";
		return -1;
	}
	s->keys[i].pkey = k.pkey;	/* the dead one is not freed (drop) */
	k.pkey = NULL;
	keystore_free(&k);
	t->away[i] = 0;
	log_info(NULL, "key process: signer %s: the token is back", s->cfg[i].nip);
	return 0;
}

/*
 * answer - one request of n bytes in buf, checked field by field before
 * anything is signed; the answer goes back on fd.
 */
static void
answer(int fd, struct signer_set *s, const struct tokens *t, const unsigned char *buf,
       ssize_t n)
{
	int later = 0;
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
	else if (t->away[rq.signer] && reopen(s, rq.signer, t, &later, &why) < 0)
		;
	else if (!(md = md_allowed(rq.md_nid)))
		why = "digest not allowed";
	else if (rq.pss > 1 || (rq.pss && !EVP_PKEY_is_a(s->keys[rq.signer].pkey, "RSA")))
		why = "RSASSA-PSS only with an RSA key";
	else
		siglen = do_sign(s->keys[rq.signer].pkey, md, (int)rq.pss, buf + sizeof rq, rq.len,
				 out + sizeof rs, &why);
	if (!siglen && why && !strcmp(why, WHY_GONE)) {
		t->away[rq.signer] = 1;
		later = 1;
		why = "the signer's token went away (it waits until it is back)";
	}
	rs.magic = KEY_MAGIC;
	rs.seq = rq.seq;
	rs.status = siglen ? 0 : later ? KEY_LATER : KEY_REFUSED;
	rs.len = (uint32_t)siglen;
	if (!siglen) {
		snprintf(rs.detail, sizeof rs.detail, "%s", why);
		log_warn(NULL, "key process: request for signer %u %s: %s", rq.signer,
			 later ? "put off" : "refused", why);
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
serve(int ctl, struct signer_set *s, const struct tokens *t)
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
				answer(pf[i].fd, s, t, buf, n);
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
	struct tokens t = { NULL, NULL };
	struct err e;
	size_t i;
	int keep = 0;

	harden(ctl);
	if (keyvault_open(&v) < 0 || read_vault(ctl, &v) < 0) {
		log_err(NULL, "key process: no passphrase vault from the master");
		_exit(1);
	}
	keystore_p11_remember(c->state_dir);
	if (signers_load_vault(c, &s, &v) < 0) {
		log_err(NULL, "key process: out of memory loading the signers");
		_exit(1);
	}
	/* every keystore that needed it is open; a token's PIN is kept for its return */
	for (i = 0; i < s.n; i++)
		keep |= s.cfg[i].pass_env && !strcmp(s.cfg[i].keystore_scheme, "pkcs11");
	if (keep)
		t.v = &v;
	else
		keyvault_close(&v);
	if (tell_master(ctl, &s) < 0 || !(t.away = calloc(s.n ? s.n : 1, 1)))
		_exit(1);
	/* a certificate that does not name its signer is refused by the master
	 * (signers_misnamed, logged there); its key signs nothing here either */
	for (i = 0; i < s.n; i++)
		if (s.keys[i].pkey && !signers_identity(&s, i, &e))
			keystore_free(&s.keys[i]);
	serve(ctl, &s, &t);
	_exit(0);
}
