/*
 * test_instance.c - the single-instance lock on the state folder
 * (spool/instance.c): a second taker is refused naming the holder's PID,
 * forked children hold the lock with their parent, the kernel lets go when
 * the last holder is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../spool/instance.h"

static char dir[64];

static int
setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/sertel-lock.XXXXXX");
	assert_non_null(mkdtemp(dir));
	(void)state;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	(void)state;
	return 0;
}

/* A second taker (another open of the file) is refused with the holder's PID. */
static void
test_second_is_refused(void **state)
{
	char state_dir[128], want[64], path[192], buf[32];
	struct err e = { 0 };
	int a, b, fd;
	ssize_t n;

	/* the state folder is made when it is missing */
	snprintf(state_dir, sizeof state_dir, "%s/state", dir);
	assert_true((a = instance_lock(state_dir, INSTANCE_LOCK, &e)) >= 0);
	snprintf(want, sizeof want, "%ld\n", (long)getpid());
	snprintf(path, sizeof path, "%s/%s", state_dir, INSTANCE_LOCK);
	assert_true((fd = open(path, O_RDONLY)) >= 0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
	assert_true(fcntl(a, F_GETFD) & FD_CLOEXEC);

	assert_int_equal(instance_lock(state_dir, INSTANCE_LOCK, &e), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	snprintf(want, sizeof want, "(PID %ld)", (long)getpid());
	assert_non_null(strstr(e.detail, want));
	assert_non_null(strstr(e.detail, INSTANCE_LOCK));
	assert_null(strchr(e.detail, '\n'));

	/* augment's lock is another one */
	assert_true((b = instance_lock(state_dir, INSTANCE_AUGMENT_LOCK, &e)) >= 0);
	close(b);
	close(a);
	assert_true((a = instance_lock(state_dir, INSTANCE_LOCK, &e)) >= 0);
	close(a);
	(void)state;
}

/*
 * A forked child (a worker) holds the lock with its parent: the parent
 * gone, the lock stays until the child is, and the refusal says whose
 * workers hold it.
 */
static void
test_children_hold_it(void **state)
{
	int go[2], st, a;
	struct err e = { 0 };
	pid_t holder, worker;
	char c = 0, want[96];

	assert_int_equal(pipe(go), 0);
	holder = fork();
	assert_true(holder >= 0);
	if (holder == 0) {	/* the "master": lock, fork a "worker", die */
		if (instance_lock(dir, INSTANCE_LOCK, &e) < 0)
			_exit(1);
		worker = fork();
		if (worker == 0) {
			close(go[1]);
			if (read(go[0], &c, 1) < 0)	/* until the test lets it go */
				_exit(1);
			_exit(0);
		}
		_exit(worker > 0 ? 0 : 1);
	}
	close(go[0]);
	assert_true(waitpid(holder, &st, 0) == holder);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

	assert_int_equal(instance_lock(dir, INSTANCE_LOCK, &e), -1);
	snprintf(want, sizeof want, "workers of sertel PID %ld, which has exited", (long)holder);
	assert_non_null(strstr(e.detail, want));

	close(go[1]);	/* the worker reads EOF and exits; it is not our child */
	for (st = 0; st < 500; st++) {
		if ((a = instance_lock(dir, INSTANCE_LOCK, &e)) >= 0)
			break;
		usleep(10000);
	}
	assert_true(a >= 0);
	close(a);
	(void)state;
}

/* A folder that cannot be made is named in the error. */
static void
test_unusable_folder(void **state)
{
	char bad[128];
	struct err e = { 0 };
	FILE *f;

	snprintf(bad, sizeof bad, "%s/file", dir);
	assert_non_null(f = fopen(bad, "w"));
	fclose(f);
	snprintf(bad, sizeof bad, "%s/file/state", dir);
	assert_int_equal(instance_lock(bad, INSTANCE_LOCK, &e), -1);
	assert_non_null(strstr(e.detail, bad));
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_second_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_children_hold_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_folder, setup, teardown),
	};

	return cmocka_run_group_tests_name("instance", tests, NULL, NULL);
}
