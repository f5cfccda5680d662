/*
 * main.c - `sertel <command>`: one table of subcommands, as mutool does it.
 * Each command is in its own cmd_*.c; cli.c says where the configuration is.
 *
 * Exit codes are <sysexits.h>: 0 ok, 1 some documents failed (or refused),
 * EX_USAGE, EX_DATAERR, EX_NOINPUT, EX_UNAVAILABLE (not found), EX_SOFTWARE,
 * EX_CANTCREAT, EX_TEMPFAIL (retry), EX_CONFIG; `verify` has its own verdicts.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sysexits.h>

#include "../base/log.h"
#include "cli.h"

static int cmd_help(int argc, char **argv);

static const struct command {
	int (*fn)(int, char **);
	const char *name, *help;
} commands[] = {
	{ cmd_run, "run", "run --once: sign everything waiting in the spool, then exit" },
	{ cmd_watch, "watch", "daemon: sign drops as they arrive (SIGTERM stops, SIGHUP reloads)" },
	{ cmd_augment, "augment", "augment: add the timestamps deferred by timestamp.on_failure: sign_bb" },
	{ cmd_verify, "verify", "verify FILE.pdf [--json] [--trust CA.pem]: check signatures (integrity apart from trust)" },
	{ cmd_validate, "validate", "validate FILE.pdf [FILE.yaml] [--pd PD]: the checks, without signing" },
	{ cmd_paraf, "paraf", "paraf FILE.pdf --nip NIP --role ROLE [--note TEXT]: record a paraf in FILE.yaml" },
	{ cmd_config, "config", "config check: validate the configuration, the server's files and every keystore" },
	{ cmd_doc, "doc", "doc show ID | doc list [--pd PD]: the stored signed documents" },
	{ cmd_deletion, "deletion", "deletion new --officer NIP --reason TEXT ID... | deletion submit FILE: delete signed documents by berita acara" },
	{ cmd_cert, "cert", "cert request|verify|reject|import|revoke|list|show: the certificate registry (sertel cert for the options)" },
	{ cmd_audit, "audit", "audit verify [--head SEQ:HASH] | audit show [--id ID] [--nip NIP] [--pd PD] [--from DATE] [--to DATE]: the audit trail" },
	{ cmd_report, "report", "report --from DATE --to DATE [--pd PD] [--format pdf|csv|json|html] [-o FILE]: the supervision report (Pasal 23)" },
	{ cmd_backup, "backup", "backup DIR: a consistent copy of the database and the store, with a MANIFEST (sha256sum -c)" },
	{ cmd_backup, "restore", "restore DIR: a backup checked and put into an empty state folder" },
	{ cmd_prune, "prune", "prune [--dry-run]: remove files older than limits.keep_done_days/keep_failed_days from done/ and failed/" },
	{ cmd_serve, "serve", "serve [--listen ADDR:PORT]: the verification pages the QR codes lead to (read-only, no keys)" },
	{ cmd_notify, "notify", "notify: mail each PD's new refusals to its contacts (notify: in sertel.yaml)" },
	{ cmd_status, "status", "status [--json]: the daemon, what waits where and since when, the last 24 hours, timestamps, certificates ending" },
	{ cmd_version, "version", "versions of sertel and the libraries it uses" },
	{ cmd_help, "help", "this list" },
};

static int
cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("usage: sertel [--config FILE] [-v|-q] COMMAND [ARGS]\n\n"
	       "The configuration is --config, else $SERTEL_CONFIG, else " CLI_DEFAULT_CONFIG ".\n\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].help);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 },
	};
	struct rlimit nocore = { 0, 0 };
	size_t i;
	int c;

	/* Keys live in this process: no core dumps, no ptrace by other users. */
	setrlimit(RLIMIT_CORE, &nocore);
	prctl(PR_SET_DUMPABLE, 0);
	while ((c = getopt_long(argc, argv, "+c:vqhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cli.config = optarg; break;
		case 'v': cli.verbose = 1; break;
		case 'q': cli.quiet = 1; break;
		case 'h': return cmd_help(0, NULL);
		case 'V': return cmd_version(0, NULL);
		default: return EX_USAGE;
		}
	}
	log_init("sertel", cli.verbose);
	if (optind >= argc)
		return cmd_help(0, NULL), EX_USAGE;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].fn(argc - optind, argv + optind);
	fprintf(stderr, "sertel: unknown command '%s' (see 'sertel help')\n", argv[optind]);
	return EX_USAGE;
}
