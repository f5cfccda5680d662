/*
 * nip.c - NIP and NIK structure (see nip.h).
 */
#include <stdio.h>
#include <string.h>

#include "nip.h"

/* num - the decimal value of s[0..n). */
static int
num(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* days_in - days in month m of year y. */
static int
days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* date_ok - y-m-d is a calendar date. */
static int
date_ok(int y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* province_ok - a province code in use (Permendagri on region codes). */
static int
province_ok(int p)
{
	static const int codes[] = { 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35,
				     36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74, 75, 76,
				     81, 82, 91, 92, 93, 94, 95, 96, 97 };
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i] == p)
			return 1;
	return 0;
}

/* check_nip - the 18-digit civil-servant number. */
static enum nip_kind
check_nip(const char *id, const struct tm *now, char *why, size_t cap)
{
	int by = num(id, 4), bm = num(id + 4, 2), bd = num(id + 6, 2);
	int ay = num(id + 8, 4), am = num(id + 12, 2), sex = id[14] - '0';
	int ym_now = (now->tm_year + 1900) * 100 + now->tm_mon + 1;

	if (by < 1900 || !date_ok(by, bm, bd))
		snprintf(why, cap, "digit 1-8 (%.8s) bukan tanggal lahir YYYYMMDD", id);
	else if (am < 1 || am > 12 || ay * 100 + am > ym_now)
		snprintf(why, cap, "digit 9-14 (%.6s) bukan bulan pengangkatan YYYYMM "
			 "(tidak di masa depan)", id + 8);
	else if (ay * 100 + am < (by + 18) * 100 + bm)
		snprintf(why, cap, "pengangkatan %.4s-%.2s sebelum ulang tahun ke-18 "
			 "(lahir %.4s-%.2s-%.2s)", id + 8, id + 12, id, id + 4, id + 6);
	else if (sex != 1 && sex != 2)
		snprintf(why, cap, "digit 15 adalah '%c'; itu digit jenis kelamin, 1 atau 2", id[14]);
	else if (num(id + 15, 3) == 0)
		snprintf(why, cap, "digit 16-18 (000) bukan nomor urut");
	else
		return NIP_NIP;
	return NIP_INVALID;
}

/* check_nik - the 16-digit population number. */
static enum nip_kind
check_nik(const char *id, const struct tm *now, char *why, size_t cap)
{
	int d = num(id + 6, 2), m = num(id + 8, 2), yy = num(id + 10, 2);
	int y = 2000 + yy;

	if (y > now->tm_year + 1900)	/* two digits: the latest century not in the future */
		y -= 100;
	if (d > 40)			/* women: day + 40 */
		d -= 40;
	if (!province_ok(num(id, 2)))
		snprintf(why, cap, "digit 1-2 (%.2s) bukan kode provinsi Indonesia", id);
	else if (num(id + 2, 2) == 0)
		snprintf(why, cap, "digit 3-4 (00) bukan kode kabupaten/kota");
	else if (!date_ok(y, m, d))
		snprintf(why, cap, "digit 7-12 (%.6s) bukan tanggal lahir DDMMYY "
			 "(perempuan: tanggal + 40)", id + 6);
	else if (num(id + 12, 4) == 0)
		snprintf(why, cap, "digit 13-16 (0000) bukan nomor urut");
	else
		return NIP_NIK;
	return NIP_INVALID;
}

enum nip_kind
nip_check(const char *id, time_t now, char *why, size_t cap)
{
	size_t len = strlen(id), n = strspn(id, "0123456789");
	struct tm tm;

	gmtime_r(&now, &tm);
	if (n < len) {
		snprintf(why, cap, "memuat '%c' di posisi %zu; NIP atau NIK hanya berisi angka",
			 id[n], n + 1);
		return NIP_INVALID;
	}
	if (len == 18)
		return check_nip(id, &tm, why, cap);
	if (len == 16)
		return check_nik(id, &tm, why, cap);
	snprintf(why, cap, "panjangnya %zu digit, seharusnya NIP 18 digit atau NIK 16 digit", len);
	return NIP_INVALID;
}

const char *
nip_mask(const char *n, char *buf, size_t cap)
{
	size_t len = strlen(n), i;

	if (len >= cap)
		return n;
	for (i = 0; i < len; i++)
		buf[i] = i + 3 < len ? '*' : n[i];
	buf[len] = '\0';
	return buf;
}
