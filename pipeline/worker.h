/*
 * worker.h - a worker process: takes one job at a time from its socket, runs
 * the document stages, answers with an outcome.  Isolated by setrlimit so a
 * document that hangs or explodes MuPDF kills one worker, not the run.
 */
#ifndef SERTEL_WORKER_H
#define SERTEL_WORKER_H

struct cfg;
struct signer_set;
struct spool;

struct worker_env {
	const struct cfg *cfg;
	const struct signer_set *signers;
	struct spool *spool;
};

/* worker_main - serve jobs on sock until it closes; never returns. */
void worker_main(int sock, void *env);

#endif
