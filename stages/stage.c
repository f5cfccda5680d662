/*
 * stage.c - the lists of stages per kind of job, their per-worker setup, and
 * one document's life through them (see stage.h).
 *
 * A new kind of job (a deletion berita acara) gets its own list here; the
 * worker needs no change.
 */
#include <string.h>

#include "stage.h"

/* A document with its sidecar: the timestamp is part of sign (it stamps the
 * signature value, see pdf/pades.h). */
static const struct stage *const signing[] = {
	&stage_input, &stage_validate, &stage_mark, &stage_sign, NULL
};

/* A berita acara of deletion: validated, carried out and signed by a
 * process of its own (deletion.c says why). */
static const struct stage *const deleting[] = { &stage_deletion, NULL };

/* Every stage any list names, each once, for init, fini and clear. */
static const struct stage *const all[] = {
	&stage_input, &stage_validate, &stage_mark, &stage_sign, &stage_deletion
};

const struct stage *const *
stages_of(enum drop_kind kind)
{
	static const struct stage *const none[] = { NULL };

	/* bundles and refusals never reach a worker: the master handles them */
	return kind == DROP_DOC ? signing : kind == DROP_DELETION ? deleting : none;
}

int
stages_init(struct stage_env *env, struct err *e)
{
	size_t i, j;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i]->init && all[i]->init(env) < 0) {
			err_set(e, "io.error", "%s: cannot set up", step_name(all[i]->step));
			for (j = i; j-- > 0;)
				if (all[j]->fini)
					all[j]->fini(env);
			return -1;
		}
	return 0;
}

void
stages_fini(struct stage_env *env)
{
	size_t i = sizeof all / sizeof all[0];

	while (i-- > 0)
		if (all[i]->fini)
			all[i]->fini(env);
}

void
doc_init(struct doc *d, const struct stage_env *env, const struct job *j, struct outcome *out,
	 time_t now)
{
	memset(d, 0, sizeof *d);
	d->cfg = env->cfg;
	d->signers = env->signers;
	d->ctx = env->ctx;
	d->tsa = env->tsa;
	d->marks = env->marks;
	d->registry = env->registry;
	d->certs = env->certs;
	d->keys = env->keys;
	d->spool = env->spool;
	d->job = j;
	d->out = out;
	d->now = now;
	d->signer = -1;
}

int
doc_run(struct doc *d, const struct stage *const *list, enum step *at)
{
	for (; *list; list++) {
		*at = (*list)->step;
		if ((*list)->run(d) < 0)
			return -1;
	}
	return 0;
}

void
doc_clear(struct doc *d)
{
	size_t i = sizeof all / sizeof all[0];

	while (i-- > 0)
		if (all[i]->clear)
			all[i]->clear(d);
	memset(&d->errs, 0, sizeof d->errs);
	d->signer = -1;
	d->settled = 0;
}
