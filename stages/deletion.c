/*
 * deletion.c - the deletion stage: the one stage of a job of kind deletion
 * (a berita acara dropped into SPOOL/deletion/<pd>/), carried out by a
 * process of its own, `sertel deletion job` (pipeline/run_deletion.c), whose
 * outcome is the job's: done (its number), refused (its report written to
 * queue/ by that process) or waiting.
 *
 * A fresh process (the sertel binary again) because the deletion needs the
 * database: a connection opened in a process forked after the master opened
 * its own would share SQLite's per-process lock records with it.
 *
 * It signs the berita acara as the service signer through this worker's
 * channel to the key process (its fd 3), with the certificate and chain the
 * worker has (its standard input), so the process that reads the berita
 * acara and its scan holds no key either.  Its requests are numbered past
 * the worker's, and the worker's go on past its own: a late answer to one
 * is never taken for the other's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../base/exits.h"
#include "../config/cfg.h"
#include "../pki/keyclient.h"
#include "stage.h"

#define SEQ_SPAN 1000000u	/* requests one deletion job may make, and more */

/* waits - the job's outcome: it waits (claim open) for what code and why say. */
static int
waits(struct doc *d, const char *code, const char *fmt, ...)
{
	const struct job *j = d->job;
	char why[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	d->out->retry = 1;
	snprintf(d->out->code, sizeof d->out->code, "%s", code);
	snprintf(d->out->detail, sizeof d->out->detail, "berita acara %.40s/%.80s: %s: %s", j->pd,
		 j->pdf, code, why);
	return 0;
}

/* reap - the job process pid ended: its status as text in why. */
static void
reap(pid_t pid, char *why, size_t cap)
{
	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(st))
		snprintf(why, cap, "its process was killed by signal %d", WTERMSIG(st));
	else
		snprintf(why, cap, "its process exited %d without an outcome", WEXITSTATUS(st));
}

/* send_all - n bytes of p to fd (a socket the job reads at its start; one
 * that ended early must not end this worker with SIGPIPE). */
static int
send_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, p, n, MSG_NOSIGNAL)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
deletion_run(struct doc *d)
{
	const struct cfg *c = d->cfg;
	const struct job *j = d->job;
	const struct cfg_signer *s = c->deletion.service_signer ?
				     cfg_signer_find(c, c->deletion.service_signer) : NULL;
	const struct signer_key *k = NULL;
	unsigned char *der = NULL;
	char idx[16], seq[16], why[128];
	char *argv[16];
	size_t derlen = 0, got = 0;
	ssize_t n;
	pid_t pid, parent = getpid();
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, a = 0, i = -1;

	d->settled = 1;
	memset(d->out, 0, sizeof *d->out);
	snprintf(d->out->id, sizeof d->out->id, "%s", j->id);
	if (d->keys && s) {
		/* the job signs through our channel: what it builds the CMS with */
		i = (int)(s - c->signers);
		k = &d->signers->keys[i];
		if (!k->cert)
			return waits(d, ERR_RETRY, "the service signer %s: %s", s->nip,
				     d->signers->errs[i].detail);
		if (!(der = malloc(KEY_CERTS_MAX)) ||
		    !(derlen = keyclient_certs_der(k, der, KEY_CERTS_MAX))) {
			free(der);
			return waits(d, ERR_RETRY, "the service signer's certificate: out of memory");
		}
	}
	argv[a++] = "sertel";
	argv[a++] = "--config";
	argv[a++] = c->path;
	argv[a++] = "deletion";
	argv[a++] = "job";
	if (der) {
		snprintf(idx, sizeof idx, "%d", i);
		snprintf(seq, sizeof seq, "%u", d->keys->seq + 1);
		argv[a++] = "--keys";
		argv[a++] = idx;
		argv[a++] = seq;
	}
	argv[a++] = (char *)j->id;
	argv[a++] = (char *)j->pd;
	argv[a++] = (char *)j->pdf;
	argv[a++] = (char *)j->meta;
	argv[a] = NULL;
	if (pipe2(out, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0 || (pid = fork()) < 0) {
		int saved = errno;
		for (a = 0; a < 2; a++)
			if (out[a] >= 0)
				close(out[a]);
		for (a = 0; a < 2; a++)
			if (in[a] >= 0)
				close(in[a]);
		free(der);
		return waits(d, err_io_code(saved), "cannot start its process: %s", strerror(saved));
	}
	if (pid == 0) {
		/* it goes with the worker (killed for time: so is it) */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent || dup2(out[1], STDOUT_FILENO) < 0 ||
		    dup2(in[0], STDIN_FILENO) < 0 || (der && dup2(d->keys->fd, 3) < 0))
			_exit(EX_OSERR);
		execv("/proc/self/exe", argv);
		_exit(EX_OSERR);
	}
	close(out[1]);
	close(in[0]);
	if (der) {
		(void)send_all(in[1], der, derlen);	/* a job that ended early says why itself */
		d->keys->seq += SEQ_SPAN;
	}
	close(in[1]);
	free(der);
	while (got < sizeof *d->out &&
	       ((n = read(out[0], (char *)d->out + got, sizeof *d->out - got)) > 0 ||
		(n < 0 && errno == EINTR)))
		got += n > 0 ? (size_t)n : 0;
	close(out[0]);
	reap(pid, why, sizeof why);
	if (got != sizeof *d->out) {
		memset(d->out, 0, sizeof *d->out);
		snprintf(d->out->id, sizeof d->out->id, "%s", j->id);
		return waits(d, ERR_RETRY, "%s", why);
	}
	return 0;
}

const struct stage stage_deletion = { STEP_DELETION, NULL, NULL, deletion_run, NULL };
