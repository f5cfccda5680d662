/*
 * sidecar.h - the paraf metadata that travels with each PDF, schema 1.
 *
 *   schema: 1
 *   type: surat_keluar
 *   number: "800/123/DISKOMINFO/2026"     # optional
 *   subject: "Undangan rapat koordinasi"  # optional
 *   signer: "197103012006042006"
 *   parafs:
 *     - nip: "198005052005011003"
 *       name: "Budi Santoso"
 *       role: kasubbag_umum
 *       time: "2026-11-23T14:05:00+07:00"  # or "2026-11-23 14:05:00 WIB" (WITA, WIT)
 *       sha256: "<64 hex digits>"
 *       note: "..."                      # optional
 *
 * Keys starting with "x-" are accepted and ignored anywhere.  Parsing checks
 * shape (types, required fields, formats); policy checks (does the hash match
 * the PDF, who may paraf and sign) belong to stages/paraf.c.
 */
#ifndef SERTEL_SIDECAR_H
#define SERTEL_SIDECAR_H

#include <stddef.h>
#include <time.h>

#include "../../base/err.h"

struct pos { int line, col; };

struct paraf {
	char *nip, *name, *role, *note;	/* note may be NULL */
	char *time;			/* as written */
	time_t t;			/* parsed, UTC seconds */
	int tz_minutes;			/* offset east of UTC as written */
	unsigned char sha256[32];
	struct pos at, at_nip, at_name, at_role, at_time, at_sha256;
};

struct sidecar {
	int schema;
	char *type, *number, *subject, *signer;	/* number, subject may be NULL */
	struct paraf *parafs;
	size_t nparafs;
	struct pos at_type, at_signer, at_parafs;
};

/*
 * sidecar_parse - parse buf (len bytes of YAML).  Returns 0, or -1 with every
 * violation found appended to errs (a syntax error stops at the first one).
 * out is always safe to pass to sidecar_free afterwards.
 */
int sidecar_parse(const char *buf, size_t len, struct sidecar *out, struct errs *errs);
void sidecar_free(struct sidecar *s);

#endif
