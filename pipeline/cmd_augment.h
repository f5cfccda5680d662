/*
 * cmd_augment.h - `sertel augment`: add the deferred RFC 3161 timestamps.
 */
#ifndef SERTEL_CMD_AUGMENT_H
#define SERTEL_CMD_AUGMENT_H

struct cfg;

/* cmd_augment - takes ownership of c; exit 0 all done, 75 some still waiting, 1 failures. */
int cmd_augment(struct cfg *c, int argc, char **argv);

#endif
