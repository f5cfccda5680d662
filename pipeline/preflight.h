/*
 * preflight.h - the server's own files and folders that the configuration
 * names, checked before `run`/`watch` start and by `config check`: a problem
 * there is the operator's (exit 78), never a document's.
 */
#ifndef SERTEL_PREFLIGHT_H
#define SERTEL_PREFLIGHT_H

#include "../base/err.h"

struct cfg;

/*
 * preflight_trust - every trust: and timestamp.trust file is a readable PEM
 * certificate: 0, or -1 with e (config.server) naming the file and the fix.
 */
int preflight_trust(const struct cfg *c, struct err *e);
/*
 * preflight_dirs - the spool and the state folder (or, when one does not
 * exist yet, the folder it would be made in) can be written by this process:
 * 0, or -1 with e (config.server) naming the folder and the fix.
 */
int preflight_dirs(const struct cfg *c, struct err *e);
/*
 * preflight_passwords - every timestamp.tsa[].password_file can be read: 0, or
 * -1 with e (config.server) naming it.  A file this process may not read
 * while it is not the service (preflight_service) is counted in *unchecked
 * instead: only the service user can tell.
 */
int preflight_passwords(const struct cfg *c, int *unchecked, struct err *e);
/*
 * preflight_service - this process runs as the service would: as the owner
 * of the state folder (of the folder it would be made in).  Only then are
 * permissions meaningful to check (root's are not the service user's).
 */
int preflight_service(const struct cfg *c);

#endif
