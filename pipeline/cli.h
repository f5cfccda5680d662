/*
 * cli.h - what every command shares: the global options and where the
 * configuration is.
 *
 * The configuration is --config FILE (before or, for verify, after the
 * command), else $SERTEL_CONFIG, else /etc/sertel/sertel.yaml: decided here
 * only.  Commands are `int cmd_NAME(int argc, char **argv)` (argv[0] is the
 * command's name), listed once in main.c's table, one file each.
 */
#ifndef SERTEL_CLI_H
#define SERTEL_CLI_H

struct cfg;

#define CLI_DEFAULT_CONFIG "/etc/sertel/sertel.yaml"

struct cli_opts {
	const char *config;	/* --config before the command, or NULL */
	int verbose, quiet;
};

extern struct cli_opts cli;

/*
 * cli_config_path - where the configuration is: opt (a command's own
 * --config) when given, else the global --config, else $SERTEL_CONFIG, else
 * the default, with *is_default = 1.
 */
const char *cli_config_path(const char *opt, int *is_default);
/* cli_config - the configuration, or exit 78 (EX_CONFIG) with file:line:column. */
struct cfg *cli_config(void);
/*
 * cli_config_optional - for commands that work without one (verify): NULL
 * when none is named and the default does not exist or does not load (a
 * warning); *rc = EX_CONFIG when a named one cannot be loaded.
 */
struct cfg *cli_config_optional(const char *opt, int *rc);

struct err;
/* cli_db_exit - a database error said on stderr; its exit: restore the file (74) or retry (75). */
int cli_db_exit(const struct err *e);

/* The commands. */
int cmd_run(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_augment(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_paraf(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_doc(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* cmd_backup - `backup DIR` and `restore DIR` (argv[0] says which). */
int cmd_backup(int argc, char **argv);
int cmd_prune(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_deletion(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_cert(int argc, char **argv);

#endif
