#!/bin/sh
# 60-verify.sh - `sertel verify FILE.pdf [--json] [--trust CA.pem]`: files signed by the
# pipeline, then changed on purpose; exit 0 intact and trusted, 1 tampered, 3 intact but
# not trusted, 2 could not decide.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"

# pdfedit.py - the byte-level edits an attacker (or a form filler) makes
cat > "$T/pdfedit.py" <<'PY'
import re, sys

def last_trailer(data):
    t = data.rindex(b"trailer")
    trailer = data[t:data.index(b">>", t)]
    root = re.search(rb"/Root\s*(\d+ \d+ R)", trailer).group(1)
    size = int(re.search(rb"/Size\s*(\d+)", trailer).group(1))
    return root, size, int(re.findall(rb"startxref\s+(\d+)", data)[-1])

def obj_body(data, num):
    return list(re.finditer(rb"(?<![0-9])%d 0 obj\s*(.*?)\s*endobj" % num, data, re.S))[-1].group(1)

def update(data, objs):
    """data plus one incremental update (classic xref) holding objs {num: body}."""
    root, size, prev = last_trailer(data)
    out, offs = bytearray(data), {}
    for num in sorted(objs):
        offs[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n\r\n" % (n, offs[n]) for n in sorted(objs))
    size = max([size] + [n + 1 for n in objs])
    out += b"trailer\n<</Size %d/Root %s/Prev %d>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, prev, xref)
    return bytes(out)

def last_br(data):
    return list(re.finditer(rb"/ByteRange\s*\[\s*(\d+) (\d+) (\d+) (\d+)\s*\]", data))[-1]

cmd, src, dst = sys.argv[1:4]
data = open(src, "rb").read()
page = int(re.search(rb"(\d+) 0 obj\s*<</Type/Page/", data).group(1))
if cmd == "flip":                       # one byte inverted
    b = bytearray(data); b[int(sys.argv[4])] ^= 0xFF; data = bytes(b)
elif cmd == "content":                  # page 1 drawn anew in a later revision
    num = int(re.search(rb"/Contents\s*(\d+) 0 R", obj_body(data, page)).group(1))
    text = b"BT /F1 24 Tf 72 700 Td (ISI DIUBAH) Tj ET"
    data = update(data, {num: b"<</Length %d>>stream\n%s\nendstream" % (len(text), text)})
elif cmd == "annot":                    # a new (non-signature) annotation on page 1
    body = obj_body(data, page)
    note = last_trailer(data)[1]
    m = re.search(rb"/Annots\s*\[([^\]]*)\]", body)
    body = re.sub(rb"/Annots\s*\[[^\]]*\]", b"", body)
    body = body[:-2] + b"/Annots[" + (m.group(1) if m else b"") + b" %d 0 R]>>" % note
    data = update(data, {page: body, note: b"<</Type/Annot/Subtype/Text/Rect[90 90 120 120]"
                                             b"/Contents(DIUBAH)/P %d 0 R>>" % page})
elif cmd == "fill":                     # the text field nomor_surat given a new /V
    num = int(re.search(rb"(\d+) 0 obj\s*<</Type/Annot/Subtype/Widget/FT/Tx", data).group(1))
    body = re.sub(rb"/V\((?:[^()\\]|\\.)*\)", b"/V(" + sys.argv[4].encode() + b")", obj_body(data, num))
    data = update(data, {num: body})
elif cmd == "resig":                    # the signature dictionary redefined in a later revision
    num = int(list(re.finditer(rb"(\d+) 0 obj\s*<</Type/Sig", data))[-1].group(1))
    data = update(data, {num: obj_body(data, num)})
elif cmd == "byterange":                # /ByteRange b and c moved, same width
    m = last_br(data)
    new = b"/ByteRange[0 %d %d %d" % (int(m.group(2)), int(m.group(3)) + int(sys.argv[4]),
                                      int(m.group(4)) + int(sys.argv[5]))
    data = data[:m.start()] + new + b" " * (m.end() - m.start() - len(new) - 1) + b"]" + data[m.end():]
elif cmd == "hole":                     # another DER into the /Contents hole
    m = last_br(data)
    a, b = int(m.group(2)), int(m.group(3))
    der = open(sys.argv[4], "rb").read().hex().upper().encode()
    data = data[:a + 1] + der + b"0" * (b - a - 2 - len(der)) + data[b - 1:]
open(dst, "wb").write(data)
PY
edit() { python3 "$T/pdfedit.py" "$@"; }
# jget FILE EXPR - a value of the JSON report in FILE (d is the document)
jget() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
# jgrep PATTERN FILE EXPR - whether the value matches (grep -c reads it all: no SIGPIPE)
jgrep() { jget "$2" "$3" | grep -c -- "$1" > /dev/null; }
# v OUT ARGS... - sertel verify --json ARGS > OUT.json; prints the exit code
v() { out=$1; shift; "$SERTEL" verify --json "$@" > "$T/$out.json" 2> "$T/$out.stderr.txt"; echo $?; }

drop diskominfo surat
mkdir -p "$T/spool/incoming/setda"
python3 "$ROOT/tests/lib/mkpdf.py" --acroform "$T/spool/incoming/setda/formulir.pdf"
sidecar "$T/spool/incoming/setda/formulir.pdf" 198204152008011002
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "the pipeline signs the two documents"
S="$T/spool/done/diskominfo/surat.pdf"
FORM="$T/spool/done/setda/formulir.pdf"
id=$(sqlite3 "$T/state/sertel.db" "select id from jobs where delivered = 'surat'")
V="$T/v"
mkdir -p "$V"

# --- intact
is "$(v ok "$S")" 0 "an RSA-signed document with the configuration: exit 0"
is "$(jget "$T/ok.json" '[d["verdict"]] + [d["signatures"][0][k] for k in ("integrity", "coverage", "modifications", "trust", "store")]')" \
	"['intact', 'ok', 'whole_file', 'none', 'trusted', 'stored']" \
	"... JSON: intact; integrity ok, coverage whole_file, modifications none, trusted, stored"
is "$(jget "$T/ok.json" 'd["signatures"][0]["sertel_id"]')" "$id" "... with the ID TTE of the database"
"$SERTEL" verify "$S" > "$T/ok.txt" 2>&1
grep -q "^Verdict: INTACT and TRUSTED (UTUH)" "$T/ok.txt" && grep -q "ID TTE: *$id" "$T/ok.txt"
ok $? "... and in plain text: the verdict (UTUH) and the ID TTE"
is "$(v ec "$FORM")" 0 "an ECDSA-signed form: exit 0"

# --- without a configuration: anchors only from --trust
unset SERTEL_CONFIG
is "$(v noconf "$S")" 3 "no configuration, no --trust: intact but not trusted (exit 3)"
jgrep "unknown CA" "$T/noconf.json" 'd["signatures"][0]["trust_detail"]'
ok $? "... because of an unknown CA"
is "$(jget "$T/noconf.json" 'd["signatures"][0]["integrity"] + " " + d["signatures"][0]["store"]')" \
	"ok not_checked" "... integrity still ok; no store to ask"
is "$(v trust "$S" --trust "$T/pki/ca.pem")" 0 "--trust ca.pem: exit 0"
is "$(v foreign "$S" --trust "$T/pki/foreign.pem")" 3 "--trust with another CA only: exit 3"
export SERTEL_CONFIG="$T/sertel.yaml"

# --- tampered
edit flip "$S" "$V/flip.pdf" 10
is "$(v flip "$V/flip.pdf")" 1 "one flipped byte in the signed range: tampered (exit 1)"
is "$(jget "$T/flip.json" 'd["verdict"] + " " + d["signatures"][0]["integrity"]')" "tampered failed" \
	"... integrity failed"
"$SERTEL" verify "$V/flip.pdf" > "$T/flip.txt"
grep -q "^Verdict: TAMPERED (DIUBAH)" "$T/flip.txt"
ok $? "... and the text says TAMPERED (DIUBAH)"

edit content "$S" "$V/content.pdf"
is "$(v content "$V/content.pdf")" 1 "an incremental update that redraws page 1: tampered"
is "$(jget "$T/content.json" 'd["signatures"][0]["integrity"] + " " + d["signatures"][0]["coverage"] + " " + d["signatures"][0]["modifications"]')" \
	"ok revision disallowed" "... the signature itself intact, the later change disallowed"
jgrep "DISALLOWED: page 1/Contents" "$T/content.json" '"\n".join(d["signatures"][0]["changes"])'
ok $? "... naming page 1's /Contents"

edit annot "$S" "$V/annot.pdf"
is "$(v annot "$V/annot.pdf")" 1 "a later revision adding a text annotation: tampered"

edit byterange "$S" "$V/skip.pdf" 4 -4
is "$(v skip "$V/skip.pdf")" 1 "a /ByteRange that skips bytes: tampered"
is "$(jget "$T/skip.json" 'd["signatures"][0]["coverage"]')" invalid "... coverage invalid"

edit byterange "$S" "$V/out.pdf" 0 5000
is "$(v out "$V/out.pdf")" 1 "a /ByteRange that points outside the file: tampered"
jgrep "outside the file" "$T/out.json" 'd["signatures"][0]["coverage_detail"]'
ok $? "... said so"

# a CMS by the same signer, valid, over other bytes: its messageDigest cannot match
printf 'bukan isi surat\n' > "$T/lain.txt"
openssl cms -sign -binary -nosmimecap -in "$T/lain.txt" -signer "$T/pki/signer-rsa.pem" \
	-inkey "$T/pki/signer-rsa.key" -certfile "$T/pki/sub.pem" -outform DER -out "$T/lain.der"
edit hole "$S" "$V/md.pdf" "$T/lain.der"
is "$(v md "$V/md.pdf")" 1 "a CMS whose messageDigest does not match: tampered"
jgrep "messageDigest" "$T/md.json" 'd["signatures"][0]["integrity_detail"]'
ok $? "... the messageDigest named"

edit resig "$S" "$V/resig.pdf"
is "$(v resig "$V/resig.pdf")" 1 "the signature dictionary redefined after signing: tampered"

# --- intact after changes the signature allows
mkdir -p "$T/spool/incoming/setda"
cp "$S" "$T/spool/incoming/setda/paraf-dua.pdf"
sidecar "$T/spool/incoming/setda/paraf-dua.pdf" 198204152008011002
"$SERTEL" -q run --once > /dev/null 2>&1
C="$T/spool/done/setda/paraf-dua.pdf"
is "$(v counter "$C")" 0 "countersigned by the pipeline (RSA, then ECDSA): exit 0"
is "$(jget "$T/counter.json" '[len(d["signatures"]), d["signatures"][0]["coverage"], d["signatures"][0]["modifications"], d["signatures"][1]["coverage"]]')" \
	"[2, 'revision', 'allowed', 'whole_file']" \
	"... two signatures; the first sees only allowed changes after its revision"

# --- sign, then verify, then release: countersigning a tampered document
# would hand out a file whose first signature is broken; the sign stage's own
# verification refuses it and the input comes back untouched.
cp "$V/flip.pdf" "$T/spool/incoming/setda/rusak.pdf"
sidecar "$T/spool/incoming/setda/rusak.pdf" 198204152008011002
"$SERTEL" -q run --once > /dev/null 2>&1
is "$(sed -n 's/^ *- kode: *//p' "$T/spool/failed/setda/rusak.error.yaml")" \
	pdf.signature_broken "countersigning a tampered PDF: refused by the own verification (pdf.signature_broken)"
cmp -s "$V/flip.pdf" "$T/spool/failed/setda/rusak.pdf"
ok $? "... and the PDF is handed back byte-identical (no signed copy leaves)"
grep -q "signature 1 of 2 (before this one): the SHA256 digest" "$T/spool/failed/setda/rusak.error.yaml"
ok $? "... the report names the broken (first) signature"

edit fill "$FORM" "$V/fill.pdf" "800/77/DISKOMINFO/2026"
is "$(v fill "$V/fill.pdf")" 0 "a form field filled in afterwards: exit 0"
jgrep 'allowed: form field "nomor_surat" filled in' "$T/fill.json" '"\n".join(d["signatures"][0]["changes"])'
ok $? "... reported as an allowed change"

cat "$S" > "$V/trailing.pdf"; printf 'sampah\n' >> "$V/trailing.pdf"
is "$(v trailing "$V/trailing.pdf")" 0 "bytes after the last %%EOF: still intact (they change nothing)"
is "$(jget "$T/trailing.json" 'd["trailing_bytes"]')" 7 "... and reported as trailing bytes"

# --- not trusted: a revoked signer (a CRL of the sub CA next to the anchor)
(
	cd "$T/pki" && mkdir -p crl.d && : > crl.d/index.txt && echo 1000 > crl.d/serial &&
	sed 's/ca\.d/crl.d/g' ca.d/ca.cnf > crl.d/ca.cnf &&
	openssl ca -batch -config crl.d/ca.cnf -cert sub.pem -keyfile sub.key -revoke signer-rsa.pem &&
	openssl ca -batch -config crl.d/ca.cnf -cert sub.pem -keyfile sub.key -gencrl -crldays 30 \
		-out revoked.crl && cat ca.pem revoked.crl > ca-crl.pem
) > /dev/null 2>&1
unset SERTEL_CONFIG
is "$(v revoked "$S" --trust "$T/pki/ca-crl.pem")" 3 "a revoked signer: intact but not trusted (exit 3)"
is "$(jget "$T/revoked.json" 'd["signatures"][0]["revocation"]')" revoked "... revocation: revoked"
is "$(v notrevoked "$FORM" --trust "$T/pki/ca-crl.pem")" 0 "... while the other signer's document stays trusted"
export SERTEL_CONFIG="$T/sertel.yaml"

# --- deleted by berita acara: said clearly, and exit 4 (withdrawn) told apart from 0
# (integrity and trust hold; see pipeline/cmd_verify.c and 91-deletion.sh)
sqlite3 "$T/state/sertel.db" "update documents set status = 'deleted' where id = '$id'"
is "$(v deleted "$S")" 4 "a document deleted from the store: exit 4 (intact, trusted, withdrawn)"
is "$(jget "$T/deleted.json" 'd["signatures"][0]["store"]')" deleted "... store: deleted"
"$SERTEL" verify "$S" > "$T/deleted.txt"
grep -q "was DELETED from sertel's store" "$T/deleted.txt"
ok $? "... and a clear line in the text"
sqlite3 "$T/state/sertel.db" "update documents set status = 'stored' where id = '$id'"

# --- could not decide, and usage
printf 'hello, not a pdf\n' > "$V/bukan.pdf"
is "$(v notpdf "$V/bukan.pdf")" 2 "not a PDF: exit 2"
python3 "$ROOT/tests/lib/mkpdf.py" "$V/polos.pdf"
is "$(v unsigned "$V/polos.pdf")" 2 "an unsigned PDF: exit 2"
is "$(jget "$T/unsigned.json" 'd["verdict"] + ": " + d["detail"]')" \
	"undecided: the document has no signature" "... undecided: no signature"
is "$(v missing "$V/tidak-ada.pdf")" 2 "a missing file: exit 2"
"$SERTEL" verify > /dev/null 2>&1
is "$?" 64 "no file: usage, exit 64"
"$SERTEL" verify --trust "$T/lain.txt" "$S" > /dev/null 2>&1
is "$?" 64 "--trust with no certificate in it: exit 64"
"$SERTEL" verify --config "$T/tidak-ada.yaml" "$S" > /dev/null 2>&1
is "$?" 78 "an explicit configuration that cannot be read: exit 78"
done_testing
