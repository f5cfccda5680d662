/*
 * cmd_serve.c - `sertel serve [--listen ADDR:PORT]`: the verification pages
 * the QR codes lead to (web/), as its own process.
 *
 * It loads the configuration but never a keystore, and opens the database
 * read-only (SQLite SQLITE_OPEN_READONLY): a hole in the HTTP side can
 * neither sign nor change a record.  SIGTERM or SIGINT stops it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "../base/log.h"
#include "../config/cfg.h"
#include "../config/cfg_web.h"
#include "../db/db.h"
#include "../web/web.h"
#include "cli.h"

int
cmd_serve(int argc, char **argv)
{
	const char *listen = NULL, *why;
	struct sockaddr_storage sa;
	socklen_t len;
	sigset_t stop;
	struct cfg *c;
	struct db *db;
	struct err e = { 0 };
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--listen") && i + 1 < argc) {
			listen = argv[++i];
		} else {
			fprintf(stderr, "usage: sertel serve [--listen ADDR:PORT]\n");
			return EX_USAGE;
		}
	}
	if (listen && (why = cfg_web_listen(listen, &sa, &len)) != NULL) {
		fprintf(stderr, "sertel: --listen '%s' %s\n", listen, why);
		return EX_USAGE;
	}
	c = cli_config();
	if (!listen) {
		listen = c->web.listen;
		cfg_web_listen(listen, &sa, &len);	/* checked when loaded */
	}
	if (!(db = db_open_readonly(c->state_dir, &e))) {
		cfg_free(c);
		return cli_db_exit(&e);
	}
	/* blocked before any thread starts: every thread inherits it, sigwait takes it */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_info(NULL, "serve: %s<ID> on %s (%s)", c->web.path, listen,
		 c->web.public_url ? c->web.public_url : "no public URL configured");
	if (web_serve(c, db, (const struct sockaddr *)&sa, &stop, &e) < 0) {
		fprintf(stderr, "sertel: serve: cannot listen on %s: %s\n", listen, e.detail);
		rc = EX_TEMPFAIL;
	}
	db_close(db);
	cfg_free(c);
	return rc;
}
