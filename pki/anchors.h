/*
 * anchors.h - trust anchors: the certificates and CRLs of PEM files in an
 * X509_STORE.
 *
 * The one place anchors are read: the signers' (trust:), the TSAs'
 * (timestamp.trust) and those `sertel verify --trust` is given.  A file may
 * hold several certificates and CRLs (a CA next to the CRL it issued); an
 * anchor named twice is not an error.
 */
#ifndef SERTEL_ANCHORS_H
#define SERTEL_ANCHORS_H

#include <stddef.h>

#include <openssl/x509_vfy.h>

#include "../base/err.h"

/* anchors_add_file - the certificates and CRLs of the PEM file path into st; -1 when it holds none or cannot be read. */
int anchors_add_file(X509_STORE *st, const char *path);
/*
 * anchors_load - a new store with the anchors of files[0..n) and then of
 * more[0..nmore) (either list may be empty: the store is then empty too).
 * NULL with e set when a file holds none: code, and the detail
 * "<what> FILE: not a readable PEM certificate" (what: e.g. "trust anchor").
 */
X509_STORE *anchors_load(char *const *files, size_t n, char *const *more, size_t nmore,
			 const char *code, const char *what, struct err *e);

#endif
