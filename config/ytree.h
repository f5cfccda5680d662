/*
 * ytree.h - a YAML document as a small tree whose every node knows its
 * line:column, plus the checks both of sertel's YAML readers need.
 *
 * Everything is read as text: a scalar keeps the characters as written and
 * whether it was plain or quoted, so an unquoted NIP such as
 * 197103012006042006 is still the 18-digit text, never an integer.
 *
 * The parser refuses what sertel never needs and an attacker might use:
 * anchors and aliases (billion laughs), several documents in one file,
 * non-text mapping keys, duplicate keys, nesting deeper than YTREE_MAX_DEPTH
 * and more than YTREE_MAX_NODES nodes.
 *
 * The checks report through a struct yctx, which carries the caller's error
 * codes (config.* or sidecar.*), an optional file name put in front of every
 * detail ("sertel.yaml:12:5: ...") and the list the violations go to.
 */
#ifndef SERTEL_YTREE_H
#define SERTEL_YTREE_H

#include <stddef.h>

#include "../base/err.h"

#define YTREE_MAX_DEPTH 32
#define YTREE_MAX_NODES 100000

enum ykind { Y_SCALAR, Y_MAP, Y_SEQ };

struct ypair {
	struct ynode *key;	/* always a scalar */
	struct ynode *val;
};

struct ynode {
	enum ykind kind;
	int line, col;		/* 1-based, where the node starts */
	int plain;		/* scalar written without quotes or block indicator */
	char *text;		/* scalar: the text, NUL-terminated */
	size_t len;		/* scalar: bytes in text (a "\0" escape can put a NUL inside) */
	size_t n;		/* mapping: pairs; sequence: items */
	size_t cap;
	struct ypair *pair;	/* mapping, in document order */
	struct ynode **item;	/* sequence */
};

struct ytree {
	struct ynode *root;	/* NULL for an empty document */
	size_t nodes;
};

/* Error codes of one reader; every field must be set. */
struct ycodes {
	const char *syntax;	/* not YAML, or YAML sertel refuses (aliases, duplicates, ...) */
	const char *unknown;	/* a key the schema does not have */
	const char *missing;	/* a required key is absent */
	const char *type;	/* text where a list is needed, a non-integer, ... */
	const char *value;	/* the right type but not an acceptable value */
};

/* The language of a reader's details. */
enum ylang {
	YLANG_EN,		/* English: the configuration, which administrators read */
	YLANG_ID,		/* Bahasa Indonesia: sidecars, which drafters read */
};

struct yctx {
	const struct ycodes *codes;
	const char *file;		/* put in front of every detail; NULL for none */
	const char *ignore_prefix;	/* keys starting with this are skipped ("x-"); NULL for none */
	struct errs *errs;		/* violations are appended here */
	enum ylang lang;		/* of the details */
};

/* A key a mapping may hold. */
struct ykey {
	const char *name;
	int required;
	const char *refuse;	/* non-NULL: the key is refused with this explanation */
};

/*
 * ytree_parse - parse len bytes of buf into t.  Returns 0, or -1 with one
 * x->codes->syntax violation appended (parsing stops at the first problem).
 * t is always safe to pass to ytree_free afterwards.
 */
int ytree_parse(struct ytree *t, const char *buf, size_t len, struct yctx *x);
void ytree_free(struct ytree *t);

/* ymap_get - the value of key in map, or NULL (also when map is not a mapping). */
const struct ynode *ymap_get(const struct ynode *map, const char *key);
/* ynode_null - a plain empty, "~" or "null" scalar: a key written without a value. */
int ynode_null(const struct ynode *n);
/* ypath_key, ypath_index - the field path "parent.key" / "parent[i]" into out[96]. */
void ypath_key(char *out, size_t size, const char *parent, const char *key);
void ypath_index(char *out, size_t size, const char *parent, size_t i);

/* yerr - append a violation at n's position (0:0 for NULL), file prefix added. */
void yerr(struct yctx *x, const char *code, const char *field, const struct ynode *n,
	  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * ymap_check - map must be a mapping whose keys are all in keys (terminated by
 * a NULL name): unknown keys (with a "did you mean" hint), refused keys and
 * missing required keys are reported.  path names map ("" for the top level).
 * Returns the number of violations; -1 when map is not a mapping at all.
 */
int ymap_check(struct yctx *x, const struct ynode *map, const char *path,
	       const struct ykey *keys);

/* ynode_want - 0 when n is of kind, else a type violation for field and -1. */
int ynode_want(struct yctx *x, const struct ynode *n, const char *field, enum ykind kind);
/*
 * ynode_str - n as a new string of at most max bytes without control
 * characters other than tab and newline.  Returns 0 (the old *out is freed
 * and replaced) or -1 with a violation.
 */
int ynode_str(struct yctx *x, const struct ynode *n, const char *field, size_t max, char **out);
/* ynode_int - n as a decimal integer in [lo, hi]; -1 with a type or a range violation. */
int ynode_int(struct yctx *x, const struct ynode *n, const char *field, long long lo, long long hi,
	      long long *out);

/*
 * ymap_str, ymap_int, ymap_kind - the same for map[key], with the field path
 * built from path and key.  They return 1 and leave *out alone when the key is
 * absent (ymap_check reports required keys), 0 when set, -1 on a violation.
 * ymap_kind gives the node itself through *out.
 */
int ymap_str(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	     size_t max, char **out);
int ymap_int(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	     long long lo, long long hi, long long *out);
int ymap_kind(struct yctx *x, const struct ynode *map, const char *path, const char *key,
	      enum ykind kind, const struct ynode **out);

#endif
