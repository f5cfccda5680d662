/* cmd_validate.h - `sertel validate FILE.pdf [FILE.yaml]`: the validate stage, without signing. */
#ifndef SERTEL_CMD_VALIDATE_H
#define SERTEL_CMD_VALIDATE_H

struct cfg;

/* cmd_validate - takes ownership of c.  Exit: 0 signable, 1 refused, 66 no input. */
int cmd_validate(struct cfg *c, int argc, char **argv);

#endif
