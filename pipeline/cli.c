/*
 * cli.c - where the configuration is, for every command (see cli.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "../config/cfg.h"
#include "../db/db.h"
#include "cli.h"

struct cli_opts cli;

const char *
cli_config_path(const char *opt, int *is_default)
{
	const char *p = opt ? opt : cli.config;

	*is_default = 0;
	if (p == NULL || *p == '\0')
		p = getenv("SERTEL_CONFIG");
	if (p == NULL || *p == '\0') {
		*is_default = 1;
		p = CLI_DEFAULT_CONFIG;
	}
	return p;
}

struct cfg *
cli_config(void)
{
	int is_default;
	const char *path = cli_config_path(NULL, &is_default);
	struct cfg *c;
	struct err e;

	if ((c = cfg_load(path, &e)) == NULL) {
		fprintf(stderr, "sertel: %s: %s\n", e.code ? e.code : "config", e.detail);
		exit(EX_CONFIG);
	}
	err_set_helpdesk(c->helpdesk);
	return c;
}

struct cfg *
cli_config_optional(const char *opt, int *rc)
{
	int is_default;
	const char *path = cli_config_path(opt, &is_default);
	struct cfg *c;
	struct err e;

	*rc = 0;
	if (is_default && access(path, R_OK) != 0)
		return NULL;	/* no configuration at all: fine */
	if ((c = cfg_load(path, &e)) != NULL) {
		err_set_helpdesk(c->helpdesk);
		return c;
	}
	if (is_default) {
		fprintf(stderr, "sertel: warning: %s: %s (verifying without it)\n", path, e.detail);
		return NULL;
	}
	fprintf(stderr, "sertel: %s: %s\n", e.code ? e.code : "config", e.detail);
	*rc = EX_CONFIG;
	return NULL;
}

int
cli_db_exit(const struct err *e)
{
	fprintf(stderr, "sertel: %s\n", e->detail);
	return db_exit(e);
}
