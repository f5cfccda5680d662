/*
 * stage.h - the one shape every per-document stage has.
 *
 * A worker runs the stages in order over one struct doc, which holds the
 * inputs (mapped once) and what earlier stages learned, so nothing is read or
 * parsed twice.  A stage returns 0, or -1 with its violations in d->errs;
 * the worker then writes the refusal report.  Store and deliver are not
 * here: they run in the master, batched across documents (pipeline/commit.c).
 */
#ifndef SERTEL_STAGE_H
#define SERTEL_STAGE_H

#include <stddef.h>
#include <time.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "../base/err.h"
#include "../base/outcome.h"
#include "../pki/signers.h"
#include "../spool/spool.h"
#include "paraf/sidecar.h"

struct cfg;
struct tsa_client;
struct mark_cache;
struct mark_plan;

struct doc {
	/* set by the worker */
	const struct cfg *cfg;
	const struct signer_set *signers;
	fz_context *ctx;
	const struct job *job;
	int queue_fd;			/* SPOOL/queue: this job's files are <id>.<part> */
	const unsigned char *pdf;	/* <id>.pdf, mapped */
	size_t len;
	const char *meta;		/* <id>.yaml; NULL: none, validate looks inside the PDF */
	size_t metalen;
	time_t now;
	struct tsa_client *tsa;		/* the worker's RFC 3161 client; NULL: no TSA configured */
	struct mark_cache *marks;	/* the worker's fonts and images for marks */
	struct outcome *out;
	/* filled by the stages */
	pdf_document *pdoc;
	char *embedded;			/* the sidecar attached to the PDF when meta was NULL
					 * (then meta points here); the caller frees it */
	struct sidecar sc;
	int signer;			/* index into signers */
	struct mark_plan *mark;		/* the visual mark to draw; NULL: invisible signature */
	struct errs errs;
};

struct stage {
	const char *name;		/* English, for logs */
	const char *nama;		/* Bahasa Indonesia, for the refusal report */
	int (*run)(struct doc *d);
};

extern const struct stage stage_validate;
extern const struct stage stage_mark;
extern const struct stage stage_sign;

#endif
