/*
 * chart.h - the charts of the reports sertel writes, drawn as vectors into
 * a layout (layout.h): horizontal bars (a count per PD, per cause) and a
 * line over months.  Labels in the font of the page, every value written
 * beside its bar or point, so the chart reads without a legend and prints
 * well in black and white.  Every call may throw (MuPDF).
 */
#ifndef SERTEL_CHART_H
#define SERTEL_CHART_H

#include <stddef.h>

#include "layout.h"

/* One chart's data: n labelled counts. */
struct chart {
	const char *title;
	const char *const *labels;
	const long long *values;
	size_t n;
};

/* chart_bars - one bar per value, largest scale to the width; continues on the next page. */
void chart_bars(fz_context *ctx, struct layout *L, const struct chart *c);
/* chart_line - the values joined left to right (months), h points high. */
void chart_line(fz_context *ctx, struct layout *L, const struct chart *c, float h);

#endif
