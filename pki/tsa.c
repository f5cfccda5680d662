/*
 * tsa.c - the RFC 3161 client of a worker (see tsa.h; RFC 3161
 * and RFC 5816 for the protocol, ETSI EN 319 122-1 for the attribute).
 *
 * The request is built and the reply checked with OpenSSL's TS API; the
 * HTTP exchange is libcurl's.  The basic-auth password is read with read(2)
 * into a buffer that is wiped, is handed to libcurl only as CURLOPT_PASSWORD
 * (never in a URL, a log line or an error detail) and is wiped again when the
 * client is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "../base/hex.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "anchors.h"
#include "tsa.h"

#define PASS_MAX 1024

/* The body of one HTTP answer. */
struct reply {
	unsigned char *p;
	size_t len, cap;
	int over;		/* it went beyond TSA_MAX_REPLY */
};

struct tsa_client {
	const struct cfg *cfg;
	CURL *curl;		/* one handle for the worker's life: its connections are reused */
	X509_STORE *trust;
	const EVP_MD *md;
	char **pass;		/* per TSA: the basic-auth password, NULL without auth */
	int curl_global;	/* curl_global_init succeeded */
	struct err broken;	/* code set: the client cannot work, every stamp says why */
	struct reply rep;
};

/* ---- OpenSSL ------------------------------------------------------------ */

TS_REQ *
tsa_query(const EVP_MD *md, const unsigned char *data, size_t len, struct err *e)
{
	unsigned char h[EVP_MAX_MD_SIZE], rnd[8];
	unsigned int hlen = 0;
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	BIGNUM *bn = NULL;
	ASN1_INTEGER *nonce = NULL;
	char why[256];
	int ok;

	/* The nonce ties the answer to this request: a replayed token fails. */
	ok = req && mi && alg && EVP_Digest(data, len, h, &hlen, md, NULL) &&
	     X509_ALGOR_set0(alg, OBJ_nid2obj(EVP_MD_get_type(md)), V_ASN1_NULL, NULL) &&
	     TS_MSG_IMPRINT_set_algo(mi, alg) && TS_MSG_IMPRINT_set_msg(mi, h, (int)hlen) &&
	     TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, mi) &&
	     RAND_bytes(rnd, sizeof rnd) == 1 && (bn = BN_bin2bn(rnd, sizeof rnd, NULL)) &&
	     (nonce = BN_to_ASN1_INTEGER(bn, NULL)) && TS_REQ_set_nonce(req, nonce) &&
	     TS_REQ_set_cert_req(req, 1);
	TS_MSG_IMPRINT_free(mi);
	X509_ALGOR_free(alg);
	BN_free(bn);
	ASN1_INTEGER_free(nonce);
	if (!ok) {
		TS_REQ_free(req);
		err_set(e, "sign.failed", "timestamp request: %s", err_openssl(why, sizeof why));
		return NULL;
	}
	return req;
}

X509_STORE *
tsa_trust(char *const *files, size_t n, struct err *e)
{
	return anchors_load(files, n, NULL, 0, "sign.failed", "timestamp trust anchor", e);
}

/*
 * signer_check - RFC 3161 2.3: the TSA certificate's only extended key usage
 * is timeStamping, marked critical.  OpenSSL's timestamp purpose checks this
 * too; checking it here keeps the rule whatever the library does, and says
 * plainly what is wrong.
 */
static int
signer_check(PKCS7 *token, struct err *e)
{
	STACK_OF(X509) *s = PKCS7_get0_signers(token, NULL, 0);
	X509 *x = sk_X509_num(s) == 1 ? sk_X509_value(s, 0) : NULL;
	int at = x ? X509_get_ext_by_NID(x, NID_ext_key_usage, -1) : -1;
	int ok = x && (X509_get_extension_flags(x) & EXFLAG_XKUSAGE) &&
		 X509_get_extended_key_usage(x) == XKU_TIMESTAMP && at >= 0 &&
		 X509_EXTENSION_get_critical(X509_get_ext(x, at));

	sk_X509_free(s);
	ERR_clear_error();
	if (x == NULL)
		return err_set(e, "timestamp.invalid", "the token does not carry its TSA certificate");
	if (!ok)
		return err_set(e, "timestamp.invalid", "the TSA certificate is not for time-stamping "
			       "(extendedKeyUsage must be timeStamping only, critical)");
	return 0;
}

/* time_check - genTime within TSA_MAX_SKEW of now: a TSA (or we) with a wrong clock. */
static int
time_check(TS_TST_INFO *ti, time_t now, struct err *e)
{
	const ASN1_GENERALIZEDTIME *gt = TS_TST_INFO_get_time(ti);
	struct tm tm;
	time_t t;

	if (gt == NULL || !ASN1_TIME_to_tm(gt, &tm)) {
		ERR_clear_error();
		return err_set(e, "timestamp.invalid", "the token has no readable genTime");
	}
	t = timegm(&tm);
	if (t > now + TSA_MAX_SKEW || t < now - TSA_MAX_SKEW)
		return err_set(e, "timestamp.invalid", "the token's time %.*s is %+lld s from this "
			       "server's clock (at most %d s allowed): check both clocks",
			       ASN1_STRING_length(gt), (const char *)ASN1_STRING_get0_data(gt),
			       (long long)(t - now), TSA_MAX_SKEW);
	return 0;
}

/* verify - status, signature and chain, imprint and nonce (OpenSSL's TS_VERIFY_CTX). */
static int
verify(X509_STORE *trust, TS_REQ *req, TS_RESP *resp, struct err *e)
{
	TS_VERIFY_CTX *vc = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
	char why[300];
	int ok;

	/* The context frees its store: it gets a reference of its own. */
	if (vc == NULL || !X509_STORE_up_ref(trust)) {
		TS_VERIFY_CTX_free(vc);
		return err_set(e, "sign.failed", "timestamp check: %s", err_openssl(why, sizeof why));
	}
	TS_VERIFY_CTX_set_store(vc, trust);
	/* TS_REQ_to_TS_VERIFY_CTX asks for version, imprint, nonce (and the
	 * policy, if we had asked for one); the signature and chain are added. */
	TS_VERIFY_CTX_add_flags(vc, TS_VFY_SIGNATURE);
	ok = TS_RESP_verify_response(vc, resp) == 1;
	TS_VERIFY_CTX_free(vc);
	if (!ok)
		return err_set(e, "timestamp.invalid", "the token does not verify: %s",
			       err_openssl(why, sizeof why));
	return 0;
}

int
tsa_check(X509_STORE *trust, TS_REQ *req, const unsigned char *der, size_t len, time_t now,
	  unsigned char **token, size_t *tokenlen, struct err *e)
{
	const unsigned char *p = der;
	TS_RESP *resp = NULL;
	int n, rc = -1;

	*token = NULL;
	*tokenlen = 0;
	ERR_clear_error();
	if (len == 0 || len > LONG_MAX || (resp = d2i_TS_RESP(NULL, &p, (long)len)) == NULL ||
	    p != der + len) {
		ERR_clear_error();
		err_set(e, "timestamp.invalid", "the answer (%zu bytes) is not a TimeStampResp", len);
		goto out;
	}
	if (verify(trust, req, resp, e) < 0 || signer_check(TS_RESP_get_token(resp), e) < 0 ||
	    time_check(TS_RESP_get_tst_info(resp), now, e) < 0)
		goto out;
	if ((n = i2d_PKCS7(TS_RESP_get_token(resp), token)) <= 0) {
		err_set(e, "sign.failed", "encoding the timestamp token");
		goto out;
	}
	*tokenlen = (size_t)n;
	rc = 0;
out:
	TS_RESP_free(resp);
	ERR_clear_error();
	return rc;
}

/* ---- rate limit across processes ---------------------------------------- */

/* now_ms - wall-clock milliseconds: the one clock every process (and a restart) shares. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sleep_ms - sleep ms milliseconds, through signals. */
static void
sleep_ms(int64_t ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* rate_path - STATE/tsa-<16 hex of SHA-256(url)>.rate: one file per TSA, whatever its index. */
static int
rate_path(char *out, size_t cap, const char *state_dir, const char *url)
{
	unsigned char h[SHA256_DIGEST_LENGTH];
	char hx[17];
	int n;

	SHA256((const unsigned char *)url, strlen(url), h);
	hex_encode(h, 8, hx);
	n = snprintf(out, cap, "%s/tsa-%s.rate", state_dir, hx);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
tsa_rate_wait(const char *state_dir, const char *url, long min_interval_ms)
{
	char path[PATH_MAX];
	int64_t last = 0, wait, now;
	int fd, saved;

	if (min_interval_ms <= 0)
		return 0;
	fd = rate_path(path, sizeof path, state_dir, url) < 0 ? -1 :
	     open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	while (fd >= 0 && flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			saved = errno;
			close(fd);
			errno = saved;
			fd = -1;
		}
	if (fd < 0) {
		/* No shared record: at least this process keeps the pace. */
		saved = errno;
		sleep_ms(min_interval_ms);
		errno = saved;
		return -1;
	}
	if (pread(fd, &last, sizeof last, 0) != (ssize_t)sizeof last)
		last = 0;
	wait = last + min_interval_ms - now_ms();
	if (wait > min_interval_ms)	/* the clock was set back: never wait longer than once */
		wait = min_interval_ms;
	if (wait > 0)
		sleep_ms(wait);
	now = now_ms();
	saved = pwrite(fd, &now, sizeof now, 0) == (ssize_t)sizeof now ? 0 : errno;
	close(fd);	/* and with it the lock: the next worker's wait starts from now */
	errno = saved;
	return saved ? -1 : 0;
}

/* ---- HTTP ----------------------------------------------------------------- */

/* sink - libcurl's write callback: collect the answer, refusing more than TSA_MAX_REPLY. */
static size_t
sink(char *data, size_t size, size_t nmemb, void *arg)
{
	struct reply *r = arg;
	size_t n = size * nmemb, cap = r->cap ? r->cap : 8192;
	unsigned char *p;

	if (r->len + n > TSA_MAX_REPLY) {
		r->over = 1;
		return 0;
	}
	if (r->len + n > r->cap) {
		while (cap < r->len + n)
			cap *= 2;
		if ((p = realloc(r->p, cap)) == NULL)
			return 0;
		r->p = p;
		r->cap = cap;
	}
	memcpy(r->p + r->len, data, n);
	r->len += n;
	return n;
}

/* set_options - one POST of q to TSA i; curl_easy_reset first keeps only the connections. */
static void
set_options(struct tsa_client *t, size_t i, struct curl_slist *h, const unsigned char *q,
	    size_t qlen, char *errbuf)
{
	const struct cfg_tsa *a = &t->cfg->timestamp.tsa[i];
	CURL *c = t->curl;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, a->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);	/* no SIGALRM in a worker */
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, a->timeout_seconds * 1000L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sertel");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)q);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)qlen);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &t->rep);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	if (t->pass[i]) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERNAME, a->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, t->pass[i]);
	}
}

/*
 * post - one exchange with TSA i: 0 with the answer in t->rep; -1 when the TSA
 * could not be reached or refused to serve (why says how); 1 when it answered
 * with something no TSA sends.
 */
static int
post(struct tsa_client *t, size_t i, const unsigned char *q, size_t qlen, char *why, size_t cap)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/timestamp-query");
	struct curl_slist *h2 = h ? curl_slist_append(h, "Accept: application/timestamp-reply") : NULL;
	long status = 0;
	CURLcode rc;

	if (h2 == NULL) {
		curl_slist_free_all(h);
		snprintf(why, cap, "out of memory");
		return -1;
	}
	t->rep.len = 0;
	t->rep.over = 0;
	set_options(t, i, h2, q, qlen, errbuf);
	rc = curl_easy_perform(t->curl);
	curl_easy_setopt(t->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h2);
	if (rc == CURLE_WRITE_ERROR && t->rep.over) {
		snprintf(why, cap, "the answer is larger than %d KiB", TSA_MAX_REPLY / 1024);
		return 1;
	}
	if (rc != CURLE_OK) {
		snprintf(why, cap, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		snprintf(why, cap, "HTTP status %ld", status);
		return -1;
	}
	return 0;
}

/* ---- the client ------------------------------------------------------------ */

/* ask - TSA i, within its rate limit: 0 with a checked token, -1 unreachable, 1 bad answer. */
static int
ask(struct tsa_client *t, size_t i, TS_REQ *req, const unsigned char *q, size_t qlen,
    unsigned char **token, size_t *tokenlen, struct err *e)
{
	const struct cfg_tsa *a = &t->cfg->timestamp.tsa[i];
	char why[256];
	int r;

	if (tsa_rate_wait(t->cfg->state_dir, a->url, a->min_interval_ms) < 0)
		log_warn(NULL, "timestamp: rate limit of %s kept for this worker only: %s/tsa-*.rate: "
			 "%s", a->url, t->cfg->state_dir, strerror(errno));
	r = post(t, i, q, qlen, why, sizeof why);
	if (r != 0) {
		err_set(e, r < 0 ? "timestamp.unavailable" : "timestamp.invalid", "%s", why);
		return r;
	}
	if (tsa_check(t->trust, req, t->rep.p, t->rep.len, time(NULL), token, tokenlen, e) < 0)
		return strcmp(e->code, "timestamp.invalid") ? -1 : 1;
	return 0;
}

/* note - append "tsa[i] URL: why" to the summary of failed attempts. */
static void
note(char *sum, size_t cap, size_t i, const char *url, const char *why)
{
	size_t len = strlen(sum);
	int n = snprintf(sum + len, cap - len, "%stsa[%zu] %s: %s", len ? "; " : "", i, url, why);

	/* cut short: say so, rather than end mid-word */
	if (n < 0 || (size_t)n >= cap - len)
		memcpy(sum + cap - 4, "...", 4);
}

int
tsa_stamp(void *client, const unsigned char *sig, size_t siglen, unsigned char **token,
	  size_t *tokenlen, struct err *e)
{
	struct tsa_client *t = client;
	const struct cfg_timestamp *ts;
	char sum[sizeof e->detail] = "";
	unsigned char *q = NULL;
	TS_REQ *req;
	int qlen, r = -1, invalid = 0;
	size_t i;

	if (t == NULL)
		return err_set(e, "sign.failed", "timestamp: no client (out of memory)");
	if (t->broken.code) {
		*e = t->broken;
		return -1;
	}
	ts = &t->cfg->timestamp;
	if ((req = tsa_query(t->md, sig, siglen, e)) == NULL)
		return -1;
	if ((qlen = i2d_TS_REQ(req, &q)) <= 0) {
		TS_REQ_free(req);
		return err_set(e, "sign.failed", "encoding the timestamp request");
	}
	for (i = 0; i < ts->ntsa; i++) {
		if ((r = ask(t, i, req, q, (size_t)qlen, token, tokenlen, e)) == 0)
			break;
		invalid |= r > 0;
		log_warn(NULL, "timestamp: tsa[%zu] %s: %s", i, ts->tsa[i].url, e->detail);
		note(sum, sizeof sum, i, ts->tsa[i].url, e->detail);
	}
	OPENSSL_free(q);
	TS_REQ_free(req);
	if (r == 0)
		return 0;
	/* A TSA that answers wrongly needs a person; one that is down, patience. */
	return err_set(e, invalid ? "timestamp.invalid" : "timestamp.unavailable", "%s", sum);
}

/* read_line - up to cap - 1 bytes of fd, stopping after a newline; -1 with errno. */
static ssize_t
read_line(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len < cap - 1 && !memchr(buf, '\n', len)) {
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return (ssize_t)len;
}

/* read_password - the first line of path, malloc'd; never in a detail or a log. */
static char *
read_password(const char *path, struct err *e)
{
	char buf[PASS_MAX], *s = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n = fd < 0 ? -1 : read_line(fd, buf, sizeof buf);
	int saved = errno;
	size_t line;

	if (fd >= 0)
		close(fd);
	if (n < 0) {
		OPENSSL_cleanse(buf, sizeof buf);
		err_set(e, "sign.failed", "timestamp: cannot read password file %s: %s", path,
			strerror(saved));
		return NULL;
	}
	line = strcspn(buf, "\r\n");
	if (buf[line] == '\0' && (size_t)n == sizeof buf - 1)
		err_set(e, "sign.failed", "timestamp: the password in %s is longer than %zu bytes",
			path, sizeof buf - 2);
	else {
		buf[line] = '\0';
		if ((s = strdup(buf)) == NULL)
			err_set(e, "sign.failed", "timestamp: out of memory");
	}
	OPENSSL_cleanse(buf, sizeof buf);
	return s;
}

/* client_setup - everything that can fail; the failure is kept in t->broken. */
static void
client_setup(struct tsa_client *t)
{
	const struct cfg_timestamp *ts = &t->cfg->timestamp;
	size_t i;

	if ((t->md = EVP_get_digestbyname(ts->hash)) == NULL) {
		err_set(&t->broken, "sign.failed", "timestamp: unknown hash %s", ts->hash);
		return;
	}
	if ((t->trust = tsa_trust(ts->trust, ts->ntrust, &t->broken)) == NULL)
		return;
	for (i = 0; i < ts->ntsa; i++)
		if (ts->tsa[i].password_file &&
		    (t->pass[i] = read_password(ts->tsa[i].password_file, &t->broken)) == NULL)
			return;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		err_set(&t->broken, "sign.failed", "timestamp: libcurl cannot be initialized");
		return;
	}
	t->curl_global = 1;
	if ((t->curl = curl_easy_init()) == NULL)
		err_set(&t->broken, "sign.failed", "timestamp: libcurl: out of memory");
}

struct tsa_client *
tsa_client_new(const struct cfg *c)
{
	struct tsa_client *t;

	if (c->timestamp.ntsa == 0 || (t = calloc(1, sizeof *t)) == NULL)
		return NULL;
	t->cfg = c;
	if ((t->pass = calloc(c->timestamp.ntsa, sizeof *t->pass)) == NULL) {
		free(t);
		return NULL;
	}
	client_setup(t);
	if (t->broken.code)
		log_err(NULL, "%s", t->broken.detail);
	return t;
}

void
tsa_client_free(struct tsa_client *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->cfg->timestamp.ntsa; i++)
		if (t->pass[i]) {
			OPENSSL_cleanse(t->pass[i], strlen(t->pass[i]));
			free(t->pass[i]);
		}
	free(t->pass);
	curl_easy_cleanup(t->curl);
	if (t->curl_global)
		curl_global_cleanup();
	X509_STORE_free(t->trust);
	free(t->rep.p);
	free(t);
}
