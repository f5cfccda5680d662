/*
 * walk.c - the form's field tree and the page tree, each object once (see
 * walk.h).  Both walks keep their own stack, not the C stack: a chain of
 * nested fields may be as long as the file has objects.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "walk.h"

void
walk_seen_init(fz_context *ctx, pdf_document *doc, struct walk_seen *s)
{
	s->n = pdf_xref_len(ctx, doc);
	s->bit = fz_calloc(ctx, (size_t)s->n / 8 + 1, 1);
}

int
walk_seen_add(fz_context *ctx, struct walk_seen *s, pdf_obj *obj)
{
	unsigned char m;
	int num;

	if (!pdf_is_indirect(ctx, obj))
		return 0;
	num = pdf_to_num(ctx, obj);
	if (num <= 0 || num >= s->n)
		return 1;
	m = (unsigned char)(1u << (num & 7));
	if (s->bit[num >> 3] & m)
		return 1;
	s->bit[num >> 3] |= m;
	return 0;
}

void
walk_seen_fini(fz_context *ctx, struct walk_seen *s)
{
	fz_free(ctx, s->bit);
	memset(s, 0, sizeof *s);
}

/* ---- the form ------------------------------------------------------- */

/* One /Kids (or /Fields) array being walked. */
struct frame {
	pdf_obj *kids;
	int i, n;
};

/* The field walk: what was entered, the inherited /FT found so far, the stack. */
struct fields {
	struct walk_seen seen;
	pdf_obj **ft;		/* by object number, when state is DONE */
	unsigned char *state;	/* 0, ON_CHAIN (being resolved) or DONE */
	int *chain, nchain, capchain;
	struct frame *st;
	int depth, cap;
};

enum { ON_CHAIN = 1, DONE = 2 };

/* field_type - the /FT of field or of its nearest /Parent with one; every ancestor is resolved once. */
static pdf_obj *
field_type(fz_context *ctx, struct fields *w, pdf_obj *field)
{
	pdf_obj *node = field, *ft = NULL;
	int i, num;

	w->nchain = 0;
	while (pdf_is_dict(ctx, node)) {
		num = pdf_is_indirect(ctx, node) ? pdf_to_num(ctx, node) : 0;
		if (num <= 0 || num >= w->seen.n)
			num = 0;
		if (num && w->state[num] == DONE) {
			ft = w->ft[num];
			break;
		}
		if ((ft = pdf_dict_get(ctx, node, PDF_NAME(FT))) != NULL)
			break;
		if (num) {
			if (w->state[num] == ON_CHAIN)
				break;	/* a /Parent cycle: no type */
			w->state[num] = ON_CHAIN;
			if (w->nchain == w->capchain) {
				w->capchain = w->capchain ? 2 * w->capchain : 16;
				w->chain = fz_realloc_array(ctx, w->chain, w->capchain, int);
			}
			w->chain[w->nchain++] = num;
		}
		node = pdf_dict_get(ctx, node, PDF_NAME(Parent));
	}
	for (i = 0; i < w->nchain; i++) {
		w->ft[w->chain[i]] = ft;
		w->state[w->chain[i]] = DONE;
	}
	return ft;
}

/* push - walk kids next, unless it is not an array or was walked already. */
static void
push(fz_context *ctx, struct fields *w, pdf_obj *kids)
{
	if (!pdf_is_array(ctx, kids) || walk_seen_add(ctx, &w->seen, kids))
		return;
	if (w->depth == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->st = fz_realloc_array(ctx, w->st, w->cap, struct frame);
	}
	w->st[w->depth].kids = kids;
	w->st[w->depth].i = 0;
	w->st[w->depth].n = pdf_array_len(ctx, kids);
	w->depth++;
}

int
walk_fields(fz_context *ctx, pdf_document *doc, walk_field_fn fn, void *arg)
{
	struct fields w;
	int rc = 0;

	memset(&w, 0, sizeof w);
	fz_var(w);
	fz_var(rc);
	fz_try(ctx) {
		walk_seen_init(ctx, doc, &w.seen);
		w.ft = fz_calloc(ctx, (size_t)w.seen.n + 1, sizeof *w.ft);
		w.state = fz_calloc(ctx, (size_t)w.seen.n + 1, 1);
		push(ctx, &w, pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/AcroForm/Fields"));
		while (w.depth > 0 && rc == 0) {
			struct frame *f = &w.st[w.depth - 1];
			pdf_obj *field;

			if (f->i >= f->n) {
				w.depth--;
				continue;
			}
			field = pdf_array_get(ctx, f->kids, f->i++);
			if (!pdf_is_dict(ctx, field) || walk_seen_add(ctx, &w.seen, field))
				continue;
			rc = fn(ctx, field, field_type(ctx, &w, field), arg);
			push(ctx, &w, pdf_dict_get(ctx, field, PDF_NAME(Kids)));
		}
	}
	fz_always(ctx) {
		walk_seen_fini(ctx, &w.seen);
		fz_free(ctx, w.ft);
		fz_free(ctx, w.state);
		fz_free(ctx, w.chain);
		fz_free(ctx, w.st);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return rc;
}

/* ---- how often a naive reader visits the form ------------------------ */

#define VISITS_MAX (UINT64_C(1) << 62)	/* saturation: the count only has to pass a bound */

/* An array of the form (/Fields, or the /Kids of owner) being counted. */
struct cframe {
	pdf_obj *arr, *owner;
	int i, n;
	uint64_t visits;	/* of the entries counted so far */
};

/* sat_add - a + b, saturated. */
static uint64_t
sat_add(uint64_t a, uint64_t b)
{
	return a > VISITS_MAX - b ? VISITS_MAX : a + b;
}

/* counting - the memo of visits under each object, and the stack. */
struct counting {
	struct walk_seen on;	/* entered (on the stack, or done) */
	struct walk_seen done;	/* visits[num] is known */
	uint64_t *visits;
	struct cframe *st;
	int depth, cap, distinct;
};

/* in - whether object num is in s. */
static int
in(const struct walk_seen *s, int num)
{
	return (s->bit[num >> 3] >> (num & 7)) & 1;
}

/*
 * known - for an indirect obj already entered: 1, with *v its count when it
 * is done, or 1 when it is still on the stack (a cycle: a careful reader
 * enters it once).  Else 0, and obj counts as entered from now on.
 */
static int
known(fz_context *ctx, struct counting *c, pdf_obj *obj, uint64_t *v)
{
	int num = pdf_to_num(ctx, obj);

	if (!pdf_is_indirect(ctx, obj) || num <= 0 || num >= c->on.n)
		return 0;
	if (in(&c->done, num))
		*v = c->visits[num];
	else if (in(&c->on, num))
		*v = 1;
	else
		return walk_seen_add(ctx, &c->on, obj);
	return 1;
}

/* finish - obj's count is v. */
static void
finish(fz_context *ctx, struct counting *c, pdf_obj *obj, uint64_t v)
{
	int num = pdf_to_num(ctx, obj);

	if (!pdf_is_indirect(ctx, obj) || num <= 0 || num >= c->on.n)
		return;
	walk_seen_add(ctx, &c->done, obj);
	c->visits[num] = v;
}

/* cpush - count arr (the kids of owner, NULL for /Fields) next. */
static void
cpush(fz_context *ctx, struct counting *c, pdf_obj *arr, pdf_obj *owner)
{
	if (c->depth == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->st = fz_realloc_array(ctx, c->st, c->cap, struct cframe);
	}
	c->st[c->depth].arr = arr;
	c->st[c->depth].owner = owner;
	c->st[c->depth].i = 0;
	c->st[c->depth].n = pdf_array_len(ctx, arr);
	c->st[c->depth].visits = 0;
	c->depth++;
}

/*
 * count_visits - the fields a reader that follows every /Kids entry (and
 * enters a cycle once) visits: V(field) = 1 + the V of each entry of its
 * /Kids, summed over /Fields.  Each object and each array is counted once
 * and remembered, so this is linear too.
 */
static uint64_t
count_visits(fz_context *ctx, struct counting *c, pdf_obj *fields)
{
	uint64_t total = 0, v;

	if (!pdf_is_array(ctx, fields))
		return 0;
	known(ctx, c, fields, &v);	/* marks it entered */
	cpush(ctx, c, fields, NULL);
	while (c->depth > 0) {
		struct cframe *f = &c->st[c->depth - 1];
		pdf_obj *kid, *kids, *owner;

		if (f->i >= f->n) {
			v = f->visits;
			owner = f->owner;
			finish(ctx, c, f->arr, v);
			c->depth--;
			if (owner == NULL) {
				total = v;
				continue;
			}
			v = sat_add(v, 1);
			finish(ctx, c, owner, v);
			c->st[c->depth - 1].visits = sat_add(c->st[c->depth - 1].visits, v);
			continue;
		}
		kid = pdf_array_get(ctx, f->arr, f->i++);
		if (!pdf_is_dict(ctx, kid))
			continue;
		if (known(ctx, c, kid, &v)) {
			f->visits = sat_add(f->visits, v);
			continue;
		}
		c->distinct++;
		kids = pdf_dict_get(ctx, kid, PDF_NAME(Kids));
		if (!pdf_is_array(ctx, kids)) {
			finish(ctx, c, kid, 1);
			f->visits = sat_add(f->visits, 1);
		} else if (known(ctx, c, kids, &v)) {
			v = sat_add(v, 1);
			finish(ctx, c, kid, v);
			f->visits = sat_add(f->visits, v);
		} else {
			cpush(ctx, c, kids, kid);
		}
	}
	return total;
}

int
walk_fields_check(fz_context *ctx, pdf_document *doc)
{
	struct counting c;
	uint64_t visits = 0;

	memset(&c, 0, sizeof c);
	fz_var(c);
	fz_var(visits);
	fz_try(ctx) {
		walk_seen_init(ctx, doc, &c.on);
		walk_seen_init(ctx, doc, &c.done);
		c.visits = fz_calloc(ctx, (size_t)c.on.n + 1, sizeof *c.visits);
		visits = count_visits(ctx, &c, pdf_dict_getp(ctx, pdf_trailer(ctx, doc),
							     "Root/AcroForm/Fields"));
		if (visits > 8 * (uint64_t)c.distinct + 1000) {
			char n[32];	/* MuPDF's printf has no %llu */

			snprintf(n, sizeof n, "%s%llu", visits == VISITS_MAX ? "over " : "",
				 (unsigned long long)visits);
			fz_throw(ctx, FZ_ERROR_GENERIC, "the form lists the same fields again and "
				 "again: a reader following its /Kids would visit %s fields, for %d "
				 "field object%s", n, c.distinct, c.distinct == 1 ? "" : "s");
		}
	}
	fz_always(ctx) {
		walk_seen_fini(ctx, &c.on);
		walk_seen_fini(ctx, &c.done);
		fz_free(ctx, c.visits);
		fz_free(ctx, c.st);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return c.distinct;
}

/* ---- the page tree -------------------------------------------------- */

/* One node of the page tree being walked, and the pages found under it so far. */
struct pframe {
	pdf_obj *node, *kids;
	int i, n, pages;
};

/* is_node - a page tree node, told from a page as MuPDF's page lookup tells them. */
static int
is_node(fz_context *ctx, pdf_obj *kid)
{
	pdf_obj *type = pdf_dict_get(ctx, kid, PDF_NAME(Type));

	if (type)
		return pdf_name_eq(ctx, type, PDF_NAME(Pages));
	return pdf_is_array(ctx, pdf_dict_get(ctx, kid, PDF_NAME(Kids))) &&
	       !pdf_dict_get(ctx, kid, PDF_NAME(MediaBox));
}

/* pframe_push - node's kids walked next (throws on a node listed twice). */
static void
pframe_push(fz_context *ctx, struct walk_seen *seen, struct pframe **st, int *depth, int *cap,
	    pdf_obj *node)
{
	if (walk_seen_add(ctx, seen, node))
		fz_throw(ctx, FZ_ERROR_GENERIC, "the page tree lists object %d more than once",
			 pdf_to_num(ctx, node));
	if (*depth == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*st = fz_realloc_array(ctx, *st, *cap, struct pframe);
	}
	(*st)[*depth].node = node;
	(*st)[*depth].kids = pdf_dict_get(ctx, node, PDF_NAME(Kids));
	(*st)[*depth].i = 0;
	(*st)[*depth].n = pdf_array_len(ctx, (*st)[*depth].kids);
	(*st)[*depth].pages = 0;
	(*depth)++;
}

/* page_seen - one page: listed once, its /Annots array its own (throws otherwise). */
static void
page_seen(fz_context *ctx, struct walk_seen *seen, pdf_obj *page)
{
	pdf_obj *annots = pdf_dict_get(ctx, page, PDF_NAME(Annots));

	if (walk_seen_add(ctx, seen, page))
		fz_throw(ctx, FZ_ERROR_GENERIC, "the page tree lists object %d more than once",
			 pdf_to_num(ctx, page));
	if (pdf_is_indirect(ctx, annots) && walk_seen_add(ctx, seen, annots))
		fz_throw(ctx, FZ_ERROR_GENERIC, "page object %d shares its /Annots array "
			 "(object %d) with another page", pdf_to_num(ctx, page),
			 pdf_to_num(ctx, annots));
}

/* keep_page - page appended to out (kept). */
static void
keep_page(fz_context *ctx, struct walk_pages *out, int *cap, pdf_obj *page)
{
	if (out->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		out->v = fz_realloc_array(ctx, out->v, *cap, pdf_obj *);
	}
	out->v[out->n++] = pdf_keep_obj(ctx, page);
}

/* pages_walk - the check of walk_pages_check; every page into out unless NULL. */
static int
pages_walk(fz_context *ctx, pdf_document *doc, struct walk_pages *out)
{
	pdf_obj *root = pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/Pages");
	struct walk_seen seen;
	struct pframe *st = NULL;
	int depth = 0, cap = 0, total = 0, outcap = 0;

	memset(&seen, 0, sizeof seen);
	fz_var(seen);
	fz_var(st);
	fz_var(total);
	fz_try(ctx) {
		if (!pdf_is_dict(ctx, root))
			fz_throw(ctx, FZ_ERROR_GENERIC, "the catalog has no page tree");
		walk_seen_init(ctx, doc, &seen);
		pframe_push(ctx, &seen, &st, &depth, &cap, root);
		while (depth > 0) {
			struct pframe *f = &st[depth - 1];
			pdf_obj *kid;

			if (f->i >= f->n) {
				int count = pdf_dict_get_int(ctx, f->node, PDF_NAME(Count));

				if (count != f->pages)
					fz_throw(ctx, FZ_ERROR_GENERIC, "page tree node %d says /Count %d "
						 "but holds %d page%s", pdf_to_num(ctx, f->node), count,
						 f->pages, f->pages == 1 ? "" : "s");
				total = f->pages;
				if (--depth > 0)
					st[depth - 1].pages += f->pages;
				continue;
			}
			kid = pdf_array_get(ctx, f->kids, f->i++);
			if (!pdf_is_dict(ctx, kid))
				fz_throw(ctx, FZ_ERROR_GENERIC, "page tree node %d lists something that "
					 "is not a page (entry %d)", pdf_to_num(ctx, f->node), f->i - 1);
			if (is_node(ctx, kid)) {
				pframe_push(ctx, &seen, &st, &depth, &cap, kid);
			} else {
				page_seen(ctx, &seen, kid);
				f->pages++;
				if (out && depth > out->depth)
					out->depth = depth;
				if (out)
					keep_page(ctx, out, &outcap, kid);
			}
		}
	}
	fz_always(ctx) {
		walk_seen_fini(ctx, &seen);
		fz_free(ctx, st);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return total;
}

int
walk_pages_check(fz_context *ctx, pdf_document *doc)
{
	return pages_walk(ctx, doc, NULL);
}

void
walk_pages_load(fz_context *ctx, pdf_document *doc, struct walk_pages *p)
{
	memset(p, 0, sizeof *p);
	fz_try(ctx)
		pages_walk(ctx, doc, p);
	fz_catch(ctx) {
		walk_pages_drop(ctx, p);
		fz_rethrow(ctx);
	}
}

void
walk_pages_drop(fz_context *ctx, struct walk_pages *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		pdf_drop_obj(ctx, p->v[i]);
	fz_free(ctx, p->v);
	memset(p, 0, sizeof *p);
}
