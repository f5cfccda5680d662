/*
 * run.h - the master: recover, claim, dispatch to workers, group-commit.
 * `sertel run --once` and `sertel watch` are the same loop; watch keeps going,
 * woken by inotify.
 */
#ifndef SERTEL_RUN_H
#define SERTEL_RUN_H

struct cfg;

/*
 * run_main - takes ownership of c (a reload reads c->path again and replaces it).  Exit status: 0 all
 * signed, 1 something failed, 75 temporary failure (--once: also documents that wait in the
 * queue for delivery).
 */
int run_main(struct cfg *c, int watch, int quiet);

#endif
