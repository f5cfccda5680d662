/*
 * test_nip.c - NIP and NIK structure, table-driven: valid numbers, and one
 * case per rule with the position the explanation must name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../base/nip.h"

/* 2026-11-24 12:00 UTC, the day these cases were written. */
#define NOW ((time_t)1795521600)

static const struct {
	const char *id;
	enum nip_kind kind;
	const char *why;	/* a fragment the explanation must contain */
} cases[] = {
	/* NIP: YYYYMMDD YYYYMM S NNN */
	{ "197103012006042006", NIP_NIP, NULL },
	{ "198005052005011003", NIP_NIP, NULL },
	{ "200002292020121001", NIP_NIP, NULL },	/* 29 Feb of a leap year */
	{ "199002292015031001", NIP_INVALID, "digit 1-8" },	/* 1990 is not leap */
	{ "197113012006042006", NIP_INVALID, "digit 1-8" },	/* month 13 */
	{ "189912312006042006", NIP_INVALID, "digit 1-8" },
	{ "197103012006132006", NIP_INVALID, "digit 9-14" },	/* month 13 */
	{ "197103012030012006", NIP_INVALID, "tidak di masa depan" },
	{ "200001012017011001", NIP_INVALID, "ulang tahun ke-18" },	/* appointed at 17 */
	{ "200006152018051001", NIP_INVALID, "ulang tahun ke-18" },	/* a month short */
	{ "200006152018061001", NIP_NIP, NULL },	/* the month of the ulang tahun ke-18 */
	{ "197103012006043006", NIP_INVALID, "digit 15" },	/* sex digit 3 */
	{ "197103012006040006", NIP_INVALID, "digit 15" },
	{ "197103012006042000", NIP_INVALID, "16-18" },
	{ "198001012026111001", NIP_NIP, NULL },	/* appointed this month */
	{ "198001012026121001", NIP_INVALID, "tidak di masa depan" },	/* next month */
	{ "190001011920011001", NIP_NIP, NULL },	/* the earliest birth year */
	{ "198002291998021001", NIP_NIP, NULL },	/* born 29 Feb 1980, appointed at 18 */
	{ "198002291998011001", NIP_INVALID, "ulang tahun ke-18" },	/* a month before */
	/* NIK: PPKKCC DDMMYY NNNN */
	{ "1605010101900001", NIP_NIK, NULL },	/* Musi Rawas, man born 1 Jan 1990 */
	{ "1605014101900001", NIP_NIK, NULL },	/* woman: day + 40 */
	{ "1605017101900001", NIP_NIK, NULL },	/* woman born 31 January */
	{ "1605017201900001", NIP_INVALID, "digit 7-12" },	/* day 72 - 40 = 32 */
	{ "1605013102900001", NIP_INVALID, "digit 7-12" },	/* 31 February */
	{ "1605012902000001", NIP_NIK, NULL },	/* 29 Feb 2000 */
	{ "1605012902010001", NIP_INVALID, "digit 7-12" },	/* 29 Feb 2001 */
	{ "1605010101260001", NIP_NIK, NULL },	/* YY 26: 2026, this year */
	{ "1605010101270001", NIP_NIK, NULL },	/* YY 27 would be next year: 1927 */
	{ "1605012902270001", NIP_INVALID, "digit 7-12" },	/* 29 Feb 1927: no such day */
	{ "3171014107850002", NIP_NIK, NULL },	/* Jakarta, a woman born 1 July 1985 */
	{ "1005010101900001", NIP_INVALID, "kode provinsi" },	/* 10 is no province */
	{ "9905010101900001", NIP_INVALID, "kode provinsi" },
	{ "1600010101900001", NIP_INVALID, "kabupaten/kota" },
	{ "1605010101900000", NIP_INVALID, "13-16" },
	/* neither */
	{ "19710301200604200", NIP_INVALID, "panjangnya 17 digit" },
	{ "1971030120060420061", NIP_INVALID, "panjangnya 19 digit" },
	{ "19710301 006042006", NIP_INVALID, "di posisi 9" },
	{ "", NIP_INVALID, "panjangnya 0 digit" },
};

static void
test_cases(void **state)
{
	char why[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		why[0] = '\0';
		enum nip_kind k = nip_check(cases[i].id, NOW, why, sizeof why);
		if (k != cases[i].kind)
			fail_msg("%s: kind %d, want %d (%s)", cases[i].id, k, cases[i].kind, why);
		if (cases[i].why && !strstr(why, cases[i].why))
			fail_msg("%s: explanation '%s' lacks '%s'", cases[i].id, why, cases[i].why);
	}
}

/* nip_mask - all but the last three digits hidden; what does not fit comes back whole. */
static void
test_mask(void **state)
{
	char buf[32], small[8];

	(void)state;
	assert_string_equal(nip_mask("197103012006042006", buf, sizeof buf), "***************006");
	assert_string_equal(nip_mask("3201014505900001", buf, sizeof buf), "*************001");
	assert_string_equal(nip_mask("12", buf, sizeof buf), "12");
	assert_string_equal(nip_mask("", buf, sizeof buf), "");
	assert_string_equal(nip_mask("197103012006042006", small, sizeof small),
			    "197103012006042006");
}

int
main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_cases),
					    cmocka_unit_test(test_mask) };

	return cmocka_run_group_tests_name("nip", tests, NULL, NULL);
}
