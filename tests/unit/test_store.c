/*
 * test_store.c - the digital-copy store: the path of a copy, copies and
 * buffers written once and read-only, no path made of anything but a
 * SHA-256, and no more folders kept open than the descriptor budget allows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../spool/fsutil.h"
#include "../../spool/store.h"
#include "fixture.h"

struct fixture {
	char dir[64];
	int fd;
	struct store s;
};

static const char sha[] = "ab0123456789abcdef0123456789abcdef0123456789abcdef0123456789cdef";

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	snprintf(fx->dir, sizeof fx->dir, "/tmp/sertel-store.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	fx->fd = open(fx->dir, O_RDONLY | O_DIRECTORY);
	assert_true(fx->fd >= 0);
	store_init(&fx->s, fx->fd);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	store_close(&fx->s);
	close(fx->fd);
	assert_int_equal(run("rm -rf %s", fx->dir), 0);
	free(fx);
	return 0;
}

/* mode - the permission bits of dir/rel, or -1. */
static int
mode(const struct fixture *fx, const char *rel)
{
	struct stat st;

	return fstatat(fx->fd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void
test_path(void **state)
{
	char rel[STORE_PATH_MAX], small[20];

	(void)state;
	assert_int_equal(store_path(sha, rel, sizeof rel), 0);
	assert_string_equal(rel, "store/ab/ab0123456789abcdef0123456789abcdef0123456789abcdef"
			    "0123456789cdef.pdf");
	assert_int_equal(strlen(rel) + 1, 78);
	/* nothing but 64 lowercase hex digits makes a path */
	errno = 0;
	assert_int_equal(store_path("../../etc/passwd", rel, sizeof rel), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(rel, "");
	assert_int_equal(store_path("AB0123456789abcdef0123456789abcdef0123456789abcdef0123456789cdef",
				    rel, sizeof rel), -1);
	assert_int_equal(store_path("ab", rel, sizeof rel), -1);
	assert_int_equal(store_path(sha, small, sizeof small), -1);
}

static void
test_copy_once(void **state)
{
	struct fixture *fx = *state;
	char rel[STORE_PATH_MAX], *buf;
	size_t len;

	assert_int_equal(fs_write_atomic(fx->fd, "in.pdf", "%PDF-1.7 one", 12, 0), 0);
	assert_int_equal(store_copy(&fx->s, sha, fx->fd, "in.pdf", rel, sizeof rel), 0);
	assert_int_equal(mode(fx, rel), 0440);
	assert_int_equal(mode(fx, "store/ab"), 0750);
	/* the same digest is stored already: not written again */
	assert_int_equal(fs_write_atomic(fx->fd, "in.pdf", "%PDF-1.7 two", 12, 0), 0);
	assert_int_equal(store_copy(&fx->s, sha, fx->fd, "in.pdf", rel, sizeof rel), 0);
	assert_int_equal(fs_read_all(fx->fd, rel, 100, &buf, &len), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(buf, "%PDF-1.7 one", 12);
	free(buf);
	/* a missing source fails, and says why */
	assert_int_equal(store_copy(&fx->s, "ab" "1111111111111111111111111111111111111111111111"
				    "1111111111111111", fx->fd, "gone.pdf", rel, sizeof rel), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(store_copy(&fx->s, "ab/../x", fx->fd, "in.pdf", rel, sizeof rel), -1);
}

static void
test_put(void **state)
{
	struct fixture *fx = *state;
	char rel[STORE_PATH_MAX], *buf;
	size_t len;

	assert_int_equal(store_put(&fx->s, sha, "%PDF-1.7 bt", 11, rel, sizeof rel), 0);
	assert_int_equal(mode(fx, rel), 0440);
	assert_int_equal(fs_read_all(fx->fd, rel, 100, &buf, &len), 0);
	assert_int_equal(len, 11);
	free(buf);
	/* repeatable (augment after a crash before its commit) */
	assert_int_equal(store_put(&fx->s, sha, "%PDF-1.7 bt", 11, rel, sizeof rel), 0);
	assert_int_equal(mode(fx, rel), 0440);
	assert_int_equal(run("ls -A %s/store/ab | grep -c tmp >/dev/null", fx->dir), 1);
	assert_int_equal(store_put(&fx->s, "xyz", "", 0, rel, sizeof rel), -1);
}

/* test_import - a copy from a backup: kept when right, replaced when damaged, refused when not its digest. */
static void
test_import(void **state)
{
	struct fixture *fx = *state;
	/* the SHA-256 of "%PDF-1.7 one" (sha256sum) */
	static const char one[] = "e6d49ab2abf82176003da667a50ba1d708796b091f2957400c19699badfb6a20";
	char rel[STORE_PATH_MAX], *buf;
	size_t len;

	assert_int_equal(fs_write_atomic(fx->fd, "in.pdf", "%PDF-1.7 one", 12, 0), 0);
	assert_int_equal(store_import(&fx->s, one, fx->fd, "in.pdf", rel, sizeof rel), 0);
	assert_int_equal(mode(fx, rel), 0440);
	assert_int_equal(fs_read_all(fx->fd, rel, 100, &buf, &len), 0);
	assert_int_equal(len, 12);
	free(buf);
	/* a damaged copy in the store is replaced by the backup's */
	assert_int_equal(run("chmod 600 %s/%s && printf 'damaged' > %s/%s", fx->dir, rel, fx->dir,
			     rel), 0);
	assert_int_equal(store_import(&fx->s, one, fx->fd, "in.pdf", rel, sizeof rel), 0);
	assert_int_equal(fs_read_all(fx->fd, rel, 100, &buf, &len), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(buf, "%PDF-1.7 one", 12);
	free(buf);
	assert_int_equal(mode(fx, rel), 0440);
	/* bytes that are not the digest's never stay in the store */
	assert_int_equal(store_import(&fx->s, sha, fx->fd, "in.pdf", rel, sizeof rel), -1);
	assert_int_equal(errno, EBADMSG);
	assert_int_equal(mode(fx, rel), -1);
	/* a missing source fails, and says why */
	assert_int_equal(store_import(&fx->s, sha, fx->fd, "gone.pdf", rel, sizeof rel), -1);
	assert_int_equal(errno, ENOENT);
}

/* test_clean_temps - start-up removes the temps of dead writers, and nothing else. */
static void
test_clean_temps(void **state)
{
	struct fixture *fx = *state;
	char rel[STORE_PATH_MAX], name[128];
	pid_t dead = fork();
	const char *keep[] = { "store/ab/.tmp.notes", "store/ab/x.pdf.tmp", "store/ab/.tmp.77.",
			       "store/zz/.tmp.1.a.pdf", "store/ab/.tmp.1x.a.pdf" };
	size_t i;

	if (dead == 0)
		_exit(0);
	assert_true(dead > 0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);	/* a PID no process has now */
	assert_int_equal(store_clean_temps(&fx->s), 0);	/* no store yet */
	assert_int_equal(store_put(&fx->s, sha, "%PDF-1.7", 8, rel, sizeof rel), 0);
	assert_int_equal(run("mkdir %s/store/zz", fx->dir), 0);
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		assert_int_equal(run("echo x > '%s/%s'", fx->dir, keep[i]), 0);
	snprintf(name, sizeof name, "store/ab/.tmp.%d.%s.pdf", (int)dead, sha);
	assert_int_equal(run("echo partial > %s/%s", fx->dir, name), 0);
	assert_int_equal(run("echo partial > %s/store/ab/.tmp.%d.b.pdf", fx->dir, (int)getpid()), 0);
	assert_int_equal(run("ln -s %s %s/store/ab/.tmp.%d.l.pdf", rel, fx->dir, (int)dead), 0);
	assert_int_equal(run("mkdir %s/store/ab/.tmp.%d.d", fx->dir, (int)dead), 0);
	/* the dead writer's and our own (nothing of ours is being written) */
	assert_int_equal(store_clean_temps(&fx->s), 2);
	assert_int_equal(mode(fx, name), -1);
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		assert_true(mode(fx, keep[i]) >= 0);
	snprintf(name, sizeof name, "store/ab/.tmp.%d.l.pdf", (int)dead);
	assert_true(mode(fx, name) >= 0);		/* a link is not a temp of ours */
	snprintf(name, sizeof name, "store/ab/.tmp.%d.d", (int)dead);
	assert_true(mode(fx, name) >= 0);
	assert_int_equal(mode(fx, rel), 0440);		/* the copy itself stays */
	assert_int_equal(store_clean_temps(&fx->s), 0);	/* repeatable */
}

/* The store keeps at most its limit of folders open, the least recently used closed first. */
static void
test_limit(void **state)
{
	struct fixture *fx = *state;
	char rel[STORE_PATH_MAX], digest[65];
	int i, b[] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x00, 0x55 };

	store_limit(&fx->s, 2);
	assert_int_equal(fs_write_atomic(fx->fd, "in.pdf", "%PDF-1.7", 8, 0), 0);
	for (i = 0; i < (int)(sizeof b / sizeof b[0]); i++) {
		snprintf(digest, sizeof digest, "%02x%062d", b[i], i);
		assert_int_equal(store_copy(&fx->s, digest, fx->fd, "in.pdf", rel, sizeof rel), 0);
		assert_int_equal(mode(fx, rel), 0440);
		assert_true(fx->s.nopen <= 2);
	}
	/* 00 was used again just before 55: it is still open, 44 was closed */
	assert_true(fx->s.dir_fd[0x00] > 0);
	assert_true(fx->s.dir_fd[0x55] > 0);
	assert_int_equal(fx->s.dir_fd[0x44], 0);
	store_limit(&fx->s, 1);
	assert_int_equal(fx->s.nopen, 1);
	assert_true(fx->s.dir_fd[0x55] > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test_setup_teardown(test_copy_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_put, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clean_temps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
