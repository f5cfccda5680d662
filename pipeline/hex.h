/* hex.h - lower-case hex of byte strings (digests in the database and reports). */
#ifndef SERTEL_HEX_H
#define SERTEL_HEX_H

#include <stddef.h>

/* hex_encode - write 2*n hex digits and a NUL to out. */
void hex_encode(const unsigned char *in, size_t n, char *out);

#endif
