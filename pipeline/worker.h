/*
 * worker.h - a worker process: takes one job at a time from its socket, runs
 * the document stages, answers with an outcome.  Isolated by setrlimit so a
 * document that hangs or explodes MuPDF kills one worker, not the run.
 */
#ifndef SERTEL_WORKER_H
#define SERTEL_WORKER_H

struct cfg;
struct keys;
struct signer_set;
struct spool;

struct worker_env {
	const struct cfg *cfg;
	const struct signer_set *signers;
	struct spool *spool;
	const struct keys *keys;	/* the master's sockets to the key process, closed
					 * in the worker; NULL: no key process */
};

/*
 * worker_main - serve jobs on sock until it closes; never returns.  keyfd is
 * its channel to the key process, which signs for it (-1: none now; signing
 * then waits, ERR_RETRY, and the worker ends to get a new one).
 */
void worker_main(int sock, int keyfd, void *env);

struct job;
struct outcome;
/*
 * run_deletion_work - carry out the claimed berita acara j (run_deletion.c,
 * its inputs in queue_fd, root/queue/) on a database connection of its own;
 * o says done (number, what was deleted), refused (the report written to
 * queue/), or retry (its claim stays open).
 */
void run_deletion_work(const struct cfg *c, int queue_fd, const char *root, const struct job *j,
		       struct outcome *o);

#endif
