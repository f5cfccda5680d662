/* hex.h - hex of byte strings: digests in the database and reports, /Contents of signatures. */
#ifndef SERTEL_HEX_H
#define SERTEL_HEX_H

#include <stddef.h>

/* hex_encode - write 2*n hex digits and a NUL to out. */
void hex_encode(const unsigned char *in, size_t n, char *out);
/* hex_digit - the value of one hex digit (either case), or -1.  Inline: the
 * worker's own verification checks a signature's 16 KB /Contents hole with it. */
static inline int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;	/* 'A'-'F' to 'a'-'f'; nothing else lands there */
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}
/* hex_decode - n bytes from the 2*n hex digits at in; -1 on a character that is not one. */
int hex_decode(const char *in, size_t n, unsigned char *out);

#endif
