/*
 * mark_code.h - QR code and Code 128 modules, by libzint (mark_code.c).
 */
#ifndef SERTEL_MARK_CODE_H
#define SERTEL_MARK_CODE_H

#include "../../base/err.h"
#include "../../config/cfg.h"

/* Dark modules as rectangles, in modules, y down from the symbol's top, quiet zone included. */
struct mark_bars {
	float w, h;		/* the whole symbol with its quiet zone */
	float (*r)[4];		/* x, y, width, height */
	int n;
};

/* mark_code - the QR code (ecc 1..4 = L..H) or Code 128 (ecc ignored) of data. */
int mark_code(enum cfg_mark_kind kind, const char *data, int ecc, struct mark_bars *out,
	      struct err *e);
void mark_bars_free(struct mark_bars *b);

#endif
