/*
 * mark_colour.h - the colours a mark may use (mark_place.c decides, the others obey).
 */
#ifndef SERTEL_MARK_COLOUR_H
#define SERTEL_MARK_COLOUR_H


/* The colours a mark may use: what the document's PDF/A output intent allows. */
enum mark_colour {
	MC_FREE,		/* not PDF/A: any device colour, transparency allowed */
	MC_GRAY,		/* PDF/A, output intent Gray (N 1) */
	MC_RGB,			/* PDF/A, output intent RGB (N 3) */
	MC_CMYK,		/* PDF/A, output intent CMYK (N 4) */
	/* PDF/A without an output intent: gray only, each appearance setting
	 * DefaultGray to an ICCBased gray (mark_icc.h), which makes DeviceGray
	 * device-independent (ISO 19005-2 6.2.4.3, 19005-1 6.2.3.3) */
	MC_DEFGRAY,
};

#endif
