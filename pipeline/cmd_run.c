/*
 * cmd_run.c - `sertel run --once` (the nightly batch) and `sertel watch` (the
 * daemon): one loop, run.c; watch keeps going, woken by inotify.
 */
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "cli.h"
#include "run.h"

int
cmd_run(int argc, char **argv)
{
	int once = 0, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--once"))
			once = 1;
		else {
			fprintf(stderr, "usage: sertel run --once\n");
			return EX_USAGE;
		}
	}
	if (!once) {
		fprintf(stderr, "sertel: 'run' needs --once (for the daemon use 'sertel watch')\n");
		return EX_USAGE;
	}
	return run_main(cli_config(), 0, cli.quiet);
}

int
cmd_watch(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: sertel watch\n");
		return EX_USAGE;
	}
	return run_main(cli_config(), 1, cli.quiet);
}
