/*
 * verify_print.c - a verification report for people (text) and for
 * programs (JSON), and the names of its states (see verify.h).  Strings
 * from the PDF or a certificate never reach the output raw: control
 * characters are replaced, and JSON is always valid UTF-8.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../../base/text.h"
#include "verify.h"
#include "verify_str.h"

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

/* ---- output ------------------------------------------------------------ */

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
	text_json_quote(out, val);
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
	verify_fmt_time(t, 1, buf);
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
	jkey(out, "weak_digest", s->weak_digest);
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
		text_json_quote(out, s->changes[i]);
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
	jtime(out, "revoked_after_signing", s->revoked_after);
	jkey(out, "store", verify_store_name(s->reg.store));
	jkey(out, "store_detail", s->reg.detail);
	fputc('}', out);
}

void
verify_print_json(FILE *out, const char *file, const struct verify_report *r)
{
	size_t i;

	fputs("{\"file\":", out);
	text_json_quote(out, file);
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
		verify_fmt_time(s->signing_time, 0, buf);
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
			verify_fmt_time(s->tst_time, 0, t);
		snprintf(buf, sizeof buf, "%s%s%s", s->tst_time ? t : "", s->tst_time ? "; " : "",
			 s->tst_why);
		state_line(out, "timestamp:", tst_w[s->tst], buf);
	}
	if (s->trust == VT_UNDECIDED && s->integrity == VI_FAILED)	/* not "not decided": judged */
		state_line(out, "trust:", "not checked", !strncmp(s->trust_why, "not checked: ", 13)
			   ? s->trust_why + 13 : s->trust_why);
	else
		state_line(out, "trust:", trust_w[s->trust], s->trust_why);
	if (s->revoked_after) {
		verify_fmt_time(s->revoked_after, 0, t);
		snprintf(buf, sizeof buf, "the certificate was revoked on %s (%s%s%s), after this "
			 "signature: it stays valid as signed then", t, s->crl_why[0] ? "CRL" :
			 "registry", s->reg.revoked_why[0] ? ", reason " : "", s->reg.revoked_why);
		state_line(out, "revocation:", "revoked afterwards", buf);
	} else
		state_line(out, "revocation:", s->revocation == VR_REVOKED ? "REVOKED"
			   : s->revocation == VR_GOOD ? "not revoked"
			   : "not checked (no CRL, no registry)", s->crl_why);
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
