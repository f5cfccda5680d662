/*
 * bundle.h - unpacking a .zip/.tar/.tar.gz of PDF+sidecar pairs, safely.
 *
 * An archive from a drop folder is untrusted: every entry is checked before a
 * byte is written (no absolute paths, no "..", no links or device files, no
 * hidden names), and the entry count and total uncompressed size are capped
 * while reading, so a bomb stops at the limit instead of filling the disk.
 * Members are written flat (a folder inside the archive is flattened); two
 * members with the same name are a conflict.
 */
#ifndef SERTEL_BUNDLE_H
#define SERTEL_BUNDLE_H

#include "../base/err.h"

struct bundle_limits {
	long max_entries;
	long long max_bytes;
};

/*
 * bundle_extract - unpack dirfd/name into destfd.  On failure the caller
 * discards destfd's contents; codes: bundle.corrupt, bundle.unsafe_entry,
 * bundle.limit, bundle.conflict, io.error.
 */
int bundle_extract(int dirfd, const char *name, int destfd, const struct bundle_limits *lim,
		   struct err *e);

#endif
