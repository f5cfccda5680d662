/*
 * preflight.c - the server-side checks before a start (see preflight.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/x509_vfy.h>

#include "../config/cfg.h"
#include "../pki/signers.h"
#include "preflight.h"

int
preflight_trust(const struct cfg *c, struct err *e)
{
	struct err a;
	X509_STORE *st = signers_anchors(c, &a);

	X509_STORE_free(st);
	if (st || !a.code)
		return 0;
	return err_set(e, "config.server", "%s; put the CA certificate (PEM) there, or correct "
		       "trust:/timestamp.trust: in %s", a.detail, c->path);
}

/* existing - path, or the nearest folder above it that exists, into buf. */
static const char *
existing(const char *path, char *buf, size_t cap)
{
	struct stat st;
	char *slash;

	snprintf(buf, cap, "%s", path);
	while (stat(buf, &st) != 0 && (slash = strrchr(buf, '/')) != NULL)
		slash[slash == buf] = '\0';	/* "/" stays */
	return buf;
}

/* writable - what (spool, state) at path can be made or written in. */
static int
writable(const struct cfg *c, const char *what, const char *path, struct err *e)
{
	char near[PATH_MAX];
	struct stat st;

	existing(path, near, sizeof near);
	if (stat(near, &st) == 0 && !S_ISDIR(st.st_mode))
		return err_set(e, "config.server", "%s %s: %s is not a folder; correct %s: in %s",
			       what, path, near, what, c->path);
	if (faccessat(AT_FDCWD, near, W_OK | X_OK, AT_EACCESS) == 0)
		return 0;
	return err_set(e, "config.server", "%s %s: %s cannot be written by uid %ld: %s; give the "
		       "folder to the service user (chown/chmod), or correct %s: in %s", what, path,
		       near, (long)geteuid(), strerror(errno), what, c->path);
}

int
preflight_dirs(const struct cfg *c, struct err *e)
{
	static const char *const sub[] = { "incoming", "queue", "done", "failed" };
	char p[PATH_MAX];
	struct stat st;
	size_t i;

	if (writable(c, "spool", c->spool_dir, e) < 0 || writable(c, "state", c->state_dir, e) < 0)
		return -1;
	/* sertel writes into each of the spool's folders that is there already */
	for (i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", c->spool_dir, sub[i]);
		if (stat(p, &st) == 0 && writable(c, "spool", p, e) < 0)
			return -1;
	}
	return 0;
}

int
preflight_passwords(const struct cfg *c, int *unchecked, struct err *e)
{
	int service = preflight_service(c);
	size_t i;

	*unchecked = 0;
	for (i = 0; i < c->timestamp.ntsa; i++) {
		const char *p = c->timestamp.tsa[i].password_file;
		if (!p || access(p, R_OK) == 0)
			continue;
		if (errno == EACCES && !service) {
			++*unchecked;
			continue;
		}
		/* without it every document would fail at its timestamp (sign.failed) */
		return err_set(e, "config.server", "timestamp.tsa[%zu].password_file %s: %s; put the "
			       "TSA's password there, readable by the service user only, or correct it "
			       "in %s", i, p, strerror(errno), c->path);
	}
	return 0;
}

int
preflight_service(const struct cfg *c)
{
	char near[PATH_MAX];
	struct stat st;

	/* not "root is everybody": root may write where the service user may not */
	existing(c->state_dir, near, sizeof near);
	return stat(near, &st) == 0 && st.st_uid == geteuid();
}
