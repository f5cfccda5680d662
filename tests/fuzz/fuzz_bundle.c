/*
 * fuzz_bundle.c - libFuzzer target: a dropped bundle (.zip, .tar, .tar.gz)
 * unpacked as the master unpacks it (pipeline/run_claim.c bundle_job): the input
 * is queue/<id>.bundle, bundle_extract (spool/bundle.c, libarchive) writes
 * its members flat into a fresh folder, which the spool then scans for
 * PDF+sidecar pairs as check_pairs does.  The folder is removed after each
 * input, as a refused bundle's is.
 *
 * The entry limit is the default (limits.bundle_max_entries); the byte limit
 * is 64 MiB instead of 1 GiB, so an input that inflates stays fast: it is
 * checked by the same code.
 */
#include "../../spool/bundle.h"
#include "../../spool/spool.h"
#include "fuzz.h"

#include <sys/stat.h>

static int dirfd_ = -1;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((dirfd_ = open(fuzz_scratch(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		abort();
	return 0;
}

/* count - every drop the scan finds (pairs and strays alike). */
static int
count(void *arg, const struct drop *d)
{
	(void)d;
	++*(int *)arg;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_limits lim = { 1000, 64LL << 20 };
	struct scan_stats st = { 0 };
	struct err e;
	int xfd, n = 0;

	if (size > FUZZ_MAX_INPUT)
		return 0;
	fuzz_write(fuzz_scratch(), "in.bundle", data, size);
	fs_rm_dir(dirfd_, "x");
	if (mkdirat(dirfd_, "x", 0750) < 0 ||
	    (xfd = openat(dirfd_, "x", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		abort();
	err_clear(&e);
	if (bundle_extract(dirfd_, "in.bundle", xfd, &lim, &e) == 0)
		spool_scan_dirfd(xfd, "diskominfo", time(NULL) + 3600, 0, 0, count, &n, &st);
	close(xfd);
	fs_rm_dir(dirfd_, "x");
	return 0;
}
