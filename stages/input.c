/*
 * input.c - the input stage: a claimed document's files, read once for the
 * stages after it (see stage.h).
 *
 * The sidecar is read whole (it is parsed), the PDF mapped (it is large and
 * only parts of it are read).  A revision an earlier attempt appended is cut
 * off first (spool_restore_input): signing appends in place, and a document
 * must never be signed over its own unfinished signature.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "../spool/fsutil.h"
#include "stage.h"

#define SIDECAR_MAX (1 << 20)

static int
input_run(struct doc *d)
{
	const struct job *j = d->job;
	char name[JOBID_LEN + 16];
	size_t len = 0;

	spool_qname(name, sizeof name, j->id, "yaml");
	/* no sidecar came with it (meta ""): validate reads the one attached to the PDF */
	if (j->meta[0] && fs_read_all(d->queue_fd, name, SIDECAR_MAX, &d->sidecar, &len) < 0) {
		errs_addf(&d->errs, errno == EFBIG ? "sidecar.value" : err_io_code(errno), "", 0, 0,
			  "%s: %s", j->meta, errno == EFBIG ? "larger than 1 MiB" : strerror(errno));
		return -1;
	}
	d->meta = d->sidecar;
	d->metalen = len;
	if (spool_restore_input(d->spool, j) < 0) {
		/* our earlier revision is still on it: it waits, never refused like that */
		errs_addf(&d->errs, ERR_RETRY, "", 0, 0, "restoring %s: %s", j->pdf, strerror(errno));
		return -1;
	}
	spool_qname(name, sizeof name, j->id, "pdf");
	if (fs_map(d->queue_fd, name, O_NOFOLLOW, &d->pdf, &d->len) < 0) {
		errs_addf(&d->errs, err_io_code(errno), "", 0, 0, "queue/%s: %s", name,
			  strerror(errno));
		return -1;
	}
	d->mapped = 1;
	return 0;
}

/* input_clear - what input_run read; inputs a caller set itself stay (cmd_validate). */
static void
input_clear(struct doc *d)
{
	if (d->mapped) {
		fs_unmap(d->pdf, d->len);
		d->pdf = NULL;
		d->len = 0;
		d->mapped = 0;
	}
	if (d->sidecar) {
		if (d->meta == d->sidecar) {
			d->meta = NULL;
			d->metalen = 0;
		}
		free(d->sidecar);
		d->sidecar = NULL;
	}
}

const struct stage stage_input = { STEP_INTAKE, NULL, NULL, input_run, input_clear };
