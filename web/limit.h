/*
 * limit.h - per-client rate limit of the verification pages: a token bucket
 * per client address in a fixed table (memory does not grow with clients;
 * the least recently seen address gives way).
 */
#ifndef SERTEL_LIMIT_H
#define SERTEL_LIMIT_H

struct limit;

/* limit_new - per_minute requests a minute per client, as a burst too; NULL when out of memory. */
struct limit *limit_new(long per_minute);
/* limit_take - 1 when client (a numeric address) may make one more request now, else 0. */
int limit_take(struct limit *l, const char *client);
void limit_free(struct limit *l);

#endif
