/*
 * cfg_part.h - what the part loaders of sertel.yaml share (cfg_load.c runs
 * them in turn): the load in progress, paths resolved against the
 * configuration's directory, and the rule for a URL in the file.
 */
#ifndef SERTEL_CFG_PART_H
#define SERTEL_CFG_PART_H

#include "cfg.h"
#include "ytree.h"

#define TEXT_MAX	512	/* a name, a title, a line of text */

/* A load in progress. */
struct cfg_part {
	struct yctx x;		/* config.* codes, the file name, the violations */
	struct cfg *c;		/* filled in as the parts load */
	char *dir;		/* directory of the configuration file, absolute */
};

/* cfg_part_join - dir/rel as a new string, a leading "./" of rel dropped. */
char *cfg_part_join(const char *dir, const char *rel);
/* cfg_part_resolve - make *p absolute against the configuration's directory. */
int cfg_part_resolve(struct cfg_part *L, char **p);
/*
 * cfg_part_path - map[key] as a path resolved against the configuration's
 * directory; returns as ymap_str does.
 */
int cfg_part_path(struct cfg_part *L, const struct ynode *map, const char *path, const char *key,
		  char **out);
/* cfg_part_url_why - why u is not a usable http(s) URL, or NULL. */
const char *cfg_part_url_why(const char *u);

#endif
