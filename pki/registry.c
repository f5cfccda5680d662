/*
 * registry.c - the registry's word on each signer's certificate (see
 * registry.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/text.h"
#include "../config/cfg.h"
#include "../db/db.h"
#include "certreq.h"
#include "registry.h"
#include "signers.h"

/* identities - the holder's latest REGISTRY_CHANGES adjustments into v; 0 or -1 with e. */
static int
identities(struct db *db, struct registry_entry *v, struct err *e)
{
	struct db_cert_identity all[64];
	int n = db_cert_identities(db, v->c.h.id, all, 64, e), from;

	if (n < 0)
		return -1;
	if (n > 64)
		n = 64;
	from = n > REGISTRY_CHANGES ? n - REGISTRY_CHANGES : 0;
	v->nch = n - from;
	memcpy(v->ch, all + from, (size_t)v->nch * sizeof *v->ch);
	return 0;
}

int
registry_read(struct registry_view *r, const struct cfg *c, const struct signer_set *s,
	      time_t now)
{
	struct certreq_issued x;
	struct db *db;
	size_t i;
	int rc = 0;

	registry_free(r);
	r->on = c->certs.enabled;
	r->read_at = now;
	if (!r->on)
		return 0;
	if (!(r->v = calloc(s->n ? s->n : 1, sizeof *r->v)))
		return err_set(&r->err, ERR_RETRY, "certificate registry: out of memory");
	r->n = s->n;
	if (!(db = db_open_readonly(c->state_dir, &r->err))) {
		/* unreadable now: the documents wait (ERR_RETRY), never signed on a guess */
		char why[sizeof r->err.detail];
		snprintf(why, sizeof why, "%s", r->err.detail);
		return err_set(&r->err, ERR_RETRY, "certificate registry unreadable: %s", why);
	}
	for (i = 0; rc >= 0 && i < s->n; i++) {
		if (!s->keys[i].cert)
			continue;
		certreq_describe(s->keys[i].cert, &x);
		rc = db_cert_by_issuer(db, x.issuer, s->keys[i].serial, &r->v[i].c, &r->err);
		r->v[i].found = rc == 1;
		if (rc == 1)
			rc = identities(db, &r->v[i], &r->err);
	}
	db_close(db);
	if (rc < 0) {
		char why[sizeof r->err.detail];
		snprintf(why, sizeof why, "%s", r->err.detail);
		return err_set(&r->err, ERR_RETRY, "certificate registry unreadable: %s", why);
	}
	return 0;
}

int
registry_fresh(struct registry_view *r, const struct cfg *c, const struct signer_set *s,
	       time_t now)
{
	if (r->read_at && !r->err.code && now >= r->read_at && now - r->read_at < REGISTRY_TTL)
		return 0;
	return registry_read(r, c, s, now);
}

void
registry_free(struct registry_view *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

/* day - the WIB date and time of t. */
static const char *
day(char *buf, size_t cap, long long t)
{
	text_time_wib(buf, cap, (time_t)t);
	return buf;
}

const char *
registry_refusal(const struct registry_view *r, const struct signer_set *s, int i, time_t now,
		 char *msg, size_t cap)
{
	const struct db_cert *c;
	const char *serial = s->keys[i].serial;
	char a[40], b[40];

	if (!r->on || i < 0 || (size_t)i >= r->n)
		return NULL;
	c = &r->v[i].c;
	if (!r->v[i].found) {
		snprintf(msg, cap, "sertifikat serial %s tidak terdaftar di registri sertifikat "
			 "(sertel cert)", serial);
		return "signer.unregistered";
	}
	if (!strcmp(c->state, "revoked")) {
		snprintf(msg, cap, "sertifikat serial %s dicabut pada %s (alasan: %s)", serial,
			 day(a, sizeof a, c->state_at), c->revoke_reason);
		return "signer.revoked";
	}
	if (!strcmp(c->state, "suspended")) {
		snprintf(msg, cap, "sertifikat serial %s ditangguhkan sejak %s sampai keystore baru "
			 "dipasang (reset kata sandi)", serial, day(a, sizeof a, c->state_at));
		return "signer.suspended";
	}
	if (!strcmp(c->state, "expired") || (c->not_after && now > c->not_after)) {
		snprintf(msg, cap, "sertifikat serial %s berakhir masa berlakunya pada %s", serial,
			 day(a, sizeof a, c->not_after));
		return "signer.expired";
	}
	if (now < c->not_before) {
		snprintf(msg, cap, "sertifikat serial %s baru berlaku mulai %s", serial,
			 day(a, sizeof a, c->not_before));
		return "signer.not_yet_valid";
	}
	if (strcmp(c->state, "issued")) {
		/* superseded by a renewal: the keystore still holds the old one */
		snprintf(msg, cap, "sertifikat serial %s tidak lagi berlaku di registri (status %s, "
			 "sejak %s)", serial, c->state, day(b, sizeof b, c->state_at));
		return "signer.unregistered";
	}
	return NULL;
}

const char *
registry_jabatan(const struct registry_view *r, int i, time_t now, const char *dflt)
{
	const struct registry_entry *v;
	const char *j;

	if (!r || !r->on || i < 0 || (size_t)i >= r->n || !r->v[i].found)
		return dflt;
	v = &r->v[i];
	j = db_cert_jabatan_at(&v->c.h, v->ch, v->nch, (long long)now);
	return j ? j : dflt;
}
