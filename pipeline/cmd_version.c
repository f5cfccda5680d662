/*
 * cmd_version.c - `sertel version`: sertel's version and every library it is
 * linked with, as each reports its own version at run time where it can
 * (what was loaded, not what was compiled against), for bug reports and
 * security notices.  MuPDF is linked statically with its third-party
 * decoders; those print the version they were built from.
 */
#include <stdio.h>

#include <archive.h>
#include <curl/curl.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb.h>
#include <jbig2.h>
#include <mupdf/fitz.h>
#include <openjpeg.h>
#include <openssl/crypto.h>
#include <png.h>
#include <sqlite3.h>
#include <yaml.h>
#include <zint.h>
#include <zlib.h>

#include "../db/migrate.h"
#include "cli.h"

#define SERTEL_VERSION "0.1.0"

int
cmd_version(int argc, char **argv)
{
	int z = ZBarcode_Version();

	(void)argc;
	(void)argv;
	printf("sertel %s (database schema %d)\n", SERTEL_VERSION, migrate_count());
	printf("  %s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("  MuPDF %s (static), with FreeType %d.%d.%d, HarfBuzz %s, OpenJPEG %s, "
	       "jbig2dec %d.%d\n", FZ_VERSION, FREETYPE_MAJOR, FREETYPE_MINOR, FREETYPE_PATCH,
	       hb_version_string(), opj_version(), JBIG2_VERSION_MAJOR, JBIG2_VERSION_MINOR);
	printf("  %s\n", archive_version_details());
	printf("  SQLite %s\n", sqlite3_libversion());
	printf("  libyaml %s\n", yaml_get_version_string());
	printf("  %s\n", curl_version());
	printf("  libzint %d.%d.%d\n", z / 10000, z / 100 % 100, z % 100);
	printf("  libpng %s, zlib %s\n", png_get_libpng_ver(NULL), zlibVersion());
	return 0;
}
