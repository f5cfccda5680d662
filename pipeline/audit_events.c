/*
 * audit_events.c - audit records the master writes on its own (see audit_events.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "../base/hex.h"
#include "../base/log.h"
#include "../db/audit.h"
#include "audit_events.h"

/* file_sha256 - the SHA-256 of the file at path as hex; "unreadable: why" when it cannot be read. */
static void
file_sha256(const char *path, char *out, size_t cap)
{
	unsigned char buf[16384], md[32];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	ssize_t n = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		while ((n = read(fd, buf, sizeof buf)) > 0)
			EVP_DigestUpdate(ctx, buf, (size_t)n);
	if (fd >= 0 && n == 0 && EVP_DigestFinal_ex(ctx, md, &len) && cap > 2 * sizeof md)
		hex_encode(md, sizeof md, out);
	else
		snprintf(out, cap, "unreadable: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	EVP_MD_CTX_free(ctx);
}

int
audit_config(struct db *db, const char *path, struct err *e)
{
	static int loaded;
	char detail[512], sum[96];

	file_sha256(path, sum, sizeof sum);
	snprintf(detail, sizeof detail, "%s sha256=%s", path, sum);
	if (db_audit_event(db, loaded ? "config.reloaded" : "config.loaded", NULL, NULL, NULL,
			   detail, e) < 0)
		return -1;
	loaded = 1;
	return 0;
}

void
audit_delivered(struct db *db, const struct job *j, int failed, const char *stem)
{
	char where[PD_MAX + NAME_MAX + 32];
	struct err e;

	snprintf(where, sizeof where, "%s/%s/%s", failed ? "failed" : "done", j->pd, stem);
	if (db_audit_event(db, "delivered", j->id, NULL, j->pd, where, &e) < 0)
		log_err(j->id, "audit: cannot record its delivery: %s", e.detail);
}
