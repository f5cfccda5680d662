/*
 * store.c - the digital-copy store (see store.h): the one writer of
 * STATE/store/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "../base/err.h"
#include "../base/hex.h"
#include "fsutil.h"
#include "store.h"

#define SHA_HEX 64
/* the layout, in one place: a copy's folder and its path, from its digest */
#define STORE_DIR "store/%.2s"
#define STORE_FILE STORE_DIR "/%s.pdf"

void
store_init(struct store *s, int state_fd)
{
	memset(s, 0, sizeof *s);
	s->state_fd = state_fd;
	s->max_open = 256;
}

void
store_close(struct store *s)
{
	size_t i;

	for (i = 0; i < 256; i++)
		if (s->dir_fd[i] > 0)
			close(s->dir_fd[i]);
	memset(s->dir_fd, 0, sizeof s->dir_fd);
	s->nopen = 0;
}

/* forget_oldest - close the folder used least recently. */
static void
forget_oldest(struct store *s)
{
	int i, old = -1;

	for (i = 0; i < 256; i++)
		if (s->dir_fd[i] > 0 && (old < 0 || s->used[i] < s->used[old]))
			old = i;
	if (old >= 0) {
		close(s->dir_fd[old]);
		s->dir_fd[old] = 0;
		s->nopen--;
	}
}

void
store_limit(struct store *s, int n)
{
	s->max_open = n < 1 ? 1 : n > 256 ? 256 : n;
	while (s->nopen > s->max_open)
		forget_oldest(s);
}

/* sha_valid - 1 when sha is a SHA-256 as sertel writes it: no path can be made of anything else. */
static int
sha_valid(const char *sha)
{
	return strlen(sha) == SHA_HEX && strspn(sha, "0123456789abcdef") == SHA_HEX;
}

int
store_path(const char *sha, char *rel, size_t cap)
{
	if (cap > 0)
		rel[0] = '\0';
	if (!sha_valid(sha)) {
		errno = EINVAL;
		return -1;
	}
	if ((size_t)snprintf(rel, cap, STORE_FILE, sha, sha) >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * store_dir - STATE/store/<aa> for a valid digest, created and opened once,
 * kept open while it is among the max_open used most recently.
 */
static int
store_dir(struct store *s, const char *sha)
{
	char dir[16];
	unsigned b;
	int fd;

	if (sscanf(sha, "%2x", &b) != 1) {
		errno = EINVAL;
		return -1;
	}
	if (s->dir_fd[b] > 0) {
		s->used[b] = ++s->tick;
		return s->dir_fd[b];
	}
	if (s->nopen >= s->max_open)
		forget_oldest(s);
	snprintf(dir, sizeof dir, STORE_DIR, sha);
	/* a folder made here is made durable at once (at most 257 times in
	 * the store's life): a copy synced into it must not vanish with it */
	if (mkdirat(s->state_fd, "store", 0750) == 0 && fs_fsync_dir(s->state_fd, ".") < 0)
		return -1;
	if (mkdirat(s->state_fd, dir, 0750) == 0) {
		if (fs_fsync_dir(s->state_fd, "store") < 0)
			return -1;
	} else if (errno != EEXIST) {
		return -1;
	}
	fd = openat(s->state_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && err_errno_nofd(errno) && s->nopen > 0) {
		/* out of descriptors after all: give back the cache and try once more */
		store_close(s);
		fd = openat(s->state_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd > 0) {
		s->dir_fd[b] = fd;
		s->used[b] = ++s->tick;
		s->nopen++;
	}
	return fd;
}

int
store_copy(struct store *s, const char *sha, int sdirfd, const char *src, char *rel, size_t cap)
{
	const char *name;
	struct stat st;
	int dfd;

	if (store_path(sha, rel, cap) < 0 || (dfd = store_dir(s, sha)) < 0)
		return -1;
	name = strrchr(rel, '/') + 1;
	if (fstatat(dfd, name, &st, 0) == 0)	/* same bytes stored already */
		return 0;
	return fs_copy(sdirfd, src, dfd, name, 0440);
}

int
store_put(struct store *s, const char *sha, const void *buf, size_t len, char *rel, size_t cap)
{
	const char *name;
	int dfd;

	if (store_path(sha, rel, cap) < 0 || (dfd = store_dir(s, sha)) < 0)
		return -1;
	name = strrchr(rel, '/') + 1;
	if (fs_write_atomic(dfd, name, buf, len, 1) < 0 || fchmodat(dfd, name, 0440, 0) < 0)
		return -1;
	return 0;
}

int
store_file_sha(int dirfd, const char *path, char out[SHA_HEX + 1])
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	const unsigned char *p;
	size_t len;

	if (fs_map(dirfd, path, O_NOFOLLOW, &p, &len) < 0)
		return -1;
	SHA256(p, len, md);
	fs_unmap(p, len);
	hex_encode(md, sizeof md, out);
	return 0;
}

/* holds - 1 when dfd/name's bytes are the digest sha, 0 when other bytes; -1 with errno (ENOENT: none). */
static int
holds(int dfd, const char *name, const char *sha)
{
	char have[SHA_HEX + 1];

	return store_file_sha(dfd, name, have) < 0 ? -1 : strcmp(have, sha) == 0;
}

int
store_import(struct store *s, const char *sha, int sdirfd, const char *src, char *rel,
	     size_t cap)
{
	const char *name;
	int dfd, rc;

	if (store_path(sha, rel, cap) < 0 || (dfd = store_dir(s, sha)) < 0)
		return -1;
	name = strrchr(rel, '/') + 1;
	if ((rc = holds(dfd, name, sha)) == 1)
		return 0;
	if (rc < 0 && errno != ENOENT)
		return -1;
	if (rc == 0)
		unlinkat(dfd, name, 0);	/* read-only: replaced, never rewritten */
	if (fs_copy(sdirfd, src, dfd, name, 0440) < 0 || (rc = holds(dfd, name, sha)) < 0)
		return -1;
	if (rc == 0) {
		unlinkat(dfd, name, 0);
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* aa_name - one of the <aa> folders store_dir makes. */
static int
aa_name(const char *name)
{
	return strlen(name) == 2 && strspn(name, "0123456789abcdef") == 2;
}

int
store_clean_temps(struct store *s)
{
	int sfd, n;

	sfd = openat(s->state_fd, "store", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (sfd < 0)
		return 0;	/* no store yet: nothing was ever copied */
	n = fs_clean_temps_under(sfd, aa_name);
	close(sfd);
	return n;
}
