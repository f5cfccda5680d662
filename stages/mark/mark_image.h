/*
 * mark_image.h - PNG/JPEG into an image XObject in the right colour space (mark_image.c).
 */
#ifndef SERTEL_MARK_IMAGE_H
#define SERTEL_MARK_IMAGE_H

#include <stddef.h>

#include <mupdf/fitz.h>

#include "mark_colour.h"

struct rev;

/* An image XObject ready to write: the same bytes for every document of a worker. */
struct mark_image {
	char *path;
	enum mark_colour colour;
	float height_pt;	/* drawn at most this tall (with path and colour: the cache key) */
	float aspect;		/* width / height */
	char dict[160];		/* entries of the stream dictionary but /Length and /SMask */
	unsigned char *data;
	size_t len;
	unsigned char *alpha;	/* Flate of the soft mask (MC_FREE only), or NULL */
	size_t alpha_len;
	int w, h;		/* pixels */
	struct mark_image *next;
};

/* mark_image_load - path drawn height_pt tall under colour; throws (bad file). */
struct mark_image *mark_image_load(fz_context *ctx, const char *path, enum mark_colour colour,
				   float height_pt);
void mark_image_drop(fz_context *ctx, struct mark_image *im);
/* mark_image_put - the XObject (and its soft mask) into the revision; its object number. */
int mark_image_put(fz_context *ctx, const struct mark_image *im, struct rev *rv);

#endif
