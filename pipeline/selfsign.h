/*
 * selfsign.h - the documents sertel writes itself (the berita acara of a
 * deletion, the supervision report), signed by the Diskominfo service
 * signer (deletion.service_signer) through the path every document takes:
 * the mark stage's drawing, pades_sign, the TSA when one is configured,
 * the store.
 */
#ifndef SERTEL_SELFSIGN_H
#define SERTEL_SELFSIGN_H

#include <stddef.h>

#include "../base/err.h"
#include "../base/jobid.h"

#include <mupdf/fitz.h>

struct cfg;
struct layout;

/* What is to be signed. */
struct selfsign {
	const unsigned char *pdf;	/* the rendered document */
	size_t len;
	const char *reason;		/* the signature's /Reason */
	const char *location;		/* NULL: the configuration's */
	long long at;			/* the signing time (and the mark's date) */
	const char *what;		/* for messages: "berita acara", "laporan" */
};

/* What was signed. */
struct selfsign_result {
	char id[JOBID_LEN + 1];		/* its own ID TTE (the mark's QR names it) */
	char sha256[65];
	size_t size;
	char store[128];		/* its store copy, relative to the state folder */
	int deferred;			/* signed B-B: `sertel augment` adds the timestamp */
	char signer_nip[24];
	char signer_name[128];
	char cert_serial[80];
	char signer_pd[64];
};

/*
 * selfsign_make - rq signed by the service signer with a visible mark (its
 * marks: profile, else a text mark in the lower right corner of the last
 * page: leave the bottom 150 points of it empty) into the new file
 * dirfd/tmp and kept in the store; the caller removes tmp.  0, or -1 with e
 * (the signer not configured or its key not loaded: signer.*; sign.failed;
 * timestamp.*; io.error).
 */
int selfsign_make(const struct cfg *c, const struct selfsign *rq, int dirfd, const char *tmp,
		  struct selfsign_result *r, struct err *e);

/*
 * selfsign_through - from now on this process signs as signer (the
 * configuration's index of the service signer) through the key process on
 * kc, building the CMS with key (certificate and chain, no private key);
 * both stay the caller's and must outlive every selfsign_make.  Without
 * it, selfsign_make opens the service signer's keystore itself (the
 * commands a person runs: deletion submit, report).
 */
struct keyclient;
struct signer_key;
void selfsign_through(struct keyclient *kc, int signer, const struct signer_key *key);
/*
 * selfsign_letterhead - the kop of what sertel writes itself (berita acara,
 * recommendation letter, report): deletion.letterhead's lines, else the
 * instansi.  May throw (MuPDF).
 */
void selfsign_letterhead(fz_context *ctx, struct layout *L, const struct cfg *c);

#endif
