/*
 * committer.c - the commit thread (see committer.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "committer.h"

struct committer {
	struct commit_env *env;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int pipe[2];		/* the thread writes one byte per finished batch */
	struct finished *v;
	size_t n;
	int submitted, finished, quit, rc;
	struct err err;
};

/* committer_main - commit each batch handed over, until told to quit. */
static void *
committer_main(void *arg)
{
	struct committer *c = arg;
	struct err e;
	int rc;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->quit && (!c->submitted || c->finished))
			pthread_cond_wait(&c->cond, &c->lock);
		if (c->quit)
			break;
		pthread_mutex_unlock(&c->lock);
		memset(&e, 0, sizeof e);
		rc = commit_batch(c->env, c->v, c->n, &e);
		pthread_mutex_lock(&c->lock);
		c->rc = rc;
		c->err = e;
		c->finished = 1;
		pthread_cond_broadcast(&c->cond);
		if (write(c->pipe[1], "", 1) < 0 && errno != EAGAIN)
			break;
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

struct committer *
committer_start(struct commit_env *env)
{
	struct committer *c = calloc(1, sizeof *c);

	if (!c)
		return NULL;
	c->env = env;
	if (pipe2(c->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	if (pthread_create(&c->thread, NULL, committer_main, c) != 0) {
		close(c->pipe[0]);
		close(c->pipe[1]);
		free(c);
		return NULL;
	}
	return c;
}

int
committer_fd(const struct committer *c)
{
	return c->pipe[0];
}

int
committer_busy(const struct committer *c)
{
	return c->submitted;
}

int
committer_submit(struct committer *c, struct finished *v, size_t n)
{
	pthread_mutex_lock(&c->lock);
	if (c->submitted) {
		pthread_mutex_unlock(&c->lock);
		return -1;
	}
	c->v = v;
	c->n = n;
	c->submitted = 1;
	c->finished = 0;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

int
committer_reap(struct committer *c, int wait, struct finished **v, size_t *n, int *rc,
	       struct err *e)
{
	char buf[64];
	int got = 0;

	pthread_mutex_lock(&c->lock);
	while (wait && c->submitted && !c->finished)
		pthread_cond_wait(&c->cond, &c->lock);
	if (c->submitted && c->finished) {
		*v = c->v;
		*n = c->n;
		*rc = c->rc;
		*e = c->err;
		c->submitted = c->finished = 0;
		got = 1;
	}
	pthread_mutex_unlock(&c->lock);
	while (read(c->pipe[0], buf, sizeof buf) > 0)
		;
	return got;
}

void
committer_stop(struct committer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	while (c->submitted && !c->finished)
		pthread_cond_wait(&c->cond, &c->lock);
	c->quit = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_mutex_destroy(&c->lock);
	pthread_cond_destroy(&c->cond);
	close(c->pipe[0]);
	close(c->pipe[1]);
	free(c);
}
