/*
 * waiting.c - files left in incoming/ (see waiting.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "waiting.h"

/* one_folder - count the files of the folder fd into w. */
static void
one_folder(int fd, struct spool_waiting *w)
{
	struct dirent *f;
	struct stat st;
	DIR *dir;

	if (!(dir = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((f = readdir(dir)) != NULL) {
		if (spool_ignored(f->d_name) ||
		    fstatat(fd, f->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISDIR(st.st_mode))
			continue;
		w->files++;
		if (!w->oldest || st.st_mtime < w->oldest)
			w->oldest = st.st_mtime;
	}
	closedir(dir);
}

int
spool_waiting(const char *root, struct spool_waiting *w, size_t cap)
{
	char path[PATH_MAX];
	struct dirent *d;
	size_t n = 0;
	DIR *top;
	int fd;

	snprintf(path, sizeof path, "%s/incoming", root);
	if (!(top = opendir(path)))
		return -1;
	while ((d = readdir(top)) != NULL && n < cap) {
		if (!spool_pd_valid(d->d_name) ||
		    (fd = openat(dirfd(top), d->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		memset(&w[n], 0, sizeof w[n]);
		snprintf(w[n].pd, sizeof w[n].pd, "%.63s", d->d_name);
		one_folder(fd, &w[n]);
		n++;
	}
	closedir(top);
	return (int)n;
}
