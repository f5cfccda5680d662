/*
 * test_certs.c - the certificate registry (db/certs.c, schema 5): the
 * lifecycle through db_cert_change, every transition the table does not
 * list refused with cert.transition and nothing changed, an audit record
 * per change, one open request per holder, and the database's triggers
 * holding a hand edit (sqlite3 on the file) to the same table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dbfixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../db/audit.h"
#include "../../db/certs.h"
#include "../../db/db.h"

static const char *const states[] = { "requested", "verified", "rejected", "issued",
				      "superseded", "expired", "revoked", "suspended" };
#define NSTATES (sizeof states / sizeof states[0])

/* The lifecycle as the issue states it (Pasal 8-20), written out apart from the schema. */
static const char *const legal[][2] = {
	{ "requested", "verified" }, { "requested", "rejected" }, { "verified", "issued" },
	{ "issued", "superseded" }, { "issued", "expired" }, { "issued", "revoked" },
	{ "issued", "suspended" }, { "suspended", "issued" }, { "suspended", "expired" },
	{ "suspended", "revoked" },
};

static int
setup(void **state)
{
	return db_fixture_open(state, "certs");
}

static int
teardown(void **state)
{
	return db_fixture_close(state);
}

/* sql - run s on the file with the sqlite3 library (a hand edit); its result code. */
static int
sql(struct fixture *fx, const char *s)
{
	char path[128];
	sqlite3 *h;
	int rc;

	snprintf(path, sizeof path, "%s/sertel.db", fx->dir);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	rc = sqlite3_exec(h, s, NULL, NULL, NULL);
	sqlite3_close(h);
	return rc;
}

/* request - a new request for holder id (an 18-digit NIP); its number. */
static long long
request(struct fixture *fx, const char *id, int n)
{
	struct db_cert c;
	struct err e;

	memset(&c, 0, sizeof c);
	snprintf(c.h.id, sizeof c.h.id, "%s", id);
	snprintf(c.h.nip, sizeof c.h.nip, "%s", id);
	strcpy(c.h.nik, "1605014506850002");
	strcpy(c.h.name, "Rina Marlina");
	strcpy(c.h.jabatan, "Kepala Bidang");
	strcpy(c.h.pangkat, "Pembina (IV/a)");
	strcpy(c.h.unit, "Bidang Aplikasi");
	strcpy(c.h.pd, "diskominfo");
	strcpy(c.h.phone, "081234567890");
	strcpy(c.h.email, "rina@musirawaskab.go.id");
	strcpy(c.recommender, "197103012006042006");
	strcpy(c.key_alg, "ec-p256");
	strcpy(c.pubkey_sha256, "00");
	snprintf(c.dir, sizeof c.dir, "certs/%d", n);
	assert_int_equal(db_cert_request(fx->db, &c, 1000 + n, &e), 0);
	assert_true(c.id > 0);
	return c.id;
}

/* go - certificate id to state to (issued: with a certificate); what db_cert_change returned. */
static int
go(struct fixture *fx, long long id, const char *to, struct err *e)
{
	struct db_cert x;
	struct db_cert_change ch = { .to = to, .by = "198501012010011001", .note = "test",
				     .at = 2000 };

	memset(&x, 0, sizeof x);
	if (!strcmp(to, "issued") && db_cert_get(fx->db, id, &x, e) == 1 &&
	    !strcmp(x.state, "verified"))	/* a certificate only for a verified request */
		ch.issued = &x;
	snprintf(x.serial, sizeof x.serial, "%llX", 0x1000 + id);
	strcpy(x.issuer, "CN=dev");
	strcpy(x.subject, "CN=Rina Marlina");
	x.not_before = 1000;
	x.not_after = 5000;
	if (!strcmp(to, "revoked")) {
		ch.reason = "kunci-bocor";
		ch.reason_code = 1;
	}
	return db_cert_change(fx->db, id, &ch, e);
}

/* path_to - the legal moves from requested to s, in order (NULL-terminated). */
static const char *const *
path_to(const char *s)
{
	static const char *const p[][5] = {
		{ "requested", NULL }, { "verified", NULL }, { "rejected", NULL },
		{ "verified", "issued", NULL }, { "verified", "issued", "superseded", NULL },
		{ "verified", "issued", "expired", NULL }, { "verified", "issued", "revoked", NULL },
		{ "verified", "issued", "suspended", NULL },
	};
	size_t i;

	for (i = 0; i < NSTATES; i++)
		if (!strcmp(states[i], s))
			return strcmp(s, "requested") ? p[i] : p[i] + 1;
	fail();
	return NULL;
}

static int
is_legal(const char *from, const char *to)
{
	size_t i;

	for (i = 0; i < sizeof legal / sizeof legal[0]; i++)
		if (!strcmp(legal[i][0], from) && !strcmp(legal[i][1], to))
			return 1;
	return 0;
}

/* Every pair of states: the lifecycle's moves pass, every other is refused and changes nothing. */
static void
test_every_transition(void **state)
{
	struct fixture *fx = *state;
	size_t i, j;
	int n = 0;

	for (i = 0; i < NSTATES; i++) {
		for (j = 0; j < NSTATES; j++) {
			const char *const *p = path_to(states[i]);
			char holder[24];
			struct db_cert c;
			struct err e;
			long long id, seq0, seq1;
			char hash[AUDIT_HASH_LEN + 1];
			int rc;

			/* each pair its own holder: one open request per holder */
			snprintf(holder, sizeof holder, "1985061520100120%02d", n);
			id = request(fx, holder, n++);
			for (; *p; p++)
				assert_int_equal(go(fx, id, *p, &e), 0);
			assert_int_equal(db_cert_get(fx->db, id, &c, &e), 1);
			assert_string_equal(c.state, states[i]);
			assert_int_equal(db_audit_head(fx->db, &seq0, hash, &e), 0);
			rc = go(fx, id, states[j], &e);
			assert_int_equal(db_audit_head(fx->db, &seq1, hash, &e), 0);
			assert_int_equal(db_cert_get(fx->db, id, &c, &e), 1);
			if (is_legal(states[i], states[j])) {
				assert_int_equal(rc, 0);
				assert_string_equal(c.state, states[j]);
				assert_int_equal(seq1, seq0 + 1);
			} else {
				assert_int_equal(rc, -1);
				assert_string_equal(e.code, "cert.transition");
				assert_string_equal(c.state, states[i]);
				assert_int_equal(seq1, seq0);
			}
		}
	}
}

/* A revoked certificate's record: reason, code, who; its holder may apply again (Pasal 16(4)). */
static void
test_revoke_and_apply_again(void **state)
{
	struct fixture *fx = *state;
	long long id = request(fx, "198506152010012003", 1), again;
	struct db_cert c;
	struct err e;

	assert_int_equal(go(fx, id, "verified", &e), 0);
	assert_int_equal(go(fx, id, "issued", &e), 0);
	assert_int_equal(db_cert_find(fx->db, "198506152010012003", &c, &e), 1);
	assert_int_equal(c.id, id);
	assert_int_equal(db_cert_find(fx->db, "1605014506850002", &c, &e), 1);	/* by NIK */
	assert_int_equal(db_cert_find(fx->db, c.serial, &c, &e), 1);
	assert_int_equal(go(fx, id, "revoked", &e), 0);
	assert_int_equal(db_cert_get(fx->db, id, &c, &e), 1);
	assert_string_equal(c.revoke_reason, "kunci-bocor");
	assert_int_equal(c.revoke_code, 1);
	assert_string_equal(c.state_by, "198501012010011001");
	assert_int_equal(c.not_after, 5000);
	assert_int_equal(db_cert_find(fx->db, "198506152010012003", &c, &e), 0);
	again = request(fx, "198506152010012003", 2);
	assert_true(again > id);
}

/* One open request or certificate per holder. */
static void
test_one_open(void **state)
{
	struct fixture *fx = *state;
	struct db_cert c;
	struct err e;

	request(fx, "198506152010012003", 1);
	memset(&c, 0, sizeof c);
	strcpy(c.h.id, "198506152010012003");
	strcpy(c.h.nik, "1605014506850002");
	strcpy(c.dir, "certs/2");
	assert_int_equal(db_cert_request(fx->db, &c, 3000, &e), -1);
	assert_string_equal(e.code, "cert.open");
	assert_int_equal(db_cert_get(fx->db, 2, &c, &e), 0);
}

/* The triggers: a hand edit cannot skip a state, rewrite an identity, or delete a record. */
static void
test_hand_edits(void **state)
{
	struct fixture *fx = *state;
	long long id = request(fx, "198506152010012003", 1);
	struct db_cert c;
	struct err e;
	char s[160];

	snprintf(s, sizeof s, "UPDATE certs SET state = 'issued' WHERE id = %lld", id);
	assert_int_equal(sql(fx, s), SQLITE_CONSTRAINT);
	snprintf(s, sizeof s, "UPDATE certs SET state = 'revoked' WHERE id = %lld", id);
	assert_int_equal(sql(fx, s), SQLITE_CONSTRAINT);
	snprintf(s, sizeof s, "UPDATE certs SET state = 'bogus' WHERE id = %lld", id);
	assert_int_equal(sql(fx, s), SQLITE_CONSTRAINT);
	assert_int_equal(sql(fx, "INSERT INTO cert_transitions VALUES ('requested','issued')"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(sql(fx, "DELETE FROM cert_transitions"), SQLITE_CONSTRAINT);
	assert_int_equal(sql(fx, "INSERT INTO certs (holder, state, recommender, key_alg,"
			     " pubkey_sha256, dir, requested_at, state_at) VALUES"
			     " ('198506152010012003', 'issued', 'x', 'x', 'x', 'd2', 1, 1)"),
			 SQLITE_CONSTRAINT);
	assert_int_equal(go(fx, id, "verified", &e), 0);
	assert_int_equal(go(fx, id, "issued", &e), 0);
	snprintf(s, sizeof s, "UPDATE certs SET serial = 'FF', state = 'issued' WHERE id = %lld",
		 id);
	assert_int_equal(sql(fx, s), SQLITE_CONSTRAINT);
	snprintf(s, sizeof s, "UPDATE certs SET not_after = 9999999999 WHERE id = %lld", id);
	assert_int_equal(sql(fx, s), SQLITE_CONSTRAINT);
	snprintf(s, sizeof s, "DELETE FROM certs WHERE id = %lld", id);
	assert_int_equal(sql(fx, s), SQLITE_CONSTRAINT);
	/* the legal move by hand passes: the triggers hold the table, nothing more */
	snprintf(s, sizeof s, "UPDATE certs SET state = 'suspended' WHERE id = %lld", id);
	assert_int_equal(sql(fx, s), SQLITE_OK);
	assert_int_equal(db_cert_get(fx->db, id, &c, &e), 1);
	assert_string_equal(c.state, "suspended");
	assert_int_equal(c.not_after, 5000);
	/* back to issued, but never with another certificate: that takes a new request */
	{
		struct db_cert_change ch = { .to = "issued", .by = "198501012010011001",
					     .at = 3000, .issued = &c };

		assert_int_equal(db_cert_change(fx->db, id, &ch, &e), -1);
		assert_string_equal(e.code, "cert.transition");
	}
}

/* The schema's table is the lifecycle, no more, no less. */
static void
test_table_is_the_lifecycle(void **state)
{
	struct fixture *fx = *state;
	char path[128];
	sqlite3 *h;
	sqlite3_stmt *st;
	size_t n = 0;

	snprintf(path, sizeof path, "%s/sertel.db", fx->dir);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT src, dst FROM cert_transitions", -1, &st,
					    NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		assert_true(is_legal((const char *)sqlite3_column_text(st, 0),
				     (const char *)sqlite3_column_text(st, 1)));
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	assert_int_equal(n, sizeof legal / sizeof legal[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_transition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revoke_and_apply_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hand_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_is_the_lifecycle, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
