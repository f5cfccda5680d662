/*
 * waiting.h - what lies in incoming/ not yet taken: per folder, how many
 * files and since when.  `sertel status` shows it, and a run's summary
 * names what it left behind.
 */
#ifndef SERTEL_WAITING_H
#define SERTEL_WAITING_H

#include <stddef.h>
#include <time.h>

#include "spool.h"

/* One folder of incoming/. */
struct spool_waiting {
	char pd[PD_MAX];
	long files;		/* files in it, clutter and writes in progress not counted */
	time_t oldest;		/* the oldest one's mtime; 0 when none */
};

/*
 * spool_waiting - each folder of ROOT/incoming that could be a PD's (valid
 * name), at most cap, in the order listed; how many, or -1 (errno) when
 * incoming/ cannot be listed.
 */
int spool_waiting(const char *root, struct spool_waiting *w, size_t cap);

#endif
