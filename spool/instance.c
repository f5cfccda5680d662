/*
 * instance.c - the single-instance lock on the state folder (see instance.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "instance.h"

#define LOCK_GRACE_MS 2000	/* how long a holder without a live PID is waited for */
#define LOCK_POLL_MS 20

/* alive - 1 when pid is a live process (EPERM: someone else's, but alive). */
static int
alive(long pid)
{
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

/* holder_pid - the PID the holder wrote into the lock file; 0 when none is there (yet). */
static long
holder_pid(int fd)
{
	char buf[32];
	ssize_t n;

	if ((n = pread(fd, buf, sizeof buf - 1, 0)) <= 0)
		return 0;
	buf[n] = '\0';
	return strchr(buf, '\n') ? strtol(buf, NULL, 10) : 0;
}

/* refused - the one line that says who (pid, 0 if unknown) holds state_dir/name. */
static int
refused(long pid, const char *state_dir, const char *name, struct err *e)
{
	int rc;

	if (pid <= 0)
		rc = err_set(e, "io.error", "%s/%s is held by another sertel (its PID is not "
			     "written yet); try again when it has finished", state_dir, name);
	else if (!alive(pid))
		rc = err_set(e, "io.error", "%s/%s is held by the workers of sertel PID %ld, "
			     "which has exited: they finish their documents first; try again "
			     "shortly", state_dir, name, pid);
	else
		rc = err_set(e, "io.error", "another sertel (PID %ld) is working on %s "
			     "(it holds %s/%s); try again when it has finished", pid, state_dir,
			     state_dir, name);
	errno = EWOULDBLOCK;
	return rc;
}

/*
 * instance_lock - refuse at once when a live process says it holds the lock.
 * When the PID in the file is not (yet, or any more) a live one, wait a
 * little: a new holder writes its PID just after it has the lock, and the
 * workers of a master that was just killed (kill -9 of the process group, a
 * service manager's stop) are on their way out.  Workers that still sign
 * keep it; after LOCK_GRACE_MS the refusal says so.
 */
int
instance_lock(const char *state_dir, const char *name, struct err *e)
{
	struct timespec pause = { 0, LOCK_POLL_MS * 1000 * 1000 };
	char path[4096], pid[32];
	int fd, n, err, waited = 0;
	long holder;

	snprintf(path, sizeof path, "%s/%s", state_dir, name);
	if (fs_mkdirs(state_dir, 0750) < 0 ||
	    (fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600)) < 0)
		return err_set(e, "io.error", "%s: %s; make the state folder writable for sertel",
			       path, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		err = errno;
		if (err != EWOULDBLOCK) {
			err_set(e, "io.error", "%s: cannot lock: %s", path, strerror(err));
			close(fd);
			errno = err;
			return -1;
		}
		holder = holder_pid(fd);
		if ((holder > 0 && alive(holder)) || waited >= LOCK_GRACE_MS) {
			refused(holder, state_dir, name, e);
			close(fd);
			errno = EWOULDBLOCK;
			return -1;
		}
		nanosleep(&pause, NULL);
		waited += LOCK_POLL_MS;
	}
	/* who holds it, for the one refused: not a commit point, nothing to sync */
	n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		err = errno;
		err_set(e, "io.error", "%s: %s", path, strerror(err));
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

long
instance_holder(const char *state_dir, const char *name)
{
	char path[4096], buf[32] = "";
	long pid = -1;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", state_dir, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		pid = 0;	/* free: let go at once */
	} else if (errno == EWOULDBLOCK) {
		n = read(fd, buf, sizeof buf - 1);
		pid = n > 0 ? strtol(buf, NULL, 10) : -1;
	}
	close(fd);
	return pid;
}
