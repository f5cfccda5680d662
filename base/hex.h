/* hex.h - hex of byte strings: digests in the database and reports, /Contents of signatures. */
#ifndef SERTEL_HEX_H
#define SERTEL_HEX_H

#include <stddef.h>

/* hex_encode - write 2*n hex digits and a NUL to out. */
void hex_encode(const unsigned char *in, size_t n, char *out);
/* hex_digit - the value of one hex digit (either case), or -1. */
int hex_digit(int c);
/* hex_decode - n bytes from the 2*n hex digits at in; -1 on a character that is not one. */
int hex_decode(const char *in, size_t n, unsigned char *out);

#endif
