/*
 * fsutil.c - durable file operations (see fsutil.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

/* write_full - write all of buf, retrying short writes and EINTR. */
static int
write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * temp_name - the temporary name of dirfd/name while it is written:
 * ".tmp.<pid>.<name>".  fs_clean_temps knows this pattern and nothing else.
 */
static int
temp_name(char *tmp, size_t cap, const char *name)
{
	if (snprintf(tmp, cap, ".tmp.%d.%s", (int)getpid(), name) >= (int)cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
fs_fsync_dir(int dirfd, const char *path)
{
	int fd, rc;

	fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
fs_write_atomic(int dirfd, const char *name, const void *buf, size_t len, int sync)
{
	char tmp[NAME_MAX + 1];
	int fd, saved;

	if (temp_name(tmp, sizeof tmp, name) < 0)
		return -1;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return -1;
	if (write_full(fd, buf, len) < 0 || (sync && fsync(fd) < 0))
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	/* The rename is the commit point: readers see the old or the new file, never half. */
	if (renameat(dirfd, tmp, dirfd, name) < 0)
		goto fail;
	if (sync && fs_fsync_dir(dirfd, ".") < 0)
		return -1;
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	errno = saved;
	return -1;
}

int
fs_syncfs(int fd)
{
	return syncfs(fd);
}

int
fs_mkdirs(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return -1;
			*p = c;
			if (c == '\0')
				break;
		}
	}
	return 0;
}

int
fs_read_all(int dirfd, const char *name, size_t max, char **bufp, size_t *lenp)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0;
	int fd, saved;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((size_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		goto fail;
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return -1;
}

/*
 * copy_fd - len bytes from in to out at their offsets: in the kernel when the
 * two file systems allow it, else through a buffer.  copy_file_range(2)
 * refuses across file systems (EXDEV: spool and state on different disks),
 * where the kernel lacks it (ENOSYS) or a sandbox forbids it (EPERM), and on
 * some file systems (EOPNOTSUPP, EINVAL); a short copy already made stays,
 * the offsets have moved past it.
 */
static int
copy_fd(int in, int out, off_t len)
{
	char buf[65536];
	int kernel = 1;

	while (len > 0) {
		ssize_t n;
		if (kernel) {
			n = copy_file_range(in, NULL, out, NULL, (size_t)len, 0);
			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EOPNOTSUPP ||
				      errno == EINVAL || errno == EPERM)) {
				kernel = 0;
				continue;
			}
		} else {
			n = read(in, buf, len < (off_t)sizeof buf ? (size_t)len : sizeof buf);
			if (n > 0 && write_full(out, buf, (size_t)n) < 0)
				return -1;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EIO;	/* the source shrank while it was copied */
			return -1;
		}
		len -= n;
	}
	return 0;
}

int
fs_copy(int sdirfd, const char *src, int ddirfd, const char *dst, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	struct stat st;
	int in, out = -1, saved;

	if (temp_name(tmp, sizeof tmp, dst) < 0)
		return -1;
	in = openat(sdirfd, src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return -1;
	if (fstat(in, &st) < 0)
		goto fail;
	out = openat(ddirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (out < 0)
		goto fail;
	if (copy_fd(in, out, st.st_size) < 0)
		goto fail;
	if (close(out) < 0) {
		out = -1;
		goto fail;
	}
	out = -1;
	/* whole or not at all under its name: a copy cut short stays a temp */
	if (renameat(ddirfd, tmp, ddirfd, dst) < 0)
		goto fail;
	close(in);
	return 0;
fail:
	saved = errno;
	close(in);
	if (out >= 0)
		close(out);
	unlinkat(ddirfd, tmp, 0);
	errno = saved;
	return -1;
}

/*
 * temp_pid - the writer's PID when name is one of temp_name's names
 * (".tmp.<digits>.<something>"), else 0.  Anything else (an administrator's
 * ".tmp.notes", "x.tmp") is not ours and is never touched.
 */
static long
temp_pid(const char *name)
{
	const char *p = name + 5;
	long pid = 0;

	if (strncmp(name, ".tmp.", 5) != 0)
		return 0;
	for (; *p >= '0' && *p <= '9' && p - name < 5 + 10; p++)
		pid = pid * 10 + (*p - '0');
	return p > name + 5 && p[0] == '.' && p[1] != '\0' && pid > 0 ? pid : 0;
}

/* comm_of - /proc/<pid>/comm (the program name) into buf; -1 when unknown. */
static int
comm_of(const char *pid, char *buf, size_t cap)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%s/comm", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/*
 * writer_alive - 1 when pid may still be writing its temp: a running
 * process of this same program (sertel augment beside the daemon), or one
 * whose program cannot be told.  A PID reused by some other program is dead
 * for our purpose.
 */
static int
writer_alive(long pid)
{
	char id[24], mine[64], theirs[64];

	if (pid == (long)getpid())
		return 0;	/* called when nothing of ours is being written */
	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return 0;
	snprintf(id, sizeof id, "%ld", pid);
	if (comm_of("self", mine, sizeof mine) < 0 || comm_of(id, theirs, sizeof theirs) < 0)
		return 1;
	return strcmp(mine, theirs) == 0;
}

int
fs_clean_temps(int dirfd)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	long pid;
	int n = 0;

	if (!(dir = fs_opendir(dirfd)))
		return -1;
	while ((d = readdir(dir)) != NULL)
		if ((pid = temp_pid(d->d_name)) > 0 &&
		    fstatat(dirfd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && !writer_alive(pid) &&
		    unlinkat(dirfd, d->d_name, 0) == 0)
			n++;
	closedir(dir);
	return n;
}

DIR *
fs_opendir(int dirfd)
{
	DIR *dir;
	int fd = dup(dirfd);

	if (fd < 0)
		return NULL;
	if (!(dir = fdopendir(fd))) {
		close(fd);
		return NULL;
	}
	rewinddir(dir);	/* a dup shares the offset of an earlier listing */
	return dir;
}

int
fs_open_dir(int dirfd, const char *name, int create)
{
	if (create && mkdirat(dirfd, name, 0750) < 0 && errno != EEXIST)
		return -1;
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
}

int
fs_rm_dir(int dirfd, const char *name)
{
	struct dirent *d;
	DIR *dir;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -1;
	}
	while ((d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			if (unlinkat(fd, d->d_name, 0) < 0 && errno == EISDIR)
				fs_rm_dir(fd, d->d_name);
	closedir(dir);
	return unlinkat(dirfd, name, AT_REMOVEDIR);
}

int
fs_map(int dirfd, const char *path, int flags, const unsigned char **p, size_t *len)
{
	struct stat st;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | flags), saved;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		saved = fstat(fd, &st) < 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		close(fd);
		errno = saved;
		return -1;
	}
	*len = (size_t)st.st_size;
	if (fs_map_fd(fd, *len, p) < 0) {
		saved = errno;
		*len = 0;	/* nothing mapped: fs_unmap(*p, *len) stays harmless */
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

int
fs_map_nonempty(int dirfd, const char *path, int flags, const unsigned char **p, size_t *len)
{
	if (fs_map(dirfd, path, flags, p, len) < 0)
		return -1;
	if (*len == 0) {
		errno = ENODATA;
		return -1;
	}
	return 0;
}

int
fs_map_fd(int fd, size_t len, const unsigned char **p)
{
	void *m;

	*p = (const unsigned char *)"";
	if (len == 0)
		return 0;
	if ((m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED)
		return -1;
	*p = m;
	return 0;
}

void
fs_unmap(const unsigned char *p, size_t len)
{
	if (len > 0)
		munmap((void *)p, len);
}

int
fs_clean_temps_under(int dirfd, int (*keep)(const char *name))
{
	struct dirent *d;
	DIR *dir;
	int fd, k, n = 0;

	if (!(dir = fs_opendir(dirfd)))
		return 0;
	while ((d = readdir(dir)) != NULL) {
		if (!keep(d->d_name))
			continue;
		fd = openat(dirfd, d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		if ((k = fs_clean_temps(fd)) > 0)
			n += k;
		close(fd);
	}
	closedir(dir);
	return n;
}
