/*
 * verify.c - PAdES signature verification (see verify.h).
 *
 * Four parts, each with its own error boundary:
 *   raw bytes  - revisions ("startxref N %%EOF"), /ByteRange sanity and the
 *                <hex> hole, on the file as given (never on MuPDF's view);
 *   structure  - MuPDF finds the signature fields and reads their dictionaries;
 *   crypto     - OpenSSL: our own streamed digest of the ranges against the
 *                CMS messageDigest, the signature over the signed attributes,
 *                ESS signing-certificate, timestamp tokens, the chain at the
 *                signing time, CRLs among the anchors;
 *   changes    - the signed revision and the whole file opened as two MuPDF
 *                documents, compared object graph against object graph from
 *                the catalog with a work queue (no deep recursion across
 *                indirect objects, each pair of objects compared once).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "../../base/err.h"
#include "../../base/hex.h"
#include "verify.h"

#define MAX_PAIRS 4000000	/* object pairs compared per signature before giving up */
#define MAX_DEPTH 64		/* nesting of direct objects, and of fields */
#define WHERE 96		/* length of a "page 1/Annots[2]" label */

/* ---- small helpers ---------------------------------------------------- */

/* setf - printf into a fixed buffer, truncating. */
static void __attribute__((format(printf, 3, 4)))
setf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
}
#define SETF(buf, ...) setf((buf), sizeof(buf), __VA_ARGS__)

/* is_ws - PDF white space. */
static int
is_ws(unsigned char c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

/* fmt_time - "2026-01-02 03:04:05 UTC" (iso=0) or "2026-01-02T03:04:05Z" (iso=1). */
static void
fmt_time(time_t t, int iso, char out[32])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, iso ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S UTC", &tm);
}

/* asn1_time - an ASN1_TIME as time_t; 0 when it cannot be read. */
static time_t
asn1_time(const ASN1_TIME *a)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (a == NULL || !ASN1_TIME_to_tm(a, &tm))
		return 0;
	return timegm(&tm);
}

/* name_str - a distinguished name in RFC 2253 form, UTF-8 kept. */
static void
name_str(const X509_NAME *n, char *out, size_t cap)
{
	BIO *b = BIO_new(BIO_s_mem());
	int len;

	out[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		len = BIO_read(b, out, (int)cap - 1);
		out[len > 0 ? len : 0] = '\0';
	}
	BIO_free(b);
}

/* serial_str - a certificate serial as upper-case hex (as keystore.c records it). */
static void
serial_str(const X509 *x, char *out, size_t cap)
{
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;

	setf(out, cap, "%s", hex ? hex : "?");
	OPENSSL_free(hex);
	BN_free(bn);
}

/* ---- names of states -------------------------------------------------- */

const char *
verify_integrity_name(enum verify_integrity v)
{
	static const char *n[] = { "ok", "failed", "undecided" };

	return n[v];
}

const char *
verify_coverage_name(enum verify_coverage v)
{
	static const char *n[] = { "whole_file", "revision", "invalid" };

	return n[v];
}

const char *
verify_mods_name(enum verify_mods v)
{
	static const char *n[] = { "none", "allowed", "disallowed", "undecided" };

	return n[v];
}

const char *
verify_trust_name(enum verify_trust v)
{
	static const char *n[] = { "trusted", "untrusted", "undecided" };

	return n[v];
}

const char *
verify_verdict_name(enum verify_verdict v)
{
	static const char *n[] = { "intact", "tampered", "untrusted", "undecided" };

	return n[v];
}

const char *
verify_store_name(enum verify_store v)
{
	static const char *n[] = { "not_checked", "stored", "deleted", "not_found", "error" };

	return n[v];
}

/* tst_name - the state of a timestamp. */
static const char *
tst_name(enum verify_tst v)
{
	static const char *n[] = { "none", "valid", "untrusted", "invalid" };

	return n[v];
}

/* revocation_name - the registry's word on the certificate. */
static const char *
revocation_name(enum verify_revocation v)
{
	static const char *n[] = { "not_checked", "good", "revoked" };

	return n[v];
}

/* time_name - where the signing time came from. */
static const char *
time_name(enum verify_time v)
{
	static const char *n[] = { "none", "claimed", "timestamp" };

	return n[v];
}

/* ---- raw bytes: revisions and the byte range -------------------------- */

/* Where each revision ends: just after "%%EOF", and after its end-of-line. */
struct revs {
	size_t *eof, *end;
	int n;
};

/* after_startxref - whether "startxref <digits>" and white space precede pos. */
static int
after_startxref(const unsigned char *p, size_t pos)
{
	size_t i = pos, digits = 0;

	while (i > 0 && is_ws(p[i - 1]))
		i--;
	while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9')
		i--, digits++;
	if (digits == 0 || i == 0 || !is_ws(p[i - 1]))
		return 0;
	while (i > 0 && is_ws(p[i - 1]))
		i--;
	return i >= 9 && memcmp(p + i - 9, "startxref", 9) == 0;
}

/* revs_find - every "startxref N %%EOF" of the file, in file order; -1 out of memory. */
static int
revs_find(const unsigned char *p, size_t len, struct revs *rv)
{
	const unsigned char *hit = p;
	int cap = 0;

	memset(rv, 0, sizeof *rv);
	while ((hit = memmem(hit, len - (size_t)(hit - p), "%%EOF", 5)) != NULL) {
		size_t eof = (size_t)(hit - p) + 5, end = eof;

		hit += 5;
		if (!after_startxref(p, eof - 5))
			continue;
		if (end < len && p[end] == '\r')
			end++;
		if (end < len && p[end] == '\n')
			end++;
		if (rv->n == cap) {
			int ncap = cap ? 2 * cap : 8;
			size_t *a = realloc(rv->eof, (size_t)ncap * sizeof *a);
			size_t *b = a ? realloc(rv->end, (size_t)ncap * sizeof *b) : NULL;

			if (a)
				rv->eof = a;
			if (b == NULL)
				return -1;
			rv->end = b;
			cap = ncap;
		}
		rv->eof[rv->n] = eof;
		rv->end[rv->n] = end;
		rv->n++;
	}
	return 0;
}

/* revs_index - the 1-based revision that ends at pos (with or without its EOL), or 0. */
static int
revs_index(const struct revs *rv, size_t pos)
{
	int i;

	for (i = 0; i < rv->n; i++)
		if (rv->eof[i] == pos || rv->end[i] == pos)
			return i + 1;
	return 0;
}

/* only_ws - whether p[from..len) is all white space. */
static int
only_ws(const unsigned char *p, size_t from, size_t len)
{
	for (; from < len; from++)
		if (!is_ws(p[from]))
			return 0;
	return 1;
}

/* ranges_in_file - whether [0 a b c] are four numbers naming bytes of the file. */
static int
ranges_in_file(const struct verify_sig *s, size_t len)
{
	return s->nbr == 4 && s->br[0] >= 0 && s->br[1] >= 0 && s->br[2] >= 0 && s->br[3] >= 0 &&
	       (unsigned long long)s->br[0] + (unsigned long long)s->br[1] <= len &&
	       (unsigned long long)s->br[2] + (unsigned long long)s->br[3] <= len;
}

/* hole_check - the bytes between the ranges must be exactly "/Contents <hex>", hex = contents. */
static const char *
hole_check(const unsigned char *p, size_t a, size_t b, const unsigned char *contents,
	   size_t clen)
{
	size_t i, k = a;

	if (b < a + 2 || p[a] != '<' || p[b - 1] != '>')
		return "is not a <hex> string";
	for (i = a + 1; i < b - 1; i++)
		if (hex_digit(p[i]) < 0)
			return "holds more than the <hex> string of /Contents";
	if ((b - a - 2) % 2 != 0 || (b - a - 2) / 2 != clen)
		return "is not the /Contents of this signature";
	for (i = 0; i < clen; i++)
		if ((unsigned char)(hex_digit(p[a + 1 + 2 * i]) << 4 | hex_digit(p[a + 2 + 2 * i])) !=
		    contents[i])
			return "is not the /Contents of this signature";
	while (k > 0 && is_ws(p[k - 1]))
		k--;
	if (k < 9 || memcmp(p + k - 9, "/Contents", 9) != 0)
		return "is not preceded by /Contents";
	return NULL;
}

/* coverage_check - /ByteRange sanity on the raw bytes; sets coverage, end, revision. */
static void
coverage_check(struct verify_sig *s, const unsigned char *p, size_t len, const struct revs *rv,
	       const unsigned char *contents, size_t clen)
{
	unsigned long long a, b, end;
	const char *why;

	s->coverage = VC_INVALID;
	if (s->nbr != 4) {
		SETF(s->coverage_why, "/ByteRange has %d numbers, expected 4 ([0 a b c])", s->nbr);
		return;
	}
	if (s->br[0] < 0 || s->br[1] < 0 || s->br[2] < 0 || s->br[3] < 0) {
		SETF(s->coverage_why, "/ByteRange has a negative number");
		return;
	}
	a = (unsigned long long)s->br[1];
	b = (unsigned long long)s->br[2];
	end = b + (unsigned long long)s->br[3];
	s->end = (size_t)end;
	if (s->br[0] != 0) {
		SETF(s->coverage_why, "the signed bytes start at %lld: the first %lld bytes are "
		     "not signed", s->br[0], s->br[0]);
		return;
	}
	if (a > len || end > len) {
		SETF(s->coverage_why, "/ByteRange points outside the file (to byte %llu of %zu)",
		     a > end ? a : end, len);
		return;
	}
	if (b < a) {
		SETF(s->coverage_why, "the two signed ranges overlap");
		return;
	}
	if ((why = hole_check(p, (size_t)a, (size_t)b, contents, clen)) != NULL) {
		SETF(s->coverage_why, "the unsigned gap (bytes %llu to %llu) %s", a, b, why);
		return;
	}
	s->revision = revs_index(rv, (size_t)end);
	if (s->revision == 0) {
		SETF(s->coverage_why, "the signed bytes end at %llu, which is not the end of a "
		     "revision (startxref ... %%%%EOF)", end);
		return;
	}
	if (s->revision == rv->n) {
		s->coverage = VC_WHOLE;
		SETF(s->coverage_why, "the whole file but the /Contents hole");
	} else {
		s->coverage = VC_REVISION;
		SETF(s->coverage_why, "revision %d of %d (%zu bytes follow)", s->revision, rv->n,
		     len - (size_t)end);
	}
}

/* ---- signature dictionaries (MuPDF) ----------------------------------- */

/* One signature as found in the document. */
struct found {
	pdf_obj *field;		/* kept */
	pdf_obj *sig;		/* kept */
	unsigned char *contents;	/* /Contents bytes (malloc) */
	size_t clen;
	int signum;		/* object number of the signature dictionary, 0 if direct */
	int fieldnum;
};

struct finds {
	struct found *v;
	size_t n, cap;
	int *seen;		/* signature dictionaries already taken */
};

/* finds_add - keep field and its signature dictionary (once per dictionary); throws. */
static void
finds_add(fz_context *ctx, struct finds *f, pdf_obj *field, pdf_obj *sig)
{
	int num = pdf_to_num(ctx, sig);
	size_t i;

	for (i = 0; num > 0 && i < f->n; i++)
		if (f->v[i].signum == num)
			return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 4;
		struct found *v = realloc(f->v, cap * sizeof *v);

		if (v == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory listing signatures");
		f->v = v;
		f->cap = cap;
	}
	memset(&f->v[f->n], 0, sizeof f->v[f->n]);
	f->v[f->n].field = pdf_keep_obj(ctx, field);
	f->v[f->n].sig = pdf_keep_obj(ctx, sig);
	f->v[f->n].signum = num;
	f->v[f->n].fieldnum = pdf_to_num(ctx, field);
	f->n++;
}

/* walk_fields - every signed /FT/Sig field under fields (depth-limited: no cycles); throws. */
static void
walk_fields(fz_context *ctx, struct finds *f, pdf_obj *fields, int depth)
{
	int i, n = pdf_array_len(ctx, fields);

	if (depth > MAX_DEPTH)
		return;
	for (i = 0; i < n; i++) {
		pdf_obj *field = pdf_array_get(ctx, fields, i);
		pdf_obj *v = pdf_dict_get(ctx, field, PDF_NAME(V));

		if (!pdf_is_dict(ctx, field))
			continue;
		if (pdf_name_eq(ctx, pdf_dict_get_inheritable(ctx, field, PDF_NAME(FT)),
				PDF_NAME(Sig)) && pdf_is_dict(ctx, v))
			finds_add(ctx, f, field, v);
		walk_fields(ctx, f, pdf_dict_get(ctx, field, PDF_NAME(Kids)), depth + 1);
	}
}

/* read_sig - the facts of one signature dictionary into s (and its /Contents); throws. */
static void
read_sig(fz_context *ctx, struct found *fd, struct verify_sig *s)
{
	pdf_obj *br = pdf_dict_get(ctx, fd->sig, PDF_NAME(ByteRange));
	pdf_obj *c = pdf_dict_get(ctx, fd->sig, PDF_NAME(Contents));
	char *name = pdf_field_name(ctx, fd->field);
	int64_t m;
	int i;

	SETF(s->field, "%s", name ? name : "");
	fz_free(ctx, name);
	SETF(s->subfilter, "%s", pdf_to_name(ctx, pdf_dict_get(ctx, fd->sig, PDF_NAME(SubFilter))));
	SETF(s->sertel_id, "%s", pdf_to_text_string(ctx, pdf_dict_gets(ctx, fd->sig, "SertelID")));
	s->doc_timestamp = !strcmp(pdf_to_name(ctx, pdf_dict_get(ctx, fd->sig, PDF_NAME(Type))),
				   "DocTimeStamp") || !strcmp(s->subfilter, "ETSI.RFC3161");
	m = pdf_dict_get_date(ctx, fd->sig, PDF_NAME(M));
	s->claimed_time = m > 0 ? (time_t)m : 0;
	s->nbr = pdf_is_array(ctx, br) ? pdf_array_len(ctx, br) : 0;
	for (i = 0; i < s->nbr && i < 4; i++) {
		pdf_obj *x = pdf_array_get(ctx, br, i);

		s->br[i] = pdf_is_int(ctx, x) ? pdf_to_int64(ctx, x) : -1;
	}
	if (pdf_is_string(ctx, c) && pdf_to_str_len(ctx, c) > 0) {
		fd->clen = pdf_to_str_len(ctx, c);
		fd->contents = malloc(fd->clen);
		if (fd->contents == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory reading /Contents");
		memcpy(fd->contents, pdf_to_str_buf(ctx, c), fd->clen);
	}
}

/* binding_check - the signature dictionary must hold the hole: inside the bytes it signs. */
static void
binding_check(fz_context *ctx, pdf_document *doc, const unsigned char *p, struct found *fd,
	      struct verify_sig *s)
{
	pdf_xref_entry *x = NULL;
	size_t ofs, a = (size_t)s->br[1];

	if (s->coverage == VC_INVALID)
		return;
	fz_var(x);
	fz_try(ctx)
		x = fd->signum > 0 ? pdf_get_xref_entry(ctx, doc, fd->signum) : NULL;
	fz_catch(ctx)
		x = NULL;
	if (x == NULL || x->type != 'n' || x->ofs < 0 || (size_t)x->ofs >= a) {
		s->coverage = VC_INVALID;
		SETF(s->coverage_why, "the signature dictionary (object %d) is not where its "
		     "/Contents hole is", fd->signum);
		return;
	}
	ofs = (size_t)x->ofs;
	if (memmem(p + ofs, a - ofs, "endobj", 6) != NULL) {
		s->coverage = VC_INVALID;
		SETF(s->coverage_why, "the /Contents hole lies outside the signature dictionary "
		     "(object %d)", fd->signum);
	}
}

/* ---- crypto ----------------------------------------------------------- */

/* A span of the file (or of any buffer) to digest. */
struct seg {
	const unsigned char *p;
	size_t n;
};

/* digest_segs - md over the segments; 0 or -1. */
static int
digest_segs(const EVP_MD *md, const struct seg *sg, int nseg, unsigned char *out,
	    unsigned int *outlen)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	int i, ok = m != NULL && EVP_DigestInit_ex(m, md, NULL) > 0;

	for (i = 0; ok && i < nseg; i++)
		ok = EVP_DigestUpdate(m, sg[i].p, sg[i].n) > 0;
	ok = ok && EVP_DigestFinal_ex(m, out, outlen) > 0;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -1;
}

/* Results of examining an RFC 3161 token over some data. */
struct tst_result {
	int imprint_ok, signature_ok, chain_ok;
	time_t gen_time;
	X509 *tsa;		/* borrowed from the token */
	char why[200];
};

/* tst_chain - TS_RESP_verify_token: signature, TSA certificate (EKU, chain to store), imprint. */
static int
tst_chain(PKCS7 *token, X509_STORE *store, const unsigned char *imprint, unsigned int len,
	  char *why, size_t cap)
{
	TS_VERIFY_CTX *v = TS_VERIFY_CTX_new();
	unsigned char *copy = OPENSSL_memdup(imprint, len);
	int ok = 0;

	if (v == NULL || copy == NULL || !X509_STORE_up_ref(store)) {
		OPENSSL_free(copy);
		TS_VERIFY_CTX_free(v);
		setf(why, cap, "out of memory");
		return 0;
	}
	TS_VERIFY_CTX_set_flags(v, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_SIGNATURE);
	TS_VERIFY_CTX_set_imprint(v, copy, (long)len);	/* both now owned by v */
	TS_VERIFY_CTX_set_store(v, store);
	ok = TS_RESP_verify_token(v, token) == 1;
	if (!ok)
		err_openssl(why, cap);
	TS_VERIFY_CTX_free(v);
	return ok;
}

/* token_signature_ok - the token's own signature by tsa, chain aside (as OpenSSL TS does). */
static int
token_signature_ok(PKCS7 *token, X509 *tsa)
{
	STACK_OF(PKCS7_SIGNER_INFO) *sis = PKCS7_get_signer_info(token);
	PKCS7_SIGNER_INFO *si = sk_PKCS7_SIGNER_INFO_num(sis) == 1
					? sk_PKCS7_SIGNER_INFO_value(sis, 0) : NULL;
	BIO *b = si ? PKCS7_dataInit(token, NULL) : NULL;
	char buf[4096];
	int ok = 0;

	if (b) {
		while (BIO_read(b, buf, sizeof buf) > 0)
			;
		ok = PKCS7_signatureVerify(b, token, si, tsa) > 0;
	}
	BIO_free_all(b);
	ERR_clear_error();
	return ok;
}

/* tst_examine - imprint over sg, the token's own signature, then its chain to store. */
static void
tst_examine(PKCS7 *token, const struct seg *sg, int nseg, X509_STORE *store,
	    struct tst_result *t)
{
	TS_TST_INFO *ti = PKCS7_to_TS_TST_INFO(token);
	TS_MSG_IMPRINT *mi = ti ? TS_TST_INFO_get_msg_imprint(ti) : NULL;
	const ASN1_OBJECT *alg = NULL;
	ASN1_OCTET_STRING *want = mi ? TS_MSG_IMPRINT_get_msg(mi) : NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *h;
	STACK_OF(X509) *signers;

	memset(t, 0, sizeof *t);
	if (mi == NULL || want == NULL) {
		SETF(t->why, "not an RFC 3161 timestamp token");
		goto out;
	}
	X509_ALGOR_get0(&alg, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	h = EVP_get_digestbyobj(alg);
	t->gen_time = asn1_time(TS_TST_INFO_get_time(ti));
	if (h == NULL || digest_segs(h, sg, nseg, md, &mdlen) < 0) {
		SETF(t->why, "unknown imprint algorithm");
		goto out;
	}
	t->imprint_ok = (int)mdlen == ASN1_STRING_length(want) &&
			!memcmp(md, ASN1_STRING_get0_data(want), mdlen);
	if (!t->imprint_ok) {
		SETF(t->why, "the token's message imprint is not the hash of what it stamps");
		goto out;
	}
	signers = PKCS7_get0_signers(token, NULL, 0);
	t->tsa = sk_X509_num(signers) > 0 ? sk_X509_value(signers, 0) : NULL;
	sk_X509_free(signers);
	t->signature_ok = t->tsa && token_signature_ok(token, t->tsa);
	if (!t->signature_ok) {
		SETF(t->why, "the token's signature does not verify%s",
		     t->tsa ? "" : " (no TSA certificate in the token)");
		goto out;
	}
	t->chain_ok = tst_chain(token, store, md, mdlen, t->why, sizeof t->why);
out:
	ERR_clear_error();
	TS_TST_INFO_free(ti);
}

/* What the CMS of one signature gave. */
struct cms_state {
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	X509 *signer;			/* borrowed from cms */
	STACK_OF(X509) *certs;		/* CMS_get1_certs: untrusted chain material */
	PKCS7 *token;			/* unsigned signatureTimeStampToken, or NULL */
};

/* cms_free - release a cms_state (safe on a zeroed one). */
static void
cms_free(struct cms_state *c)
{
	PKCS7_free(c->token);
	sk_X509_pop_free(c->certs, X509_free);
	CMS_ContentInfo_free(c->cms);
	memset(c, 0, sizeof *c);
}

/* undecided / failed - set integrity and its reason; return -1 for "return failed(...)". */
static int __attribute__((format(printf, 3, 4)))
integ(struct verify_sig *s, enum verify_integrity v, const char *fmt, ...)
{
	va_list ap;

	s->integrity = v;
	va_start(ap, fmt);
	vsnprintf(s->integrity_why, sizeof s->integrity_why, fmt, ap);
	va_end(ap);
	return v == VI_OK ? 0 : -1;
}

/* all_zero - whether /Contents was never filled in. */
static int
all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* cms_open - parse the CMS and find its one signer and certificate. */
static int
cms_open(struct verify_sig *s, const struct found *fd, struct cms_state *c)
{
	const unsigned char *q = fd->contents;
	STACK_OF(CMS_SignerInfo) *sis;
	EVP_PKEY *pk = NULL;
	X509_ALGOR *dig = NULL, *alg = NULL;

	if (fd->contents == NULL || all_zero(fd->contents, fd->clen))
		return integ(s, VI_UNDECIDED, "the signature field was never signed (empty "
			     "/Contents)");
	if (strcmp(s->subfilter, "ETSI.CAdES.detached") && strcmp(s->subfilter, "adbe.pkcs7.detached"))
		return integ(s, VI_UNDECIDED, "unsupported /SubFilter %s", s->subfilter);
	c->cms = d2i_CMS_ContentInfo(NULL, &q, (long)fd->clen);
	if (c->cms == NULL)
		return integ(s, VI_FAILED, "/Contents is not a CMS structure");
	if (OBJ_obj2nid(CMS_get0_type(c->cms)) != NID_pkcs7_signed)
		return integ(s, VI_FAILED, "/Contents is not a CMS SignedData");
	if (!CMS_is_detached(c->cms))
		return integ(s, VI_UNDECIDED, "the CMS carries its content (not detached)");
	sis = CMS_get0_SignerInfos(c->cms);
	if (sk_CMS_SignerInfo_num(sis) != 1)
		return integ(s, VI_UNDECIDED, "the CMS has %d signers, expected one",
			     sk_CMS_SignerInfo_num(sis));
	c->si = sk_CMS_SignerInfo_value(sis, 0);
	CMS_set1_signers_certs(c->cms, NULL, 0);
	ERR_clear_error();
	CMS_SignerInfo_get0_algs(c->si, &pk, &c->signer, &dig, &alg);
	if (c->signer == NULL)
		return integ(s, VI_UNDECIDED, "the signer's certificate is not in the CMS");
	c->certs = CMS_get1_certs(c->cms);
	name_str(X509_get_subject_name(c->signer), s->subject, sizeof s->subject);
	name_str(X509_get_issuer_name(c->signer), s->issuer, sizeof s->issuer);
	serial_str(c->signer, s->serial, sizeof s->serial);
	return 0;
}

/* ess_check - an ESS signing-certificate(-v2) attribute must name the signer's certificate. */
static int
ess_check(struct verify_sig *s, struct cms_state *c)
{
	ASN1_STRING *v1 = CMS_signed_get0_data_by_OBJ(c->si,
		OBJ_nid2obj(NID_id_smime_aa_signingCertificate), -3, V_ASN1_SEQUENCE);
	ASN1_STRING *v2 = CMS_signed_get0_data_by_OBJ(c->si,
		OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3, V_ASN1_SEQUENCE);
	const unsigned char *q;
	ESS_SIGNING_CERT *ss = NULL;
	ESS_SIGNING_CERT_V2 *ss2 = NULL;
	STACK_OF(X509) *chain = sk_X509_new_null();
	int ok;

	if (v1 && (q = ASN1_STRING_get0_data(v1)) != NULL)
		ss = d2i_ESS_SIGNING_CERT(NULL, &q, ASN1_STRING_length(v1));
	if (v2 && (q = ASN1_STRING_get0_data(v2)) != NULL)
		ss2 = d2i_ESS_SIGNING_CERT_V2(NULL, &q, ASN1_STRING_length(v2));
	ok = chain != NULL && sk_X509_push(chain, c->signer) > 0 &&
	     (v1 == NULL || ss != NULL) && (v2 == NULL || ss2 != NULL) &&
	     OSSL_ESS_check_signing_certs(ss, ss2, chain, 0) == 1;
	ERR_clear_error();
	sk_X509_free(chain);
	ESS_SIGNING_CERT_free(ss);
	ESS_SIGNING_CERT_V2_free(ss2);
	return ok ? 0 : integ(s, VI_FAILED, "the ESS signing-certificate attribute does not name "
			      "the signer's certificate");
}

/* cms_integrity - messageDigest against our digest of the ranges, then the signature. */
static int
cms_integrity(struct verify_sig *s, const unsigned char *p, size_t len, struct cms_state *c)
{
	X509_ALGOR *dig = NULL, *alg = NULL;
	EVP_PKEY *pk = NULL;
	const ASN1_OBJECT *obj = NULL;
	ASN1_OCTET_STRING *want;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *h;
	struct seg sg[2];

	CMS_SignerInfo_get0_algs(c->si, &pk, NULL, &dig, &alg);
	X509_ALGOR_get0(&obj, NULL, NULL, dig);
	if ((h = EVP_get_digestbyobj(obj)) == NULL)
		return integ(s, VI_UNDECIDED, "unknown digest algorithm");
	SETF(s->digest, "%s", OBJ_nid2sn(EVP_MD_get_type(h)));
	if (CMS_signed_get_attr_count(c->si) <= 0)
		return integ(s, VI_UNDECIDED, "the CMS has no signed attributes (not PAdES)");
	want = CMS_signed_get0_data_by_OBJ(c->si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
					   V_ASN1_OCTET_STRING);
	if (want == NULL)
		return integ(s, VI_FAILED, "the CMS has no messageDigest attribute");
	if (!ranges_in_file(s, len))
		return integ(s, VI_FAILED, "the digest cannot be computed: /ByteRange is not "
			     "inside the file");
	sg[0].p = p + s->br[0];
	sg[0].n = (size_t)s->br[1];
	sg[1].p = p + s->br[2];
	sg[1].n = (size_t)s->br[3];
	if (digest_segs(h, sg, 2, md, &mdlen) < 0)
		return integ(s, VI_UNDECIDED, "cannot compute the %s digest", s->digest);
	if ((int)mdlen != ASN1_STRING_length(want) || memcmp(md, ASN1_STRING_get0_data(want), mdlen))
		return integ(s, VI_FAILED, "the %s digest of the signed bytes does not match the "
			     "CMS messageDigest", s->digest);
	if (CMS_SignerInfo_verify(c->si) != 1) {
		ERR_clear_error();
		return integ(s, VI_FAILED, "the signature over the signed attributes does not "
			     "verify with the signer's key");
	}
	if (ess_check(s, c) < 0)
		return -1;
	return integ(s, VI_OK, "%s digest and %s signature match", s->digest,
		     EVP_PKEY_get0_type_name(pk) ? EVP_PKEY_get0_type_name(pk) : "");
}

/* sig_timestamp - the unsigned signatureTimeStampToken over the signature value, if any. */
static void
sig_timestamp(struct verify_sig *s, struct cms_state *c, X509_STORE *store)
{
	int i = CMS_unsigned_get_attr_by_NID(c->si, NID_id_smime_aa_timeStampToken, -1);
	ASN1_TYPE *t = i >= 0 ? X509_ATTRIBUTE_get0_type(CMS_unsigned_get_attr(c->si, i), 0) : NULL;
	ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(c->si);
	const unsigned char *q;
	struct tst_result r;
	struct seg sg;

	if (i < 0)
		return;
	s->tst = VTS_INVALID;
	if (t == NULL || t->type != V_ASN1_SEQUENCE) {
		SETF(s->tst_why, "the timestamp attribute is not a token");
		return;
	}
	q = t->value.sequence->data;
	c->token = d2i_PKCS7(NULL, &q, t->value.sequence->length);
	if (c->token == NULL) {
		ERR_clear_error();
		SETF(s->tst_why, "the timestamp attribute is not a token");
		return;
	}
	sg.p = ASN1_STRING_get0_data(sv);
	sg.n = (size_t)ASN1_STRING_length(sv);
	tst_examine(c->token, &sg, 1, store, &r);
	s->tst_time = r.gen_time;
	if (!r.imprint_ok || !r.signature_ok) {
		SETF(s->tst_why, "%s", r.why);
		return;
	}
	s->tst = r.chain_ok ? VTS_VALID : VTS_UNTRUSTED;
	if (r.chain_ok && r.tsa)
		name_str(X509_get_subject_name(r.tsa), s->tst_why, sizeof s->tst_why);
	else
		SETF(s->tst_why, "the TSA is not trusted: %s", r.why);
}

/* choose_time - genTime of a valid timestamp, else /M, else none (chain checked now). */
static void
choose_time(struct verify_sig *s)
{
	if (s->tst == VTS_VALID) {
		s->time_source = VTIME_TIMESTAMP;
		s->signing_time = s->tst_time;
	} else if (s->claimed_time) {
		s->time_source = VTIME_CLAIMED;
		s->signing_time = s->claimed_time;
	} else {
		s->time_source = VTIME_NONE;
		s->signing_time = 0;
	}
}

/* untrust - trust failed for a reason; the first reason is kept. */
static void __attribute__((format(printf, 2, 3)))
untrust(struct verify_sig *s, const char *fmt, ...)
{
	va_list ap;

	if (s->trust == VT_UNTRUSTED)
		return;
	s->trust = VT_UNTRUSTED;
	va_start(ap, fmt);
	vsnprintf(s->trust_why, sizeof s->trust_why, fmt, ap);
	va_end(ap);
}

/* chain_why - the chain error as a person reads it. */
static void
chain_why(struct verify_sig *s, X509_STORE_CTX *xs, int nanchors)
{
	int err = X509_STORE_CTX_get_error(xs);
	X509 *bad = X509_STORE_CTX_get_current_cert(xs);
	char who[200] = "", at[32];

	if (bad)
		name_str(X509_get_subject_name(bad), who, sizeof who);
	fmt_time(s->signing_time ? s->signing_time : time(NULL), 0, at);
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		untrust(s, "expired: the certificate %s was no longer valid at %s", who, at);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		untrust(s, "not yet valid: the certificate %s was not valid yet at %s", who, at);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
		untrust(s, "unknown CA: the chain does not end at a trust anchor (%s)%s",
			X509_verify_cert_error_string(err),
			nanchors ? "" : "; no anchors were given (--trust CA.pem or a configuration)");
		break;
	default:
		untrust(s, "certificate chain: %s (at %s)", X509_verify_cert_error_string(err), who);
	}
}

/* count_anchors - certificates in the store. */
static int
count_anchors(X509_STORE *store)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(store);
	int i, n = 0;

	for (i = 0; i < sk_X509_OBJECT_num(objs); i++)
		n += X509_OBJECT_get_type(sk_X509_OBJECT_value(objs, i)) == X509_LU_X509;
	return n;
}

/* chain_check - the signer's chain to the anchors at the signing time; the chain on success. */
static STACK_OF(X509) *
chain_check(struct verify_sig *s, X509 *signer, STACK_OF(X509) *certs, X509_STORE *store,
	    time_t now)
{
	X509_STORE_CTX *xs = X509_STORE_CTX_new();
	STACK_OF(X509) *chain = NULL;

	if (xs == NULL || !X509_STORE_CTX_init(xs, store, signer, certs)) {
		s->trust = VT_UNDECIDED;
		SETF(s->trust_why, "cannot set up certificate verification");
		X509_STORE_CTX_free(xs);
		return NULL;
	}
	/* the signing time, not today: an expired certificate signed well while valid */
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(xs),
				   s->signing_time ? s->signing_time : now);
	if (X509_verify_cert(xs) == 1)
		chain = X509_STORE_CTX_get1_chain(xs);
	else
		chain_why(s, xs, count_anchors(store));
	ERR_clear_error();
	X509_STORE_CTX_free(xs);
	return chain;
}

/* revoked - a revocation at when (0 unknown) from source; harmless only after a proven time. */
static void
revoked(struct verify_sig *s, time_t when, const char *source)
{
	char at[32] = "an unknown date";

	if (when)
		fmt_time(when, 0, at);
	if (when && s->time_source == VTIME_TIMESTAMP && when > s->signing_time)
		return;	/* revoked after a timestamped signature: it stays valid */
	untrust(s, "revoked: the signer's certificate was revoked on %s (%s)%s", at, source,
		when && s->time_source == VTIME_CLAIMED && when > s->signing_time
			? "; the signing time is only claimed by the signer (no timestamp), so "
			  "it does not prove the signature came first"
			: "");
}

/* crl_check - CRLs among the anchors, issued and signed by the signer's issuer. */
static void
crl_check(struct verify_sig *s, X509 *signer, STACK_OF(X509) *chain, X509_STORE *store)
{
	STACK_OF(X509_OBJECT) *objs = X509_STORE_get0_objects(store);
	X509 *issuer = sk_X509_num(chain) > 1 ? sk_X509_value(chain, 1) : NULL;
	char at[32];
	int i;

	for (i = 0; issuer && i < sk_X509_OBJECT_num(objs); i++) {
		X509_CRL *crl = X509_OBJECT_get0_X509_CRL(sk_X509_OBJECT_value(objs, i));
		X509_REVOKED *rev = NULL;

		if (crl == NULL || X509_NAME_cmp(X509_CRL_get_issuer(crl),
						 X509_get_issuer_name(signer)) != 0 ||
		    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1)
			continue;
		fmt_time(asn1_time(X509_CRL_get0_lastUpdate(crl)), 0, at);
		if (X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(signer)) > 0 && rev) {
			SETF(s->crl_why, "CRL issued %s", at);
			s->revocation = VR_REVOKED;
			revoked(s, asn1_time(X509_REVOKED_get0_revocationDate(rev)), "CRL");
			break;
		}
		SETF(s->crl_why, "CRL issued %s", at);
		s->revocation = VR_GOOD;
	}
	ERR_clear_error();
}

/* registry_check - the lookup callback: store status, recorded serial, revocation. */
static void
registry_check(struct verify_sig *s, X509 *signer, const struct verify_opts *o)
{
	struct verify_query q;

	if (o->lookup == NULL)
		return;
	q.doc_id = s->sertel_id[0] ? s->sertel_id : NULL;
	q.signer = signer;
	q.serial = s->serial;
	q.signing_time = s->signing_time;
	memset(&s->reg, 0, sizeof s->reg);
	if (o->lookup(o->lookup_arg, &q, &s->reg) < 0) {
		s->reg.store = VS_ERROR;
		return;
	}
	if (s->reg.store == VS_STORED || s->reg.store == VS_DELETED)
		if (s->reg.store_serial[0] && strcasecmp(s->reg.store_serial, s->serial) != 0)
			untrust(s, "the store records ID %s with certificate %s, but this "
				"signature's certificate is %s", s->sertel_id, s->reg.store_serial,
				s->serial);
	if (s->reg.revocation == VR_REVOKED) {
		s->revocation = VR_REVOKED;
		revoked(s, s->reg.revoked_at, "registry");
	} else if (s->reg.revocation == VR_GOOD && s->revocation == VR_NOT_CHECKED) {
		s->revocation = VR_GOOD;
	}
}

/* trust_check - chain at the signing time, key usage, CRLs, registry. */
static void
trust_check(struct verify_sig *s, X509 *signer, STACK_OF(X509) *certs, X509_STORE *store,
	    const struct verify_opts *o)
{
	STACK_OF(X509) *chain;
	uint32_t ku = X509_get_key_usage(signer);

	s->trust = VT_TRUSTED;
	chain = chain_check(s, signer, certs, store, o->now);
	if (chain && (X509_get_extension_flags(signer) & EXFLAG_KUSAGE) &&
	    !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		untrust(s, "the certificate is not for signing (keyUsage)");
	if (chain)
		crl_check(s, signer, chain, store);
	registry_check(s, signer, o);
	if (s->trust == VT_TRUSTED && chain)
		name_str(X509_get_subject_name(sk_X509_value(chain, sk_X509_num(chain) - 1)),
			 s->trust_why, sizeof s->trust_why);
	if (s->tst == VTS_INVALID)
		untrust(s, "the signature timestamp is not valid: %s", s->tst_why);
	sk_X509_pop_free(chain, X509_free);
}

/* cms_verify - a CAdES/PKCS#7 detached signature: integrity, timestamp, trust. */
static void
cms_verify(struct verify_sig *s, const unsigned char *p, size_t len, const struct found *fd,
	   X509_STORE *store, const struct verify_opts *o)
{
	struct cms_state c;

	memset(&c, 0, sizeof c);
	s->trust = VT_UNDECIDED;
	SETF(s->trust_why, "not checked: integrity was not established");
	if (cms_open(s, fd, &c) == 0 && cms_integrity(s, p, len, &c) == 0) {
		sig_timestamp(s, &c, store);
		choose_time(s);
		trust_check(s, c.signer, c.certs, store, o);
	} else if (s->integrity == VI_FAILED) {
		choose_time(s);
	}
	ERR_clear_error();
	cms_free(&c);
}

/* doc_ts_verify - an ETSI.RFC3161 document timestamp: the token's imprint covers the ranges. */
static void
doc_ts_verify(struct verify_sig *s, const unsigned char *p, size_t len, const struct found *fd,
	      X509_STORE *store)
{
	const unsigned char *q = fd->contents;
	PKCS7 *token = NULL;
	struct tst_result r;
	struct seg sg[2];

	s->trust = VT_UNDECIDED;
	SETF(s->trust_why, "not checked: integrity was not established");
	SETF(s->digest, "-");
	if (fd->contents == NULL || all_zero(fd->contents, fd->clen)) {
		integ(s, VI_UNDECIDED, "the timestamp field was never filled in");
		return;
	}
	if (!ranges_in_file(s, len)) {
		integ(s, VI_FAILED, "/ByteRange is not inside the file");
		return;
	}
	if ((token = d2i_PKCS7(NULL, &q, (long)fd->clen)) == NULL) {
		ERR_clear_error();
		integ(s, VI_FAILED, "/Contents is not a timestamp token");
		return;
	}
	sg[0].p = p + s->br[0];
	sg[0].n = (size_t)s->br[1];
	sg[1].p = p + s->br[2];
	sg[1].n = (size_t)s->br[3];
	tst_examine(token, sg, 2, store, &r);
	s->tst_time = r.gen_time;
	if (r.tsa) {
		name_str(X509_get_subject_name(r.tsa), s->subject, sizeof s->subject);
		name_str(X509_get_issuer_name(r.tsa), s->issuer, sizeof s->issuer);
		serial_str(r.tsa, s->serial, sizeof s->serial);
	}
	if (!r.imprint_ok || !r.signature_ok) {
		integ(s, VI_FAILED, "%s", r.why);
	} else {
		integ(s, VI_OK, "the timestamp's imprint matches the signed bytes");
		s->tst = r.chain_ok ? VTS_VALID : VTS_UNTRUSTED;
		s->time_source = VTIME_TIMESTAMP;
		s->signing_time = r.gen_time;
		s->trust = r.chain_ok ? VT_TRUSTED : VT_UNTRUSTED;
		SETF(s->trust_why, "%s", r.chain_ok ? s->issuer : r.why);
	}
	PKCS7_free(token);
}

/* ---- later revisions: comparing two documents -------------------------- */

/* A set of (old, new) object number pairs, open addressing; 0 is the empty slot. */
struct pairset {
	uint64_t *v;
	size_t cap, n;
};

/* pairset_add - 1 if key was new, 0 if present; throws when out of memory. */
static int
pairset_add(fz_context *ctx, struct pairset *s, uint64_t key)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct pairset g = { NULL, s->cap ? 2 * s->cap : 1024, 0 };

		if ((g.v = calloc(g.cap, sizeof *g.v)) == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory comparing revisions");
		for (i = 0; i < s->cap; i++)
			if (s->v[i])
				pairset_add(ctx, &g, s->v[i]);
		free(s->v);
		*s = g;
	}
	for (i = (size_t)(key * 0x9E3779B97F4A7C15ull) & (s->cap - 1); s->v[i];
	     i = (i + 1) & (s->cap - 1))
		if (s->v[i] == key)
			return 0;
	s->v[i] = key;
	s->n++;
	return 1;
}

/* A pair waiting to be compared, and where it was met (for the report). */
struct pending {
	int onum, nnum;
	char where[WHERE];
};

/* The comparison of the signed revision (od) with the whole file (nd). */
struct cmp {
	fz_context *ctx;
	pdf_document *od, *nd;
	struct pairset seen;
	struct pending *q;
	size_t qhead, qn, qcap;
	int *pages;		/* object numbers of the pages of nd, for labels */
	int npages;
	struct verify_sig *s;
	int allowed, allowed_nondss, disallowed;
	pdf_locked_fields *locked;	/* fields the signature's /Lock protects */
	int docmdp;		/* /P of the signature's DocMDP, 0 none */
};

/* note - record a change, allowed or not (the first VERIFY_CHANGES are kept). */
static void __attribute__((format(printf, 3, 4)))
note(struct cmp *c, int ok, const char *fmt, ...)
{
	struct verify_sig *s = c->s;
	char msg[140];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ok)
		c->allowed++;
	else
		c->disallowed++;
	if (s->nchanges < VERIFY_CHANGES)
		SETF(s->changes[s->nchanges++], "%s: %s", ok ? "allowed" : "DISALLOWED", msg);
	else
		s->changes_dropped++;
}

/* differ - a disallowed change at where; returns 0 (not equal). */
static int
differ(struct cmp *c, const char *where, const char *what)
{
	note(c, 0, "%s %s", where, what);
	return 0;
}

/* enqueue - compare objects onum (old) and nnum (new) later, once. */
static void
enqueue(struct cmp *c, int onum, int nnum, const char *where)
{
	uint64_t key = (uint64_t)(uint32_t)onum << 32 | (uint32_t)nnum;

	if (onum <= 0 && nnum <= 0)
		return;
	if (!pairset_add(c->ctx, &c->seen, key ? key : 1))
		return;
	if (c->qn == c->qcap) {
		size_t cap = c->qcap ? 2 * c->qcap : 256;
		struct pending *v = realloc(c->q, cap * sizeof *v);

		if (v == NULL)
			fz_throw(c->ctx, FZ_ERROR_MEMORY, "out of memory comparing revisions");
		c->q = v;
		c->qcap = cap;
	}
	c->q[c->qn].onum = onum;
	c->q[c->qn].nnum = nnum;
	SETF(c->q[c->qn].where, "%s", where);
	c->qn++;
}

/* mark_seen - a pair compared directly by a rule is not compared again generically. */
static void
mark_seen(struct cmp *c, pdf_obj *o, pdf_obj *n)
{
	if (pdf_is_indirect(c->ctx, o) && pdf_is_indirect(c->ctx, n))
		pairset_add(c->ctx, &c->seen, (uint64_t)(uint32_t)pdf_to_num(c->ctx, o) << 32 |
						      (uint32_t)pdf_to_num(c->ctx, n));
}

/* is_null - a missing key and an explicit null are the same thing. */
static int
is_null(fz_context *ctx, pdf_obj *o)
{
	return o == NULL || pdf_is_null(ctx, o);
}

/* is_type - /Type is name. */
static int
is_type(fz_context *ctx, pdf_obj *d, pdf_obj *name)
{
	return pdf_name_eq(ctx, pdf_dict_get(ctx, d, PDF_NAME(Type)), name);
}

/* field_like - a form field or a widget (terminal, or a named node with kids). */
static int
field_like(fz_context *ctx, pdf_obj *d)
{
	return pdf_dict_get(ctx, d, PDF_NAME(FT)) != NULL ||
	       pdf_name_eq(ctx, pdf_dict_get(ctx, d, PDF_NAME(Subtype)), PDF_NAME(Widget)) ||
	       (pdf_dict_get(ctx, d, PDF_NAME(T)) && pdf_dict_get(ctx, d, PDF_NAME(Kids)));
}

/* is_sig_field - a field or widget whose (inherited) type is /Sig. */
static int
is_sig_field(fz_context *ctx, pdf_obj *d)
{
	return pdf_name_eq(ctx, pdf_dict_get_inheritable(ctx, d, PDF_NAME(FT)), PDF_NAME(Sig));
}

/* child - "where/Key" into buf. */
static const char *
child(char *buf, const char *where, const char *key)
{
	snprintf(buf, WHERE, "%s/%s", where, key);
	return buf;
}

static int cmp_value(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth);

/* cmp_key - compare one key of two dictionaries. */
static int
cmp_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	char w[WHERE];

	return cmp_value(c, pdf_dict_get(c->ctx, o, key), pdf_dict_get(c->ctx, n, key),
			 child(w, where, pdf_to_name(c->ctx, key)), depth);
}

/*
 * A rule compares the keys it knows about itself; every other key goes
 * through cmp_value.  rule_fn returns 1 when it took the key.
 */
typedef int (*rule_fn)(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		       int depth);

/* dict_keys - every key of o and n, through rule first. */
static int
dict_keys(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth, rule_fn rule)
{
	fz_context *ctx = c->ctx;
	int i, same = 1, len = pdf_dict_len(ctx, o);

	for (i = 0; i < len; i++) {
		pdf_obj *key = pdf_dict_get_key(ctx, o, i);

		if (rule && rule(c, o, n, key, where, depth))
			continue;
		same &= cmp_key(c, o, n, key, where, depth);
	}
	len = pdf_dict_len(ctx, n);
	for (i = 0; i < len; i++) {
		pdf_obj *key = pdf_dict_get_key(ctx, n, i);

		if (pdf_dict_get(ctx, o, key) != NULL)
			continue;	/* compared above */
		if (rule && rule(c, o, n, key, where, depth))
			continue;
		same &= cmp_key(c, o, n, key, where, depth);
	}
	return same;
}

/* page_label - "page N" for a page object of the new document. */
static void
page_label(struct cmp *c, int num, char *out)
{
	int i;

	for (i = 0; i < c->npages; i++)
		if (c->pages[i] == num) {
			snprintf(out, WHERE, "page %d", i + 1);
			return;
		}
	snprintf(out, WHERE, "page object %d", num);
}

/* find_num - index of indirect object num in arr, or -1. */
static int
find_num(fz_context *ctx, pdf_obj *arr, int num)
{
	int i, n = pdf_array_len(ctx, arr);

	for (i = 0; i < n; i++)
		if (pdf_is_indirect(ctx, pdf_array_get(ctx, arr, i)) &&
		    pdf_to_num(ctx, pdf_array_get(ctx, arr, i)) == num)
			return i;
	return -1;
}

/* signed_sig - a signature field whose (inherited) /V is a filled-in signature dictionary. */
static int
signed_sig(fz_context *ctx, pdf_obj *f)
{
	pdf_obj *v = pdf_dict_get_inheritable(ctx, f, PDF_NAME(V));

	return is_sig_field(ctx, f) && pdf_is_dict(ctx, v) &&
	       pdf_is_string(ctx, pdf_dict_get(ctx, v, PDF_NAME(Contents))) &&
	       pdf_is_array(ctx, pdf_dict_get(ctx, v, PDF_NAME(ByteRange)));
}

/* in_form - whether the widget's field (top of its /Parent chain) is in the new /Fields. */
static int
in_form(struct cmp *c, pdf_obj *w)
{
	fz_context *ctx = c->ctx;
	pdf_obj *fields = pdf_dict_getp(ctx, pdf_trailer(ctx, c->nd), "Root/AcroForm/Fields");
	int depth;

	for (depth = 0; depth < MAX_DEPTH && pdf_dict_get(ctx, w, PDF_NAME(Parent)); depth++)
		w = pdf_dict_get(ctx, w, PDF_NAME(Parent));
	return pdf_is_indirect(ctx, w) && find_num(ctx, fields, pdf_to_num(ctx, w)) >= 0;
}

/*
 * new_annot - an annotation the old page did not have.  Only the widget of a
 * new, signed signature field of the form may appear (that signature is then
 * verified on its own); a widget outside the form or of an empty field could
 * paint anything over the page.
 */
static void
new_annot(struct cmp *c, pdf_obj *a, const char *label)
{
	fz_context *ctx = c->ctx;
	pdf_obj *sub = pdf_dict_get(ctx, a, PDF_NAME(Subtype));

	if (pdf_name_eq(ctx, sub, PDF_NAME(Widget)) && signed_sig(ctx, a) && in_form(c, a)) {
		note(c, 1, "new signature widget on %s", label);
		c->allowed_nondss++;
	} else if (pdf_name_eq(ctx, sub, PDF_NAME(Widget)) && is_sig_field(ctx, a)) {
		note(c, 0, "new signature widget on %s that is not a signed field of the form",
		     label);
	} else if (c->docmdp == 3 && !pdf_name_eq(ctx, sub, PDF_NAME(Widget))) {
		note(c, 1, "new %s annotation on %s (DocMDP 3)", pdf_to_name(ctx, sub), label);
		c->allowed_nondss++;
	} else {
		note(c, 0, "new %s annotation on %s", pdf_to_name(ctx, sub), label);
	}
}

/*
 * list_rule - an /Annots or /Fields array: every old entry still there (and
 * compared), new entries judged by fresh().  Returns 1 if nothing disallowed.
 */
static int
list_rule(struct cmp *c, pdf_obj *oa, pdf_obj *na, const char *where,
	  void (*fresh)(struct cmp *, pdf_obj *, const char *), const char *label)
{
	fz_context *ctx = c->ctx;
	int i, same = 1, before = c->disallowed;
	char w[WHERE];

	mark_seen(c, oa, na);
	oa = pdf_resolve_indirect_chain(ctx, oa);
	na = pdf_resolve_indirect_chain(ctx, na);
	for (i = 0; i < pdf_array_len(ctx, oa); i++) {
		pdf_obj *e = pdf_array_get(ctx, oa, i);

		snprintf(w, sizeof w, "%s[%d]", where, i);
		if (!pdf_is_indirect(ctx, e))
			same &= cmp_value(c, e, pdf_array_get(ctx, na, i), w, 1);
		else if (find_num(ctx, na, pdf_to_num(ctx, e)) < 0)
			same &= differ(c, w, "was removed");
		else
			enqueue(c, pdf_to_num(ctx, e), pdf_to_num(ctx, e), w);
	}
	for (i = 0; i < pdf_array_len(ctx, na); i++) {
		pdf_obj *e = pdf_array_get(ctx, na, i);

		if (pdf_is_indirect(ctx, e) ? find_num(ctx, oa, pdf_to_num(ctx, e)) >= 0
					    : i < pdf_array_len(ctx, oa))
			continue;
		fresh(c, e, label);
	}
	return same && c->disallowed == before;
}

/* new_field - a field the old form did not have: only signature fields may appear. */
static void
new_field(struct cmp *c, pdf_obj *f, const char *label)
{
	fz_context *ctx = c->ctx;
	const char *name = pdf_dict_get_text_string(ctx, f, PDF_NAME(T));

	if (signed_sig(ctx, f)) {
		note(c, 1, "new signature field \"%.60s\"", name);
		c->allowed_nondss++;
	} else if (is_sig_field(ctx, f)) {
		note(c, 0, "new signature field \"%.60s\" without a signature", name);
	} else {
		note(c, 0, "new form field \"%.60s\" (%s) in %s", name,
		     pdf_to_name(ctx, pdf_dict_get_inheritable(ctx, f, PDF_NAME(FT))), label);
	}
}

/* page_rule_key - /Annots of a page may gain signature widgets. */
static int
page_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	char w[WHERE];

	if (!pdf_name_eq(c->ctx, key, PDF_NAME(Annots)))
		return 0;
	list_rule(c, pdf_dict_get(c->ctx, o, key), pdf_dict_get(c->ctx, n, key),
		  child(w, where, "Annots"), new_annot, where);
	return 1;
}

/* field_value - whether a field's /V differs (values are small: resolved, shallow). */
static int
field_value_changed(fz_context *ctx, pdf_obj *o, pdf_obj *n)
{
	if (is_null(ctx, o) || is_null(ctx, n))
		return !(is_null(ctx, o) && is_null(ctx, n));
	return pdf_objcmp_resolve(ctx, o, n) != 0;
}

/* field_rule_key - /V may change (not a signed signature's), /AP and /AS may; /Kids may not. */
static int
field_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where, int depth)
{
	fz_context *ctx = c->ctx;
	pdf_obj *ov = pdf_dict_get(ctx, o, key), *nv = pdf_dict_get(ctx, n, key);
	char *name;

	if (pdf_name_eq(ctx, key, PDF_NAME(AP)) || pdf_name_eq(ctx, key, PDF_NAME(AS)))
		return 1;	/* appearances follow values; widgets are not page content */
	if (!pdf_name_eq(ctx, key, PDF_NAME(V)))
		return 0;
	if (is_sig_field(ctx, o)) {
		if (!is_null(ctx, ov))
			return 0;	/* a signed signature stays exactly as it was */
		if (!is_null(ctx, nv)) {
			note(c, 1, "%s: an empty signature field was signed", where);
			c->allowed_nondss++;
		}
		return 1;
	}
	if (!field_value_changed(ctx, ov, nv))
		return 1;
	name = pdf_field_name(ctx, o);
	if (c->locked && name && pdf_is_field_locked(ctx, c->locked, name))
		note(c, 0, "form field \"%.60s\" is locked by the signature but its value changed",
		     name);
	else {
		note(c, 1, "form field \"%.60s\" filled in", name ? name : "?");
		c->allowed_nondss++;
	}
	fz_free(ctx, name);
	return 1;
}

/* acroform_rule_key - /Fields may gain signature fields; /SigFlags and /DR may change. */
static int
acroform_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		  int depth)
{
	char w[WHERE];

	if (pdf_name_eq(c->ctx, key, PDF_NAME(SigFlags)) || pdf_name_eq(c->ctx, key, PDF_NAME(DR)))
		return 1;
	if (!pdf_name_eq(c->ctx, key, PDF_NAME(Fields)))
		return 0;
	list_rule(c, pdf_dict_get(c->ctx, o, key), pdf_dict_get(c->ctx, n, key),
		  child(w, where, "Fields"), new_field, "the form");
	return 1;
}

/*
 * catalog_rule_key - /AcroForm by its rule; /DSS and /Perms may change, and
 * /Extensions (long-term validation tools declare ESIC/ADBE there with /DSS).
 */
static int
catalog_rule_key(struct cmp *c, pdf_obj *o, pdf_obj *n, pdf_obj *key, const char *where,
		 int depth)
{
	fz_context *ctx = c->ctx;
	pdf_obj *ov = pdf_dict_get(ctx, o, key), *nv = pdf_dict_get(ctx, n, key);
	pdf_obj *oa, *na;
	char w[WHERE];

	if (!strcmp(pdf_to_name(ctx, key), "DSS") || pdf_name_eq(ctx, key, PDF_NAME(Perms)) ||
	    !strcmp(pdf_to_name(ctx, key), "Extensions")) {
		if (pdf_to_num(ctx, ov) != pdf_to_num(ctx, nv) || is_null(ctx, ov) != is_null(ctx, nv))
			note(c, 1, "catalog /%s added or updated", pdf_to_name(ctx, key));
		return 1;
	}
	if (!pdf_name_eq(ctx, key, PDF_NAME(AcroForm)))
		return 0;
	mark_seen(c, ov, nv);
	oa = pdf_resolve_indirect_chain(ctx, ov);
	na = pdf_resolve_indirect_chain(ctx, nv);
	if (!pdf_is_dict(ctx, na))
		return is_null(ctx, oa) ? 1 : (differ(c, child(w, where, "AcroForm"), "was removed"), 1);
	dict_keys(c, pdf_is_dict(ctx, oa) ? oa : NULL, na, child(w, where, "AcroForm"), depth + 1,
		  acroform_rule_key);
	return 1;
}

/* cmp_dict - two dictionaries, by the rule their kind calls for. */
static int
cmp_dict(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth, int num)
{
	fz_context *ctx = c->ctx;
	char label[WHERE];

	if (is_type(ctx, o, PDF_NAME(Page)) || is_type(ctx, n, PDF_NAME(Page))) {
		if (num > 0)
			page_label(c, num, label);
		else
			snprintf(label, sizeof label, "%s", where);
		return dict_keys(c, o, n, label, depth, page_rule_key);
	}
	if (field_like(ctx, o) || field_like(ctx, n))
		return dict_keys(c, o, n, where, depth, field_rule_key);
	if (is_type(ctx, o, PDF_NAME(Catalog)) || is_type(ctx, n, PDF_NAME(Catalog)))
		return dict_keys(c, o, n, "catalog", depth, catalog_rule_key);
	return dict_keys(c, o, n, where, depth, NULL);
}

/* cmp_value - two values; indirect pairs are queued, direct ones compared now. */
static int
cmp_value(struct cmp *c, pdf_obj *o, pdf_obj *n, const char *where, int depth)
{
	fz_context *ctx = c->ctx;
	int i, same = 1;
	char w[WHERE];

	if (depth > MAX_DEPTH)
		return differ(c, where, "is nested too deeply to compare");
	if (pdf_is_indirect(ctx, o) && pdf_is_indirect(ctx, n)) {
		enqueue(c, pdf_to_num(ctx, o), pdf_to_num(ctx, n), where);
		return 1;
	}
	if (pdf_is_stream(ctx, o) || pdf_is_stream(ctx, n))
		return differ(c, where, "changed (a stream replaced by a direct object or back)");
	o = pdf_resolve_indirect_chain(ctx, o);
	n = pdf_resolve_indirect_chain(ctx, n);
	if (is_null(ctx, o) || is_null(ctx, n))
		return is_null(ctx, o) && is_null(ctx, n) ? 1
			: differ(c, where, is_null(ctx, o) ? "was added" : "was removed");
	if (pdf_is_dict(ctx, o) && pdf_is_dict(ctx, n))
		return cmp_dict(c, o, n, where, depth + 1, 0);
	if (pdf_is_array(ctx, o) && pdf_is_array(ctx, n)) {
		if (pdf_array_len(ctx, o) != pdf_array_len(ctx, n))
			return differ(c, where, "changed (array length)");
		for (i = 0; i < pdf_array_len(ctx, o); i++) {
			snprintf(w, sizeof w, "%s[%d]", where, i);
			same &= cmp_value(c, pdf_array_get(ctx, o, i), pdf_array_get(ctx, n, i), w,
					  depth + 1);
		}
		return same;
	}
	if (pdf_is_dict(ctx, o) || pdf_is_dict(ctx, n) || pdf_is_array(ctx, o) ||
	    pdf_is_array(ctx, n) || pdf_objcmp(ctx, o, n) != 0)
		return differ(c, where, "changed");
	return 1;
}

/* same_location - object num is the same bytes in both documents (not redefined later). */
static int
same_location(struct cmp *c, int num)
{
	fz_context *ctx = c->ctx;
	pdf_xref_entry *a, *b;

	if (num <= 0 || num >= pdf_xref_len(ctx, c->od) || num >= pdf_xref_len(ctx, c->nd))
		return 0;
	a = pdf_get_xref_entry(ctx, c->od, num);
	b = pdf_get_xref_entry(ctx, c->nd, num);
	if (a == NULL || b == NULL || a->type != b->type || a->ofs != b->ofs || a->gen != b->gen)
		return 0;
	if (a->type == 'n')
		return 1;
	/* in an object stream: the same stream, itself not redefined */
	return a->type == 'o' && a->ofs > 0 && a->ofs != num && a->ofs < INT32_MAX &&
	       same_location(c, (int)a->ofs);
}

/* stream_same - the raw (still encoded) stream data of both objects. */
static int
stream_same(struct cmp *c, int onum, int nnum)
{
	fz_context *ctx = c->ctx;
	fz_buffer *a = NULL, *b = NULL;
	unsigned char *pa, *pb;
	size_t la, lb;
	int same = 0;

	if (onum == nnum && same_location(c, onum))
		return 1;
	fz_var(a);
	fz_var(b);
	fz_var(same);
	fz_try(ctx) {
		a = pdf_load_raw_stream_number(ctx, c->od, onum);
		b = pdf_load_raw_stream_number(ctx, c->nd, nnum);
		la = fz_buffer_storage(ctx, a, &pa);
		lb = fz_buffer_storage(ctx, b, &pb);
		same = la == lb && (la == 0 || memcmp(pa, pb, la) == 0);
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, a);
		fz_drop_buffer(ctx, b);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return same;
}

/* load_obj - an object or NULL when missing or unreadable (out of memory still throws). */
static pdf_obj *
load_obj(fz_context *ctx, pdf_document *doc, int num)
{
	pdf_obj *o = NULL;

	if (num <= 0 || num >= pdf_xref_len(ctx, doc))
		return NULL;
	fz_var(o);
	fz_try(ctx)
		o = pdf_load_object(ctx, doc, num);
	fz_catch(ctx) {
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			fz_rethrow(ctx);
		o = NULL;
	}
	return o;
}

/* cmp_pair - one queued pair: stream data, then the values by their rules. */
static void
cmp_pair(struct cmp *c, const struct pending *pd)
{
	fz_context *ctx = c->ctx;
	pdf_obj *o = load_obj(ctx, c->od, pd->onum), *n = NULL;
	char w[WHERE + 16];

	fz_var(n);
	fz_try(ctx) {
		n = load_obj(ctx, c->nd, pd->nnum);
		snprintf(w, sizeof w, "%s (object %d)", pd->where, pd->nnum);
		if (is_null(ctx, o) || is_null(ctx, n)) {
			if (!(is_null(ctx, o) && is_null(ctx, n)))
				differ(c, w, is_null(ctx, o) ? "appeared" : "disappeared");
		} else if (pdf_obj_num_is_stream(ctx, c->od, pd->onum) !=
			   pdf_obj_num_is_stream(ctx, c->nd, pd->nnum)) {
			differ(c, w, "changed kind");
		} else {
			if (pdf_obj_num_is_stream(ctx, c->od, pd->onum) &&
			    !stream_same(c, pd->onum, pd->nnum))
				differ(c, w, "stream data changed");
			if (pdf_is_dict(ctx, o) && pdf_is_dict(ctx, n))
				cmp_dict(c, o, n, pd->where, 1, pd->nnum);
			else
				cmp_value(c, o, n, pd->where, 1);
		}
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, o);
		pdf_drop_obj(ctx, n);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* list_pages - object numbers of the new document's pages (labels only); throws. */
static void
list_pages(struct cmp *c)
{
	int i, n = pdf_count_pages(c->ctx, c->nd);

	c->pages = n > 0 ? calloc((size_t)n, sizeof *c->pages) : NULL;
	if (n > 0 && c->pages == NULL)
		fz_throw(c->ctx, FZ_ERROR_MEMORY, "out of memory listing pages");
	c->npages = n;
	for (i = 0; i < n; i++)
		c->pages[i] = pdf_to_num(c->ctx, pdf_lookup_page_obj(c->ctx, c->nd, i));
}

/* sig_policy - /Lock of the signature field and DocMDP /P of its dictionary (old document). */
static void
sig_policy(struct cmp *c, int fieldnum, int signum)
{
	fz_context *ctx = c->ctx;
	pdf_obj *field = load_obj(ctx, c->od, fieldnum), *sig = NULL, *ref;
	int i;

	fz_try(ctx) {
		if (field)
			c->locked = pdf_find_locked_fields_for_sig(ctx, c->od, field);
		sig = load_obj(ctx, c->od, signum);
		ref = pdf_dict_get(ctx, sig, PDF_NAME(Reference));
		for (i = 0; i < pdf_array_len(ctx, ref); i++) {
			pdf_obj *r = pdf_array_get(ctx, ref, i);

			if (pdf_name_eq(ctx, pdf_dict_get(ctx, r, PDF_NAME(TransformMethod)),
					PDF_NAME(DocMDP)))
				c->docmdp = pdf_dict_getp(ctx, r, "TransformParams/P")
					? pdf_to_int(ctx, pdf_dict_getp(ctx, r, "TransformParams/P")) : 2;
		}
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, field);
		pdf_drop_obj(ctx, sig);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* compare_docs - the whole comparison from the catalogs (throws). */
static void
compare_docs(struct cmp *c, int fieldnum, int signum)
{
	fz_context *ctx = c->ctx;
	pdf_obj *oroot = pdf_dict_get(ctx, pdf_trailer(ctx, c->od), PDF_NAME(Root));
	pdf_obj *nroot = pdf_dict_get(ctx, pdf_trailer(ctx, c->nd), PDF_NAME(Root));

	list_pages(c);
	sig_policy(c, fieldnum, signum);
	mark_seen(c, oroot, nroot);
	if (!pdf_is_dict(ctx, oroot) || !pdf_is_dict(ctx, nroot))
		differ(c, "the catalog", "cannot be read");
	else
		dict_keys(c, pdf_resolve_indirect_chain(ctx, oroot),
			  pdf_resolve_indirect_chain(ctx, nroot), "catalog", 1, catalog_rule_key);
	while (c->qhead < c->qn) {
		struct pending pd = c->q[c->qhead++];

		if (c->qhead > MAX_PAIRS)
			fz_throw(ctx, FZ_ERROR_GENERIC, "more than %d objects to compare", MAX_PAIRS);
		cmp_pair(c, &pd);
	}
	if (c->docmdp == 1 && c->allowed_nondss > 0)
		note(c, 0, "the signature certifies the document with no changes allowed "
		     "(DocMDP P=1)");
}

/* open_prefix - the document as it was when signed: the file cut at end; throws. */
static pdf_document *
open_prefix(fz_context *ctx, const unsigned char *p, size_t end)
{
	fz_stream *stm = fz_open_memory(ctx, p, end);
	pdf_document *doc = NULL;

	fz_try(ctx)
		doc = pdf_open_document_with_stream(ctx, stm);
	fz_always(ctx)
		fz_drop_stream(ctx, stm);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return doc;
}

/* mods_check - what the bytes after s->end changed in what s signed. */
static void
mods_check(fz_context *ctx, pdf_document *whole, const unsigned char *p, size_t len,
	   const struct found *fd, struct verify_sig *s)
{
	struct cmp c;

	if (s->coverage == VC_INVALID || only_ws(p, s->end, len)) {
		s->mods = VM_NONE;
		SETF(s->mods_why, "%s", s->coverage == VC_INVALID ? "not checked (the byte range is "
		     "invalid)" : "no later revision");
		return;
	}
	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.nd = whole;
	c.s = s;
	fz_try(ctx) {
		c.od = open_prefix(ctx, p, s->end);
		compare_docs(&c, fd->fieldnum, fd->signum);
	}
	fz_always(ctx) {
		pdf_drop_locked_fields(ctx, c.locked);
		pdf_drop_document(ctx, c.od);
	}
	fz_catch(ctx) {
		s->mods = VM_UNDECIDED;
		SETF(s->mods_why, "the revisions cannot be compared: %s", fz_caught_message(ctx));
	}
	if (s->mods != VM_UNDECIDED) {
		s->mods = c.disallowed ? VM_DISALLOWED : VM_ALLOWED;
		SETF(s->mods_why, "%zu later bytes: %d allowed and %d disallowed change(s)",
		     len - s->end, c.allowed, c.disallowed);
	}
	free(c.seen.v);
	free(c.q);
	free(c.pages);
}

/* ---- the document ------------------------------------------------------ */

/* open_whole - MuPDF's view of the file; NULL with why. */
static pdf_document *
open_whole(fz_context *ctx, const unsigned char *p, size_t len, struct verify_report *r)
{
	pdf_document *doc = NULL;

	fz_var(doc);
	fz_try(ctx) {
		doc = open_prefix(ctx, p, len);
		r->repaired = pdf_was_repaired(ctx, doc);
		if (doc->crypt || pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Encrypt)))
			fz_throw(ctx, FZ_ERROR_GENERIC, "encrypted documents are not supported");
		SETF(r->info_id, "%s", pdf_to_text_string(ctx, pdf_dict_getp(ctx,
			pdf_trailer(ctx, doc), "Info/SertelID")));
	}
	fz_catch(ctx) {
		SETF(r->why, "cannot read the PDF: %s", fz_caught_message(ctx));
		pdf_drop_document(ctx, doc);
		doc = NULL;
	}
	return doc;
}

/* find_sigs - every signature field with a signature dictionary, with its facts. */
static int
find_sigs(fz_context *ctx, pdf_document *doc, struct finds *f, struct verify_report *r)
{
	size_t i;
	int rc = 0;

	fz_try(ctx) {
		walk_fields(ctx, f, pdf_dict_getp(ctx, pdf_trailer(ctx, doc), "Root/AcroForm/Fields"),
			    0);
		if (f->n > 0 && (r->sig = calloc(f->n, sizeof *r->sig)) == NULL)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
		for (i = 0; i < f->n; i++)
			read_sig(ctx, &f->v[i], &r->sig[i]);
		r->nsig = f->n;
	}
	fz_catch(ctx) {
		SETF(r->why, "cannot read the signature fields: %s", fz_caught_message(ctx));
		rc = fz_caught(ctx) == FZ_ERROR_MEMORY ? -1 : 0;
		r->nsig = 0;
	}
	return rc;
}

/* sort_sigs - oldest signature first: by where its signed bytes end. */
static void
sort_sigs(struct verify_report *r, struct finds *f)
{
	size_t i, j;

	for (i = 1; i < r->nsig; i++)
		for (j = i; j > 0; j--) {
			struct verify_sig *a = &r->sig[j - 1], *b = &r->sig[j], ts;
			struct found tf;
			long long ka = a->nbr == 4 ? a->br[2] + a->br[3] : -1;
			long long kb = b->nbr == 4 ? b->br[2] + b->br[3] : -1;

			if (ka <= kb)
				break;
			ts = *a, *a = *b, *b = ts;
			tf = f->v[j - 1], f->v[j - 1] = f->v[j], f->v[j] = tf;
		}
}

/* verdict - tampered beats undecided beats untrusted beats intact. */
static void
verdict(struct verify_report *r)
{
	int tampered = 0, undecided = r->nsig == 0, untrusted = 0;
	size_t i;

	for (i = 0; i < r->nsig; i++) {
		const struct verify_sig *s = &r->sig[i];

		tampered |= s->integrity == VI_FAILED || s->coverage == VC_INVALID ||
			    s->mods == VM_DISALLOWED;
		undecided |= s->integrity == VI_UNDECIDED || s->mods == VM_UNDECIDED ||
			     s->trust == VT_UNDECIDED;
		untrusted |= s->trust == VT_UNTRUSTED;
	}
	if (r->nsig == 0 && !r->why[0])
		SETF(r->why, "the document has no signature");
	r->verdict = tampered ? VV_TAMPERED : undecided ? VV_UNDECIDED
				: untrusted ? VV_UNTRUSTED : VV_INTACT;
}

/* check_one - every check of one signature. */
static void
check_one(fz_context *ctx, pdf_document *doc, const unsigned char *p, size_t len,
	  const struct revs *rv, struct found *fd, struct verify_sig *s, X509_STORE *store,
	  const struct verify_opts *o)
{
	coverage_check(s, p, len, rv, fd->contents, fd->clen);
	binding_check(ctx, doc, p, fd, s);
	if (s->doc_timestamp)
		doc_ts_verify(s, p, len, fd, store);
	else
		cms_verify(s, p, len, fd, store, o);
	mods_check(ctx, doc, p, len, fd, s);
}

/* finds_free - drop what find_sigs kept. */
static void
finds_free(fz_context *ctx, struct finds *f)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		pdf_drop_obj(ctx, f->v[i].field);
		pdf_drop_obj(ctx, f->v[i].sig);
		free(f->v[i].contents);
	}
	free(f->v);
	memset(f, 0, sizeof *f);
}

/* is_pdf - "%PDF-" within the first KiB, as readers accept it. */
static int
is_pdf(const unsigned char *p, size_t len)
{
	return memmem(p, len < 1024 ? len : 1024, "%PDF-", 5) != NULL;
}

int
verify_pdf(fz_context *ctx, const unsigned char *pdf, size_t len, const struct verify_opts *o,
	   struct verify_report *r)
{
	struct verify_opts opts = *o;
	X509_STORE *store = o->anchors;
	pdf_document *doc = NULL;
	struct finds f;
	struct revs rv;
	size_t i;
	int rc = 0;

	memset(r, 0, sizeof *r);
	memset(&f, 0, sizeof f);
	r->size = len;
	if (opts.now == 0)
		opts.now = time(NULL);
	if (!is_pdf(pdf, len)) {
		SETF(r->why, "not a PDF (no %%PDF- header)");
		r->verdict = VV_UNDECIDED;
		return 0;
	}
	if (revs_find(pdf, len, &rv) < 0 || (store == NULL && (store = X509_STORE_new()) == NULL)) {
		rc = -1;
		goto out;
	}
	r->revisions = rv.n;
	if (rv.n > 0 && !only_ws(pdf, rv.end[rv.n - 1], len))
		r->trailing = len - rv.end[rv.n - 1];
	if ((doc = open_whole(ctx, pdf, len, r)) == NULL || (rc = find_sigs(ctx, doc, &f, r)) < 0)
		goto out;
	if (r->nsig == 0 && memmem(pdf, len, "/ByteRange", 10))
		SETF(r->why, "no signature is reachable from the form, yet the file holds signature "
		     "dictionaries (/ByteRange): damaged, or a signature was detached");
	sort_sigs(r, &f);
	for (i = 0; i < r->nsig; i++)
		check_one(ctx, doc, pdf, len, &rv, &f.v[i], &r->sig[i], store, &opts);
out:
	verdict(r);
	finds_free(ctx, &f);
	pdf_drop_document(ctx, doc);
	if (store != o->anchors)
		X509_STORE_free(store);
	free(rv.eof);
	free(rv.end);
	ERR_clear_error();
	return rc;
}

void
verify_report_free(struct verify_report *r)
{
	free(r->sig);
	memset(r, 0, sizeof *r);
}

int
verify_exit_code(const struct verify_report *r)
{
	static const int code[] = { 0, 1, 3, 2 };

	return code[r->verdict];
}

/* ---- output ------------------------------------------------------------ */

/* utf8_len - length of the valid UTF-8 sequence at s, 0 if invalid. */
static int
utf8_len(const unsigned char *s)
{
	int n, i;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void
verify_json_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	int n;

	fputc('"', out);
	while (*s) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s++);
		else if (*s == '\n')
			fputs("\\n", out), s++;
		else if (*s < 0x20 || *s == 0x7f)
			fprintf(out, "\\u%04x", *s++);
		else if ((n = utf8_len(s)) == 0)
			fputs("\\ufffd", out), s++;	/* not UTF-8: never emit invalid JSON */
		else
			fwrite(s, 1, (size_t)n, out), s += n;
	}
	fputc('"', out);
}

/* put_text - a string from the PDF or a certificate, without control characters. */
static void
put_text(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	for (; *s; s++)
		fputc(*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

/* jkey - ,"key": string */
static void
jkey(FILE *out, const char *key, const char *val)
{
	fprintf(out, ",\"%s\":", key);
	verify_json_string(out, val);
}

/* jtime - ,"key": "ISO time" or null */
static void
jtime(FILE *out, const char *key, time_t t)
{
	char buf[32];

	if (!t) {
		fprintf(out, ",\"%s\":null", key);
		return;
	}
	fmt_time(t, 1, buf);
	fprintf(out, ",\"%s\":\"%s\"", key, buf);
}

/* json_sig - one signature object. */
static void
json_sig(FILE *out, const struct verify_sig *s, size_t idx)
{
	int i;

	fprintf(out, "{\"index\":%zu", idx + 1);
	jkey(out, "kind", s->doc_timestamp ? "document_timestamp" : "signature");
	jkey(out, "field", s->field);
	jkey(out, "sertel_id", s->sertel_id);
	jkey(out, "subfilter", s->subfilter);
	fputs(",\"byte_range\":[", out);
	for (i = 0; i < s->nbr && i < 4; i++)
		fprintf(out, "%s%lld", i ? "," : "", s->br[i]);
	fprintf(out, "],\"revision\":%d", s->revision);
	jkey(out, "signer", s->subject);
	jkey(out, "issuer", s->issuer);
	jkey(out, "serial", s->serial);
	jkey(out, "digest_algorithm", s->digest);
	jtime(out, "signing_time", s->signing_time);
	jkey(out, "time_source", time_name(s->time_source));
	jtime(out, "claimed_time", s->claimed_time);
	jkey(out, "integrity", verify_integrity_name(s->integrity));
	jkey(out, "integrity_detail", s->integrity_why);
	jkey(out, "coverage", verify_coverage_name(s->coverage));
	jkey(out, "coverage_detail", s->coverage_why);
	jkey(out, "modifications", verify_mods_name(s->mods));
	jkey(out, "modifications_detail", s->mods_why);
	fputs(",\"changes\":[", out);
	for (i = 0; i < s->nchanges; i++) {
		if (i)
			fputc(',', out);
		verify_json_string(out, s->changes[i]);
	}
	fprintf(out, "],\"changes_not_listed\":%d", s->changes_dropped);
	jkey(out, "timestamp", tst_name(s->tst));
	jtime(out, "timestamp_time", s->tst_time);
	jkey(out, "timestamp_detail", s->tst_why);
	jkey(out, "trust", verify_trust_name(s->trust));
	jkey(out, "trust_detail", s->trust_why);
	jkey(out, "revocation", revocation_name(s->revocation));
	jkey(out, "revocation_detail", s->crl_why[0] ? s->crl_why : s->reg.revocation != VR_NOT_CHECKED
		? "registry" : "");
	jkey(out, "store", verify_store_name(s->reg.store));
	jkey(out, "store_detail", s->reg.detail);
	fputc('}', out);
}

void
verify_print_json(FILE *out, const char *file, const struct verify_report *r)
{
	size_t i;

	fputs("{\"file\":", out);
	verify_json_string(out, file);
	fprintf(out, ",\"size\":%zu,\"revisions\":%d,\"trailing_bytes\":%zu,\"repaired\":%s",
		r->size, r->revisions, r->trailing, r->repaired ? "true" : "false");
	jkey(out, "sertel_id", r->info_id);
	jkey(out, "verdict", verify_verdict_name(r->verdict));
	fprintf(out, ",\"exit\":%d", verify_exit_code(r));
	jkey(out, "detail", r->why);
	fputs(",\"signatures\":[", out);
	for (i = 0; i < r->nsig; i++) {
		if (i)
			fputc(',', out);
		json_sig(out, &r->sig[i], i);
	}
	fputs("]}\n", out);
}

/* line - "  label:  text" with the text sanitized. */
static void
line(FILE *out, const char *label, const char *text)
{
	fprintf(out, "  %-14s ", label);
	put_text(out, text);
	fputc('\n', out);
}

/* state_line - "  label:  STATE (detail)". */
static void
state_line(FILE *out, const char *label, const char *state, const char *detail)
{
	fprintf(out, "  %-14s %s", label, state);
	if (detail && *detail) {
		fputs(" (", out);
		put_text(out, detail);
		fputc(')', out);
	}
	fputc('\n', out);
}

/* text_time - the signing time and where it came from. */
static void
text_time(FILE *out, const struct verify_sig *s)
{
	static const char *src[] = { "unknown: the chain was checked at the current time",
				     "claimed by the signer (/M), not proven",
				     "from the signature timestamp" };
	char buf[32], msg[128];

	if (s->signing_time) {
		fmt_time(s->signing_time, 0, buf);
		snprintf(msg, sizeof msg, "%s, %s", buf, src[s->time_source]);
	} else {
		snprintf(msg, sizeof msg, "%s", src[0]);
	}
	line(out, "signed at:", msg);
}

/* text_sig - one signature for people. */
static void
text_sig(FILE *out, const struct verify_sig *s, size_t idx, size_t n)
{
	static const char *integ_w[] = { "OK", "FAILED", "COULD NOT DECIDE" };
	static const char *cov_w[] = { "OK, whole file", "OK, an earlier revision", "INVALID" };
	static const char *mods_w[] = { "none", "only allowed changes", "DISALLOWED CHANGES",
					"COULD NOT DECIDE" };
	static const char *trust_w[] = { "TRUSTED", "NOT TRUSTED", "not decided" };
	static const char *tst_w[] = { "none", "valid", "valid but the TSA is NOT TRUSTED",
				       "INVALID" };
	char buf[400], t[32];
	int i;

	fprintf(out, "\n%s %zu of %zu: field \"", s->doc_timestamp ? "Document timestamp"
		: "Signature", idx + 1, n);
	put_text(out, s->field);
	fputs("\"\n", out);
	if (s->sertel_id[0])
		line(out, "ID TTE:", s->sertel_id);
	snprintf(buf, sizeof buf, "%s (serial %s)", s->subject[0] ? s->subject : "?", s->serial);
	line(out, s->doc_timestamp ? "TSA:" : "signer:", buf);
	line(out, "issued by:", s->issuer[0] ? s->issuer : "?");
	text_time(out, s);
	snprintf(buf, sizeof buf, "[%lld %lld %lld %lld] %s", s->br[0], s->br[1], s->br[2], s->br[3],
		 s->subfilter);
	line(out, "byte range:", buf);
	state_line(out, "integrity:", integ_w[s->integrity], s->integrity_why);
	state_line(out, "coverage:", cov_w[s->coverage], s->coverage_why);
	state_line(out, "later changes:", mods_w[s->mods], s->mods_why);
	for (i = 0; i < s->nchanges; i++)
		line(out, "", s->changes[i]);
	if (s->changes_dropped)
		fprintf(out, "  %-14s ... and %d more\n", "", s->changes_dropped);
	if (!s->doc_timestamp) {
		if (s->tst_time)
			fmt_time(s->tst_time, 0, t);
		snprintf(buf, sizeof buf, "%s%s%s", s->tst_time ? t : "", s->tst_time ? "; " : "",
			 s->tst_why);
		state_line(out, "timestamp:", tst_w[s->tst], buf);
	}
	state_line(out, "trust:", trust_w[s->trust], s->trust_why);
	state_line(out, "revocation:", s->revocation == VR_REVOKED ? "REVOKED"
		   : s->revocation == VR_GOOD ? "not revoked" : "not checked (no CRL, no registry)",
		   s->crl_why);
	if (s->reg.store == VS_DELETED)
		state_line(out, "store:", "DELETED: the document was removed from sertel's store",
			   s->reg.detail);
	else if (s->reg.store != VS_NOT_CHECKED)
		state_line(out, "store:", verify_store_name(s->reg.store), s->reg.detail);
}

void
verify_print_text(FILE *out, const char *file, const struct verify_report *r)
{
	static const char *word[] = { "INTACT and TRUSTED (UTUH)", "TAMPERED (DIUBAH)",
				      "INTACT but NOT TRUSTED (TIDAK DIPERCAYA)",
				      "COULD NOT DECIDE" };
	size_t i;

	fputs("File: ", out);
	put_text(out, file);
	fprintf(out, " (%zu bytes, %d revision(s)", r->size, r->revisions);
	if (r->info_id[0]) {
		fputs(", ID TTE ", out);
		put_text(out, r->info_id);
	}
	fputs(")\n", out);
	if (r->trailing)
		fprintf(out, "Note: %zu bytes after the last revision (after its %%%%EOF)\n",
			r->trailing);
	if (r->repaired)
		fputs("Note: the cross-reference table is broken (MuPDF had to repair it)\n", out);
	for (i = 0; i < r->nsig; i++)
		text_sig(out, &r->sig[i], i, r->nsig);
	fprintf(out, "\nVerdict: %s", word[r->verdict]);
	if (r->why[0]) {
		fputs(": ", out);
		put_text(out, r->why);
	}
	fputc('\n', out);
	for (i = 0; i < r->nsig; i++)
		if (r->sig[i].reg.store == VS_DELETED) {
			fputs("Note: ID TTE ", out);
			put_text(out, r->sig[i].sertel_id);
			fputs(" was DELETED from sertel's store; the signature itself is not affected\n",
			      out);
		}
}
