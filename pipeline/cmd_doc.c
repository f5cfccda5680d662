/*
 * cmd_doc.c - `sertel doc show ID` and `sertel doc list [--pd PD] [--limit N]`:
 * the signed documents in the database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "../base/jobid.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "cli.h"

/* usage - the synopsis on stderr; EX_USAGE. */
static int
usage(void)
{
	fprintf(stderr, "usage: sertel doc show ID\n       sertel doc list [--pd PD] [--limit N]\n");
	return EX_USAGE;
}

int
cmd_doc(int argc, char **argv)
{
	const char *pd = NULL;
	struct cfg *c;
	struct db *db;
	struct err e;
	int rc = EX_USAGE, limit = 100, i;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "show") && argc == 3 && !jobid_valid(argv[2])) {
		fprintf(stderr, "sertel: '%s' is not a document ID (16 characters, 2-9 and A-Z "
			"without I and O)\n", argv[2]);
		return EX_DATAERR;
	}
	c = cli_config();
	if (!(db = db_open(c->state_dir, &e))) {
		fprintf(stderr, "sertel: %s\n", e.detail);
		cfg_free(c);
		return EX_TEMPFAIL;
	}
	if (!strcmp(argv[1], "show") && argc == 3) {
		rc = db_doc_show(db, argv[2], stdout);
		if (rc == 0)
			fprintf(stderr, "sertel: no signed document with ID %s\n", argv[2]);
		rc = rc == 1 ? 0 : rc == 0 ? EX_UNAVAILABLE : EX_TEMPFAIL;
	} else if (!strcmp(argv[1], "list")) {
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--pd") && i + 1 < argc)
				pd = argv[++i];
			else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
				limit = atoi(argv[++i]);
			else
				break;
		}
		rc = i < argc ? EX_USAGE : db_doc_list(db, pd, limit, stdout) < 0 ? EX_TEMPFAIL : 0;
	}
	db_close(db);
	cfg_free(c);
	return rc == EX_USAGE ? usage() : rc;
}
