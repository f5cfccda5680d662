/*
 * sniff.c - is it a PDF (see sniff.h).
 */
#include <string.h>

#include "sniff.h"

int
sniff_pdf(const unsigned char *p, size_t len)
{
	return len >= 8 && memmem(p, len < 1024 ? len : 1024, "%PDF-", 5) != NULL;
}
