/*
 * pool.c - worker processes and their supervision (see pool.h).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/clock.h"
#include "../base/exits.h"
#include "../base/log.h"
#include "pool.h"

/* spawn - start the worker of slot i. */
static int
spawn(struct pool *p, int i)
{
	int sv[2], k, kfd;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	/* An outcome is one datagram: make sure the socket can carry it. */
	k = (int)sizeof(struct outcome) * 2 + 4096;
	setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &k, sizeof k);
	setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &k, sizeof k);
	kfd = p->channel ? p->channel(p->channel_arg) : -1;
	pid = fork();
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		if (kfd >= 0)
			close(kfd);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		for (k = 0; k < p->n; k++)	/* other workers' sockets are not ours */
			if (k != i && p->s[k].fd >= 0)
				close(p->s[k].fd);
		p->child(sv[1], kfd, p->arg);
		_exit(0);
	}
	close(sv[1]);
	if (kfd >= 0)
		close(kfd);	/* the worker's alone */
	p->s[i].pid = pid;
	p->s[i].fd = sv[0];
	p->s[i].busy = p->s[i].killed = 0;
	return 0;
}

int
pool_start(struct pool *p, int n, long timeout, void (*child)(int, int, void *), void *arg)
{
	int i;

	p->n = n;
	p->timeout = timeout;
	p->child = child;
	p->arg = arg;
	if (!(p->s = calloc((size_t)n, sizeof *p->s)))
		return -1;
	for (i = 0; i < n; i++)
		p->s[i].fd = -1;
	for (i = 0; i < n; i++)
		if (spawn(p, i) < 0)
			return -1;
	return 0;
}

int
pool_respawn(struct pool *p)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		if (p->s[i].fd >= 0 || spawn(p, i) == 0)
			n++;
	return n;
}

int
pool_idle(const struct pool *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (!p->s[i].busy && p->s[i].fd >= 0)
			return i;
	return -1;
}

int
pool_busy(const struct pool *p)
{
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		n += p->s[i].busy;
	return n;
}

int
pool_submit(struct pool *p, int i, const struct job *j)
{
	struct pool_slot *s = &p->s[i];

	s->job = *j;
	s->busy = 1;
	s->started = clock_mono();
	if (send(s->fd, j, sizeof *j, MSG_NOSIGNAL) != (ssize_t)sizeof *j)
		return -1;	/* the worker is gone: pool_wait reports it as lost */
	return 0;
}

/* reap - collect a dead worker, describe its end, restart the slot. */
static void
reap(struct pool *p, int i, struct pool_event *ev)
{
	struct pool_slot *s = &p->s[i];
	int status = 0;

	close(s->fd);
	s->fd = -1;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (ev) {
		ev->kind = POOL_LOST;
		ev->slot = i;
		ev->job = s->job;
		ev->timed_out = s->killed || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU) ||
				(WIFEXITED(status) && WEXITSTATUS(status) == EX_WORKER_NOMEM);
		if (s->killed)
			snprintf(ev->why, sizeof ev->why, "killed after %lds wall clock", p->timeout);
		else if (WIFEXITED(status) && WEXITSTATUS(status) == EX_WORKER_NOMEM)
			snprintf(ev->why, sizeof ev->why, "ran out of memory");
		else if (WIFSIGNALED(status))
			snprintf(ev->why, sizeof ev->why, "killed by signal %d (%s)", WTERMSIG(status),
				 strsignal(WTERMSIG(status)));
		else
			snprintf(ev->why, sizeof ev->why, "exited with status %d",
				 WEXITSTATUS(status));
	}
	s->busy = 0;
	if (spawn(p, i) < 0)
		log_err(NULL, "cannot restart worker %d: %s", i, strerror(errno));
}

/* expire - kill workers that overran the wall-clock limit; return ms to the next deadline. */
static int
expire(struct pool *p, int timeout_ms)
{
	double t = clock_mono();
	int i;

	for (i = 0; i < p->n; i++) {
		struct pool_slot *s = &p->s[i];
		double left;
		if (!s->busy || s->killed || p->timeout <= 0)
			continue;
		left = s->started + (double)p->timeout - t;
		if (left <= 0) {
			log_warn(s->job.id, "worker %d overran %lds, killing it", (int)s->pid,
				 p->timeout);
			kill(s->pid, SIGKILL);
			s->killed = 1;
		} else if (timeout_ms < 0 || left * 1000 < timeout_ms) {
			timeout_ms = (int)(left * 1000) + 1;
		}
	}
	return timeout_ms;
}

int
pool_wait(struct pool *p, const int *extra, int nextra, int timeout_ms, struct pool_event *ev,
	  int max, unsigned *ready)
{
	struct pollfd pf[p->n + nextra];
	int i, n = 0, nev = 0;

	*ready = 0;
	timeout_ms = expire(p, timeout_ms);
	for (i = 0; i < p->n; i++) {
		pf[i].fd = p->s[i].fd;
		pf[i].events = POLLIN;
		pf[i].revents = 0;
	}
	for (i = 0; i < nextra; i++) {
		pf[p->n + i].fd = extra[i];
		pf[p->n + i].events = POLLIN;
		pf[p->n + i].revents = 0;
	}
	n = poll(pf, (nfds_t)(p->n + nextra), timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	for (i = 0; i < nextra; i++)
		if (extra[i] >= 0 && (pf[p->n + i].revents & (POLLIN | POLLHUP | POLLERR)))
			*ready |= 1u << i;
	for (i = 0; i < p->n && nev < max; i++) {
		struct pool_slot *s = &p->s[i];
		ssize_t r;
		if (!pf[i].revents)
			continue;
		if (pf[i].revents & POLLIN) {
			r = recv(s->fd, &ev[nev].out, sizeof ev[nev].out, MSG_DONTWAIT);
			if (r == (ssize_t)sizeof ev[nev].out && s->busy) {
				ev[nev].kind = POOL_DONE;
				ev[nev].slot = i;
				ev[nev].job = s->job;
				s->busy = 0;
				nev++;
				continue;
			}
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
		}
		/* EOF, error or a malformed answer: the worker is done for. */
		if (s->busy)
			reap(p, i, &ev[nev++]);
		else
			reap(p, i, NULL);
	}
	expire(p, -1);
	return nev;
}

void
pool_recycle(struct pool *p, int i)
{
	struct pool_slot *s = &p->s[i];
	int status;

	if (s->busy || s->fd < 0)
		return;
	close(s->fd);	/* an idle worker exits when its socket closes */
	s->fd = -1;
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (spawn(p, i) < 0)
		log_err(NULL, "cannot restart worker %d: %s", i, strerror(errno));
}

void
pool_recycle_idle(struct pool *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		pool_recycle(p, i);
}

void
pool_stop(struct pool *p)
{
	int i, status;

	for (i = 0; i < p->n; i++)
		if (p->s[i].fd >= 0) {
			close(p->s[i].fd);
			p->s[i].fd = -1;
		}
	for (i = 0; i < p->n; i++)
		if (p->s[i].pid > 0)
			while (waitpid(p->s[i].pid, &status, 0) < 0 && errno == EINTR)
				;
	free(p->s);
	p->s = NULL;
	p->n = 0;
}
