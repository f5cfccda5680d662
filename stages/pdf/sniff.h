/*
 * sniff.h - whether some bytes are a PDF at all, before anything parses
 * them.  One rule for the validate stage, `sertel paraf` and `sertel verify`.
 */
#ifndef SERTEL_SNIFF_H
#define SERTEL_SNIFF_H

#include <stddef.h>

/*
 * sniff_pdf - "%PDF-" within the first 1024 bytes (readers accept junk before
 * the header, ISO 32000 7.5.2) in a file of at least 8 bytes ("%PDF-1.x").
 */
int sniff_pdf(const unsigned char *p, size_t len);

#endif
