/*
 * imagefile.c - JPEG/PNG files checked by decoding them (see imagefile.h).
 *
 * A renamed PDF or a truncated photo must not pass as a KTP copy: the first
 * bytes are only a claim, so every pixel is decoded, and a warning while
 * decoding (MuPDF pads a truncated JPEG and says so) refuses it as well.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <mupdf/fitz.h>

#include "imagefile.h"

struct heard {
	int n;
	char first[160];
};

/* heard - a MuPDF warning while decoding: counted, the first kept. */
static void
heard(void *user, const char *msg)
{
	struct heard *h = user;

	if (h->n++ == 0)
		snprintf(h->first, sizeof h->first, "%s", msg);
}

int
imagefile_check(const char *path, const char *code, const char **ext, int *w, int *h,
		struct err *e)
{
	fz_context *ctx;
	fz_buffer *buf = NULL;
	fz_image *img = NULL;
	fz_pixmap *pix = NULL;
	struct heard warn = { 0, "" };
	unsigned char sig[8] = { 0 };
	struct stat sb;
	int type = 0, rc = -1;

	*ext = NULL;
	*w = *h = 0;
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return err_set(e, code, "%s: not a readable file", path);
	if (sb.st_size > IMAGEFILE_MAX_BYTES)
		return err_set(e, code, "%s: %lld bytes, more than %ld MiB", path,
			       (long long)sb.st_size, IMAGEFILE_MAX_BYTES >> 20);
	if (!(ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT)))
		return err_set(e, code, "%s: out of memory", path);
	fz_set_warning_callback(ctx, heard, &warn);
	fz_set_error_callback(ctx, NULL, NULL);
	fz_var(buf);
	fz_var(img);
	fz_var(pix);
	fz_var(type);
	fz_var(rc);
	fz_try(ctx) {
		buf = fz_read_file(ctx, path);
		memcpy(sig, buf->data, buf->len < 8 ? buf->len : 8);
		type = fz_recognize_image_format(ctx, sig);
		if (type == FZ_IMAGE_JPEG || type == FZ_IMAGE_PNG) {
			img = fz_new_image_from_buffer(ctx, buf);
			if (img->w <= 0 || img->h <= 0 || img->w > IMAGEFILE_MAX_SIDE ||
			    img->h > IMAGEFILE_MAX_SIDE)
				fz_throw(ctx, FZ_ERROR_GENERIC, "%d x %d pixels, at most %d a side",
					 img->w, img->h, IMAGEFILE_MAX_SIDE);
			pix = fz_get_pixmap_from_image(ctx, img, NULL, NULL, w, h);
			fz_flush_warnings(ctx);
		}
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pix);
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx) {
		err_set(e, code, "%s: not a usable image (%s)", path, fz_caught_message(ctx));
		fz_drop_context(ctx);
		return -1;
	}
	if (type != FZ_IMAGE_JPEG && type != FZ_IMAGE_PNG)
		err_set(e, code, "%s: not a JPEG or PNG image", path);
	else if (warn.n)
		err_set(e, code, "%s: damaged image (%s)", path, warn.first);
	else {
		*ext = type == FZ_IMAGE_JPEG ? "jpg" : "png";
		rc = 0;
	}
	fz_drop_context(ctx);
	return rc;
}
