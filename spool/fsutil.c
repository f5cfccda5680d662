/*
 * fsutil.c - durable file operations (see fsutil.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

	if (snprintf(tmp, sizeof tmp, ".tmp.%d.%s", (int)getpid(), name) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
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

int
fs_copy(int sdirfd, const char *src, int ddirfd, const char *dst, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	struct stat st;
	int in, out = -1, saved;
	off_t left;

	if (snprintf(tmp, sizeof tmp, ".tmp.%d.%s", (int)getpid(), dst) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	in = openat(sdirfd, src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return -1;
	if (fstat(in, &st) < 0)
		goto fail;
	out = openat(ddirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (out < 0)
		goto fail;
	for (left = st.st_size; left > 0; ) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		left -= n;
	}
	if (close(out) < 0) {
		out = -1;
		goto fail;
	}
	out = -1;
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
