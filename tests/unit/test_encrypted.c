/*
 * test_encrypted.c - which permissions (/P, ISO 32000-2 table 22) let sertel
 * add a signature field to an encrypted document: bits 4 (modify) and 6
 * (annotations, form filling) both; bit 9 (fill existing fields) is not enough.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../stages/pdf/encrypted.h"

#define BIT(n) (1 << ((n) - 1))

static void
test_perms(void **state)
{
	int all = (int)0xFFFFFFFC;	/* every permission, as qpdf writes it: -4 */

	assert_true(encrypted_perms_allow(all));
	assert_true(encrypted_perms_allow(BIT(4) | BIT(6)));
	assert_false(encrypted_perms_allow(all & ~BIT(4)));	/* qpdf --modify=none */
	assert_false(encrypted_perms_allow(all & ~BIT(6)));	/* qpdf --annotate=n */
	assert_false(encrypted_perms_allow(BIT(9) | BIT(3)));	/* fill existing fields, print */
	assert_false(encrypted_perms_allow(BIT(4)));
	assert_false(encrypted_perms_allow(BIT(6)));
	assert_false(encrypted_perms_allow(0));
	(void)state;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_perms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
