/*
 * outcome.h - what a worker reports about one document, in one message.
 *
 * Fixed-size so it crosses the worker socket as a single SOCK_SEQPACKET
 * datagram: no framing code, no partial reads.  The master turns it into
 * database rows and spool moves at the next group commit.
 */
#ifndef SERTEL_OUTCOME_H
#define SERTEL_OUTCOME_H

#include "jobid.h"

#define OUTCOME_MAX_PARAFS 16

struct outcome_paraf {
	char nip[24], name[128], role[64], time[40], sha256[65], note[200];
};

struct outcome {
	char id[JOBID_LEN + 1];
	int ok;				/* 1: signed.pdf written; 0: error.yaml written */
	int retry;			/* with ok 0: a temporary condition (a full disk,
					 * ERR_RETRY) stopped it; no report, the input as
					 * it came: it stays queued for a later attempt */
	int requeue;			/* with retry: the key process went away; try it
					 * again at once (the master restarts it), no
					 * attempt counted; the worker ends after this */
	/* the first error, when refused (the report lists them all) */
	char code[48], field[96], detail[400];
	int line, col;
	/* the document, when signed */
	char type[64], number[128], subject[256];
	char signer_nip[24], signer_name[128], cert_serial[80];
	char signer_jabatan[128];	/* as the mark names it (the registry's at signing) */
	char sha_orig[65], sha_meta[65], sha_signed[65];
	long long size_orig, size_signed, signed_at;
	int timestamp_pending;		/* signed B-B: the TSA failed, sign_bb allows it */
	int nparafs;
	struct outcome_paraf parafs[OUTCOME_MAX_PARAFS];
};

#endif
