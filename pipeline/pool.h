/*
 * pool.h - the master's view of its worker processes.
 *
 * One SOCK_SEQPACKET socket per worker: a job goes down as one datagram, the
 * outcome comes back as one.  A worker that dies (crash, SIGXCPU, OOM) or
 * overruns the wall-clock limit (killed here) is replaced, and the job it
 * held is handed back as POOL_LOST so the master can count attempts.
 */
#ifndef SERTEL_POOL_H
#define SERTEL_POOL_H

#include <sys/types.h>

#include "../base/outcome.h"
#include "../spool/spool.h"

struct pool_slot {
	pid_t pid;
	int fd;
	int busy, killed;
	struct job job;
	double started;
};

struct pool {
	int n;
	struct pool_slot *s;
	long timeout;			/* seconds of wall clock per document */
	void (*child)(int sock, int keyfd, void *arg);
	void *arg;
	int (*channel)(void *arg);	/* a worker's socket to the key process, or -1;
					 * NULL: none */
	void *channel_arg;
};

enum pool_event_kind { POOL_DONE, POOL_LOST };

struct pool_event {
	enum pool_event_kind kind;
	struct job job;
	struct outcome out;		/* POOL_DONE */
	int timed_out;			/* POOL_LOST: killed for time, CPU or memory */
	char why[96];			/* POOL_LOST: how the worker ended */
	int slot;
};

/* pool_start - n workers running child; set p->channel first (after a memset) for key channels. */
int pool_start(struct pool *p, int n, long timeout, void (*child)(int, int, void *), void *arg);
/*
 * pool_recycle_idle - end every idle worker and start a new one in its slot
 * (the key process was restarted: their channels to it are dead).
 */
void pool_recycle_idle(struct pool *p);
/* pool_recycle - the same for slot i, when idle (its worker ends by itself: it lost its channel). */
void pool_recycle(struct pool *p, int i);
/*
 * pool_respawn - start the worker of every slot whose restart failed (out of
 * descriptors or processes at the time); the number of slots with a worker.
 */
int pool_respawn(struct pool *p);
/* pool_idle - a free slot, or -1. */
int pool_idle(const struct pool *p);
int pool_busy(const struct pool *p);
int pool_submit(struct pool *p, int slot, const struct job *j);
/*
 * pool_wait - wait up to timeout_ms for outcomes, and for any of the nextra
 * descriptors in extra (those < 0 are ignored) to become readable: bit i of
 * *ready is set for extra[i].  Returns the number of events stored in ev (at
 * most max), or -1 on error.
 */
int pool_wait(struct pool *p, const int *extra, int nextra, int timeout_ms, struct pool_event *ev,
	      int max, unsigned *ready);
/* pool_stop - close every socket (workers exit when idle) and reap them. */
void pool_stop(struct pool *p);

#endif
