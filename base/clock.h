/* clock.h - monotonic seconds, for rates, deadlines and progress. */
#ifndef SERTEL_CLOCK_H
#define SERTEL_CLOCK_H

#include <time.h>

static inline double
clock_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
