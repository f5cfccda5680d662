/*
 * page.h - what a citizen sees for one ID: the verification page (HTML, in
 * Bahasa Indonesia) and the same facts as JSON.  No database, no HTTP here:
 * the server looks the document up and hands the facts over.
 */
#ifndef SERTEL_PAGE_H
#define SERTEL_PAGE_H

#include "../config/cfg.h"
#include "../db/db.h"
#include "../db/deletions.h"
#include "check.h"
#include "wbuf.h"

enum page_status { PAGE_VALID, PAGE_DELETED, PAGE_UNKNOWN, PAGE_MALFORMED, PAGE_REVOKED };

struct page_view {
	enum page_status status;
	const char *id;				/* as requested (PAGE_MALFORMED: anything) */
	const struct db_document *doc;		/* PAGE_VALID, PAGE_DELETED */
	const struct db_tombstone *del;		/* PAGE_DELETED */
	long long revoked_at;			/* PAGE_REVOKED: when the certificate was revoked */
	char revoke_reason[32];			/* PAGE_REVOKED: pensiun, mutasi-keluar, ... */
	char jabatan[128];			/* the signer's, as of the signing (registry); "": the register's */
};

/* page_html, page_json - v for the configuration c (instansi, titles, jabatan, NIP rule). */
void page_html(struct wbuf *b, const struct cfg *c, const struct page_view *v);
void page_json(struct wbuf *b, const struct cfg *c, const struct page_view *v);
/* page_upload - the result of checking an uploaded file against v's document. */
void page_upload(struct wbuf *b, const struct cfg *c, const struct page_view *v,
		 const struct check_result *r, enum check_relation rel);
/* page_plain - a page with a heading and one paragraph (not found, errors, limits). */
void page_plain(struct wbuf *b, const struct cfg *c, const char *title, const char *text);
/* page_form - the form to type an ID from a printed letter. */
void page_form(struct wbuf *b, const struct cfg *c);

/* The style sheet and icon, served from the same path (the CSP allows nothing else). */
extern const char page_css[], page_icon[];

#endif
