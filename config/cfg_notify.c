/*
 * cfg_notify.c - notify: of sertel.yaml (see cfg.h struct cfg_notify).
 *
 * Owns: the district's SMTP server and how it is reached (TLS, login), the
 * sender, and which addresses hear of a PD's refusals.  Optional, and per
 * PD: a PD without contacts is not mailed.
 *
 *   notify:
 *     smtp: "smtp://mail.musirawaskab.go.id:587"
 *     from: "tte@musirawaskab.go.id"
 *     username: "tte"                      # optional, with password_file
 *     password_file: /etc/sertel/smtp.pass
 *     starttls: required                   # required (default), optional or off
 *     pds:
 *       bappeda: ["arsip@bappeda.musirawaskab.go.id"]
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_notify.h"

static const struct ykey notify_keys[] = {
	{ "smtp", 1, NULL }, { "from", 1, NULL }, { "username", 0, NULL },
	{ "password_file", 0, NULL }, { "starttls", 0, NULL }, { "timeout_seconds", 0, NULL },
	{ "pds", 1, NULL },
	{ "password", 0, "passwords are never stored in the configuration; use password_file" },
	{ NULL, 0, NULL },
};

/* address_ok - a plain addr-spec: local@domain, no spaces, brackets or line breaks. */
static int
address_ok(const char *a)
{
	const char *at = strchr(a, '@');

	return at && at > a && at[1] && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	       !strpbrk(a, " \t\r\n<>,;\"()[]\\");
}

/* load_to - one PD's list of addresses. */
static void
load_to(struct cfg_part *L, const struct ypair *pr, struct cfg_notify_pd *p)
{
	char path[96], item[128];
	size_t i;

	ypath_key(path, sizeof path, "notify.pds", pr->key->text);
	if (ynode_str(&L->x, pr->key, path, 64, &p->pd) < 0 || ynode_want(&L->x, pr->val, path, Y_SEQ) < 0)
		return;
	if (!(p->to.v = calloc(pr->val->n ? pr->val->n : 1, sizeof *p->to.v)))
		return;
	for (i = 0; i < pr->val->n; i++) {
		ypath_index(item, sizeof item, path, i);
		if (ynode_str(&L->x, pr->val->item[i], item, 254, &p->to.v[p->to.n]) < 0)
			continue;
		if (!address_ok(p->to.v[p->to.n]))
			yerr(&L->x, L->x.codes->value, item, pr->val->item[i], "%s '%s' is not an "
			     "e-mail address (name@domain)", item, p->to.v[p->to.n]);
		p->to.n++;
	}
	if (p->to.n == 0)
		yerr(&L->x, L->x.codes->value, path, pr->val, "%s is an empty list: name an address "
		     "or leave the PD out", path);
}

void
cfg_notify_load(struct cfg_part *L, const struct ynode *root)
{
	struct cfg_notify *n = &L->c->notify;
	const struct ynode *map, *pds, *v;
	long long t;
	size_t i;

	n->starttls = STARTTLS_REQUIRED;
	n->timeout_seconds = 20;
	if (ymap_kind(&L->x, root, "", "notify", Y_MAP, &map) != 0)
		return;
	n->line = map->line;
	n->col = map->col;
	if (ymap_check(&L->x, map, "notify", notify_keys) < 0)
		return;
	if (ymap_str(&L->x, map, "notify", "smtp", 1024, &n->smtp) == 0 &&
	    (strncasecmp(n->smtp, "smtp://", 7) && strncasecmp(n->smtp, "smtps://", 8)))
		yerr(&L->x, L->x.codes->value, "notify.smtp", ymap_get(map, "smtp"), "notify.smtp "
		     "'%s' must begin with smtp:// or smtps://", n->smtp);
	else if (n->smtp && strchr(n->smtp, '@'))
		yerr(&L->x, L->x.codes->value, "notify.smtp", ymap_get(map, "smtp"), "notify.smtp "
		     "must not carry credentials (user@host); use username and password_file");
	if (ymap_str(&L->x, map, "notify", "from", 254, &n->from) == 0 && !address_ok(n->from))
		yerr(&L->x, L->x.codes->value, "notify.from", ymap_get(map, "from"), "notify.from "
		     "'%s' is not an e-mail address", n->from);
	if (ymap_get(map, "username"))
		ymap_str(&L->x, map, "notify", "username", 256, &n->username);
	if (ymap_get(map, "password_file"))
		cfg_part_path(L, map, "notify", "password_file", &n->password_file);
	if (!n->username != !n->password_file)
		yerr(&L->x, L->x.codes->missing, "notify.username", map, "notify: username and "
		     "password_file go together");
	if ((v = ymap_get(map, "starttls")) && v->kind == Y_SCALAR) {
		if (!strcmp(v->text, "required"))
			n->starttls = STARTTLS_REQUIRED;
		else if (!strcmp(v->text, "optional"))
			n->starttls = STARTTLS_OPTIONAL;
		else if (!strcmp(v->text, "off"))
			n->starttls = STARTTLS_OFF;
		else
			yerr(&L->x, L->x.codes->value, "notify.starttls", v, "notify.starttls '%s': "
			     "required, optional or off", v->text);
	}
	if ((v = ymap_get(map, "timeout_seconds")) &&
	    ynode_int(&L->x, v, "notify.timeout_seconds", 1, 600, &t) == 0)
		n->timeout_seconds = (long)t;
	if (ymap_kind(&L->x, map, "notify", "pds", Y_MAP, &pds) != 0)
		return;
	if (!(n->pds = calloc(pds->n ? pds->n : 1, sizeof *n->pds)))
		return;
	for (i = 0; i < pds->n; i++)
		load_to(L, &pds->pair[i], &n->pds[n->npds++]);
}

const struct cfg_strs *
cfg_notify_for(const struct cfg *c, const char *pd)
{
	size_t i;

	for (i = 0; c->notify.smtp && i < c->notify.npds; i++)
		if (c->notify.pds[i].pd && !strcmp(c->notify.pds[i].pd, pd) && c->notify.pds[i].to.n)
			return &c->notify.pds[i].to;
	return NULL;
}

void
cfg_notify_free(struct cfg_notify *n)
{
	size_t i, j;

	for (i = 0; i < n->npds; i++) {
		for (j = 0; j < n->pds[i].to.n; j++)
			free(n->pds[i].to.v[j]);
		free(n->pds[i].to.v);
		free(n->pds[i].pd);
	}
	free(n->pds);
	free(n->smtp);
	free(n->from);
	free(n->username);
	free(n->password_file);
	memset(n, 0, sizeof *n);
}
