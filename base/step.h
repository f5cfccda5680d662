/*
 * step.h - the steps of a job, named for logs and labelled for people.
 *
 * A refusal report says at which step a document was refused ("tahap"):
 * the label is Bahasa Indonesia and lives in step.c's table, beside the code
 * table (errcodes.c), never as free text where the refusal is written.
 */
#ifndef SERTEL_STEP_H
#define SERTEL_STEP_H

enum step {
	STEP_INTAKE,		/* taking the drop from incoming/ */
	STEP_UNPACK,		/* unpacking a bundle */
	STEP_PROCESS,		/* a worker ran (crashed, timed out) */
	STEP_VALIDATE,
	STEP_MARK,
	STEP_SIGN,
	STEP_STORE,		/* the group commit: store, record, deliver */
	STEP_DELETION,		/* a berita acara carried out (its own process) */
};

/* step_name - English, for logs. */
const char *step_name(enum step s);
/* step_label - Bahasa Indonesia, for the refusal report. */
const char *step_label(enum step s);

#endif
