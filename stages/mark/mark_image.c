/*
 * mark_image.c - a PNG or JPEG (signature specimen, the agency's logo) as an
 * image XObject, in the colours the document allows.
 *
 * MuPDF decodes the file and its draw device resamples it: the image is
 * kept at no more than about 200 dpi of the size it is drawn (a 3000-pixel
 * logo in a 60-point box would otherwise add megabytes).  A JPEG that needs
 * no change (size, colour space) goes in as it is (DCTDecode).  Under PDF/A
 * there is no transparency: an alpha channel is flattened onto white, and
 * the pixels are converted to the output intent's colour space (to gray
 * when there is no output intent: MC_DEFGRAY).  Otherwise
 * alpha becomes a soft mask.  Loaded once per worker (mark.c caches it).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../pdf/revision.h"
#include "mark_image.h"

#define MARK_DPI 200

/* target_cs - the colour space to draw into, given the image's colorants. */
static fz_colorspace *
target_cs(fz_context *ctx, enum mark_colour colour, int colorants)
{
	if (colorants == 1 || colour == MC_GRAY || colour == MC_DEFGRAY)
		return fz_device_gray(ctx);	/* gray is allowed with any output intent */
	return colour == MC_CMYK ? fz_device_cmyk(ctx) : fz_device_rgb(ctx);
}

static const char *
cs_name(fz_context *ctx, fz_colorspace *cs)
{
	return cs == fz_device_gray(ctx) ? "DeviceGray" : cs == fz_device_cmyk(ctx) ? "DeviceCMYK"
										     : "DeviceRGB";
}

/* passthrough - the JPEG's own bytes fit as they are. */
static int
passthrough(fz_context *ctx, fz_image *img, enum mark_colour colour, int w, int h)
{
	fz_compressed_buffer *cb = fz_compressed_image_buffer(ctx, img);
	int n = fz_colorspace_n(ctx, img->colorspace);

	return cb && cb->params.type == FZ_IMAGE_JPEG && w == img->w && h == img->h &&
	       !img->mask && (n == 1 || (n == 3 && (colour == MC_FREE || colour == MC_RGB)));
}

/* draw_pixels - img resampled to w x h in cs, on white (or transparent with alpha). */
static fz_pixmap *
draw_pixels(fz_context *ctx, fz_image *img, fz_colorspace *cs, int w, int h, int alpha)
{
	fz_pixmap *pix = fz_new_pixmap(ctx, cs, w, h, NULL, alpha);
	fz_device *dev = NULL;

	fz_var(dev);
	fz_try(ctx) {
		if (alpha)
			fz_clear_pixmap(ctx, pix);	/* transparent */
		else if (cs == fz_device_cmyk(ctx))
			memset(pix->samples, 0, (size_t)pix->stride * (size_t)h);	/* no ink */
		else
			fz_clear_pixmap_with_value(ctx, pix, 255);	/* white */
		dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_fill_image(ctx, dev, img, fz_scale((float)w, (float)h), 1,
			      fz_default_color_params);
		fz_close_device(ctx, dev);
	}
	fz_always(ctx)
		fz_drop_device(ctx, dev);
	fz_catch(ctx) {
		fz_drop_pixmap(ctx, pix);
		fz_rethrow(ctx);
	}
	return pix;
}

/* split - the colour samples (un-premultiplied) and the alpha of pix, deflated. */
static void
split(fz_context *ctx, fz_pixmap *pix, struct mark_image *im)
{
	int n = pix->n, c = n - pix->alpha, x, y, k;
	size_t clen = (size_t)pix->w * (size_t)pix->h * (size_t)c;
	unsigned char *col = fz_malloc(ctx, clen), *al = NULL, *p, *q;

	fz_var(al);
	fz_try(ctx) {
		if (pix->alpha)
			al = fz_malloc(ctx, (size_t)pix->w * (size_t)pix->h);
		for (y = 0, q = col; y < pix->h; y++) {
			p = pix->samples + (size_t)y * (size_t)pix->stride;
			for (x = 0; x < pix->w; x++, p += n) {
				int a = pix->alpha ? p[c] : 255;

				for (k = 0; k < c; k++)	/* MuPDF keeps colour premultiplied */
					*q++ = (unsigned char)(a ? fz_mini(255, p[k] * 255 / a) : 255);
				if (al)
					al[(size_t)y * (size_t)pix->w + (size_t)x] = (unsigned char)a;
			}
		}
		im->data = fz_new_deflated_data(ctx, &im->len, col, clen, FZ_DEFLATE_BEST);
		if (al)
			im->alpha = fz_new_deflated_data(ctx, &im->alpha_len, al,
							 (size_t)pix->w * (size_t)pix->h,
							 FZ_DEFLATE_BEST);
	}
	fz_always(ctx) {
		fz_free(ctx, col);
		fz_free(ctx, al);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* has_alpha - whether the decoded image carries transparency. */
static int
has_alpha(fz_context *ctx, fz_image *img)
{
	fz_pixmap *pix;
	int a;

	if (img->mask || img->use_colorkey)
		return 1;
	pix = fz_get_pixmap_from_image(ctx, img, NULL, NULL, NULL, NULL);
	a = pix->alpha;
	fz_drop_pixmap(ctx, pix);
	return a;
}

/* fill - im's pixels and dictionary from img. */
static void
fill(fz_context *ctx, fz_image *img, struct mark_image *im, float height_pt)
{
	int th = (int)ceilf(height_pt * MARK_DPI / 72), tw;
	int alpha = im->colour == MC_FREE && has_alpha(ctx, img);
	fz_colorspace *cs;
	fz_pixmap *pix;

	im->aspect = (float)img->w / (float)img->h;
	im->w = img->w;
	im->h = img->h;
	if (img->h > th + th / 2) {	/* more than 300 dpi: resample */
		tw = (int)lrintf(th * im->aspect);
		im->w = tw > 0 ? tw : 1;
		im->h = th;
	}
	cs = target_cs(ctx, im->colour, fz_colorspace_n(ctx, img->colorspace));
	if (passthrough(ctx, img, im->colour, im->w, im->h)) {
		fz_buffer *b = fz_compressed_image_buffer(ctx, img)->buffer;
		unsigned char *data;

		im->len = fz_buffer_storage(ctx, b, &data);
		im->data = fz_malloc(ctx, im->len);
		memcpy(im->data, data, im->len);
		snprintf(im->dict, sizeof im->dict, "/Type/XObject/Subtype/Image/Width %d/Height %d"
			 "/BitsPerComponent 8/ColorSpace/%s/Filter/DCTDecode", im->w, im->h,
			 fz_colorspace_n(ctx, img->colorspace) == 1 ? "DeviceGray" : "DeviceRGB");
		return;
	}
	pix = draw_pixels(ctx, img, cs, im->w, im->h, alpha);
	fz_try(ctx)
		split(ctx, pix, im);
	fz_always(ctx)
		fz_drop_pixmap(ctx, pix);
	fz_catch(ctx)
		fz_rethrow(ctx);
	snprintf(im->dict, sizeof im->dict, "/Type/XObject/Subtype/Image/Width %d/Height %d"
		 "/BitsPerComponent 8/ColorSpace/%s/Filter/FlateDecode", im->w, im->h,
		 cs_name(ctx, cs));
}

struct mark_image *
mark_image_load(fz_context *ctx, const char *path, enum mark_colour colour, float height_pt)
{
	struct mark_image *im = fz_malloc_struct(ctx, struct mark_image);
	fz_buffer *buf = NULL;
	fz_image *img = NULL;

	fz_var(buf);
	fz_var(img);
	fz_try(ctx) {
		im->path = fz_strdup(ctx, path);
		im->colour = colour;
		im->height_pt = height_pt;
		buf = fz_read_file(ctx, path);
		img = fz_new_image_from_buffer(ctx, buf);
		if (img->w <= 0 || img->h <= 0)
			fz_throw(ctx, FZ_ERROR_GENERIC, "empty image");
		fill(ctx, img, im, height_pt);
	}
	fz_always(ctx) {
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx) {
		mark_image_drop(ctx, im);
		fz_rethrow(ctx);
	}
	return im;
}

void
mark_image_drop(fz_context *ctx, struct mark_image *im)
{
	while (im) {
		struct mark_image *next = im->next;

		fz_free(ctx, im->path);
		fz_free(ctx, im->data);
		fz_free(ctx, im->alpha);
		fz_free(ctx, im);
		im = next;
	}
}

int
mark_image_put(fz_context *ctx, const struct mark_image *im, struct rev *rv)
{
	int num = rev_alloc(rv), smask = 0;
	char dict[sizeof im->dict + 32];

	if (im->alpha) {
		char sd[160];

		smask = rev_alloc(rv);
		snprintf(sd, sizeof sd, "/Type/XObject/Subtype/Image/Width %d/Height %d"
			 "/BitsPerComponent 8/ColorSpace/DeviceGray/Filter/FlateDecode", im->w, im->h);
		rev_stream(ctx, rv, smask, sd, im->alpha, im->alpha_len);
		snprintf(dict, sizeof dict, "%s/SMask %d 0 R", im->dict, smask);
	} else {
		snprintf(dict, sizeof dict, "%s", im->dict);
	}
	rev_stream(ctx, rv, num, dict, im->data, im->len);
	return num;
}
