/*
 * limit.c - token buckets per client address (see limit.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "limit.h"

#define SLOTS	4096		/* addresses remembered */
#define WAYS	8		/* slots an address may take */

struct slot {
	char addr[48];
	double tokens, seen;	/* seen: monotonic seconds */
};

struct limit {
	pthread_mutex_t mu;
	double rate, burst;	/* tokens per second, bucket size */
	struct slot s[SLOTS];
};

struct limit *
limit_new(long per_minute)
{
	struct limit *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	pthread_mutex_init(&l->mu, NULL);
	l->rate = (double)per_minute / 60.0;
	l->burst = (double)per_minute;
	return l;
}

/* hash - FNV-1a of s. */
static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

int
limit_take(struct limit *l, const char *client)
{
	struct timespec ts;
	struct slot *sl = NULL, *old = NULL;
	unsigned h = hash(client);
	double now;
	int i, ok;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
	pthread_mutex_lock(&l->mu);
	for (i = 0; i < WAYS; i++) {
		struct slot *s = &l->s[(h + (unsigned)i) % SLOTS];
		if (!strcmp(s->addr, client)) {
			sl = s;
			break;
		}
		if (!old || s->seen < old->seen)
			old = s;
	}
	if (!sl) {
		sl = old;
		strncpy(sl->addr, client, sizeof sl->addr - 1);
		sl->addr[sizeof sl->addr - 1] = '\0';
		sl->tokens = l->burst;
		sl->seen = now;
	}
	sl->tokens += (now - sl->seen) * l->rate;
	if (sl->tokens > l->burst)
		sl->tokens = l->burst;
	sl->seen = now;
	if ((ok = sl->tokens >= 1.0))
		sl->tokens -= 1.0;
	pthread_mutex_unlock(&l->mu);
	return ok;
}

void
limit_free(struct limit *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l);
}
