/*
 * verify_certs.c - a CMS parsed with cached certificates (see verify_certs.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "verify_certs.h"

#define NCERTS 16		/* a few signers and their chains; then the oldest goes */

struct cached {
	unsigned char *der;
	long len;
	X509 *x;
};

struct verify_certcache {
	struct cached v[NCERTS];
	int next;		/* the slot the next new certificate takes */
	unsigned long hits;
};

struct verify_certcache *
verify_certcache_new(void)
{
	return calloc(1, sizeof(struct verify_certcache));
}

void
verify_certcache_free(struct verify_certcache *cc)
{
	int i;

	if (cc == NULL)
		return;
	for (i = 0; i < NCERTS; i++) {
		free(cc->v[i].der);
		X509_free(cc->v[i].x);
	}
	free(cc);
}

unsigned long
verify_certcache_hits(const struct verify_certcache *cc)
{
	return cc ? cc->hits : 0;
}

/* cert_of - the certificate whose DER is the len bytes at p, a new reference; NULL: none. */
static X509 *
cert_of(struct verify_certcache *cc, const unsigned char *p, long len)
{
	const unsigned char *q = p;
	struct cached *c;
	unsigned char *der;
	X509 *x;
	int i;

	for (i = 0; i < NCERTS; i++)
		if (cc->v[i].x && cc->v[i].len == len && !memcmp(cc->v[i].der, p, (size_t)len)) {
			cc->hits++;
			return X509_up_ref(cc->v[i].x) ? cc->v[i].x : NULL;
		}
	x = d2i_X509(NULL, &q, len);
	if (x == NULL || q != p + len || (der = malloc((size_t)len)) == NULL) {
		X509_free(x);
		return NULL;
	}
	memcpy(der, p, (size_t)len);
	c = &cc->v[cc->next];
	cc->next = (cc->next + 1) % NCERTS;
	X509_free(c->x);
	free(c->der);
	c->der = der, c->len = len, c->x = x;
	return X509_up_ref(x) ? x : NULL;
}

/* A DER element: where it starts, where its content starts, where it ends. */
struct el {
	const unsigned char *at, *body, *end;
	int tag, cls, cons;
};

/* el_read - the definite-length element at *p before end; 0, or -1 (BER, malformed). */
static int
el_read(const unsigned char **p, const unsigned char *end, struct el *e)
{
	const unsigned char *q = *p;
	long n;
	int r;

	if (q >= end)
		return -1;
	e->at = q;
	r = ASN1_get_object(&q, &n, &e->tag, &e->cls, (long)(end - q));
	if (r & 0x80 || r & 1 || n > end - q)	/* error, indefinite, overruns */
		return -1;
	e->cons = (r & V_ASN1_CONSTRUCTED) != 0;
	e->body = q;
	e->end = q + n;
	*p = e->end;
	return 0;
}

/* put_head - a DER header (constructed) for content of n bytes; past it. */
static unsigned char *
put_head(unsigned char *o, int tag, int cls, long n)
{
	ASN1_put_object(&o, 1, (int)n, tag, cls);
	return o;
}

/*
 * split_parse - the CMS without its certificates, then each certificate
 * from the cache in order; NULL: not taken apart plainly (the caller parses
 * it whole).  ContentInfo ::= SEQUENCE { OID, [0] EXPLICIT SignedData },
 * SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo,
 * [0] IMPLICIT certificates OPTIONAL, [1] crls OPTIONAL, signerInfos }.
 */
static CMS_ContentInfo *
split_parse(struct verify_certcache *cc, const unsigned char *p, long len)
{
	const unsigned char *q = p, *end = p + len, *in;
	struct el ci, oid, wrap, sd, f, certs = { 0 }, c;
	long sdlen, wraplen, cilen;
	unsigned char *buf = NULL, *o;
	CMS_ContentInfo *cms = NULL;
	X509 *xs[NCERTS * 4];
	int nx = 0, i, ok = 0;

	if (el_read(&q, end, &ci) < 0 || ci.tag != V_ASN1_SEQUENCE || !ci.cons)
		return NULL;
	q = ci.body;
	if (el_read(&q, ci.end, &oid) < 0 || oid.tag != V_ASN1_OBJECT || oid.cons ||
	    el_read(&q, ci.end, &wrap) < 0 || wrap.tag != 0 || wrap.cls != V_ASN1_CONTEXT_SPECIFIC ||
	    !wrap.cons || q != ci.end)
		return NULL;
	q = wrap.body;
	if (el_read(&q, wrap.end, &sd) < 0 || sd.tag != V_ASN1_SEQUENCE || !sd.cons ||
	    q != wrap.end)
		return NULL;
	/* version, digestAlgorithms, encapContentInfo, then [0] */
	for (q = sd.body, i = 0; i < 4; i++)
		if (el_read(&q, sd.end, &f) < 0)
			return NULL;
	if (f.tag != 0 || f.cls != V_ASN1_CONTEXT_SPECIFIC || !f.cons)
		return NULL;	/* no certificates: nothing to save */
	certs = f;
	for (q = certs.body; q < certs.end; ) {
		if (nx == (int)(sizeof xs / sizeof *xs) || el_read(&q, certs.end, &c) < 0 ||
		    c.tag != V_ASN1_SEQUENCE || c.cls != V_ASN1_UNIVERSAL || !c.cons ||
		    (xs[nx] = cert_of(cc, c.at, (long)(c.end - c.at))) == NULL)
			goto out;
		nx++;
	}
	/* the same bytes without the [0] field, under new lengths */
	sdlen = (long)(sd.end - sd.body) - (long)(certs.end - certs.at);
	wraplen = ASN1_object_size(1, sdlen, V_ASN1_SEQUENCE);
	cilen = (long)(oid.end - oid.at) + ASN1_object_size(1, wraplen, 0);
	if (sdlen < 0 || wraplen < 0 || cilen < 0 ||
	    (buf = malloc((size_t)ASN1_object_size(1, cilen, V_ASN1_SEQUENCE))) == NULL)
		goto out;
	o = put_head(buf, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, cilen);
	memcpy(o, oid.at, (size_t)(oid.end - oid.at));
	o += oid.end - oid.at;
	o = put_head(o, 0, V_ASN1_CONTEXT_SPECIFIC, wraplen);
	o = put_head(o, V_ASN1_SEQUENCE, V_ASN1_UNIVERSAL, sdlen);
	memcpy(o, sd.body, (size_t)(certs.at - sd.body));
	o += certs.at - sd.body;
	memcpy(o, certs.end, (size_t)(sd.end - certs.end));
	o += sd.end - certs.end;
	in = buf;
	cms = d2i_CMS_ContentInfo(NULL, &in, (long)(o - buf));
	if (cms == NULL || in != o || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed)
		goto out;
	for (i = 0; i < nx; i++) {
		if (!CMS_add0_cert(cms, xs[i]))
			goto out;
		xs[i] = NULL;	/* the CMS holds it now */
	}
	ok = 1;
out:
	for (i = 0; i < nx; i++)
		X509_free(xs[i]);
	free(buf);
	if (!ok) {
		CMS_ContentInfo_free(cms);
		cms = NULL;
	}
	return cms;
}

CMS_ContentInfo *
verify_cms_parse(struct verify_certcache *cc, const unsigned char *p, long len)
{
	CMS_ContentInfo *cms = cc ? split_parse(cc, p, len) : NULL;
	const unsigned char *q = p;

	if (cms == NULL) {
		ERR_clear_error();
		cms = d2i_CMS_ContentInfo(NULL, &q, len);
	}
	return cms;
}
