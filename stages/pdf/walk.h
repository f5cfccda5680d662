/*
 * walk.h - the form's field tree and the page tree, each object visited once.
 *
 * Both trees are object graphs a file may make into DAGs: a /Kids that lists
 * the same child twice at each of 26 levels is a 3 KB file with 2^26 paths
 * to its leaf, and a naive recursion walks every path.  These walkers keep a
 * set of the object numbers they have seen and never enter one twice, so
 * their work is linear in the file's objects.  Every call throws.
 */
#ifndef SERTEL_WALK_H
#define SERTEL_WALK_H

#include <mupdf/pdf.h>

/* A set of a document's object numbers. */
struct walk_seen {
	unsigned char *bit;
	int n;			/* object numbers below n fit */
};

/* walk_seen_init - an empty set sized for doc's cross-reference table. */
void walk_seen_init(fz_context *ctx, pdf_document *doc, struct walk_seen *s);
/*
 * walk_seen_add - 1 when obj (an indirect object) is in s already, else adds
 * it and gives 0.  A direct object gives 0 (it sits in one place of the
 * file); a reference outside the table gives 1 (it points at nothing).
 */
int walk_seen_add(fz_context *ctx, struct walk_seen *s, pdf_obj *obj);
/* walk_seen_fini - free the set (a zeroed one too). */
void walk_seen_fini(fz_context *ctx, struct walk_seen *s);

/*
 * walk_field_fn - one field (or widget) dictionary of the form; ft is its
 * /FT, inherited through /Parent (an inheritable field entry) as MuPDF's
 * pdf_dict_get_inheritable finds it (NULL: none).  Nonzero stops the walk.
 */
typedef int (*walk_field_fn)(fz_context *ctx, pdf_obj *field, pdf_obj *ft, void *arg);

/*
 * walk_fields - fn on every dictionary reachable from the catalog's
 * /AcroForm /Fields through /Kids, in form order (depth first), each object
 * once: a kid listed twice, or a /Kids cycle, is entered the first time only.
 * Returns what fn returned when it stopped the walk, else 0.
 */
int walk_fields(fz_context *ctx, pdf_document *doc, walk_field_fn fn, void *arg);

/*
 * walk_fields_check - whether readers that walk the form as a tree can read
 * it: a reader following every /Kids entry visits a field once per path to
 * it, and a form listing the same child twice at each of N levels makes that
 * 2^N (poppler's pdfsig needs 5 s at N = 12, longer than a minute at 16).
 * Throws when such a walk would visit more than 8 times the field objects
 * (+ 1000); a field listed both in /Fields and in its parent's /Kids, as
 * careless writers do, stays far below.  Returns the number of field
 * objects.  Linear itself (every object and array counted once).
 */
int walk_fields_check(fz_context *ctx, pdf_document *doc);

/*
 * walk_pages_check - the page tree is a tree that every reader counts alike:
 * no object is listed in it twice (a node listed twice is what qpdf calls a
 * loop; MuPDF would count its pages twice), every node's /Count is the
 * number of pages under it (MuPDF numbers pages by /Count), and no two pages
 * share an /Annots array (a writer adding a widget to one page would add it
 * to the other).  Returns the number of pages; throws, naming the object,
 * when the tree is not such a tree.
 */
int walk_pages_check(fz_context *ctx, pdf_document *doc);

/* A document's pages in order, each as its /Kids lists it (a reference). */
struct walk_pages {
	pdf_obj **v;		/* kept */
	int n;
	int depth;		/* of the deepest page: 1 when the root lists it */
};

/*
 * walk_pages_load - walk_pages_check, keeping every page: page i in O(1)
 * (MuPDF 1.21 finds page i by walking the /Kids from the first; its own page
 * map gives the dictionary, not the reference a writer needs, and leaks).
 */
void walk_pages_load(fz_context *ctx, pdf_document *doc, struct walk_pages *p);
/* walk_pages_drop - drop what walk_pages_load kept (a zeroed one too). */
void walk_pages_drop(fz_context *ctx, struct walk_pages *p);

#endif
