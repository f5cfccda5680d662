#!/bin/sh
# 61-verify-formats.sh - `sertel verify` on signatures as other software writes them
# (tests/lib/pdfinc.py): every key type real signers use, CMS with and without signed
# attributes, attached content, SHA-1, the legacy adbe.pkcs7.sha1 and adbe.x509.rsa_sha1,
# and signature dictionaries without a signature value.  Exit code and reason from sertel;
# the valid ones checked independently (pdfsig where poppler supports the format, else the
# openssl CLI on the signature's parts).  Last, the pipeline countersigns a document whose
# earlier signature has no signed attributes.
. "$(dirname "$0")/../lib/e2e.sh"
pki
P=$T/pki
INC="$ROOT/tests/lib/pdfinc.py"
unset SERTEL_CONFIG

# keys the test PKI lacks, issued by its sub CA like the others
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n' > "$T/ext.cnf"
for k in ec521:EC:ec_paramgen_curve:P-521 ed25519:ED25519 ed448:ED448; do
	name=${k%%:*} rest=${k#*:}
	alg=${rest%%:*} opt=${rest#"$alg"}
	openssl genpkey -algorithm "$alg" ${opt:+-pkeyopt "${opt#:}"} -out "$P/signer-$name.key" 2>/dev/null
	openssl req -new -key "$P/signer-$name.key" -subj "/C=ID/O=Pemerintah Kabupaten Musi Rawas/CN=Uji $name" \
		-out "$T/$name.csr" 2>/dev/null
	openssl x509 -req -in "$T/$name.csr" -CA "$P/sub.pem" -CAkey "$P/sub.key" -days 730 \
		-set_serial "0x$(openssl rand -hex 12)" -extfile "$T/ext.cnf" -out "$P/signer-$name.pem" 2>/dev/null
done
ok "$([ -s "$P/signer-ec521.pem" ] && [ -s "$P/signer-ed25519.pem" ] && [ -s "$P/signer-ed448.pem" ]; echo $?)" \
	"P-521, Ed25519 and Ed448 signers issued by the test sub CA"

mkdir -p "$T/nss"
certutil -N -d "sql:$T/nss" --empty-password > /dev/null 2>&1 &&
	certutil -A -d "sql:$T/nss" -n ca -t "CT,C,C" -i "$P/ca.pem" > /dev/null 2>&1

python3 "$ROOT/tests/lib/mkpdf.py" "$T/base.pdf"
# sign NAME KEY ARGS... - base.pdf signed by signer-KEY into $T/NAME.pdf
sign() { _n=$1 _k=$2; shift 2; python3 "$INC" sign "$T/base.pdf" "$T/$_n.pdf" --key "$P/signer-$_k.key" \
	--cert "$P/signer-$_k.pem" --chain "$P/chain.pem" "$@"; }
# v NAME - sertel verify --trust ca.pem, text in NAME.txt and JSON in NAME.json; prints the exit code
v() { "$SERTEL" verify --trust "$P/ca.pem" "$T/$1.pdf" > "$T/$1.txt" 2>&1
	"$SERTEL" verify --json --trust "$P/ca.pem" "$T/$1.pdf" > "$T/$1.json" 2>&1; echo $?; }
# sig NAME KEY - a value of the first signature's JSON
sig() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["signatures"][0][sys.argv[2]])' \
	"$T/$1.json" "$2"; }
# has NAME KEY TEXT - whether that value contains TEXT
has() { sig "$1" "$2" | grep -qF -- "$3"; }
# pdfsig_ok NAME - poppler: the signature valid and its certificate trusted
pdfsig_ok() { out=$(pdfsig -nssdir "sql:$T/nss" "$T/$1.pdf" 2>&1)
	printf '%s\n' "$out" | grep -q 'Signature is Valid' &&
	printf '%s\n' "$out" | grep -q 'Certificate is Trusted'; }
# parts NAME - the parts of its signature in $T/NAME.d/ (ranges.bin, contents.der, attrs.der, sig.bin)
parts() { mkdir -p "$T/$1.d" && python3 "$INC" parts "$T/$1.pdf" "$T/$1.d"; }
# cms_ok NAME - openssl cms: the detached CMS verifies over the signed bytes, chain to ca.pem
cms_ok() { parts "$1" && openssl cms -verify -binary -inform DER -in "$T/$1.d/contents.der" \
	-content "$T/$1.d/ranges.bin" -CAfile "$P/ca.pem" -certfile "$P/chain.pem" -purpose any \
	-out /dev/null > /dev/null 2>&1; }
# flip NAME - a copy (NAME-flip) with one byte of the signed header changed
flip() { python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[30] ^= 1
open(sys.argv[2], "wb").write(d)' "$T/$1.pdf" "$T/$1-flip.pdf"; }

# --- key types (RSA PKCS#1 v1.5 and ECDSA with signed attributes passed before too)
sign rsa rsa
is "$(v rsa)" 0 "RSA PKCS#1 v1.5: intact and trusted"
pdfsig_ok rsa; ok $? "... pdfsig agrees"
sign pss rsa --pss
is "$(v pss)" 0 "RSA-PSS signature by an RSA key: exit 0"
has pss integrity_detail "RSA-PSS signature"; ok $? "... said to be RSA-PSS"
pdfsig_ok pss; ok $? "... pdfsig agrees"
sign psskey pss
is "$(v psskey)" 0 "an RSASSA-PSS key (rsassaPss certificate) signing with PSS: exit 0"
cms_ok psskey; ok $? "... openssl cms agrees (poppler's NSS rejects rsassaPss keys)"
sign psslabel pss --mislabel-pss
is "$(v psslabel)" 1 "the same key, its PSS signature labelled rsaEncryption (OpenSSL's CMS without -keyopt): not valid"
has psslabel integrity_detail "labels it rsaEncryption, but the signer's key is an RSASSA-PSS key"
ok $? "... saying the label does not fit the key"
parts psslabel
openssl cms -verify -binary -inform DER -in "$T/psslabel.d/contents.der" -content "$T/psslabel.d/ranges.bin" \
	-CAfile "$P/ca.pem" -certfile "$P/chain.pem" -purpose any -out /dev/null > /dev/null 2>&1
is "$?" 4 "... and openssl cms rejects it too"
for k in ec ec384 ec521; do
	sign "$k" "$k"
	is "$(v "$k")" 0 "ECDSA $k: exit 0"
	pdfsig_ok "$k"; ok $? "... pdfsig agrees"
done

# Ed25519 / Ed448 (RFC 8419); OpenSSL 3.0's CMS and poppler cannot check them, so
# the signature over the signed attributes with pkeyutl, the digest with dgst
for name in ed25519 ed448; do
	case $name in ed25519) md=sha512 xof= ;; *) md=shake256 xof="-xoflen 64" ;; esac
	sign "$name" "$name"
	is "$(v "$name")" 0 "$name with signed attributes: intact and trusted"
	parts "$name"
	openssl x509 -in "$P/signer-$name.pem" -pubkey -noout > "$T/$name.pub"
	openssl pkeyutl -verify -rawin -pubin -inkey "$T/$name.pub" -in "$T/$name.d/attrs.der" \
		-sigfile "$T/$name.d/sig.bin" > /dev/null 2>&1 &&
	python3 -c 'import sys; d = bytes.fromhex(sys.argv[2]); sys.exit(d not in open(sys.argv[1], "rb").read())' \
		"$T/$name.d/attrs.der" "$(openssl dgst "-$md" $xof -binary "$T/$name.d/ranges.bin" |
			od -An -tx1 -v | tr -d ' \n')"
	ok $? "... openssl pkeyutl verifies the signed attributes, which hold the $md of the signed bytes"
done
sign ed25519-plain ed25519 --noattr
is "$(v ed25519-plain)" 0 "Ed25519 without signed attributes (pure EdDSA over the signed bytes): exit 0"
parts ed25519-plain
openssl pkeyutl -verify -rawin -pubin -inkey "$T/ed25519.pub" -in "$T/ed25519-plain.d/ranges.bin" \
	-sigfile "$T/ed25519-plain.d/sig.bin" > /dev/null 2>&1
ok $? "... openssl pkeyutl agrees"
flip ed25519
is "$(v ed25519-flip)" 1 "an Ed25519-signed document changed afterwards: tampered"

# --- CMS without signed attributes: the signature is over the digest of the ranges
sign noattr rsa --noattr
is "$(v noattr)" 0 "adbe.pkcs7.detached without signed attributes: intact and trusted"
has noattr integrity_detail "RSA signature over the SHA256 digest matches (no signed attributes)"
ok $? "... said so"
pdfsig_ok noattr; ok $? "... pdfsig agrees"
sign noattr-cert ec384 --noattr --certify 2
is "$(v noattr-cert)" 0 "the same as a certification signature (DocMDP P=2), ECDSA P-384: exit 0"
pdfsig_ok noattr-cert; ok $? "... pdfsig agrees"
flip noattr
is "$(v noattr-flip)" 1 "without signed attributes, one byte changed: tampered"
has noattr-flip integrity_detail "does not verify with the signer's key"; ok $? "... the signature named"

# --- SHA-1: verified, but a weak digest: intact, not trusted (exit 3)
sign sha1 rsa --md sha1
is "$(v sha1)" 3 "a SHA-1 signature: intact but not trusted"
is "$(sig sha1 integrity) $(sig sha1 weak_digest)" "ok SHA1" "... integrity ok, JSON weak_digest SHA1"
has sha1 trust_detail "weak digest algorithm SHA1"; ok $? "... the trust detail names the weak digest"
grep -q "integrity: .*WEAK digest algorithm SHA1" "$T/sha1.txt" &&
	grep -q "trust: .*NOT TRUSTED (weak digest algorithm SHA1" "$T/sha1.txt"
ok $? "... and the text says so on the integrity and trust lines"
pdfsig_ok sha1; ok $? "... pdfsig calls the signature itself valid"

# --- legacy formats, verified (both bind the document by SHA-1: exit 3)
sign p7sha1 rsa --subfilter adbe.pkcs7.sha1
is "$(v p7sha1)" 3 "adbe.pkcs7.sha1: intact, not trusted (SHA-1)"
has p7sha1 integrity_detail "signs the SHA-1 digest of the signed bytes (adbe.pkcs7.sha1)"; ok $? "... said so"
parts p7sha1
openssl cms -verify -binary -inform DER -in "$T/p7sha1.d/contents.der" -CAfile "$P/ca.pem" \
	-certfile "$P/chain.pem" -purpose any -out "$T/p7sha1.d/content" > /dev/null 2>&1 &&
	openssl dgst -sha1 -binary "$T/p7sha1.d/ranges.bin" | cmp -s - "$T/p7sha1.d/content"
ok $? "... openssl cms: the CMS verifies and carries the SHA-1 of the signed bytes"
flip p7sha1
is "$(v p7sha1-flip)" 1 "adbe.pkcs7.sha1, one byte changed: tampered"
has p7sha1-flip integrity_detail "not the SHA-1 digest of the signed bytes"; ok $? "... said so"

sign x509 rsa --subfilter adbe.x509.rsa_sha1
is "$(v x509)" 3 "adbe.x509.rsa_sha1 (PKCS#1 in /Contents, /Cert): intact, not trusted (SHA-1)"
is "$(sig x509 integrity) $(sig x509 trust)" "ok untrusted" "... integrity ok; trust only lowered by SHA-1"
has x509 trust_detail "weak digest algorithm SHA1"; ok $? "... (the chain in /Cert reaches the anchor)"
parts x509
openssl x509 -in "$P/signer-rsa.pem" -pubkey -noout > "$T/rsa.pub"
openssl dgst -sha1 -verify "$T/rsa.pub" -signature "$T/x509.d/sig.bin" "$T/x509.d/ranges.bin" > /dev/null 2>&1
ok $? "... openssl dgst -verify agrees"
flip x509
is "$(v x509-flip)" 1 "adbe.x509.rsa_sha1, one byte changed: tampered"
has x509-flip integrity_detail "is not the one the PKCS#1 signature signs"; ok $? "... said so"

# --- a CMS that carries content on a detached /SubFilter
sign attached rsa --attached
is "$(v attached)" 0 "attached content equal to the signed bytes: the same signature, intact"
has attached integrity_detail "the CMS also carries the signed bytes"; ok $? "... said so"
parts attached
openssl cms -verify -binary -inform DER -in "$T/attached.d/contents.der" -CAfile "$P/ca.pem" \
	-certfile "$P/chain.pem" -purpose any -out "$T/attached.d/content" > /dev/null 2>&1 &&
	cmp -s "$T/attached.d/content" "$T/attached.d/ranges.bin"
ok $? "... openssl cms: valid, and its content is exactly the signed bytes"
printf 'bukan isi dokumen\n' > "$T/other.txt"
sign attother rsa --attached-content "$T/other.txt"
is "$(v attother)" 1 "attached content that is not the signed bytes: not a valid signature (exit 1)"
has attother integrity_detail "the CMS carries 18 bytes of content that are not the signed bytes"
ok $? "... saying what it carries"

# --- no signature value: judged, the report coherent
sign empty rsa --contents empty
is "$(v empty)" 1 "/Contents empty: not a valid signature (exit 1)"
is "$(sig empty integrity)" failed "... integrity failed, not undecided"
has empty integrity_detail "has no signature value (/Contents is empty)"; ok $? "... with the reason"
grep -q "integrity: *FAILED (the signature dictionary has no signature value" "$T/empty.txt" &&
	! grep -q "COULD NOT DECIDE\|not decided" "$T/empty.txt"
ok $? "... and the text says FAILED, nothing undecided"
sign missing rsa --contents missing
is "$(v missing)" 1 "/Contents missing: not a valid signature (exit 1)"
has missing integrity_detail "has no signature value (no /Contents)"; ok $? "... with the reason"

# --- countersigning follows the same judgement: a document signed elsewhere without
# signed attributes is signed by the pipeline (and both signatures verify)
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
mkdir -p "$T/spool/incoming/setda"
cp "$T/noattr.pdf" "$T/spool/incoming/setda/lain.pdf"
cp "$T/empty.pdf" "$T/spool/incoming/setda/kosong.pdf"
for f in lain kosong; do sidecar "$T/spool/incoming/setda/$f.pdf" 198204152008011002; done
"$SERTEL" -q run --once > /dev/null 2>&1
C="$T/spool/done/setda/lain.pdf"
[ -f "$C" ]
ok $? "the pipeline countersigns a document whose signature has no signed attributes"
[ -f "$C" ] || sed 's/^/# /' "$T"/spool/failed/setda/lain.error.yaml 2>/dev/null
"$SERTEL" verify --json "$C" > "$T/counter.json" 2>&1
is "$?" 0 "... the countersigned file verifies (exit 0)"
is "$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print([(s["integrity"], s["modifications"]) for s in d["signatures"]])' "$T/counter.json")" \
	"[('ok', 'allowed'), ('ok', 'none')]" "... two signatures, the first only followed by allowed changes"
is "$(pdfsig -nssdir "sql:$T/nss" "$C" 2>/dev/null | grep -c 'Signature is Valid')" 2 "... pdfsig: both valid"
R="$T/spool/failed/setda/kosong.error.yaml"
is "$(sed -n 's/^ *- kode: *//p' "$R" 2>/dev/null)" pdf.signature_broken \
	"a document whose earlier signature has no value: refused (pdf.signature_broken)"
grep -q "signature 1 of 2 (before this one): the signature dictionary has no signature value" "$R"
ok $? "... the report says why"
done_testing
