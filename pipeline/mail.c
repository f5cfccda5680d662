/*
 * mail.c - an e-mail message built and sent (see mail.h).
 *
 * The message is MIME (RFC 2045-2049): multipart/mixed, the text as UTF-8
 * 8bit, each attachment base64 in lines of 76, the subject as an RFC 2047
 * encoded word.  libcurl speaks SMTP (EHLO, STARTTLS, AUTH, MAIL, RCPT,
 * DATA with dot-stuffing); the password is read from its file for the one
 * exchange, handed to libcurl and wiped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "../config/cfg.h"
#include "../pki/keystore.h"
#include "mail.h"

/* b64 - len bytes of p as base64 on f, lines of 76 characters. */
static void
b64(FILE *f, const unsigned char *p, size_t len)
{
	unsigned char out[80];
	size_t i;

	for (i = 0; i < len; i += 57) {
		size_t k = len - i < 57 ? len - i : 57;
		int n = EVP_EncodeBlock(out, p + i, (int)k);
		fwrite(out, 1, (size_t)n, f);
		fputs("\r\n", f);
	}
}

/* build - the whole message (headers and body, CRLF line ends) into *buf; -1 out of memory. */
static int
build(const struct cfg_notify *n, const struct cfg_strs *to, const struct mail *m, char **buf,
      size_t *len)
{
	unsigned char rnd[12];
	char boundary[64], date[64];
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = open_memstream(buf, len);
	const char *p;
	size_t i;

	if (!f)
		return -1;
	if (RAND_bytes(rnd, sizeof rnd) != 1)
		memset(rnd, 0x5a, sizeof rnd);
	snprintf(boundary, sizeof boundary, "sertel-%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x",
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7], rnd[8], rnd[9],
		 rnd[10], rnd[11]);
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	fprintf(f, "Date: %s\r\nFrom: sertel <%s>\r\nTo: ", date, n->from);
	for (i = 0; i < to->n; i++)
		fprintf(f, "%s<%s>", i ? ", " : "", to->v[i]);
	fprintf(f, "\r\nMessage-ID: <%s.%lld@sertel>\r\nSubject: =?UTF-8?B?", boundary,
		(long long)now);
	{
		/* RFC 2047: one encoded word per line of at most 75 characters */
		unsigned char w[64];
		size_t sl = strlen(m->subject), k;
		for (i = 0; i < sl; i += k) {
			k = sl - i < 42 ? sl - i : 42;
			/* never cut a UTF-8 character */
			while (i + k < sl && ((unsigned char)m->subject[i + k] & 0xc0) == 0x80)
				k--;
			EVP_EncodeBlock(w, (const unsigned char *)m->subject + i, (int)k);
			fprintf(f, "%s%s", i ? "?=\r\n =?UTF-8?B?" : "", w);
		}
	}
	fprintf(f, "?=\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n"
		"Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary);
	fprintf(f, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: 8bit\r\n\r\n", boundary);
	for (p = m->body; *p; p++) {
		if (*p == '\n')
			fputc('\r', f);
		fputc(*p, f);
	}
	for (i = 0; i < m->natt; i++) {
		fprintf(f, "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
			"Content-Disposition: attachment; filename=\"%s\"\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n", boundary, m->att[i].type,
			m->att[i].name, m->att[i].name);
		b64(f, m->att[i].data, m->att[i].len);
	}
	fprintf(f, "\r\n--%s--\r\n", boundary);
	return fclose(f) == 0 ? 0 : -1;
}

/* The message being uploaded to libcurl. */
struct reader {
	const char *p;
	size_t left;
};

/* feed - libcurl's read callback: the next part of the message. */
static size_t
feed(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t k = size * nmemb < r->left ? size * nmemb : r->left;

	memcpy(dst, r->p, k);
	r->p += k;
	r->left -= k;
	return k;
}

int
mail_send(const struct cfg_notify *n, const struct cfg_strs *to, const struct mail *m,
	  struct err *e)
{
	char errbuf[CURL_ERROR_SIZE] = "", pass[256] = "";
	struct curl_slist *rcpt = NULL;
	struct reader r;
	char *msg = NULL;
	size_t len = 0, i;
	CURLcode rc;
	CURL *c;
	long code = 0;
	int ret = 0;

	if (n->password_file && keystore_read_pass_file(n->password_file, pass, sizeof pass, e) < 0)
		return -1;
	if (build(n, to, m, &msg, &len) < 0 || !(c = curl_easy_init())) {
		OPENSSL_cleanse(pass, sizeof pass);
		free(msg);
		return err_set(e, "internal", "out of memory");
	}
	for (i = 0; i < to->n; i++)
		rcpt = curl_slist_append(rcpt, to->v[i]);
	r.p = msg;
	r.left = len;
	curl_easy_setopt(c, CURLOPT_URL, n->smtp);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, n->timeout_seconds);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, n->from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(c, CURLOPT_READDATA, &r);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USE_SSL, n->starttls == STARTTLS_REQUIRED ? (long)CURLUSESSL_ALL :
			 n->starttls == STARTTLS_OPTIONAL ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_NONE);
	if (n->username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, n->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, pass);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	OPENSSL_cleanse(pass, sizeof pass);
	if (rc != CURLE_OK) {
		/* a refusal for good (5xx: no such mailbox, relaying denied) is the
		 * configuration's; the rest (unreachable, timed out, 4xx) passes */
		ret = err_set(e, code >= 500 ? "notify.refused" : ERR_RETRY, "%s: %s%s%s", n->smtp,
			      curl_easy_strerror(rc), errbuf[0] ? ": " : "", errbuf);
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	free(msg);
	return ret;
}
