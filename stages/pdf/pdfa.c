/*
 * pdfa.c - what a PDF/A claim asks of the revisions sertel appends (see
 * pdfa.h).  The claim is the XMP pdfaid:part; a revision must then keep the
 * Info dictionary and the XMP in agreement (ISO 19005-1 6.7.3) and draw
 * without transparency in the output intent's colours (mark_place.c).
 */
#include <string.h>

#include "pdfa.h"

int
pdfa_claimed(fz_context *ctx, pdf_obj *root)
{
	pdf_obj *meta = pdf_dict_get(ctx, root, PDF_NAME(Metadata));
	fz_buffer *b;
	unsigned char *data;
	size_t len;
	int claims;

	if (!pdf_is_stream(ctx, meta))
		return 0;
	b = pdf_load_stream(ctx, meta);
	len = fz_buffer_storage(ctx, b, &data);
	claims = memmem(data, len, "pdfaid:part", 11) != NULL;
	fz_drop_buffer(ctx, b);
	return claims;
}
