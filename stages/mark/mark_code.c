/*
 * mark_code.c - the modules of a QR code or a Code 128, from libzint.
 *
 * zint's vector output is its documented way to read a symbol: dark
 * rectangles (runs of modules already merged) in units of half a module,
 * with the quiet zones the symbology prescribes around them.  We only
 * rescale it; the drawing is mark_draw.c's.
 */
#include <stdlib.h>
#include <string.h>

#include <zint.h>

#include "mark_code.h"

int
mark_code(enum cfg_mark_kind kind, const char *data, int ecc, struct mark_bars *out,
	  struct err *e)
{
	struct zint_symbol *s = ZBarcode_Create();
	struct zint_vector_rect *r;
	int n = 0, rc = -1;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err_set(e, "sign.failed", "mark: out of memory");
	s->symbology = kind == MARK_QR ? BARCODE_QRCODE : BARCODE_CODE128;
	s->option_1 = kind == MARK_QR ? ecc : -1;
	s->show_hrt = 0;		/* the ID is written with our own font */
	s->output_options |= BARCODE_QUIET_ZONES;
	if (ZBarcode_Encode(s, (const unsigned char *)data, (int)strlen(data)) >= ZINT_ERROR ||
	    ZBarcode_Buffer_Vector(s, 0) >= ZINT_ERROR) {
		err_set(e, "sign.failed", "mark: cannot encode %s: %s",
			kind == MARK_QR ? "the QR code" : "the barcode", s->errtxt);
		goto out;
	}
	for (r = s->vector->rectangles; r; r = r->next)
		n++;
	if (n == 0 || (out->r = calloc((size_t)n, sizeof *out->r)) == NULL) {
		err_set(e, "sign.failed", "mark: %s", n ? "out of memory" : "empty symbol");
		goto out;
	}
	/* zint draws a module 2 units wide */
	out->w = s->vector->width / 2;
	out->h = s->vector->height / 2;
	for (r = s->vector->rectangles; r; r = r->next, out->n++) {
		out->r[out->n][0] = r->x / 2;
		out->r[out->n][1] = r->y / 2;
		out->r[out->n][2] = r->width / 2;
		out->r[out->n][3] = r->height / 2;
	}
	rc = 0;
out:
	ZBarcode_Delete(s);
	return rc;
}

void
mark_bars_free(struct mark_bars *b)
{
	free(b->r);
	memset(b, 0, sizeof *b);
}
