/*
 * encrypted.c - may sertel sign this encrypted document (see encrypted.h).
 */
#include <stdio.h>
#include <string.h>

#include "encrypted.h"

int
encrypted_perms_allow(int p)
{
	return (p & (PDF_PERM_MODIFY | PDF_PERM_ANNOTATE)) == (PDF_PERM_MODIFY | PDF_PERM_ANNOTATE);
}

/*
 * same_filters - whether streams and strings use one crypt filter: MuPDF's
 * encryption (pdf_encrypt_data) knows only the string filter, so a document
 * whose streams use another would get streams no reader can decrypt.
 */
static int
same_filters(fz_context *ctx, pdf_obj *enc)
{
	pdf_obj *stm = pdf_dict_get(ctx, enc, PDF_NAME(StmF));
	pdf_obj *str = pdf_dict_get(ctx, enc, PDF_NAME(StrF));

	if (pdf_dict_get_int(ctx, enc, PDF_NAME(V)) < 4)
		return 1;	/* one method for both before crypt filters (V 4) */
	if (!stm && !str)
		return 1;
	return pdf_name_eq(ctx, stm ? stm : PDF_NAME(Identity), str ? str : PDF_NAME(Identity));
}

const char *
encrypted_refusal(fz_context *ctx, pdf_document *doc, char *msg, size_t n)
{
	pdf_obj *enc = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Encrypt));

	if (pdf_needs_password(ctx, doc)) {
		snprintf(msg, n, "PDF hanya dapat dibuka dengan kata sandi");
		return msg;
	}
	if (doc->crypt == NULL && enc == NULL)
		return NULL;
	if (doc->crypt == NULL) {
		snprintf(msg, n, "PDF menyebut enkripsi (/Encrypt) yang tidak dapat dibaca");
		return msg;
	}
	if (!encrypted_perms_allow(pdf_crypt_permissions(ctx, doc->crypt))) {
		snprintf(msg, n, "PDF terenkripsi dan izin dokumennya melarang menambah bidang "
			 "tanda tangan (izin mengubah formulir dan anotasi)");
		return msg;
	}
	if (!same_filters(ctx, enc)) {
		snprintf(msg, n, "PDF terenkripsi dengan metode berbeda untuk teks dan stream; "
			 "sertel tidak dapat menambah revisi terenkripsi padanya");
		return msg;
	}
	return NULL;
}
