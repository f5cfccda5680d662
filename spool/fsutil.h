/*
 * fsutil.h - the one place where sertel makes things durable.
 *
 * Every commit point in the spool goes through these helpers, so
 * `grep -n 'fs_' spool/ pipeline/` finds them all.  Single files use
 * write-temp + fsync + rename + fsync(dir); batches of jobs use fs_sync_all()
 * (one syncfs(2) per file system) so that durability is paid once per group
 * commit instead of once per document.
 */
#ifndef SERTEL_FSUTIL_H
#define SERTEL_FSUTIL_H

#include <dirent.h>
#include <stddef.h>
#include <sys/types.h>

/* fs_write_atomic - write buf as dirfd/name via a temp name; sync=1 adds fsync of file and dir. */
int fs_write_atomic(int dirfd, const char *name, const void *buf, size_t len, int sync);
/* fs_fsync_dir - fsync the directory at dirfd/path (path may be "."). */
int fs_fsync_dir(int dirfd, const char *path);
/* fs_syncfs - syncfs(2) the file system holding fd. */
int fs_syncfs(int fd);
/* fs_mkdirs - mkdir -p path (mode 0750 for new parts). */
int fs_mkdirs(const char *path, mode_t mode);
/* fs_read_all - read a whole regular file (no symlinks) under dirfd, at most max bytes; caller frees. */
int fs_read_all(int dirfd, const char *name, size_t max, char **buf, size_t *len);
/*
 * fs_copy - copy dirfd/src to dirfd2/dst via a temp name, in-kernel where
 * possible (read/write across file systems); no fsync.
 */
int fs_copy(int sdirfd, const char *src, int ddirfd, const char *dst, mode_t mode);
/*
 * fs_map - dirfd/path (open flags, e.g. O_NOFOLLOW) mapped read-only; a
 * regular file only (EISDIR, EINVAL otherwise); *len 0 maps nothing.
 */
int fs_map(int dirfd, const char *path, int flags, const unsigned char **p, size_t *len);
/* fs_map_nonempty - fs_map, and -1 with ENODATA for an empty file (nothing to read). */
int fs_map_nonempty(int dirfd, const char *path, int flags, const unsigned char **p, size_t *len);
/* fs_map_fd - the first len bytes of an open file, read-only; len 0 maps nothing. */
int fs_map_fd(int fd, size_t len, const unsigned char **p);
void fs_unmap(const unsigned char *p, size_t len);
/* fs_opendir - a fresh listing of dirfd, which stays open for the caller (closedir the result). */
DIR *fs_opendir(int dirfd);
/*
 * fs_clean_temps - remove from the folder at dirfd the temps that
 * fs_write_atomic and fs_copy left when their process died
 * (".tmp.<pid>.<name>", regular files, pid no longer a running sertel);
 * no other name is touched.  The number removed, or -1.
 */
int fs_clean_temps(int dirfd);
/* fs_clean_temps_under - fs_clean_temps in each sub-folder of dirfd whose name keep() accepts; the count. */
int fs_clean_temps_under(int dirfd, int (*keep)(const char *name));
/* fs_open_dir - open (creating if needed, 0750) a folder below dirfd, refusing symlinks. */
int fs_open_dir(int dirfd, const char *name, int create);
/* fs_rm_dir - remove a folder with its files and sub-folders (unpacked bundles). */
int fs_rm_dir(int dirfd, const char *name);

#endif
