/*
 * cfg_part.c - the helpers every part loader of sertel.yaml shares (see
 * cfg_part.h).
 *
 * Owns: resolving relative paths against the configuration's directory, so
 * a configuration can be moved together with its PKI and spool, and what
 * makes a URL usable.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_part.h"

char *
cfg_part_join(const char *dir, const char *rel)
{
	char *s;

	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	if (asprintf(&s, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", rel) < 0)
		return NULL;
	return s;
}

int
cfg_part_resolve(struct cfg_part *L, char **p)
{
	char *s;

	if ((*p)[0] == '/')
		return 0;
	if (!(s = cfg_part_join(L->dir, *p))) {
		yerr(&L->x, L->x.codes->value, "", NULL, "out of memory");
		return -1;
	}
	free(*p);
	*p = s;
	return 0;
}

int
cfg_part_path(struct cfg_part *L, const struct ynode *map, const char *path, const char *key,
	      char **out)
{
	int rc = ymap_str(&L->x, map, path, key, PATH_MAX - 1, out);

	return rc == 0 ? cfg_part_resolve(L, out) : rc;
}

const char *
cfg_part_url_why(const char *u)
{
	const char *host = !strncasecmp(u, "http://", 7) ? u + 7 :
			   !strncasecmp(u, "https://", 8) ? u + 8 : NULL;
	size_t hlen;

	if (host == NULL)
		return "must begin with http:// or https://";
	if (strpbrk(u, " \t\r\n"))
		return "must not contain white space";
	hlen = strcspn(host, "/?#");
	if (hlen == 0)
		return "has no host";
	/* user:password@host would put a secret in the file and in every log line */
	if (memchr(host, '@', hlen))
		return "must not carry credentials (user@host); use username and password_file";
	return NULL;
}
