/*
 * bundle.c - safe archive unpacking with libarchive (see bundle.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bundle.h"

/* safe_base - the flat member name of path, or NULL when the path is unsafe. */
static const char *
safe_base(const char *path)
{
	const char *p, *base = path;

	if (!path || !*path || path[0] == '/')
		return NULL;
	for (p = path; *p; p++) {
		if ((p == path || p[-1] == '/') &&
		    (strncmp(p, "../", 3) == 0 || strcmp(p, "..") == 0))
			return NULL;
		if (*p == '\\')
			return NULL;	/* Windows separators hide ".." from the check above */
		if (*p == '/' && p[1])
			base = p + 1;
	}
	return base;
}

/* write_member - copy the current entry's data into destfd/name, counting bytes. */
static int
write_member(struct archive *a, int destfd, const char *name, long long *total,
	     const struct bundle_limits *lim, struct err *e)
{
	char buf[65536];
	la_ssize_t n, off;
	int fd;

	fd = openat(destfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0) {
		if (errno == EEXIST)
			return err_set(e, "bundle.conflict", "dua anggota arsip bernama %s", name);
		return err_set(e, err_io_code(errno), "%s: %s", name, strerror(errno));
	}
	while ((n = archive_read_data(a, buf, sizeof buf)) > 0) {
		*total += n;
		if (lim->max_bytes > 0 && *total > lim->max_bytes) {
			close(fd);
			return err_set(e, "bundle.limit", "lebih dari %lld byte setelah diekstrak",
				       lim->max_bytes);
		}
		/* a short write is retried: its error (a full disk: ERR_RETRY, the
		 * bundle waits) comes with the next one */
		for (off = 0; off < n; ) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				close(fd);
				return err_set(e, err_io_code(errno), "%s: %s", name,
					       strerror(errno));
			}
			off += w;
		}
	}
	close(fd);
	if (n < 0)
		return err_set(e, "bundle.corrupt", "%s: %s", name, archive_error_string(a));
	return 0;
}

int
bundle_extract(int dirfd, const char *name, int destfd, const struct bundle_limits *lim,
	       struct err *e)
{
	struct archive *a = archive_read_new();
	struct archive_entry *ent;
	long long total = 0;
	long entries = 0, files = 0;
	int fd = -1, r, rc = 0, err_no;
	/* Member names are UTF-8 (zip's UTF-8 flag, pax tar); libarchive converts
	 * them to the current locale, which must therefore be a UTF-8 one.  A
	 * thread-local locale leaves the rest of the process alone. */
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t saved = utf8 ? uselocale(utf8) : (locale_t)0;

	archive_read_support_format_zip(a);
	archive_read_support_format_tar(a);
	archive_read_support_filter_gzip(a);
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		/* out of descriptors is not a corrupt archive: the caller retries later */
		rc = err_set(e, fd < 0 && err_errno_temporary(errno) ? ERR_RETRY : "bundle.corrupt",
			     "%s: %s", name,
			     fd < 0 ? strerror(errno) : archive_error_string(a));
		goto out;
	}
	while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
		const char *path = archive_entry_pathname(ent), *base;
		mode_t type = archive_entry_filetype(ent);

		if (++entries > lim->max_entries && lim->max_entries > 0) {
			rc = err_set(e, "bundle.limit", "lebih dari %ld entri", lim->max_entries);
			goto out;
		}
		if (!(base = safe_base(path)) || archive_entry_hardlink(ent) ||
		    archive_entry_symlink(ent) || (type != AE_IFREG && type != AE_IFDIR)) {
			rc = err_set(e, "bundle.unsafe_entry", "entri '%s' %s", path ? path : "",
				     !base ? "berupa path absolut atau berisi '..'" :
				     type == AE_IFDIR || type == AE_IFREG ? "berupa tautan (link)" :
				     "bukan berkas biasa");
			goto out;
		}
		if (type == AE_IFDIR)
			continue;
		if (!*base || base[0] == '.') {
			rc = err_set(e, "bundle.unsafe_entry", "entri '%s' bernama kosong atau tersembunyi",
				     path);
			goto out;
		}
		if (write_member(a, destfd, base, &total, lim, e) < 0) {
			rc = -1;
			goto out;
		}
		files++;
	}
	if (r != ARCHIVE_EOF)
		rc = err_set(e, "bundle.corrupt", "%s: %s", name, archive_error_string(a));
	else if (files == 0)
		rc = err_set(e, "bundle.corrupt", "%s: tidak berisi berkas", name);
out:
	err_no = errno;	/* the caller tells a shortage of descriptors from a bad archive */
	archive_read_free(a);
	if (fd >= 0)
		close(fd);
	if (utf8) {
		uselocale(saved);
		freelocale(utf8);
	}
	errno = err_no;
	return rc;
}
