/*
 * server.c - HTTP for the verification pages (see web.h).
 *
 * One thread per connection (libmicrohttpd's), so the time floor below holds
 * back only the request it pads.  The database connection is one, behind a
 * mutex: a lookup by primary key takes microseconds.
 *
 * Routes under web.path (e.g. /verifikasi/):
 *   PATH            the form to type an ID; ?id=X redirects to PATH X
 *   PATH<ID>        the page (?format=json: the JSON)
 *   PATHsertel.css, PATHikon.svg
 * Anything else is 404; a method other than GET and HEAD is 405.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/jobid.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "limit.h"
#include "page.h"
#include "web.h"

#define HEADER_MEMORY	(16 * 1024)	/* per connection: request line + headers */
#define STACK_SIZE	(512 * 1024)

struct server {
	const struct cfg *c;
	struct db *db;
	pthread_mutex_t mu;	/* db */
	struct limit *limit;
};

/* No script, no foreign origin, no framing: the page is text and one style sheet. */
static const char CSP[] = "default-src 'none'; style-src 'self'; img-src 'self'; "
			  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/* send - queue body (copied) with status, type and the headers every response carries. */
static enum MHD_Result
reply(struct MHD_Connection *conn, unsigned status, const char *type, const char *body,
     size_t len, const char *cache)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cache-Control", cache);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, "Allow", "GET, HEAD");
	if (status == MHD_HTTP_TOO_MANY_REQUESTS)
		MHD_add_response_header(r, "Retry-After", "60");
	rc = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* send_buf - b as HTML or JSON; 500 when it could not be written whole. */
static enum MHD_Result
send_buf(struct MHD_Connection *conn, unsigned status, struct wbuf *b, int json)
{
	enum MHD_Result rc;

	if (b->oom)
		rc = reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
			  "Kesalahan server\n", 17, "no-store");
	else
		rc = reply(conn, status, json ? "application/json; charset=utf-8" :
			  "text/html; charset=utf-8", b->p, b->n, "no-store");
	wbuf_free(b);
	return rc;
}

/* plain - an HTML page with a title and one sentence. */
static enum MHD_Result
plain(struct server *s, struct MHD_Connection *conn, unsigned status, const char *title,
      const char *text)
{
	struct wbuf b = { 0 };

	page_plain(&b, s->c, title, text);
	return send_buf(conn, status, &b, 0);
}

/* client - the client's numeric address: the peer, or X-Forwarded-For's last hop from a proxy. */
static void
client(struct server *s, struct MHD_Connection *conn, char *buf, size_t cap)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	const char *xff, *last;
	size_t n;

	snprintf(buf, cap, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, (socklen_t)cap);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
			  (socklen_t)cap);
	if (!cfg_strs_has(&s->c->web.proxies, buf) ||
	    !(xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For")))
		return;
	/* the proxy appends the address it saw: the last entry is the one to trust */
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ')
		last++;
	n = strcspn(last, " ");
	if (n > 0 && n < cap && n < 46) {
		memcpy(buf, last, n);
		buf[n] = '\0';
	}
}

/* floor_wait - sleep until start + web.min_response_ms: known, unknown and malformed alike. */
static void
floor_wait(const struct server *s, const struct timespec *start)
{
	struct timespec until = *start;

	until.tv_nsec += (s->c->web.min_response_ms % 1000) * 1000000L;
	until.tv_sec += s->c->web.min_response_ms / 1000 + until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR)
		;
}

/* document - the page (or JSON) of id. */
static enum MHD_Result
document(struct server *s, struct MHD_Connection *conn, const char *id, int json)
{
	struct page_view v = { PAGE_MALFORMED, id, NULL, NULL };
	struct db_document d;
	struct db_tombstone t;
	struct db_paraf *p = NULL;
	struct wbuf b = { 0 };
	size_t np;
	struct err e = { 0 };
	int rc = 0;

	/* a malformed ID never reaches the database */
	if (jobid_valid(id)) {
		pthread_mutex_lock(&s->mu);
		rc = db_doc_get(s->db, id, &d, &p, &np, &e);
		if (rc > 0 && d.deleted && db_deletion_of(s->db, id, &t, &e) <= 0)
			rc = -1;
		pthread_mutex_unlock(&s->mu);
		free(p);
		if (rc < 0) {
			log_err(NULL, "serve: %s: %s", id, e.detail);
			return plain(s, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "Layanan sedang tidak "
				     "tersedia", "Catatan dokumen tidak dapat dibaca saat ini. Coba "
				     "lagi beberapa saat lagi.");
		}
		v.status = rc == 0 ? PAGE_UNKNOWN : d.deleted ? PAGE_DELETED : PAGE_VALID;
		if (rc > 0)
			v.doc = &d;
		if (rc > 0 && d.deleted)
			v.del = &t;
	}
	if (json)
		page_json(&b, s->c, &v);
	else
		page_html(&b, s->c, &v);
	return send_buf(conn, v.doc ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND, &b, json);
}

/* redirect - the form's ?id=: spaces and dashes dropped, upper case, then PATH<ID>. */
static enum MHD_Result
redirect(struct server *s, struct MHD_Connection *conn, const char *raw)
{
	char id[48], loc[1200];
	size_t n = 0;
	struct MHD_Response *r;
	enum MHD_Result rc;

	for (; *raw && n < sizeof id - 1; raw++)
		if (isalnum((unsigned char)*raw))
			id[n++] = (char)toupper((unsigned char)*raw);
	id[n] = '\0';
	if (!jobid_valid(id))
		return document(s, conn, id, 0);
	snprintf(loc, sizeof loc, "%s%s", s->c->web.path, id);
	if (!(r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)))
		return MHD_NO;
	MHD_add_response_header(r, "Location", loc);
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	rc = MHD_queue_response(conn, MHD_HTTP_SEE_OTHER, r);
	MHD_destroy_response(r);
	return rc;
}

static int headers_seen;	/* its address marks a request whose headers are in */

/* route - one request: answered on its second call (no body is ever read). */
static enum MHD_Result
route(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	const char *path = s->c->web.path, *rest, *fmt, *q, *cl;
	size_t plen = strlen(path);
	struct timespec start;
	char who[64];
	enum MHD_Result rc;

	(void)version;
	(void)upload;
	/* a request with a body, or another method, is answered at once (and the
	 * connection closed: the body is never read) */
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return plain(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "Metode tidak diizinkan",
			     "Halaman ini hanya dapat dibaca (GET).");
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	if (*upload_size || (cl && strcmp(cl, "0")) ||
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding"))
		return plain(s, conn, MHD_HTTP_CONTENT_TOO_LARGE, "Permintaan terlalu besar",
			     "Permintaan baca tidak membawa isi.");
	/* the first call has the headers only: answering then would make MHD close a
	 * keep-alive connection; the second says the request is complete */
	if (!*con_cls) {
		*con_cls = &headers_seen;
		return MHD_YES;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	if (strncmp(url, path, plen))
		return plain(s, conn, MHD_HTTP_NOT_FOUND, "Halaman tidak ditemukan",
			     "Alamat ini tidak ada.");
	rest = url + plen;
	if (!strcmp(rest, "sertel.css"))
		return reply(conn, MHD_HTTP_OK, "text/css; charset=utf-8", page_css,
			    strlen(page_css), "public, max-age=86400");
	if (!strcmp(rest, "ikon.svg"))
		return reply(conn, MHD_HTTP_OK, "image/svg+xml", page_icon, strlen(page_icon),
			    "public, max-age=86400");
	if (strchr(rest, '/'))
		return plain(s, conn, MHD_HTTP_NOT_FOUND, "Halaman tidak ditemukan",
			     "Alamat ini tidak ada.");
	client(s, conn, who, sizeof who);
	if (!limit_take(s->limit, who))
		return plain(s, conn, MHD_HTTP_TOO_MANY_REQUESTS, "Terlalu banyak permintaan",
			     "Tunggu satu menit, lalu coba lagi.");
	if (!*rest) {
		struct wbuf b = { 0 };
		if ((q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "id")))
			rc = redirect(s, conn, q);
		else
			page_form(&b, s->c), rc = send_buf(conn, MHD_HTTP_OK, &b, 0);
	} else {
		fmt = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "format");
		rc = document(s, conn, rest, fmt && !strcmp(fmt, "json"));
	}
	floor_wait(s, &start);
	return rc;
}

int
web_serve(const struct cfg *c, struct db *db, const struct sockaddr *sa, const sigset_t *stop,
	  struct err *e)
{
	struct server s = { c, db, PTHREAD_MUTEX_INITIALIZER, NULL };
	unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			 MHD_USE_POLL;
	struct MHD_Daemon *d;
	int sig;

	if (!(s.limit = limit_new(c->web.rate_per_minute)))
		return err_set(e, "io.error", "out of memory");
	if (sa->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, route, &s,
			     MHD_OPTION_SOCK_ADDR, sa,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)c->web.max_connections,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)c->web.per_ip_connections,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)c->web.timeout_seconds,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
			     MHD_OPTION_THREAD_STACK_SIZE, (size_t)STACK_SIZE,
			     MHD_OPTION_LISTEN_BACKLOG_SIZE, 256u,
			     MHD_OPTION_END);
	if (!d) {
		limit_free(s.limit);
		return err_set(e, "io.error", "the address is in use or not one of this machine's");
	}
	while (sigwait(stop, &sig) != 0)
		;
	log_info(NULL, "serve: stopping (signal %d)", sig);
	MHD_stop_daemon(d);
	limit_free(s.limit);
	pthread_mutex_destroy(&s.mu);
	return 0;
}
