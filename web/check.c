/*
 * check.c - uploaded PDFs: `sertel verify` in a child, and the comparison
 * with the stored copy (see check.h).
 *
 * The child is the same binary exec'd anew (no MHD threads, no state of the
 * server in its memory) with the upload on descriptor 3, the configuration
 * named (for the registry and the anchors), rlimits on CPU, address space,
 * file size and descriptors, and a wall clock the parent enforces: a hostile
 * PDF costs a bounded child, never the server.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/exits.h"
#include "../spool/fsutil.h"
#include "check.h"

#define CHECKS_AT_ONCE	2
#define REPORT_MAX	(256 * 1024)

static atomic_int running;

/* child - in the forked child: limits, descriptors, exec of `sertel ARGS`; never returns. */
static void
child(const struct cfg *c, int fd, int out, const char *const *args)
{
	struct rlimit cpu = { (rlim_t)c->limits.doc_cpu_seconds, (rlim_t)c->limits.doc_cpu_seconds + 1 };
	struct rlimit as = { (rlim_t)c->limits.doc_memory_mb << 20, (rlim_t)c->limits.doc_memory_mb << 20 };
	struct rlimit none = { 0, 0 }, files = { 64, 64 };
	const char *argv[16] = { "sertel", "-q", "--config", c->path };
	int devnull = open("/dev/null", O_RDONLY), n = 4;

	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (c->limits.doc_cpu_seconds > 0)
		setrlimit(RLIMIT_CPU, &cpu);
	if (c->limits.doc_memory_mb > 0)
		setrlimit(RLIMIT_AS, &as);
	setrlimit(RLIMIT_FSIZE, &none);	/* neither verify nor report writes a file */
	setrlimit(RLIMIT_CORE, &none);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0 ||
	    (fd >= 0 && dup2(fd, 3) < 0))
		_exit(EX_NOEXEC);
	setrlimit(RLIMIT_NOFILE, &files);
	execv("/proc/self/exe", (char *const *)argv);
	_exit(EX_NOEXEC);
}

/* now_ms - CLOCK_MONOTONIC in milliseconds. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* collect - the child's output into r->report (at most max) until EOF or the deadline; 0, or -1 at the deadline. */
static int
collect(int in, long long deadline, size_t max, struct check_result *r)
{
	char buf[4096];
	ssize_t n;

	for (;;) {
		struct pollfd p = { in, POLLIN, 0 };
		long long left = deadline - now_ms();
		if (left <= 0)
			return -1;
		if (poll(&p, 1, (int)(left > 1000 ? 1000 : left)) < 0 && errno != EINTR)
			return -1;
		if (!p.revents)
			continue;
		if ((n = read(in, buf, sizeof buf - 1)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		buf[n] = '\0';
		if (r->report.n < max)
			wbuf_raw(&r->report, buf);
	}
}

/* run - `sertel ARGS` in a limited child (fd as its descriptor 3 unless -1), its output into r. */
static int
run(const struct cfg *c, int fd, const char *const *args, size_t max, struct check_result *r)
{
	long long wall = c->limits.doc_timeout_seconds > 0 ? c->limits.doc_timeout_seconds : 60;
	int pipefd[2], status = 0;
	pid_t pid;

	memset(r, 0, sizeof *r);
	if (atomic_fetch_add(&running, 1) >= CHECKS_AT_ONCE) {
		atomic_fetch_sub(&running, 1);
		return 0;
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		atomic_fetch_sub(&running, 1);
		return 1;
	}
	if ((pid = fork()) == 0)
		child(c, fd, pipefd[1], args);
	close(pipefd[1]);
	if (pid > 0) {
		if (collect(pipefd[0], now_ms() + wall * 1000, max, r) < 0) {
			kill(pid, SIGKILL);
			r->killed = 1;
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status))
			r->killed = 1;
		else if (WIFEXITED(status) && WEXITSTATUS(status) != EX_NOEXEC)
			r->ran = 1, r->exit = WEXITSTATUS(status);
	}
	close(pipefd[0]);
	atomic_fetch_sub(&running, 1);
	return 1;
}

int
check_upload(const struct cfg *c, int fd, struct check_result *r)
{
	static const char *const args[] = { "verify", "/dev/fd/3", NULL };

	return run(c, fd, args, REPORT_MAX, r);
}

int
check_report(const struct cfg *c, const char *from, const char *to, const char *pd,
	     struct check_result *r)
{
	const char *args[] = { "report", "--format", "html", "--from", from, "--to", to,
			       pd ? "--pd" : NULL, pd, NULL };

	return run(c, -1, args, (size_t)8 << 20, r);
}

enum check_relation
check_relation(const struct cfg *c, const char *store_path, int fd)
{
	char path[4200];
	struct stat a, b;
	enum check_relation rel = CHECK_OTHER;
	const unsigned char *pa = NULL, *pb = NULL;
	int sfd, ma, mb;

	if (!store_path[0] || strstr(store_path, ".."))
		return CHECK_NO_COPY;
	snprintf(path, sizeof path, "%s/%s", c->state_dir, store_path);
	if ((sfd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return CHECK_NO_COPY;
	if (fstat(sfd, &a) < 0 || fstat(fd, &b) < 0 || a.st_size == 0 || b.st_size == 0) {
		close(sfd);
		return a.st_size == 0 ? CHECK_NO_COPY : CHECK_OTHER;
	}
	ma = fs_map_fd(sfd, (size_t)a.st_size, &pa) == 0;
	mb = ma && fs_map_fd(fd, (size_t)b.st_size, &pb) == 0;
	if (!mb)
		rel = CHECK_NO_COPY;
	else if (a.st_size == b.st_size && !memcmp(pa, pb, (size_t)a.st_size))
		rel = CHECK_SAME;
	else if (b.st_size < a.st_size && !memcmp(pa, pb, (size_t)b.st_size))
		rel = CHECK_EARLIER;
	else if (b.st_size > a.st_size && !memcmp(pa, pb, (size_t)a.st_size))
		rel = CHECK_LATER;
	if (ma)
		fs_unmap(pa, (size_t)a.st_size);
	if (mb)
		fs_unmap(pb, (size_t)b.st_size);
	close(sfd);
	return rel;
}
