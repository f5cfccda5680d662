/*
 * anchors.c - reading trust anchors into a store (see anchors.h).
 */
#include <openssl/err.h>
#include <openssl/pem.h>

#include "anchors.h"

int
anchors_add_file(X509_STORE *st, const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	STACK_OF(X509_INFO) *v = b ? PEM_X509_INFO_read_bio(b, NULL, NULL, NULL) : NULL;
	int i, n = 0;

	for (i = 0; i < sk_X509_INFO_num(v); i++) {
		X509_INFO *x = sk_X509_INFO_value(v, i);

		/* a duplicate (an anchor named twice) is not an error */
		n += x->x509 && X509_STORE_add_cert(st, x->x509) == 1;
		n += x->crl && X509_STORE_add_crl(st, x->crl) == 1;
	}
	sk_X509_INFO_pop_free(v, X509_INFO_free);
	BIO_free(b);
	ERR_clear_error();
	return n > 0 ? 0 : -1;
}

/* add_files - every file of files into st; -1 with e at the first that holds no anchor. */
static int
add_files(X509_STORE *st, char *const *files, size_t n, const char *code, const char *what,
	  struct err *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (anchors_add_file(st, files[i]) < 0)
			return err_set(e, code, "%s %s: not a readable PEM certificate", what,
				       files[i]);
	return 0;
}

X509_STORE *
anchors_load(char *const *files, size_t n, char *const *more, size_t nmore, const char *code,
	     const char *what, struct err *e)
{
	X509_STORE *st = X509_STORE_new();

	if (st == NULL) {
		err_set(e, code, "%ss: out of memory", what);
		return NULL;
	}
	if (add_files(st, files, n, code, what, e) < 0 ||
	    add_files(st, more, nmore, code, what, e) < 0) {
		X509_STORE_free(st);
		return NULL;
	}
	return st;
}
