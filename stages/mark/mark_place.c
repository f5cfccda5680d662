/*
 * mark_place.c - where the mark goes, and in which colours.
 *
 * Everything is decided in MuPDF's page space: points (UserUnit applied),
 * origin at the top left of the visible page (CropBox within MediaBox), y
 * down, the page's /Rotate already applied: the page as the reader sees it.
 * A corner and its offsets, an anchor's box found by text extraction and
 * the earlier signatures' widgets all live there.  Each spot then maps the
 * mark's own box onto the page: /Rect is the box taken back to the page's
 * default user space, and the appearance's /Matrix carries the mark (y up,
 * upright) onto that /Rect, undoing rotation and scale.  So the mark reads
 * upright on a rotated page and keeps its size in points under UserUnit.
 */
#include <string.h>

#include "../pdf/pdfa.h"
#include "../pdf/walk.h"
#include "mark_place.h"

#define GAP 4			/* points between stacked marks */
#define MAX_HITS 64		/* anchor occurrences looked at per page */
#define MAX_TAKEN 256		/* earlier signature widgets looked at per page */

/* Page p as the reader sees it. */
struct view {
	int page;
	fz_rect bounds;		/* (0, 0, width, height) */
	fz_matrix ctm;		/* default user space -> this view */
	fz_rect taken[MAX_TAKEN];	/* earlier signatures' widgets */
	int ntaken;
};

/* view_of - page p's geometry and the widgets of signature fields already on it. */
static void
view_of(fz_context *ctx, const struct walk_pages *pages, int p, struct view *v)
{
	pdf_obj *page = pages->v[p], *annots;
	fz_rect box;
	int i, n;

	memset(v, 0, sizeof *v);
	v->page = p;
	pdf_page_obj_transform(ctx, page, &box, &v->ctm);
	v->bounds = fz_transform_rect(box, v->ctm);
	annots = pdf_dict_get(ctx, page, PDF_NAME(Annots));
	n = pdf_array_len(ctx, annots);
	for (i = 0; i < n && v->ntaken < MAX_TAKEN; i++) {
		pdf_obj *a = pdf_array_get(ctx, annots, i);
		fz_rect r;

		if (!pdf_name_eq(ctx, pdf_dict_get(ctx, a, PDF_NAME(Subtype)), PDF_NAME(Widget)) ||
		    !pdf_name_eq(ctx, pdf_dict_get_inheritable(ctx, a, PDF_NAME(FT)), PDF_NAME(Sig)))
			continue;
		r = fz_transform_rect(pdf_dict_get_rect(ctx, a, PDF_NAME(Rect)), v->ctm);
		if (!fz_is_empty_rect(r))
			v->taken[v->ntaken++] = r;
	}
}

/* overlap - the earlier widget box overlaps, or NULL. */
static const fz_rect *
overlap(const struct view *v, fz_rect box)
{
	int i;

	for (i = 0; i < v->ntaken; i++)
		if (!fz_is_empty_rect(fz_intersect_rect(v->taken[i], box)))
			return &v->taken[i];
	return NULL;
}

/* inside - box lies on the visible page. */
static int
inside(const struct view *v, fz_rect box)
{
	return box.x0 >= v->bounds.x0 - 0.01f && box.y0 >= v->bounds.y0 - 0.01f &&
	       box.x1 <= v->bounds.x1 + 0.01f && box.y1 <= v->bounds.y1 + 0.01f;
}

/* add_spot - box (view space) on v's page as a widget; cover (view space) painted white. */
static void
add_spot(fz_context *ctx, struct mark_spot **spots, int *n, int *cap, const struct view *v,
	 fz_rect box, fz_rect cover)
{
	fz_matrix inv = fz_invert_matrix(v->ctm);
	struct mark_spot *s;

	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 4;
		*spots = fz_realloc_array(ctx, *spots, *cap, struct mark_spot);
	}
	s = &(*spots)[(*n)++];
	s->page = v->page;
	s->w = box.x1 - box.x0;
	s->h = box.y1 - box.y0;
	/* mark space (origin lower left, y up) -> view -> default user space */
	s->m = fz_concat(fz_make_matrix(1, 0, 0, -1, box.x0, box.y1), inv);
	s->rect = fz_transform_rect(box, inv);
	s->cover = fz_empty_rect;
	if (!fz_is_empty_rect(cover))
		s->cover = fz_make_rect(cover.x0 - box.x0, box.y1 - cover.y1, cover.x1 - box.x0,
					box.y1 - cover.y0);
}

/* corner_box - the mark at m's corner of v, moved off earlier marks; -1 when there is no room. */
static int
corner_box(const struct cfg_mark *m, const struct view *v, fz_rect *out, struct err *e)
{
	float w = (float)m->width, h = (float)m->height;
	float x0 = m->corner & MARK_CORNER_RIGHT ? v->bounds.x1 - m->x - w : v->bounds.x0 + m->x;
	float y0 = m->corner & MARK_CORNER_TOP ? v->bounds.y0 + m->y : v->bounds.y1 - m->y - h;
	fz_rect box = fz_make_rect(x0, y0, x0 + w, y0 + h);
	const fz_rect *o;
	int moved = 0;

	if (!inside(v, box))
		return err_set(e, "mark.placement", "tanda visual (%d x %d poin, %d dan %d poin "
			       "dari sudut) tidak muat di halaman %d (%.0f x %.0f poin)",
			       m->width, m->height, m->x, m->y, v->page + 1,
			       v->bounds.x1 - v->bounds.x0, v->bounds.y1 - v->bounds.y0);
	/* a countersignature's mark goes beside the earlier ones, away from the corner */
	while ((o = overlap(v, box)) != NULL && moved++ < MAX_TAKEN) {
		box.y0 = m->corner & MARK_CORNER_TOP ? o->y1 + GAP : o->y0 - GAP - h;
		box.y1 = box.y0 + h;
		if (!inside(v, box))
			return err_set(e, "mark.placement", "tidak ada ruang lagi di halaman %d "
				       "untuk tanda visual berikutnya: kolom di sudut sudah penuh "
				       "oleh tanda tangan sebelumnya", v->page + 1);
	}
	*out = box;
	return 0;
}

/* page_range - the pages m's page: selects; -1 when the document is shorter. */
static int
page_range(const struct cfg_mark *m, int npages, int *first, int *last, struct err *e)
{
	*first = 0;
	*last = npages - 1;
	if (m->page == MARK_PAGE_LAST)
		*first = npages - 1;
	else if (m->page > 0 && m->page <= npages)
		*first = *last = m->page - 1;
	else if (m->page > 0)
		return err_set(e, "mark.placement", "tanda visual ditempatkan di halaman %d, "
			       "tetapi dokumen hanya berisi %d halaman", m->page, npages);
	return 0;
}

/*
 * page_text - the text of page (view v): its content stream run straight from
 * the page object, as fz_run_page_contents would, without loading the page by
 * number (MuPDF 1.21 finds page p by walking the /Kids from the first: page
 * after page, quadratic).  Not the annotations: a mark already there.
 */
static void
page_text(fz_context *ctx, pdf_document *doc, pdf_obj *page, const struct view *v,
	  fz_device *dev)
{
	pdf_obj *contents = pdf_dict_get(ctx, page, PDF_NAME(Contents));
	pdf_processor *proc;

	if (!contents)
		return;
	proc = pdf_new_run_processor(ctx, dev, v->ctm, "View", NULL, NULL, NULL);
	fz_try(ctx) {
		pdf_process_contents(ctx, proc, doc, pdf_dict_get_inheritable(ctx, page,
			PDF_NAME(Resources)), contents, NULL);
		pdf_close_processor(ctx, proc);
	}
	fz_always(ctx)
		pdf_drop_processor(ctx, proc);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* anchors_on - the free occurrences of m->anchor on v's page, as spots. */
static void
anchors_on(fz_context *ctx, pdf_document *doc, pdf_obj *page, const struct cfg_mark *m,
	   const struct view *v, struct mark_spot **spots, int *n, int *cap)
{
	fz_stext_page *text = NULL;
	fz_device *dev = NULL;
	fz_quad quads[MAX_HITS];
	int mark[MAX_HITS], nq, i, j;

	fz_var(text);
	fz_var(dev);
	fz_try(ctx) {
		text = fz_new_stext_page(ctx, v->bounds);
		dev = fz_new_stext_device(ctx, text, NULL);
		page_text(ctx, doc, page, v, dev);
		fz_close_device(ctx, dev);
		nq = fz_search_stext_page(ctx, text, m->anchor, mark, quads, MAX_HITS);
		for (i = 0; i < nq; i = j) {
			fz_rect hit = fz_rect_from_quad(quads[i]), box, cut;
			const fz_rect *o;
			float w, h;

			for (j = i + 1; j < nq && !mark[j]; j++)	/* one hit, several lines */
				hit = fz_union_rect(hit, fz_rect_from_quad(quads[j]));
			if ((o = overlap(v, hit)) != NULL) {
				cut = fz_intersect_rect(hit, *o);
				if ((cut.x1 - cut.x0) * (cut.y1 - cut.y0) >=
				    0.5f * (hit.x1 - hit.x0) * (hit.y1 - hit.y0))
					continue;	/* an earlier signer's mark covers it */
			}
			w = fz_max((float)m->width, hit.x1 - hit.x0);
			h = fz_max((float)m->height, hit.y1 - hit.y0);
			/* the mark hangs from the anchor's top left, kept on the page */
			box.x0 = fz_max(v->bounds.x0, fz_min(hit.x0, v->bounds.x1 - w));
			box.y0 = fz_max(v->bounds.y0, fz_min(hit.y0, v->bounds.y1 - h));
			box.x1 = box.x0 + w;
			box.y1 = box.y0 + h;
			add_spot(ctx, spots, n, cap, v, box, hit);
		}
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_stext_page(ctx, text);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* place - mark_place, with the pages in hand. */
static int
place(fz_context *ctx, pdf_document *doc, const struct walk_pages *pages,
      const struct cfg_mark *m, struct mark_spot **spots, int *n, struct err *e)
{
	int npages = pages->n, cap = 0, p, first, last;
	struct view v;
	fz_rect box;

	*spots = NULL;
	*n = 0;
	if (m->anchor) {
		for (p = 0; p < npages; p++) {
			view_of(ctx, pages, p, &v);
			anchors_on(ctx, doc, pages->v[p], m, &v, spots, n, &cap);
		}
		if (*n > 0)
			return 0;
		if (!m->anchor_fallback)
			return err_set(e, "mark.anchor_missing", "teks penanda '%s' (profil tanda "
				       "%s) tidak ada di %d halaman dokumen, atau sudah tertutup "
				       "tanda tangan sebelumnya", m->anchor, m->name, npages);
	}
	if (page_range(m, npages, &first, &last, e) < 0)
		return -1;
	for (p = first; p <= last; p++) {
		view_of(ctx, pages, p, &v);
		if (corner_box(m, &v, &box, e) < 0) {
			fz_free(ctx, *spots);
			*spots = NULL;
			*n = 0;
			return -1;
		}
		add_spot(ctx, spots, n, &cap, &v, box, fz_empty_rect);
	}
	return 0;
}

int
mark_place(fz_context *ctx, pdf_document *doc, const struct cfg_mark *m,
	   struct mark_spot **spots, int *n, struct err *e)
{
	struct walk_pages pages;
	int rc = 0;

	/* Page by page below: the pages of a tree walked once (one listing a
	 * node twice may claim 2^26), each in O(1) (MuPDF's lookup walks the
	 * /Kids from the first page; its page map leaks in 1.21). */
	walk_pages_load(ctx, doc, &pages);
	fz_var(rc);
	fz_try(ctx)
		rc = place(ctx, doc, &pages, m, spots, n, e);
	fz_always(ctx)
		walk_pages_drop(ctx, &pages);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return rc;
}

enum mark_colour
mark_colour_of(fz_context *ctx, pdf_document *doc)
{
	pdf_obj *root = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Root));
	pdf_obj *ois = pdf_dict_get(ctx, root, PDF_NAME(OutputIntents));
	int i, n = pdf_array_len(ctx, ois);

	if (!pdfa_claimed(ctx, root))
		return MC_FREE;
	for (i = 0; i < n; i++) {
		pdf_obj *oi = pdf_array_get(ctx, ois, i);
		pdf_obj *icc = pdf_dict_get(ctx, oi, PDF_NAME(DestOutputProfile));

		if (strcmp(pdf_to_name(ctx, pdf_dict_get(ctx, oi, PDF_NAME(S))), "GTS_PDFA1"))
			continue;
		switch (pdf_dict_get_int(ctx, icc, PDF_NAME(N))) {
		case 1: return MC_GRAY;
		case 3: return MC_RGB;
		case 4: return MC_CMYK;
		}
	}
	/* no output intent: the claim stays true with device-independent gray */
	return MC_DEFGRAY;
}
