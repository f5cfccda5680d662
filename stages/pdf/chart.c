/*
 * chart.c - bars and lines as vectors (see chart.h).
 *
 * Scales start at zero (a bar's length is its value, never exaggerated) and
 * end at a round number above the largest value, with gridlines at round
 * steps: 1, 2 or 5 times a power of ten.
 */
#include <stdio.h>

#include "chart.h"

#define ROW 15.0f		/* a bar's row */
#define LABEL_W 150.0f		/* the labels' column of a bar chart */
#define VALUE_W 45.0f		/* room for the value after the longest bar */
#define TEXT 8.5f		/* label size */

static const float ink[3] = { 0.10f, 0.27f, 0.53f };	/* the bars and the line */
static const float grid[3] = { 0.80f, 0.80f, 0.80f };
static const float axis[3] = { 0.30f, 0.30f, 0.30f };

/* step - a round gridline step for a scale up to max with about n steps. */
static long long
step(long long max, int n)
{
	long long p = 1, s;

	if (max <= n)
		return 1;
	while (p * 10 <= max / n)
		p *= 10;
	s = p;
	if (s * n < max)
		s = 2 * p;
	if (s * n < max)
		s = 5 * p;
	if (s * n < max)
		s = 10 * p;
	return s;
}

/* top - the scale's end: the first multiple of st at or above max (st when max is 0). */
static long long
top(long long max, long long st)
{
	long long t = (max + st - 1) / st * st;

	return t > 0 ? t : st;
}

/* title - the chart's title above its box. */
static void
title(fz_context *ctx, struct layout *L, const char *s)
{
	layout_need(ctx, L, 60);	/* never a title alone at a page's foot */
	layout_text(ctx, L, s, 10, 1, LAYOUT_LEFT, 0);
	layout_space(ctx, L, 4);
}

/* fmt - v with dots between thousands, as Indonesian numbers are written. */
static const char *
fmt(char *buf, size_t cap, long long v)
{
	char raw[32];
	int n = snprintf(raw, sizeof raw, "%lld", v < 0 ? -v : v), i, o = 0;

	if (v < 0 && o + 1 < (int)cap)
		buf[o++] = '-';
	for (i = 0; i < n && o + 2 < (int)cap; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = '.';
		buf[o++] = raw[i];
	}
	buf[o] = '\0';
	return buf;
}

void
chart_bars(fz_context *ctx, struct layout *L, const struct chart *c)
{
	long long max = 0, st, end;
	size_t i = 0;
	char num[32];

	for (i = 0; i < c->n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	st = step(max, 5);
	end = top(max, st);
	title(ctx, L, c->title);
	if (c->n == 0) {
		layout_text(ctx, L, "(tidak ada data)", TEXT, 0, LAYOUT_LEFT, 0);
		return;
	}
	for (i = 0; i < c->n;) {
		/* as many rows as fit on this page, in one box with its own scale */
		size_t k, rows;
		fz_rect r;
		float x0, w, y;
		long long g;

		layout_need(ctx, L, ROW * 2 + 14);
		rows = (size_t)((layout_room(ctx, L) - 14) / ROW);
		if (rows > c->n - i)
			rows = c->n - i;
		r = layout_box(ctx, L, ROW * (float)rows + 14);
		x0 = r.x0 + LABEL_W;
		w = r.x1 - VALUE_W - x0;
		for (g = 0; g <= end; g += st) {
			float gx = x0 + w * (float)g / (float)end;
			const fz_point p[2] = { { gx, r.y0 }, { gx, r.y1 - 12 } };
			layout_polyline(ctx, L, p, 2, g ? 0.4f : 0.8f, g ? grid : axis);
			layout_label(ctx, L, fmt(num, sizeof num, g), 7, 0, gx, r.y1 - 3,
				     LAYOUT_CENTRE, 0);
		}
		for (k = 0; k < rows; k++, i++) {
			float bw = w * (float)c->values[i] / (float)end;
			y = r.y0 + ROW * (float)k;
			layout_label(ctx, L, c->labels[i], TEXT, 0, x0 - 6, y + ROW - 4,
				     LAYOUT_RIGHT, LABEL_W - 10);
			if (bw > 0)
				layout_fill(ctx, L, fz_make_rect(x0, y + 3, x0 + bw, y + ROW - 2), ink);
			layout_label(ctx, L, fmt(num, sizeof num, c->values[i]), TEXT, 1,
				     x0 + bw + 4, y + ROW - 4, LAYOUT_LEFT, 0);
		}
		layout_space(ctx, L, 8);
	}
}

void
chart_line(fz_context *ctx, struct layout *L, const struct chart *c, float h)
{
	fz_point pts[120];
	long long max = 0, st, end, g;
	float x0, w, y0, y1, dx;
	size_t i, n = c->n < 120 ? c->n : 120;
	fz_rect r;
	char num[32];

	for (i = 0; i < n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	st = step(max, 4);
	end = top(max, st);
	title(ctx, L, c->title);
	r = layout_box(ctx, L, h);
	x0 = r.x0 + 40;
	w = r.x1 - 10 - x0;
	y0 = r.y0 + 14;		/* the scale's top; room for the top point's value */
	y1 = r.y1 - 16;		/* its zero; room for the month labels under it */
	for (g = 0; g <= end; g += st) {
		float gy = y1 - (y1 - y0) * (float)g / (float)end;
		const fz_point p[2] = { { x0, gy }, { x0 + w, gy } };
		layout_polyline(ctx, L, p, 2, g ? 0.4f : 0.8f, g ? grid : axis);
		layout_label(ctx, L, fmt(num, sizeof num, g), 7, 0, x0 - 4, gy + 2.5f,
			     LAYOUT_RIGHT, 0);
	}
	if (n == 0)
		return;
	dx = n > 1 ? w / (float)(n - 1) : 0;
	for (i = 0; i < n; i++) {
		pts[i].x = n > 1 ? x0 + dx * (float)i : x0 + w / 2;
		pts[i].y = y1 - (y1 - y0) * (float)c->values[i] / (float)end;
	}
	layout_polyline(ctx, L, pts, n, 1.8f, ink);
	for (i = 0; i < n; i++) {
		layout_fill(ctx, L, fz_make_rect(pts[i].x - 2.5f, pts[i].y - 2.5f, pts[i].x + 2.5f,
						 pts[i].y + 2.5f), ink);
		/* with many points, every other label, so they do not overlap */
		if (n <= 13 || i % 2 == 0 || i + 1 == n) {
			layout_label(ctx, L, fmt(num, sizeof num, c->values[i]), 7, 1, pts[i].x,
				     pts[i].y - 5, LAYOUT_CENTRE, 0);
			layout_label(ctx, L, c->labels[i], 7, 0, pts[i].x, y1 + 11, LAYOUT_CENTRE,
				     n > 1 ? dx * (n <= 13 ? 1 : 2) - 2 : 0);
		}
	}
}
