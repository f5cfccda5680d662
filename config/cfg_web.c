/*
 * cfg_web.c - web: of sertel.yaml, the verification page `sertel serve`
 * answers (see cfg.h struct cfg_web).
 *
 * Owns: where it listens, the public URL before the ID (and the path the
 * server answers under), what of the signer it may show, and its limits.
 * Without the section everything has its default: marks.url decides the
 * path, so the QR code and the server never disagree.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_web.h"

static const struct ykey web_keys[] = {
	{ "listen", 0, NULL }, { "public_url", 0, NULL }, { "show_nip", 0, NULL },
	{ "rate_per_minute", 0, NULL }, { "min_response_ms", 0, NULL },
	{ "timeout_seconds", 0, NULL }, { "max_connections", 0, NULL },
	{ "per_ip_connections", 0, NULL }, { "proxies", 0, NULL }, { "max_upload_kb", 0, NULL },
	{ "report_from", 0, NULL },
	{ NULL, 0, NULL },
};

const char *
cfg_web_listen(const char *s, struct sockaddr_storage *sa, socklen_t *len)
{
	char host[64], *end;
	const char *colon;
	unsigned long port;
	size_t hl;

	memset(sa, 0, sizeof *sa);
	if (s[0] == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':')
			return "is not ADDR:PORT ([IPv6]:PORT for IPv6)";
		hl = (size_t)(rb - s - 1);
		colon = rb + 1;
		s++;
	} else {
		if (!(colon = strrchr(s, ':')))
			return "is not ADDR:PORT (e.g. 127.0.0.1:8480)";
		hl = (size_t)(colon - s);
	}
	if (hl == 0 || hl >= sizeof host)
		return "has no address (e.g. 127.0.0.1:8480)";
	memcpy(host, s, hl);
	host[hl] = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port == 0 || port > 65535)
		return "has no port from 1 to 65535";
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)sa)->sin_addr) == 1) {
		((struct sockaddr_in *)sa)->sin_family = AF_INET;
		((struct sockaddr_in *)sa)->sin_port = htons((unsigned short)port);
		*len = sizeof(struct sockaddr_in);
	} else if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)sa)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)sa)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)sa)->sin6_port = htons((unsigned short)port);
		*len = sizeof(struct sockaddr_in6);
	} else {
		return "has an address that is not a numeric IPv4 or IPv6 address";
	}
	return NULL;
}

/* url_path - the path of URL u (after the host), a new string ending in '/'. */
static char *
url_path(const char *u)
{
	const char *p = strstr(u, "://");
	size_t n;
	char *s;

	p = p ? p + 3 : u;
	p += strcspn(p, "/?#");
	n = strcspn(p, "?#");
	if (!(s = malloc(n + 2)))
		return NULL;
	memcpy(s, p, n);
	s[n] = '\0';
	if (n == 0 || s[n - 1] != '/')
		strcpy(s + n, "/");
	if (s[0] != '/')
		memmove(s + 1, s, strlen(s) + 1), s[0] = '/';
	return s;
}

/* load_url - web.public_url, else marks.url before {id}; the path from it. */
static void
load_url(struct cfg_part *L, const struct ynode *map)
{
	struct cfg_web *w = &L->c->web;
	const char *why, *mu = L->c->marks.url, *id;

	if (map && ymap_str(&L->x, map, "web", "public_url", 1024, &w->public_url) == 0) {
		if ((why = cfg_part_url_why(w->public_url)) != NULL || strchr(w->public_url, '?') ||
		    strchr(w->public_url, '#'))
			yerr(&L->x, L->x.codes->value, "web.public_url", ymap_get(map, "public_url"),
			     "web.public_url '%s' %s", w->public_url,
			     why ? why : "must not hold a query or fragment: the ID follows it");
		else if (mu && strncmp(mu, w->public_url, strlen(w->public_url)))
			yerr(&L->x, L->x.codes->value, "web.public_url", ymap_get(map, "public_url"),
			     "web.public_url '%s' is not the start of marks.url '%s': the QR code "
			     "would lead elsewhere", w->public_url, mu);
	} else if (mu && (id = strstr(mu, "{id}")) && !id[4]) {
		w->public_url = strndup(mu, (size_t)(id - mu));
	} else if (mu && map) {
		yerr(&L->x, L->x.codes->missing, "web.public_url", map, "marks.url '%s' does not "
		     "end in {id}: give web.public_url, the URL before the ID", mu);
	}
	w->path = url_path(w->public_url ? w->public_url : "/verifikasi/");
}

/* load_limit - web.key as an integer in [lo, hi] into *out. */
static void
load_limit(struct cfg_part *L, const struct ynode *map, const char *key, long long lo,
	   long long hi, long *out)
{
	long long v;

	if (map && ymap_int(&L->x, map, "web", key, lo, hi, &v) == 0)
		*out = (long)v;
}

/* load_addresses - web.<key>: numeric IP addresses, into v. */
static void
load_addresses(struct cfg_part *L, const struct ynode *map, const char *key, const char *whose,
	       struct cfg_strs *v)
{
	const struct ynode *seq;
	char item[96], path[32];
	size_t i;

	snprintf(path, sizeof path, "web.%s", key);
	if (!map || ymap_kind(&L->x, map, "web", key, Y_SEQ, &seq) != 0)
		return;
	if (!(v->v = calloc(seq->n ? seq->n : 1, sizeof *v->v)))
		return;
	for (i = 0; i < seq->n; i++) {
		unsigned char a[16];
		ypath_index(item, sizeof item, path, i);
		if (ynode_str(&L->x, seq->item[i], item, 64, &v->v[v->n]) < 0)
			continue;
		if (inet_pton(AF_INET, v->v[v->n], a) != 1 && inet_pton(AF_INET6, v->v[v->n], a) != 1)
			yerr(&L->x, L->x.codes->value, item, seq->item[i], "%s '%s' is not a "
			     "numeric IP address (%s)", item, v->v[v->n], whose);
		v->n++;
	}
}

void
cfg_web_load(struct cfg_part *L, const struct ynode *root)
{
	struct cfg_web *w = &L->c->web;
	const struct ynode *map = NULL;
	struct sockaddr_storage sa;
	socklen_t len;
	char *nip = NULL;
	const char *why;

	w->show_nip = WEB_NIP_MASKED;
	w->rate_per_minute = 60;
	w->min_response_ms = 20;
	w->timeout_seconds = 10;
	w->max_connections = 256;
	w->per_ip_connections = 16;
	w->max_upload_kb = 20480;
	if (ymap_kind(&L->x, root, "", "web", Y_MAP, &map) != 0)
		map = NULL;
	else if (ymap_check(&L->x, map, "web", web_keys) < 0)
		map = NULL;
	if (map) {
		w->line = map->line;
		w->col = map->col;
	}
	if (map && ymap_str(&L->x, map, "web", "listen", 128, &w->listen) == 0 &&
	    (why = cfg_web_listen(w->listen, &sa, &len)) != NULL)
		yerr(&L->x, L->x.codes->value, "web.listen", ymap_get(map, "listen"),
		     "web.listen '%s' %s", w->listen, why);
	if (!w->listen)
		w->listen = strdup("127.0.0.1:8480");
	load_url(L, map);
	if (map && ymap_str(&L->x, map, "web", "show_nip", 16, &nip) == 0) {
		if (!strcmp(nip, "full"))
			w->show_nip = WEB_NIP_FULL;
		else if (!strcmp(nip, "none"))
			w->show_nip = WEB_NIP_HIDDEN;
		else if (strcmp(nip, "masked"))
			yerr(&L->x, L->x.codes->value, "web.show_nip", ymap_get(map, "show_nip"),
			     "web.show_nip '%s' is not masked (the default), full or none", nip);
	}
	free(nip);
	load_limit(L, map, "rate_per_minute", 1, 100000, &w->rate_per_minute);
	load_limit(L, map, "min_response_ms", 0, 2000, &w->min_response_ms);
	load_limit(L, map, "timeout_seconds", 1, 300, &w->timeout_seconds);
	load_limit(L, map, "max_connections", 1, 10000, &w->max_connections);
	load_limit(L, map, "per_ip_connections", 1, 10000, &w->per_ip_connections);
	load_limit(L, map, "max_upload_kb", 0, 1024 * 1024, &w->max_upload_kb);
	load_addresses(L, map, "proxies", "the reverse proxy's, as sertel sees it", &w->proxies);
	load_addresses(L, map, "report_from", "a Diskominfo workstation's or the proxy's client",
		       &w->report_from);
}

void
cfg_web_free(struct cfg_web *w)
{
	size_t i;

	for (i = 0; i < w->proxies.n; i++)
		free(w->proxies.v[i]);
	free(w->proxies.v);
	for (i = 0; i < w->report_from.n; i++)
		free(w->report_from.v[i]);
	free(w->report_from.v);
	free(w->listen);
	free(w->public_url);
	free(w->path);
	memset(w, 0, sizeof *w);
}
