/*
 * jbig2size.h - how much a JBIG2 decoder allocates before it gives out a
 * byte.  A JBIG2 stream states its page's and regions' sizes in segment
 * headers; the decoder (jbig2dec, in MuPDF) allocates each at full size and
 * only then decodes into it.  A generic region of 65536 x 65536 pixels, all
 * "typical" rows, is 60 bytes of arithmetic-coded data and 1 GiB of bitmaps:
 * counting decoded bytes as they come out is too late for it.
 */
#ifndef SERTEL_JBIG2SIZE_H
#define SERTEL_JBIG2SIZE_H

#include <stddef.h>
#include <stdint.h>

/*
 * jbig2_bitmap_bytes - the bytes of the page and region bitmaps the segments
 * in p[0..len) (embedded organisation, as PDF holds them: no file header)
 * ask for, one bit per pixel, summed; a page of unknown height counts as
 * tall as its lowest region.  Reads segment headers only; stops at a header
 * it cannot read or at a segment of unknown length.
 */
uint64_t jbig2_bitmap_bytes(const unsigned char *p, size_t len);

/*
 * jbig2_outside_bytes - of the regions placed on the page (immediate generic,
 * refinement, text and halftone regions after a page information segment),
 * the bitmap bytes that fall past the page's edges.  No encoder writes a
 * region past its page, and jbig2dec decodes such a region whole, pixel by
 * pixel, only to clip it away: 72 bytes asked for a 133,552-pixel-wide region
 * on a 2,480-pixel page, five seconds of decoding for nothing shown.
 */
uint64_t jbig2_outside_bytes(const unsigned char *p, size_t len);

#endif
