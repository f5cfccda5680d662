/*
 * stage.h - the one shape every per-document stage has, and the lists of
 * stages each kind of job runs.
 *
 * A worker runs the stages of its job's kind in order over one struct doc,
 * which holds the inputs (mapped once) and what earlier stages learned, so
 * nothing is read or parsed twice.  A stage returns 0, or -1 with its
 * violations in d->errs; the worker then writes the refusal report, naming
 * the stage's step.  What run makes for the document (a parsed PDF, a mark)
 * its clear drops.  What a stage keeps from document to document (fonts, a
 * TSA connection) it makes in init, once per worker after the fork, and
 * releases in fini.  Store and deliver are not here: they run in the master,
 * batched across documents (pipeline/commit.c).
 */
#ifndef SERTEL_STAGE_H
#define SERTEL_STAGE_H

#include <stddef.h>
#include <time.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>

#include "../base/err.h"
#include "../base/outcome.h"
#include "../base/step.h"
#include "../pki/signers.h"
#include "../spool/spool.h"
#include "paraf/sidecar.h"

struct cfg;
struct tsa_client;
struct mark_cache;
struct mark_plan;
struct registry_view;
struct keyclient;
struct verify_certcache;

/* What a worker (or `sertel validate`) keeps for its stages across documents. */
struct stage_env {
	const struct cfg *cfg;
	const struct signer_set *signers;
	fz_context *ctx;
	struct tsa_client *tsa;		/* sign's RFC 3161 client; NULL: no TSA configured */
	struct mark_cache *marks;	/* mark's fonts and images */
	struct registry_view *registry;	/* validate's copy of the certificate registry */
	struct keyclient *keys;		/* the key process (the worker holds no private key);
					 * NULL: signers' own keys sign (tests) */
	struct spool *spool;		/* the worker's spool (input); NULL: not a worker */
	struct verify_certcache *certs;	/* sign's own verification: certificates parsed */
};

struct doc {
	/* set by doc_init and the worker */
	const struct cfg *cfg;
	const struct signer_set *signers;
	fz_context *ctx;
	const struct job *job;
	int queue_fd;			/* SPOOL/queue: this job's files are <id>.<part> */
	const unsigned char *pdf;	/* <id>.pdf, mapped (by input, or the caller) */
	size_t len;
	const char *meta;		/* <id>.yaml; NULL: none, validate looks inside the PDF */
	size_t metalen;
	struct spool *spool;		/* the spool the job was claimed from (input) */
	time_t now;
	struct tsa_client *tsa;		/* the worker's RFC 3161 client; NULL: no TSA configured */
	struct mark_cache *marks;	/* the worker's fonts and images for marks */
	struct registry_view *registry;	/* the worker's copy of the certificate registry */
	struct keyclient *keys;		/* the key process, or NULL (stage_env) */
	struct verify_certcache *certs;	/* the worker's parsed certificates, or NULL */
	struct outcome *out;
	/* filled by the stages */
	int mapped;			/* input mapped pdf (and unmaps it) */
	char *sidecar;			/* input read <id>.yaml (meta points here) */
	int settled;			/* a stage wrote *out itself (a deletion job's outcome
					 * comes whole from its process): the worker sends it */
	pdf_document *pdoc;
	char *embedded;			/* the sidecar attached to the PDF when meta was NULL
					 * (then meta points here); the caller frees it */
	struct sidecar sc;
	int signer;			/* index into signers */
	struct mark_plan *mark;		/* the visual mark to draw; NULL: invisible signature */
	struct errs errs;
};

struct stage {
	enum step step;			/* its name in logs, its label in the report */
	int (*init)(struct stage_env *env);	/* once per worker; NULL: nothing to keep */
	void (*fini)(struct stage_env *env);
	int (*run)(struct doc *d);
	void (*clear)(struct doc *d);	/* drop what run made; NULL: nothing */
};

extern const struct stage stage_input;
extern const struct stage stage_validate;
extern const struct stage stage_mark;
extern const struct stage stage_sign;
extern const struct stage stage_deletion;

/* stages_of - the stages a job of this kind runs in a worker, NULL-terminated. */
const struct stage *const *stages_of(enum drop_kind kind);
/* stages_init - every stage's init for the kinds a worker takes; -1 with e. */
int stages_init(struct stage_env *env, struct err *e);
void stages_fini(struct stage_env *env);

/* doc_init - d for job j, before its inputs are read. */
void doc_init(struct doc *d, const struct stage_env *env, const struct job *j,
	      struct outcome *out, time_t now);
/*
 * doc_run - list's stages over d in order, up to the first that refuses;
 * *at is the step that refused (or the last that ran).  0, or -1.
 */
int doc_run(struct doc *d, const struct stage *const *list, enum step *at);
/* doc_clear - every stage's clear, and the findings: d is ready to run again. */
void doc_clear(struct doc *d);

#endif
