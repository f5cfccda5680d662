/*
 * mark.c - the mark stage and the appearance it hands to the signer.
 *
 * The stage decides everything that can fail because of the document or
 * the configuration (PDF/A colours, pages, anchors, room, text fit) and
 * draws the mark once; errors go in the refusal report with the others, and
 * the PDF goes back untouched.  What is left for signing time is writing:
 * fonts, image, the mark as one form XObject, and per widget a small form
 * whose /Matrix places it on its page.  Only the ID, URL, date and signer
 * change between documents; fonts (glyph outlines) and images are prepared
 * once per worker in the cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/log.h"
#include "../config/cfg.h"
#include "../pki/registry.h"
#include "mark.h"
#include "mark/mark_draw.h"
#include "mark/mark_icc.h"
#include "mark/mark_place.h"
#include "pdf/content.h"
#include "pdf/docmdp.h"
#include "pdf/revision.h"
#include "stage.h"

struct mark_cache {
	struct mark_font *font[2];
	struct mark_image *images;	/* by path, colour and size */
};

struct mark_plan {
	struct mark_body body;
	struct mark_spot *spots;
	int nspots;
	struct pades_widget *w;		/* filled at signing time */
	enum mark_colour colour;
	char url[1100];
};

struct mark_cache *
mark_cache_new(void)
{
	return calloc(1, sizeof(struct mark_cache));
}

void
mark_cache_free(fz_context *ctx, struct mark_cache *mc)
{
	if (mc == NULL)
		return;
	mark_font_drop(ctx, mc->font[0]);
	mark_font_drop(ctx, mc->font[1]);
	mark_image_drop(ctx, mc->images);
	free(mc);
}

void
mark_plan_free(fz_context *ctx, struct mark_plan *p)
{
	if (p == NULL)
		return;
	mark_body_free(ctx, &p->body);
	fz_free(ctx, p->spots);
	fz_free(ctx, p->w);
	free(p);
}

/* resources - the worker's fonts, and m's image in colour c (loaded once). */
static int
resources(fz_context *ctx, struct mark_cache *mc, const struct cfg_mark *m, enum mark_colour c,
	  struct mark_res *res, struct err *e)
{
	float h = mark_row_height(m, (float)m->height);
	struct mark_image *im;

	if (!mc->font[0])
		mc->font[0] = mark_font_new(ctx, 0);
	if (!mc->font[1])
		mc->font[1] = mark_font_new(ctx, 1);
	res->font[0] = mc->font[0];
	res->font[1] = mc->font[1];
	res->image = NULL;
	if (!m->image)
		return 0;
	for (im = mc->images; im; im = im->next)
		if (im->colour == c && im->height_pt == h && !strcmp(im->path, m->image)) {
			res->image = im;
			return 0;
		}
	fz_try(ctx)
		im = mark_image_load(ctx, m->image, c, h);
	fz_catch(ctx)
		return err_set(e, "mark.image", "marks.profiles.%s.image %s cannot be used: %s",
			       m->name, m->image, fz_caught_message(ctx));
	im->next = mc->images;
	mc->images = res->image = im;
	return 0;
}

/* texts - what the mark says about this document. */
static void
texts(const struct doc *d, struct mark_plan *p, struct mark_text *t)
{
	static const char *const bulan[] = { "Januari", "Februari", "Maret", "April", "Mei",
		"Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember" };
	const struct cfg_signer *s = &d->signers->cfg[d->signer];
	const char *u = d->cfg->marks.url ? d->cfg->marks.url : "", *at;
	size_t n = 0;
	struct tm tm;

	/* the URL with every {id} replaced */
	while ((at = strstr(u, "{id}")) != NULL && n < sizeof p->url) {
		n += (size_t)snprintf(p->url + n, sizeof p->url - n, "%.*s%s", (int)(at - u), u,
				      d->job->id);
		u = at + 4;
	}
	if (n < sizeof p->url)
		snprintf(p->url + n, sizeof p->url - n, "%s", u);
	memset(t, 0, sizeof *t);
	t->id = d->job->id;
	t->url = p->url;
	t->name = s->name;
	/* with certs: the registry's identity wins: a mutasi changes it from its date */
	t->jabatan = registry_jabatan(d->registry, d->signer, d->now, s->jabatan);
	t->nip = s->nip;
	t->instansi = d->cfg->instansi;
	localtime_r(&d->now, &tm);
	snprintf(t->date, sizeof t->date, "%d %s %d", tm.tm_mday, bulan[tm.tm_mon],
		 tm.tm_year + 1900);
	strftime(t->time, sizeof t->time, "%H:%M %Z", &tm);
}

/* plan - colours, resources, places and the drawing of m for d. */
static int
plan(struct doc *d, const struct cfg_mark *m, struct mark_plan *p, struct err *e)
{
	fz_context *ctx = d->ctx;
	struct mark_res res;
	struct mark_text t;
	int rc = -1;

	fz_var(rc);
	fz_try(ctx) {
		texts(d, p, &t);
		p->colour = mark_colour_of(ctx, d->pdoc);
		if (resources(ctx, d->marks, m, p->colour, &res, e) == 0 &&
		    mark_place(ctx, d->pdoc, m, &p->spots, &p->nspots, e) == 0 &&
		    mark_draw(ctx, m, &t, &res, (float)m->width, (float)m->height, m->white,
			      &p->body, e) == 0)
			rc = 0;
	}
	fz_catch(ctx)
		rc = err_set(e, fz_caught(ctx) == FZ_ERROR_MEMORY ? "sign.failed" : "pdf.corrupt",
			     "tanda visual tidak dapat digambar: %s", fz_caught_message(ctx));
	return rc;
}

/*
 * certified - the certification level of d (0: none).  After a certification
 * (P=2 or 3; P=1 is refused by the validate stage) the signature goes in
 * invisible: pyHanko's difference analysis (SigFieldCreationRule, with
 * allow_new_visible_after_certify off by default) takes a new signature field
 * with a non-empty /Rect as a change the certification does not permit, and
 * an invisible one as signing, which it permits.
 */
static int
certified(struct doc *d)
{
	fz_context *ctx = d->ctx;
	int level = 0;

	if (d->pdoc == NULL)
		return 0;
	fz_var(level);
	fz_try(ctx)
		level = docmdp_level(ctx, d->pdoc);
	fz_catch(ctx)
		level = 0;	/* unreadable: the sign stage refuses the document */
	return level;
}

static int
mark_run(struct doc *d)
{
	return mark_prepare(d, cfg_mark_for(d->cfg, d->sc.type, d->sc.signer));
}

int
mark_prepare(struct doc *d, const struct cfg_mark *m)
{
	struct mark_plan *p;
	struct err e;
	int p_level;

	if (m == NULL)
		return 0;	/* no mark: the signature stays invisible */
	if ((p_level = certified(d)) > 0) {
		log_warn(d->job->id, "the document is certified (DocMDP P=%d): signed without "
			 "mark profile %s, invisibly, because a new visible signature field would "
			 "break its certification for validators such as pyHanko", p_level, m->name);
		return 0;
	}
	memset(&e, 0, sizeof e);
	if (d->marks == NULL || (p = calloc(1, sizeof *p)) == NULL) {
		errs_addf(&d->errs, "sign.failed", "", 0, 0, "mark: out of memory");
		return -1;
	}
	if (plan(d, m, p, &e) < 0) {
		err_at(&e, "", 0, 0);
		errs_add(&d->errs, &e);
		mark_plan_free(d->ctx, p);
		return -1;
	}
	d->mark = p;
	return 0;
}

/* mark_init - the worker's cache of fonts and images (filled on first use). */
static int
mark_init(struct stage_env *env)
{
	/* NULL (out of memory) refuses each document in mark_run, as it says */
	env->marks = mark_cache_new();
	return 0;
}

/* mark_fini - drop the cache. */
static void
mark_fini(struct stage_env *env)
{
	mark_cache_free(env->ctx, env->marks);
	env->marks = NULL;
}

/* mark_clear - the document's plan. */
static void
mark_clear(struct doc *d)
{
	mark_plan_free(d->ctx, d->mark);
	d->mark = NULL;
}

const struct stage stage_mark = { STEP_MARK, mark_init, mark_fini, mark_run, mark_clear };

/*
 * put_defgray - the ICC profile object that DefaultGray names (MC_DEFGRAY), and
 * the /ColorSpace entry of a resource dictionary into cs ("" without one).
 */
static void
put_defgray(fz_context *ctx, enum mark_colour c, struct rev *rv, char *cs, size_t n)
{
	int icc;

	cs[0] = 0;
	if (c != MC_DEFGRAY)
		return;
	icc = rev_alloc(rv);
	rev_stream(ctx, rv, icc, "/N 1", mark_icc_gray, mark_icc_gray_len);
	snprintf(cs, n, "/ColorSpace<</DefaultGray[/ICCBased %d 0 R]>>", icc);
}

/* put_body - the mark as one form XObject in mark space; its object number. */
static int
put_body(fz_context *ctx, const struct mark_body *b, const char *cs, struct rev *rv)
{
	int font[2] = { 0, 0 }, image = 0, num, i;
	unsigned char *data, *z;
	size_t len, zlen = 0;
	char dict[400];
	int n;

	for (i = 0; i < 2; i++)
		if (b->use[i])
			font[i] = mark_font_put(ctx, b->use[i], rv);
	if (b->image)
		image = mark_image_put(ctx, b->image, rv);
	n = snprintf(dict, sizeof dict, "/Type/XObject/Subtype/Form/BBox[0 0 %.2f %.2f]"
		     "/Resources<<%s", b->w, b->h, cs);
	if (font[0] || font[1]) {
		n += snprintf(dict + n, sizeof dict - (size_t)n, "/Font<<");
		for (i = 0; i < 2; i++)
			if (font[i])
				n += snprintf(dict + n, sizeof dict - (size_t)n, "/F%d %d 0 R", i,
					      font[i]);
		n += snprintf(dict + n, sizeof dict - (size_t)n, ">>");
	}
	if (image)
		n += snprintf(dict + n, sizeof dict - (size_t)n, "/XObject<</Im0 %d 0 R>>", image);
	snprintf(dict + n, sizeof dict - (size_t)n, ">>/Filter/FlateDecode");
	len = fz_buffer_storage(ctx, b->content, &data);
	z = content_deflate(ctx, data, len, CONTENT_Z_DOC, &zlen);
	num = rev_alloc(rv);
	fz_try(ctx)
		rev_stream(ctx, rv, num, dict, z, zlen);
	fz_always(ctx)
		fz_free(ctx, z);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return num;
}

/* put_spot - the appearance of one widget: the anchor covered, the mark at the top left. */
static int
put_spot(fz_context *ctx, const struct mark_spot *s, const struct mark_body *b, int body,
	 const char *cs, struct rev *rv)
{
	char dict[400], content[200];
	int num = rev_alloc(rv), n = 0;

	if (!fz_is_empty_rect(s->cover))
		n = snprintf(content, sizeof content, "1 g %.2f %.2f %.2f %.2f re f\n", s->cover.x0,
			     s->cover.y0, s->cover.x1 - s->cover.x0, s->cover.y1 - s->cover.y0);
	snprintf(content + n, sizeof content - (size_t)n, "q 1 0 0 1 0 %.2f cm /M Do Q",
		 s->h - b->h);
	snprintf(dict, sizeof dict, "/Type/XObject/Subtype/Form/BBox[0 0 %.2f %.2f]"
		 "/Matrix[%.4f %.4f %.4f %.4f %.4f %.4f]/Resources<<%s/XObject<</M %d 0 R>>>>", s->w,
		 s->h, s->m.a, s->m.b, s->m.c, s->m.d, s->m.e, s->m.f, cs, body);
	rev_stream(ctx, rv, num, dict, content, strlen(content));
	return num;
}

int
mark_appearance(void *arg, fz_context *ctx, pdf_document *doc, struct rev *rv,
		const struct pades_widget **w, int *nw, struct err *e)
{
	struct mark_plan *p = arg;
	char cs[64];
	int body, i;

	/* DefaultGray in each form that paints gray: resources do not inherit */
	put_defgray(ctx, p->colour, rv, cs, sizeof cs);
	body = put_body(ctx, &p->body, cs, rv);
	fz_free(ctx, p->w);
	p->w = NULL;
	p->w = fz_malloc_array(ctx, p->nspots, struct pades_widget);
	for (i = 0; i < p->nspots; i++) {
		p->w[i].page = p->spots[i].page;
		p->w[i].rect = p->spots[i].rect;
		p->w[i].ap = put_spot(ctx, &p->spots[i], &p->body, body, cs, rv);
	}
	*w = p->w;
	*nw = p->nspots;
	return 0;
}
