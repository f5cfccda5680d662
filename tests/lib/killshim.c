/*
 * killshim.c - a fault injector for the crash tests, loaded with LD_PRELOAD
 * (never linked into sertel): SIGKILL the whole process group right after
 * the Nth successful rename, folder removal or open whose path matches a
 * pattern,
 * so a test can stop sertel at one exact point of its protocol (a bundle
 * just delivered, its unpacked folder just removed, the 3rd store copy)
 * instead of hoping a timed kill lands there.
 *
 *   KILLSHIM=OP:PATTERN:N   OP is "rename" (the destination path) or
 *                           "rmdir" (unlinkat(..., AT_REMOVEDIR)) or "open"
 *                           (open(2) as SQLite opens its files, openat(2) as
 *                           sertel creates its temporary files); PATTERN
 *                           is an fnmatch(3) pattern over the absolute path
 *                           ('*' also matches '/'); N counts from 1.
 *
 *   cc -shared -fPIC -o killshim.so tests/lib/killshim.c -ldl
 *   KILLSHIM="rmdir:$SPOOL/queue/[2-9A-Z]?*.x:1" LD_PRELOAD=$PWD/killshim.so \
 *       setsid sertel run --once
 *
 * Counting is per process (the master does every rename and removal of the
 * protocol; workers only append to files they are handed).
 *
 *   KILLSHIM_GATE=PATH      instead of the kill, pause there: create
 *                           PATH.here (holding its PID), then wait (at most 120 s) until
 *                           PATH.go exists and go on, so a test can make two
 *                           processes meet at chosen points (the submit/
 *                           daemon race of a berita acara, 96-deletion-race.sh)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_unlinkat)(int, const char *, int);
static int (*real_openat)(int, const char *, int, ...);
static char op[16], pat[PATH_MAX], gate[PATH_MAX];
static long want;
static atomic_long seen;

/* init - find the real calls and read KILLSHIM ("OP:PATTERN:N"). */
__attribute__((constructor)) static void
init(void)
{
	const char *v = getenv("KILLSHIM"), *g = getenv("KILLSHIM_GATE"), *a, *b;

	real_renameat = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
	real_unlinkat = (int (*)(int, const char *, int))dlsym(RTLD_NEXT, "unlinkat");
	real_openat = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	if (!v || !(a = strchr(v, ':')) || !(b = strrchr(v, ':')) || a == b ||
	    (size_t)(a - v) >= sizeof op || (size_t)(b - a - 1) >= sizeof pat)
		return;
	memcpy(op, v, (size_t)(a - v));
	memcpy(pat, a + 1, (size_t)(b - a - 1));
	want = atol(b + 1);
	if (g && strlen(g) + 8 < sizeof gate)
		snprintf(gate, sizeof gate, "%s", g);
}

/* matches - the absolute path of dirfd/name matches the pattern. */
static int
matches(int dirfd, const char *name)
{
	char link[64], dir[PATH_MAX], path[2 * PATH_MAX];
	ssize_t n;

	if (name[0] == '/') {
		snprintf(path, sizeof path, "%s", name);
	} else {
		if (dirfd == AT_FDCWD)
			snprintf(link, sizeof link, "/proc/self/cwd");
		else
			snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
		if ((n = readlink(link, dir, sizeof dir - 1)) < 0)
			return 0;
		dir[n] = '\0';
		snprintf(path, sizeof path, "%s/%s", dir, name);
	}
	return fnmatch(pat, path, 0) == 0;
}

/* pause_at_gate - PATH.here made, then PATH.go awaited (see KILLSHIM_GATE). */
static void
pause_at_gate(void)
{
	char here[PATH_MAX + 8], go[PATH_MAX + 8];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int fd, i;

	snprintf(here, sizeof here, "%s.here", gate);
	snprintf(go, sizeof go, "%s.go", gate);
	if ((fd = real_openat(AT_FDCWD, here, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0) {
		dprintf(fd, "%ld\n", (long)getpid());	/* which process paused */
		close(fd);
	}
	for (i = 0; i < 6000 && access(go, F_OK) < 0; i++)
		nanosleep(&ts, NULL);
}

/* hit - one more matching call; the Nth kills the process group (or pauses it). */
static void
hit(void)
{
	if (atomic_fetch_add(&seen, 1) + 1 != want)
		return;
	if (gate[0])
		pause_at_gate();
	else
		kill(0, SIGKILL);
}

int
renameat(int ofd, const char *old, int nfd, const char *new)
{
	int rc = real_renameat(ofd, old, nfd, new);

	if (rc == 0 && want > 0 && !strcmp(op, "rename") && matches(nfd, new))
		hit();
	return rc;
}

int
unlinkat(int dirfd, const char *name, int flags)
{
	int rc = real_unlinkat(dirfd, name, flags);

	if (rc == 0 && want > 0 && (flags & AT_REMOVEDIR) && !strcmp(op, "rmdir") &&
	    matches(dirfd, name))
		hit();
	return rc;
}

/* open, open64 - glibc's are one function on 64-bit systems; SQLite calls open. */
int
open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int
openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	fd = real_openat(dirfd, path, flags, mode);
	if (fd >= 0 && want > 0 && !strcmp(op, "open") && matches(dirfd, path))
		hit();
	return fd;
}

int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));
