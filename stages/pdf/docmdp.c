/*
 * docmdp.c - the certification level of a document (see docmdp.h).
 */
#include "docmdp.h"

int
docmdp_level(fz_context *ctx, pdf_document *doc)
{
	pdf_obj *sig = pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/Perms/DocMDP");
	pdf_obj *ref = pdf_dict_get(ctx, sig, PDF_NAME(Reference));
	int i, n = pdf_array_len(ctx, ref);

	if (!pdf_is_dict(ctx, sig))
		return 0;
	for (i = 0; i < n; i++) {
		pdf_obj *r = pdf_array_get(ctx, ref, i);
		pdf_obj *p = pdf_dict_getp(ctx, r, "TransformParams/P");

		if (pdf_name_eq(ctx, pdf_dict_get(ctx, r, PDF_NAME(TransformMethod)),
				PDF_NAME(DocMDP)))
			return pdf_is_int(ctx, p) && pdf_to_int(ctx, p) >= 1 &&
			       pdf_to_int(ctx, p) <= 3 ? pdf_to_int(ctx, p) : 2;
	}
	/* /Perms names a DocMDP signature: certified, whatever its /Reference says */
	return 2;
}
