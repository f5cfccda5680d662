/*
 * dbfixture.h - a fresh state folder with an open database, for the unit
 * tests of db/ (cmocka setup and teardown).  Included after <cmocka.h>.
 */
#ifndef SERTEL_TEST_DBFIXTURE_H
#define SERTEL_TEST_DBFIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "../../db/db.h"

struct fixture {
	char dir[64];
	struct db *db;
};

/* db_fixture_open - *state a new fixture in /tmp/sertel-<name>.XXXXXX. */
static __attribute__((unused)) int
db_fixture_open(void **state, const char *name)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct err e;

	assert_non_null(fx);
	snprintf(fx->dir, sizeof fx->dir, "/tmp/sertel-%s.XXXXXX", name);
	assert_non_null(mkdtemp(fx->dir));
	fx->db = db_open(fx->dir, &e);
	assert_non_null(fx->db);
	*state = fx;
	return 0;
}

/* db_fixture_close - the fixture closed and its folder removed. */
static __attribute__((unused)) int
db_fixture_close(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	db_close(fx->db);
	snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

#endif
