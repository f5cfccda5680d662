/* cmd_paraf.h - `sertel paraf FILE.pdf --nip NIP --role ROLE ...`: write or extend FILE.yaml. */
#ifndef SERTEL_CMD_PARAF_H
#define SERTEL_CMD_PARAF_H

struct cfg;

/*
 * cmd_paraf - takes ownership of c.  Exit: 0 paraf recorded, 1 refused
 * (nothing written; the findings on stderr), 64 usage, 65 not a PDF,
 * 66 no such PDF, 73 the sidecar cannot be written.
 */
int cmd_paraf(struct cfg *c, int argc, char **argv);

#endif
