/*
 * imagefile.h - is a file a real JPEG or PNG image: its signature says so
 * and MuPDF decodes every pixel of it without a complaint.  Used for the
 * KTP copy and face photo of a certificate application (Pasal 14).
 */
#ifndef SERTEL_IMAGEFILE_H
#define SERTEL_IMAGEFILE_H

#include <stddef.h>

#include "../../base/err.h"

#define IMAGEFILE_MAX_BYTES (20L << 20)	/* a phone's photo is a few MB */
#define IMAGEFILE_MAX_SIDE  12000	/* pixels: a 48 MP camera is 8000 wide */

/*
 * imagefile_check - 0 with *ext "jpg" or "png" and the size in pixels;
 * -1 with e (code, e.g. "cert.image") saying why not: unreadable, too
 * large, not a JPEG or PNG, or not decodable (truncated, damaged).
 */
int imagefile_check(const char *path, const char *code, const char **ext, int *w, int *h,
		    struct err *e);

#endif
