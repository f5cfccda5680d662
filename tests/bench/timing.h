/*
 * timing.h - the clocks and the median the bench programs share.
 */
#ifndef SERTEL_BENCH_TIMING_H
#define SERTEL_BENCH_TIMING_H

#include <stdlib.h>
#include <time.h>

/* clock_ms - clock id in milliseconds. */
static inline double
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline double
now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static inline int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* median - of v's n values (v is sorted). */
static inline double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, dcmp);
	return v[n / 2];
}

#endif
