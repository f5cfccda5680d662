/*
 * jbig2size.c - the bitmaps a JBIG2 stream asks for (see jbig2size.h).
 * Segment header layout: ITU T.88 7.2; page information 7.4.8; region
 * segment information 7.4.1.
 */
#include "jbig2size.h"

#define UNKNOWN 0xffffffffu

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* is_region - segment types whose data starts with a region segment information field. */
static int
is_region(unsigned type)
{
	return type == 6 || type == 7 || type == 22 || type == 23 || type == 36 || type == 38 ||
	       type == 39 || type == 40 || type == 42 || type == 43;
}

/* bits - w x h pixels in bytes, one bit each (rows padded to a byte, as jbig2dec stores them). */
static uint64_t
bits(uint32_t w, uint32_t h)
{
	return ((uint64_t)w + 7) / 8 * h;
}

/* What one walk of the segment headers finds. */
struct asks {
	uint64_t total;		/* page and region bitmaps */
	uint64_t outside;	/* region bitmap bytes past the page's edges */
};

/* outside - the bytes of a w x h region at (x, y) that fall past a page_w x page_h page. */
static uint64_t
outside(uint32_t w, uint32_t h, uint32_t x, uint32_t y, uint32_t page_w, uint32_t page_h)
{
	uint64_t in_w = x >= page_w ? 0 : (uint64_t)page_w - x < w ? (uint64_t)page_w - x : w;
	uint64_t in_h = page_h == UNKNOWN ? h : y >= page_h ? 0 :
			(uint64_t)page_h - y < h ? (uint64_t)page_h - y : h;

	return bits(w, h) - (in_w + 7) / 8 * in_h;
}

static void
walk(const unsigned char *p, size_t len, struct asks *a)
{
	uint64_t lowest = 0;
	uint32_t page_w = 0, page_h = 0;
	size_t at = 0;
	int paged = 0;

	a->total = a->outside = 0;
	while (len - at >= 11) {
		uint32_t num = be32(p + at), dlen, nref, w, h;
		unsigned type = p[at + 4] & 63, big_page = p[at + 4] & 64;
		size_t refsize = num > 65536 ? 4 : num > 256 ? 2 : 1;

		at += 5;
		nref = p[at] >> 5;
		if (nref == 7) {	/* long form: a 29-bit count, then retain bits */
			nref = be32(p + at) & 0x1fffffff;
			if (len - at < 4 + (nref + 8) / 8)
				break;
			at += 4 + (nref + 8) / 8;
		} else if (nref > 4) {
			break;
		} else {
			at += 1;
		}
		if (nref > len || (uint64_t)nref * refsize + (big_page ? 4 : 1) + 4 > len - at)
			break;
		at += nref * refsize + (big_page ? 4 : 1);
		dlen = be32(p + at);
		at += 4;
		if (len - at < 8)
			break;
		w = be32(p + at);
		h = be32(p + at + 4);
		if (type == 48) {
			page_w = w;
			page_h = h;
			paged = 1;
			if (h != UNKNOWN)
				a->total += bits(w, h);
		} else if (is_region(type)) {
			a->total += bits(w, h);
			if (len - at >= 16) {
				uint32_t x = be32(p + at + 8), y = be32(p + at + 12);
				if ((uint64_t)y + h > lowest)
					lowest = (uint64_t)y + h;
				/* immediate regions are placed on the page; intermediate
				 * ones (refined later) are sized by their own rules */
				if (paged && (type == 6 || type == 7 || type == 22 || type == 23 ||
					      type == 38 || type == 39 || type == 42 || type == 43))
					a->outside += outside(w, h, x, y, page_w, page_h);
			}
		}
		if (dlen == UNKNOWN || dlen > len - at)
			break;
		at += dlen;
	}
	if (page_h == UNKNOWN)
		a->total += ((uint64_t)page_w + 7) / 8 * lowest;
}

uint64_t
jbig2_bitmap_bytes(const unsigned char *p, size_t len)
{
	struct asks a;

	walk(p, len, &a);
	return a.total;
}

uint64_t
jbig2_outside_bytes(const unsigned char *p, size_t len)
{
	struct asks a;

	walk(p, len, &a);
	return a.outside;
}
