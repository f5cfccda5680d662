/*
 * instance.h - one sertel at a time on a state folder.
 *
 * Every command that writes the spool or the state (`run`, `watch`) takes
 * STATE/sertel.lock before it touches either; `augment` takes its own
 * STATE/augment.lock (it runs beside the daemon, which holds sertel.lock
 * for its whole life, and never touches what the daemon owns: see
 * pipeline/cmd_augment.c).  The lock is flock(2), so:
 *   - the kernel drops it when the last process holding it dies: a killed
 *     sertel never leaves a stale lock behind;
 *   - it belongs to the open file, not to the process: workers forked by the
 *     master share it, so a master killed while its workers still sign keeps
 *     the next one out until they have finished (fcntl locks would be lost
 *     by the fork and dropped by any close of the file);
 *   - the file is opened O_CLOEXEC: nothing exec'd inherits it.
 * The holder writes its PID into the file, so the one that is refused can
 * say who holds it.  Read-only commands take no lock and never wait.
 */
#ifndef SERTEL_INSTANCE_H
#define SERTEL_INSTANCE_H

#include "../base/err.h"

#define INSTANCE_LOCK "sertel.lock"
#define INSTANCE_AUGMENT_LOCK "augment.lock"

/*
 * instance_lock - take state_dir/name (creating state_dir) and write our PID
 * into it.  Never waits for a live holder; waits up to 2 s while the PID in
 * the file is not a live process (a holder that has not written it yet, the
 * workers of a killed master on their way out).  The open descriptor holding the lock, or -1
 * with e: "io.error", detail one line naming the PID that holds the lock
 * (errno EWOULDBLOCK), or the folder and why it cannot be used.  The caller
 * keeps the descriptor open as long as it works on the state (and must not
 * close it in a child: the children hold the lock with it).
 */
int instance_lock(const char *state_dir, const char *name, struct err *e);
/*
 * instance_holder - the PID holding state_dir/name (from the file, once the
 * lock is found held), 0 when nobody holds it, -1 when it cannot be told.
 * Takes nothing and waits for nothing.
 */
long instance_holder(const char *state_dir, const char *name);

#endif
