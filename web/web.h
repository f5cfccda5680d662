/*
 * web.h - `sertel serve`: the verification pages over HTTP (libmicrohttpd),
 * from a read-only database connection, no signing keys in the process.
 *   wbuf.c    response bodies, HTML and JSON escaping
 *   page.c    the page and its JSON, in Bahasa Indonesia
 *   limit.c   per-client rate limit
 *   check.c   an uploaded PDF: `sertel verify` in a limited child, the stored copy compared
 *   server.c  HTTP: routes, headers, limits, the time floor
 */
#ifndef SERTEL_WEB_H
#define SERTEL_WEB_H

#include <signal.h>
#include <sys/socket.h>

#include "../base/err.h"

struct cfg;
struct db;

/*
 * web_serve - answer on sa (c->web's settings, the pages from db) until a
 * signal of stop arrives (blocked by the caller before, so every thread
 * inherits the block); 0, or -1 with e (the address cannot be bound).
 */
int web_serve(const struct cfg *c, struct db *db, const struct sockaddr *sa,
	      const sigset_t *stop, struct err *e);

#endif
