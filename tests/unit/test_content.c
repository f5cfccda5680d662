/*
 * test_content.c - stages/pdf/content.c: content_fixed2 writes what
 * printf's "%.2f" writes for floats (ties to even included: 0.125f is
 * "0.12", 0.375f "0.38"), negatives, -0, large and odd values; content_re
 * one rectangle line; content_deflate inflates back to its input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "../../stages/pdf/content.h"

/* same - content_fixed2(v) is snprintf("%.2f", v). */
static void
same(float v)
{
	char a[64], b[64];
	size_t n = content_fixed2(a, v);

	a[n] = '\0';
	snprintf(b, sizeof b, "%.2f", v);
	if (strcmp(a, b))
		fail_msg("%.9g: content_fixed2 \"%s\", printf \"%s\"", (double)v, a, b);
}

static void
test_fixed2(void **state)
{
	static const float fixed[] = { 0, -0.0f, 0.004f, 0.005f, 0.015f, 0.125f, 0.375f, 0.625f,
				       0.875f, 2.675f, -0.001f, -0.125f, -12.345f, 1.0f, 99.995f,
				       595.28f, 841.89f, 1e6f, 123456789.0f, 1e12f, 3e15f, 1e20f,
				       -1e20f, 1e30f, 3.4e38f, -3.4e38f, INFINITY, -INFINITY, NAN };
	unsigned int seed = 20261207;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof fixed / sizeof *fixed; i++)
		same(fixed[i]);
	/* module edges: k * (size / modules), as bars() computes them */
	for (i = 0; i < 200000; i++) {
		float mod = 72.0f / (float)(21 + 4 * (i % 37));

		same((float)(i % 177) * mod + 12.5f);
		same((float)rand_r(&seed) / (float)RAND_MAX * 2000.0f - 1000.0f);
	}
	/* every tie with two decimals below 100: x.yy5 that a float holds exactly */
	for (i = 0; i < 100 * 8; i++)
		same((float)i / 8.0f);
}

static void
test_re(void **state)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	fz_buffer *b = fz_new_buffer(ctx, 64);
	const char *s;

	(void)state;
	content_re(ctx, b, 10.125f, -3.5f, 0.375f, 841.89f);
	s = fz_string_from_buffer(ctx, b);
	assert_string_equal(s, "10.12 -3.50 0.38 841.89 re\n");
	fz_drop_buffer(ctx, b);
	fz_drop_context(ctx);
}

static void
test_deflate(void **state)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	static unsigned char in[200000], back[200000];
	size_t sizes[] = { 0, 1, 300, 5000, 70000, sizeof in }, i, zlen;
	unsigned int seed = 7;
	uLongf blen;

	(void)state;
	for (i = 0; i < sizeof in; i++)	/* compressible, not trivially */
		in[i] = (unsigned char)("0123456789 re f\n"[rand_r(&seed) % 16]);
	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *z = content_deflate(ctx, in, sizes[i], CONTENT_Z_DOC, &zlen);

		blen = sizeof back;
		assert_int_equal(uncompress(back, &blen, z, zlen), Z_OK);
		assert_int_equal(blen, sizes[i]);
		assert_memory_equal(back, in, sizes[i]);
		if (sizes[i] >= 5000)
			assert_true(zlen < sizes[i] * 6 / 10);
		fz_free(ctx, z);
	}
	fz_drop_context(ctx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed2),
		cmocka_unit_test(test_re),
		cmocka_unit_test(test_deflate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
