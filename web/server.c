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
 *   POST PATH<ID>   an uploaded PDF (multipart, field "berkas", web.max_upload_kb):
 *                   `sertel verify` in a limited child (check.c), compared with
 *                   the stored copy
 *   PATHlaporan?from=&to=[&pd=]  the supervision report as HTML, for web.report_from only
 * Anything else is 404; a method other than GET, HEAD (and POST there) is 405.
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
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../base/jobid.h"
#include "../base/log.h"
#include "../config/cfg.h"
#include "../db/certs.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "check.h"
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
		MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
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

/* lookup - id's row (and tombstone) into v; -1 when the database cannot be read. */
static int
lookup(struct server *s, const char *id, struct page_view *v, struct db_document *d,
       struct db_tombstone *t)
{
	struct db_paraf *p = NULL;
	struct err e = { 0 };
	size_t np;
	int rc, revoked = 0;

	pthread_mutex_lock(&s->mu);
	rc = db_doc_get(s->db, id, d, &p, &np, &e);
	if (rc > 0 && d->deleted && db_deletion_of(s->db, id, t, &e) <= 0)
		rc = -1;
	/* the signer's certificate revoked since (the registry, issue 15) */
	if (rc > 0 && !d->deleted &&
	    (revoked = db_cert_revoked_serial(s->db, d->cert_serial, d->signed_at, &v->revoked_at,
					      v->revoke_reason, sizeof v->revoke_reason, &e)) < 0)
		rc = -1;
	/* the jabatan as of the signing (a mutasi since must not rewrite the letter) */
	if (rc > 0 && !d->signer_jabatan[0] && d->cert_serial[0] &&
	    db_cert_signer_jabatan(s->db, d->cert_serial, d->signed_at, v->jabatan,
				   sizeof v->jabatan, &e) < 0)
		rc = -1;
	pthread_mutex_unlock(&s->mu);
	free(p);
	if (rc < 0) {
		log_err(NULL, "serve: %s: %s", id, e.detail);
		return -1;
	}
	v->status = rc == 0 ? PAGE_UNKNOWN : d->deleted ? PAGE_DELETED :
		    revoked ? PAGE_REVOKED : PAGE_VALID;
	v->doc = rc > 0 ? d : NULL;
	v->del = rc > 0 && d->deleted ? t : NULL;
	return 0;
}

/* unavailable - the database cannot be read now. */
static enum MHD_Result
unavailable(struct server *s, struct MHD_Connection *conn)
{
	return plain(s, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "Layanan sedang tidak tersedia",
		     "Catatan dokumen tidak dapat dibaca saat ini. Coba lagi beberapa saat lagi.");
}

/* document - the page (or JSON) of id. */
static enum MHD_Result
document(struct server *s, struct MHD_Connection *conn, const char *id, int json)
{
	struct page_view v = { .status = PAGE_MALFORMED, .id = id };
	struct db_document d;
	struct db_tombstone t;
	struct wbuf b = { 0 };

	/* a malformed ID never reaches the database */
	if (jobid_valid(id) && lookup(s, id, &v, &d, &t) < 0)
		return unavailable(s, conn);
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

static int headers_seen;	/* its address marks a GET whose headers are in */

/* A POST in progress: the uploaded file, in memory (a memfd), no more than allowed. */
struct upload {
	struct MHD_PostProcessor *pp;
	int fd;
	size_t size, max;
	int has_file, too_big, failed;
};

/* upload_part - an MHD_PostDataIterator: the "berkas" field into the memfd. */
static enum MHD_Result
upload_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
	    const char *type, const char *encoding, const char *data, uint64_t off, size_t size)
{
	struct upload *u = cls;

	(void)kind, (void)filename, (void)type, (void)encoding, (void)off;
	if (strcmp(key, "berkas"))
		return MHD_YES;
	u->has_file = 1;
	if (u->size + size > u->max) {
		u->too_big = 1;
		return MHD_NO;
	}
	for (size_t done = 0; done < size;) {
		ssize_t n = write(u->fd, data + done, size - done);
		if (n < 0) {
			u->failed = 1;
			return MHD_NO;
		}
		done += (size_t)n;
	}
	u->size += size;
	return MHD_YES;
}

/* done - MHD_OPTION_NOTIFY_COMPLETED: an upload's memory goes with its request. */
static void
done(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct upload *u = *con_cls;

	(void)cls, (void)conn, (void)toe;
	if (!u || *con_cls == &headers_seen)
		return;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	if (u->fd >= 0)
		close(u->fd);
	free(u);
	*con_cls = NULL;
}

/* checked - the POST is whole: check the file, compare it with the stored copy, answer. */
static enum MHD_Result
checked(struct server *s, struct MHD_Connection *conn, const char *id, struct upload *u)
{
	struct page_view v = { .status = PAGE_UNKNOWN, .id = id };
	struct check_result r;
	struct db_document d;
	struct db_tombstone t;
	struct wbuf b = { 0 };
	enum check_relation rel;

	if (u->too_big)
		return plain(s, conn, MHD_HTTP_CONTENT_TOO_LARGE, "Berkas terlalu besar",
			     "Berkas yang dapat diperiksa di sini paling besar sesuai batas yang "
			     "tertera pada formulir.");
	if (u->failed || !u->has_file || u->size == 0)
		return plain(s, conn, MHD_HTTP_BAD_REQUEST, "Tidak ada berkas",
			     "Pilih berkas PDF pada formulir, lalu kirim lagi.");
	if (lookup(s, id, &v, &d, &t) < 0)
		return unavailable(s, conn);
	if (!v.doc)
		return plain(s, conn, MHD_HTTP_NOT_FOUND, "TIDAK DIKENAL",
			     "Tidak ada dokumen dengan ID ini untuk dibandingkan.");
	if (!check_upload(s->c, u->fd, &r))
		return plain(s, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "Sedang sibuk",
			     "Pemeriksaan lain sedang berjalan. Coba lagi beberapa saat lagi.");
	rel = check_relation(s->c, d.store_path, u->fd);
	page_upload(&b, s->c, &v, &r, rel);
	wbuf_free(&r.report);
	return send_buf(conn, MHD_HTTP_OK, &b, 0);
}

/* post - an upload to PATH<ID>: started, fed, then checked. */
static enum MHD_Result
post(struct server *s, struct MHD_Connection *conn, const char *id, const char *data,
     size_t *size, void **con_cls)
{
	struct upload *u = *con_cls;
	const char *cl;
	char who[64];

	if (!u) {
		size_t max = (size_t)s->c->web.max_upload_kb * 1024;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (!max || !jobid_valid(id))
			return plain(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "Metode tidak diizinkan",
				     "Berkas hanya dapat dikirim dari halaman sebuah dokumen.");
		/* multipart adds a few hundred bytes around the file */
		if (cl && strtoull(cl, NULL, 10) > max + 4096)
			return plain(s, conn, MHD_HTTP_CONTENT_TOO_LARGE, "Berkas terlalu besar",
				     "Berkas yang dapat diperiksa di sini paling besar sesuai batas "
				     "yang tertera pada formulir.");
		client(s, conn, who, sizeof who);
		if (!limit_take(s->limit, who))
			return plain(s, conn, MHD_HTTP_TOO_MANY_REQUESTS, "Terlalu banyak permintaan",
				     "Tunggu satu menit, lalu coba lagi.");
		if (!(u = calloc(1, sizeof *u)))
			return MHD_NO;
		u->max = max;
		u->fd = memfd_create("sertel-upload", MFD_CLOEXEC);
		u->pp = MHD_create_post_processor(conn, 64 * 1024, upload_part, u);
		*con_cls = u;
		if (u->fd < 0 || !u->pp)
			return plain(s, conn, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "Formulir tidak dikenal",
				     "Kirim berkas melalui formulir pada halaman dokumen.");
		return MHD_YES;
	}
	if (*size) {
		if (!u->too_big && !u->failed && MHD_post_process(u->pp, data, *size) != MHD_YES &&
		    !u->too_big)
			u->failed = 1;
		*size = 0;
		return MHD_YES;
	}
	return checked(s, conn, id, u);
}

/* day_ok - s is YYYY-MM-DD in digits (the report checks the date itself). */
static int
day_ok(const char *s)
{
	return s && strlen(s) == 10 && strspn(s, "0123456789-") == 10 && s[4] == '-' && s[7] == '-';
}

/*
 * report - PATHlaporan?from=YYYY-MM-DD&to=YYYY-MM-DD[&pd=PD]: the supervision
 * report as HTML, for the clients in web.report_from only (Diskominfo's
 * workstations; nobody when the list is empty: as if there were no such
 * page), made by `sertel report --format html` in a limited child.
 */
static enum MHD_Result
report(struct server *s, struct MHD_Connection *conn, const char *who)
{
	/* the report's own style and inline SVG charts; still no script, no other origin */
	static const char csp[] = "default-src 'none'; style-src 'unsafe-inline'; "
				  "img-src 'self'; form-action 'none'; base-uri 'none'; "
				  "frame-ancestors 'none'";
	const char *from = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "from");
	const char *to = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "to");
	const char *pd = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "pd");
	struct check_result r;
	struct MHD_Response *resp;
	enum MHD_Result rc;

	if (!cfg_strs_has(&s->c->web.report_from, who))
		return plain(s, conn, MHD_HTTP_NOT_FOUND, "Halaman tidak ditemukan",
			     "Alamat ini tidak ada.");
	if (!day_ok(from) || !day_ok(to) || (pd && (!*pd || strlen(pd) > 63 ||
	    strspn(pd, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(pd))))
		return plain(s, conn, MHD_HTTP_BAD_REQUEST, "Permintaan tidak lengkap",
			     "Tulis periode laporan sebagai ?from=TTTT-BB-HH&to=TTTT-BB-HH "
			     "(dan &pd=kode bila hanya satu Perangkat Daerah).");
	if (!check_report(s->c, from, to, pd, &r))
		return plain(s, conn, MHD_HTTP_SERVICE_UNAVAILABLE, "Sedang sibuk",
			     "Laporan lain sedang dibuat. Coba lagi beberapa saat lagi.");
	if (!r.ran || r.exit != 0 || r.report.oom) {
		wbuf_free(&r.report);
		return plain(s, conn, r.ran && r.exit == 64 ? MHD_HTTP_BAD_REQUEST :
			     MHD_HTTP_SERVICE_UNAVAILABLE, "Laporan tidak dapat dibuat",
			     "Periksa periodenya (tanggal yang ada, awal sebelum akhir), atau coba "
			     "lagi nanti.");
	}
	resp = MHD_create_response_from_buffer(r.report.n, r.report.p, MHD_RESPMEM_MUST_COPY);
	wbuf_free(&r.report);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	rc = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return rc;
}

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
	if (!strcmp(method, "POST") && !strncmp(url, path, plen) && !strchr(url + plen, '/'))
		return post(s, conn, url + plen, upload, upload_size, con_cls);
	/* a request with a body, or another method, is answered at once (and the
	 * connection closed: the body is never read) */
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return plain(s, conn, MHD_HTTP_METHOD_NOT_ALLOWED, "Metode tidak diizinkan",
			     "Halaman ini hanya dapat dibaca (GET), atau menerima berkas dari "
			     "formulirnya (POST).");
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
	if (!strcmp(rest, "laporan"))
		return report(s, conn, who);
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
			     MHD_OPTION_NOTIFY_COMPLETED, done, NULL,
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
