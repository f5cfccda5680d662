/*
 * cmd_cert.h - what the two files of `sertel cert` share: cmd_cert.c (the
 * registry's changes: request, verify, reject, import, revoke) and
 * cmd_cert_view.c (list, show).
 *
 * Exit codes: 0 done; 1 refused by the registry (cert.transition: the state
 * does not allow it; cert.open, cert.verifier, cert.mismatch,
 * cert.untrusted); 64 usage; 65 bad data on the command line (a NIK, an
 * e-mail domain, an image, a reason); 69 no such request, holder or serial;
 * 74/75 as for every database error; 78 no certs: section.
 */
#ifndef SERTEL_CMD_CERT_H
#define SERTEL_CMD_CERT_H

struct cfg;
struct db;
struct db_cert;

/* cert_list - `cert list [--pd PD] [--state S] [--expiring Nd] [--json]` (argv after "list"). */
int cert_list(struct db *db, int argc, char **argv);
/* cert_show - `cert show ID|NIP|SERIAL [--json]`. */
int cert_show(struct db *db, int argc, char **argv);
/* cert_lookup - the certificate arg names (an ID, a NIP/NIK, a serial): 0, or an exit code said. */
int cert_lookup(struct db *db, const char *arg, struct db_cert *c);

#endif
