/*
 * exits.h - every exit code sertel gives, by name: <sysexits.h> for what
 * kept a command from its work (64..78), and below 64, where sysexits names
 * nothing, the outcomes of work done (README, "Exit codes").
 */
#ifndef SERTEL_EXITS_H
#define SERTEL_EXITS_H

#include <sysexits.h>

/* something was judged and refused: an input to failed/, a draft (validate,
 * paraf, deletion submit), a registry transition (cert), a backup or audit
 * chain that does not check out */
#define EX_REFUSED 1

/* sertel verify's verdicts (README, "Verifying a signed document") */
#define EX_TAMPERED 1
#define EX_UNDECIDED 2
#define EX_UNTRUSTED 3
#define EX_WITHDRAWN 4	/* intact and trusted, but deleted by berita acara */

/* a child that could not run its program at all (the shell's 127):
 * web/check.c tells it from the program's own exit */
#define EX_NOEXEC 127

/* a worker whose allocation failed under its memory limit (RLIMIT_AS): the
 * pool retries the document in a new worker, then refuses it as
 * worker.timeout; sysexits' 70 would say sertel itself is at fault */
#define EX_WORKER_NOMEM 86

#endif
