/*
 * cmd_version.c - `sertel version`: sertel's version and the libraries it
 * was built with, for bug reports.
 */
#include <stdio.h>

#include <archive.h>
#include <mupdf/fitz.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <yaml.h>

#include "cli.h"

#define SERTEL_VERSION "0.1.0"

int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("sertel %s\n  %s\n  MuPDF %s\n  %s\n  SQLite %s\n  libyaml %s\n", SERTEL_VERSION,
	       OpenSSL_version(OPENSSL_VERSION), FZ_VERSION, archive_version_details(),
	       sqlite3_libversion(), yaml_get_version_string());
	return 0;
}
