/*
 * jobid.c - random, unambiguous document ids (see jobid.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "jobid.h"

static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

int
jobid_new(char id[JOBID_LEN + 1])
{
	unsigned char r[10];	/* 80 bits = 16 symbols of 5 bits */
	size_t got = 0;
	int i;

	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	for (i = 0; i < JOBID_LEN; i++) {
		int bit = i * 5, byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)r[byte] << 8 | (byte + 1 < 10 ? r[byte + 1] : 0);
		id[i] = alphabet[(v >> (11 - shift)) & 31];
	}
	id[JOBID_LEN] = '\0';
	return 0;
}

int
jobid_valid(const char *s)
{
	int i;

	for (i = 0; i < JOBID_LEN; i++)
		if (!s[i] || !strchr(alphabet, s[i]))
			return 0;
	return s[JOBID_LEN] == '\0';
}
