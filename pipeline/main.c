/*
 * main.c - `sertel <command>`: a table of subcommands, as mutool does it.
 *
 * Exit codes (sysexits): 0 ok, 1 some documents failed, 64 usage, 65 data,
 * 69 unavailable (not found), 75 temporary failure, 78 configuration.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <archive.h>
#include <mupdf/fitz.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <sqlite3.h>
#include <yaml.h>

#include "../config/cfg.h"
#include "cmd_augment.h"
#include "cmd_paraf.h"
#include "cmd_validate.h"
#include "cmd_verify.h"
#include "../db/db.h"
#include "../base/jobid.h"
#include "../base/log.h"
#include "run.h"
#include "../pki/signers.h"

#define SERTEL_VERSION "0.1.0"

static const char *config_path;
static int verbose, quiet;

/* load_config - the configuration or exit 78 with file:line:column. */
static struct cfg *
load_config(void)
{
	struct err e;
	struct cfg *c;

	if (!config_path)
		config_path = getenv("SERTEL_CONFIG");
	if (!config_path)
		config_path = "/etc/sertel/sertel.yaml";
	if (!(c = cfg_load(config_path, &e))) {
		fprintf(stderr, "sertel: %s: %s\n", e.code ? e.code : "config", e.detail);
		exit(78);
	}
	return c;
}

static int
cmd_run(int argc, char **argv)
{
	int once = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--once"))
			once = 1;
		else {
			fprintf(stderr, "usage: sertel run --once\n");
			return 64;
		}
	}
	if (!once) {
		fprintf(stderr, "sertel: 'run' needs --once (for the daemon use 'sertel watch')\n");
		return 64;
	}
	return run_main(config_path, load_config(), 0, quiet);
}

static int
cmd_watch(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: sertel watch\n");
		return 64;
	}
	return run_main(config_path, load_config(), 1, quiet);
}

static int
cmd_config(int argc, char **argv)
{
	BIO *out = BIO_new(BIO_s_mem());
	struct signer_set s;
	char until[64];
	struct cfg *c;
	size_t i;
	int n, bad = 0;

	if (argc != 2 || strcmp(argv[1], "check")) {
		fprintf(stderr, "usage: sertel config check\n");
		return 64;
	}
	c = load_config();
	printf("%s: syntax OK (%zu signer(s), %zu other official(s), %zu document type(s), "
	       "spool %s, state %s)\n", c->path, c->nsigners, c->nofficials - c->nsigners,
	       c->ndoctypes, c->spool_dir, c->state_dir);
	/* open every keystore as the daemon would: a wrong passphrase or an
	 * untrusted certificate shows now, not at the first document */
	signers_load(c, &s);
	for (i = 0; i < s.n; i++) {
		if (!s.keys[i].pkey) {
			printf("signer %s (%s): NOT USABLE: %s\n", c->signers[i].nip,
			       c->signers[i].name, s.errs[i].detail);
			bad++;
			continue;
		}
		ASN1_TIME_print(out, X509_get0_notAfter(s.keys[i].cert));
		n = BIO_read(out, until, sizeof until - 1);
		until[n > 0 ? n : 0] = '\0';
		printf("signer %s (%s): OK, certificate %s valid until %s\n", c->signers[i].nip,
		       c->signers[i].name, s.keys[i].serial, until);
	}
	signers_free(&s);
	BIO_free(out);
	cfg_free(c);
	/* 78 is for the file itself; a valid file with an unusable signer is a warning */
	return bad ? 1 : 0;
}

static int
cmd_doc(int argc, char **argv)
{
	const char *pd = NULL;
	struct cfg *c;
	struct db *db;
	struct err e;
	int rc = 64, limit = 100, i;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "show") && argc == 3 && !jobid_valid(argv[2])) {
		fprintf(stderr, "sertel: '%s' is not a document ID (16 characters, 2-9 and A-Z "
			"without I and O)\n", argv[2]);
		return 65;
	}
	c = load_config();
	if (!(db = db_open(c->state_dir, &e))) {
		fprintf(stderr, "sertel: %s\n", e.detail);
		cfg_free(c);
		return 75;
	}
	if (!strcmp(argv[1], "show") && argc == 3) {
		rc = db_doc_show(db, argv[2], stdout);
		if (rc == 0)
			fprintf(stderr, "sertel: no signed document with ID %s\n", argv[2]);
		rc = rc == 1 ? 0 : rc == 0 ? 69 : 75;
	} else if (!strcmp(argv[1], "list")) {
		for (i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--pd") && i + 1 < argc)
				pd = argv[++i];
			else if (!strcmp(argv[i], "--limit") && i + 1 < argc)
				limit = atoi(argv[++i]);
			else
				break;
		}
		rc = i < argc ? 64 : db_doc_list(db, pd, limit, stdout) < 0 ? 75 : 0;
	}
	db_close(db);
	cfg_free(c);
	if (rc != 64)
		return rc;
usage:
	fprintf(stderr, "usage: sertel doc show ID\n       sertel doc list [--pd PD] [--limit N]\n");
	return 64;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("sertel %s\n  %s\n  MuPDF %s\n  %s\n  SQLite %s\n  libyaml %s\n", SERTEL_VERSION,
	       OpenSSL_version(OPENSSL_VERSION), FZ_VERSION, archive_version_details(),
	       sqlite3_libversion(), yaml_get_version_string());
	return 0;
}

static int
cmd_validate_main(int argc, char **argv)
{
	return cmd_validate(load_config(), argc, argv);
}

static int
cmd_paraf_main(int argc, char **argv)
{
	return cmd_paraf(load_config(), argc, argv);
}

static int cmd_help(int argc, char **argv);

static int
cmd_augment_main(int argc, char **argv)
{
	return cmd_augment(load_config(), argc, argv);
}

static const struct command {
	int (*fn)(int, char **);
	const char *name, *help;
} commands[] = {
	{ cmd_run, "run", "run --once: sign everything waiting in the spool, then exit" },
	{ cmd_watch, "watch", "daemon: sign drops as they arrive (SIGTERM stops, SIGHUP reloads)" },
	{ cmd_augment_main, "augment", "augment: add the timestamps deferred by timestamp.on_failure: sign_bb" },
	{ cmd_verify, "verify", "verify FILE.pdf [--json] [--trust CA.pem]: check signatures (integrity apart from trust)" },
	{ cmd_validate_main, "validate", "validate FILE.pdf [FILE.yaml] [--pd PD]: the checks, without signing" },
	{ cmd_paraf_main, "paraf", "paraf FILE.pdf --nip NIP --role ROLE [--note TEXT]: record a paraf in FILE.yaml" },
	{ cmd_config, "config", "config check: validate the configuration and open every keystore" },
	{ cmd_doc, "doc", "doc show ID | doc list [--pd PD]: the stored signed documents" },
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
	       "The configuration is --config, else $SERTEL_CONFIG, else /etc/sertel/sertel.yaml.\n\n");
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
		case 'c': config_path = optarg; break;
		case 'v': verbose = 1; break;
		case 'q': quiet = 1; break;
		case 'h': return cmd_help(0, NULL);
		case 'V': return cmd_version(0, NULL);
		default: return 64;
		}
	}
	log_init("sertel", verbose);
	/* subcommands that load the configuration themselves (verify) see --config too */
	if (config_path)
		setenv("SERTEL_CONFIG", config_path, 1);
	if (optind >= argc)
		return cmd_help(0, NULL), 64;
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].fn(argc - optind, argv + optind);
	fprintf(stderr, "sertel: unknown command '%s' (see 'sertel help')\n", argv[optind]);
	return 64;
}
