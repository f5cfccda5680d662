#!/bin/sh
# 10-pipeline.sh - 200 documents across 5 PD folders through `sertel run --once`,
# then every kind of bad input; outputs checked with pdfsig, qpdf and sqlite3.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"

populate surat
cp -r "$T/spool/incoming" "$T/originals"

"$SERTEL" -q run --once > "$T/out.txt" 2> "$T/err.txt"
is "$?" 0 "run --once exits 0 when everything was signed"
is "$(count "$T/spool/done" -name '*.pdf')" 200 "200 signed PDFs in done/"
is "$(count "$T/spool/failed")" 0 "nothing in failed/"
is "$(count "$T/spool/incoming" -name '*.pdf')" 0 "incoming/ is empty"
is "$(find "$T/spool/queue" -mindepth 1 | wc -l | tr -d ' ')" 0 "queue/ is empty"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" 200 "one database row per document"
is "$(sqlite3 "$T/state/sertel.db" 'select count(distinct id) from documents where length(id) = 16')" 200 "every document has its own 16-character ID"
is "$(count "$T/state/store" -name '*.pdf')" 200 "200 digital copies in the store"

prefix=0
for f in "$T"/originals/*/*.pdf; do
	pd=$(basename "$(dirname "$f")")
	s="$T/spool/done/$pd/$(basename "$f")"
	cmp -s -n "$(stat -c %s "$f")" "$f" "$s" || { prefix=1; echo "# not a prefix: $s"; }
done
ok $prefix "every original is a byte-for-byte prefix of its signed file"

sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/*/*.pdf > "$T/check.txt" 2>&1
ok $? "pdfsig (CA trusted) and qpdf --check accept all 200 signed files"
[ $? -eq 0 ] || sed 's/^/# /' "$T/check.txt" | head -20

id=$(sqlite3 "$T/state/sertel.db" "select id from documents where pd='setda' limit 1")
f=$(sqlite3 "$T/state/sertel.db" "select delivered from jobs where id='$id'")
grep -aq "/SertelID *($id)" "$T/spool/done/setda/$f.pdf"
ok $? "the ID TTE is in the signed PDF"
"$SERTEL" doc show "$id" > "$T/show.txt"
ok $? "sertel doc show ID"
grep -q "sha256 signed *$(sha256sum "$T/spool/done/setda/$f.pdf" | cut -d' ' -f1)" "$T/show.txt"
ok $? "doc show reports the signed file's SHA-256"
is "$("$SERTEL" doc list --pd bappeda | wc -l | tr -d ' ')" 40 "doc list --pd shows the PD's 40 documents"

# --- bad inputs: each ends in failed/ with its own code, and the run goes on
in="$T/spool/incoming/diskominfo"
printf 'hello, not a pdf\n' > "$in/bukan-pdf.pdf"; sidecar "$in/bukan-pdf.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" "$T/full.pdf"
head -c 300 "$T/full.pdf" > "$in/terpotong.pdf"; sidecar "$in/terpotong.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" "$in/tanpa-metadata.pdf"
drop diskominfo sintaks-salah; printf 'schema: 1\ntype: [surat_keluar\n' > "$in/sintaks-salah.yaml"
drop diskominfo hash-beda; sidecar "$in/hash-beda.pdf" 197103012006042006 \
	0000000000000000000000000000000000000000000000000000000000000000
drop diskominfo penandatangan-asing; sidecar "$in/penandatangan-asing.pdf" 196001011990031001
drop diskominfo sandi-salah; sidecar "$in/sandi-salah.pdf" 199001012015031001
drop diskominfo kedaluwarsa; sidecar "$in/kedaluwarsa.pdf" 197505052000031002
drop diskominfo ca-asing; sidecar "$in/ca-asing.pdf" 198001012005011001
ln -s /etc/passwd "$in/tautan.pdf"
mkdir -p "$T/evil"; drop diskominfo ok-dalam-arsip
python3 - "$T/evil.tar.gz" "$in/ok-dalam-arsip.pdf" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as t:
    t.add(sys.argv[2], arcname="../../keluar.pdf")
PY
mv "$T/evil.tar.gz" "$in/arsip-jahat.tar.gz"
mkdir -p "$T/good"; mv "$in/ok-dalam-arsip.pdf" "$in/ok-dalam-arsip.yaml" "$T/good/"
(cd "$T/good" && python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w"); [z.write(f) for f in sys.argv[2:]]' "$in/arsip-baik.zip" ok-dalam-arsip.pdf ok-dalam-arsip.yaml)
drop diskominfo baik-juga
# the same bytes and metadata as an already signed document
cp "$T/originals/dinkes/surat-dinkes-001.pdf" "$T/originals/dinkes/surat-dinkes-001.yaml" "$in/" 2>/dev/null ||
	{ f1=$(ls "$T"/originals/dinkes/*.pdf | head -1); cp "$f1" "${f1%.pdf}.yaml" "$in/"; }
touch -d '2 hours ago' "$in/tanpa-metadata.pdf"

"$SERTEL" -q run --once > "$T/out2.txt" 2> "$T/err2.txt"
is "$?" 1 "run --once exits 1 when something went to failed/"
code() { sed -n 's/^  - kode: //p' "$T/spool/failed/diskominfo/$1.error.yaml" 2>/dev/null | head -1; }
is "$(code bukan-pdf)" pdf.not_pdf "not a PDF -> pdf.not_pdf"
is "$(code terpotong)" pdf.incomplete "PDF cut short (an upload that stopped: no %%EOF) -> pdf.incomplete"
is "$(code tanpa-metadata)" sidecar.missing "PDF whose sidecar never came -> sidecar.missing"
is "$(code sintaks-salah)" sidecar.syntax "YAML syntax error -> sidecar.syntax"
grep -q 'lokasi: "sintaks-salah.yaml:3:1"' "$T/spool/failed/diskominfo/sintaks-salah.error.yaml" &&
	grep -q 'line 2 column 7' "$T/spool/failed/diskominfo/sintaks-salah.error.yaml"
ok $? "the syntax error names sintaks-salah.yaml:line:column (and where the list began)"
is "$(code hash-beda)" paraf.hash_mismatch "paraf hash that does not match -> paraf.hash_mismatch"
is "$(code penandatangan-asing)" signer.unknown "unknown signer -> signer.unknown"
is "$(code sandi-salah)" signer.keystore "wrong keystore passphrase -> signer.keystore"
is "$(code kedaluwarsa)" signer.cert_invalid "signer certificate expired -> signer.cert_invalid"
grep -q 'berlaku dari 2020-01-01 sampai 2021-01-01' "$T/spool/failed/diskominfo/kedaluwarsa.error.yaml"
ok $? "the report gives the certificate's validity period"
is "$(code ca-asing)" signer.cert_invalid "signer certificate from an untrusted CA -> signer.cert_invalid"
is "$(code tautan.pdf)" input.symlink "symlink in the spool -> input.symlink"
is "$(code arsip-jahat)" bundle.unsafe_entry "bundle with ../ -> bundle.unsafe_entry, whole"
ok "$(test -f "$T/spool/failed/diskominfo/arsip-jahat.tar.gz"; echo $?)" "the unsafe bundle itself is in failed/"
ok "$(test ! -e "$T/spool/keluar.pdf" && test ! -e "$T/keluar.pdf"; echo $?)" "nothing was written outside the spool"
dup=$(ls "$T"/spool/failed/diskominfo/surat-dinkes-*.error.yaml 2>/dev/null | head -1)
grep -q 'kode: doc.duplicate' "$dup" 2>/dev/null && grep -q "$(sqlite3 "$T/state/sertel.db" "select id from documents where pd='dinkes' and id in (select id from jobs where file='$(basename "${dup%.error.yaml}").pdf')")" "$dup"
ok $? "the same document again -> doc.duplicate naming the ID that carries it"
cmp -s "${dup%.error.yaml}.pdf" "$T/originals/dinkes/$(basename "${dup%.error.yaml}").pdf"
ok $? "the refused duplicate is handed back byte-identical (its in-place signature undone)"
grep -q "^# Dokumen yang sama sudah pernah ditandatangani: tidak perlu diunggah ulang" "$dup"
ok $? "... its header does not ask to fix anything: it was signed before"
grep -q "^# Perbaiki semua kesalahan" "$T/spool/failed/diskominfo/hash-beda.error.yaml"
ok $? "a paraf on other bytes: the header asks to fix and upload again"
twins=0
cr=$(printf '\r')
for r in "$T"/spool/failed/*/*.error.yaml; do
	t=${r%.yaml}.txt
	[ "$(head -c 3 "$t" | od -An -tx1 | tr -d ' ')" = efbbbf ] && tail -c +4 "$t" | tr -d '\r' | cmp -s - "$r" &&
		[ "$(grep -c "$cr\$" "$t")" = "$(wc -l < "$r" | tr -d ' ')" ] || { echo "# no twin: $r"; twins=1; }
done
ok $twins "each report has its .error.txt twin for Windows: the same text, CRLF, a UTF-8 mark"
ok "$(test -f "$T/spool/done/diskominfo/baik-juga.pdf"; echo $?)" "a good document next to the bad ones is signed"
ok "$(test -f "$T/spool/done/diskominfo/ok-dalam-arsip.pdf" && test -f "$T/spool/done/diskominfo/arsip-baik.zip"; echo $?)" "a good bundle: its pair is signed, the bundle lands in done/"
python3 - "$T"/spool/failed/*/*.error.yaml <<'PY'
import sys, yaml
for f in sys.argv[1:]:
    r = yaml.safe_load(open(f))
    assert r["kesalahan"] and all(k["kode"] and k["pesan"] and k["saran"] for k in r["kesalahan"]), f
PY
ok $? "every refusal report is valid YAML with code, message and advice for each problem"
grep -q 'pesan: "' "$T/spool/failed/diskominfo/hash-beda.error.yaml" && grep -q 'saran: "' "$T/spool/failed/diskominfo/hash-beda.error.yaml"
ok $? "the refusal report says what is wrong and what to do"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where outcome='failed'")" "$(count "$T/spool/failed" -name '*.error.yaml')" "one failed job row per refusal report"
is "$(count "$T/spool/incoming" -type f)" 0 "incoming/ is empty again"

# --- configuration errors: exit 78 (EX_CONFIG) with file:line:column and the fix
"$SERTEL" config check > "$T/cc.txt" 2>&1
is "$?" 78 "config check: exit 78 while a signer's keystore cannot be used (the operator's to fix)"
grep -q 'signer 197103012006042006 (Dr. Siti Aminah, M.Si): OK, certificate [0-9A-F]* valid until' "$T/cc.txt" &&
	grep -q 'signer 199001012015031001 (Salah Sandi): NOT USABLE (signer.keystore): wrong passphrase' "$T/cc.txt" &&
	grep -q 'signer 198001012005011001 (CA Asing): NOT USABLE (signer.cert_invalid): .*does not chain' "$T/cc.txt"
ok $? "... naming each usable signer and why the others are not"
[ $? -eq 0 ] || sed 's/^/# /' "$T/cc.txt"
sed 's/^workers: 2$/worker: 2/' "$T/sertel.yaml" > "$T/typo.yaml"
"$SERTEL" --config "$T/typo.yaml" run --once > /dev/null 2> "$T/typo.txt"
is "$?" 78 "a misspelt key stops the run with exit 78"
grep -q "typo.yaml:4:1: unknown key 'worker' (did you mean 'workers'?)" "$T/typo.txt"
ok $? "... naming file:line:column and the likely fix"
printf 'spool: [\n' > "$T/syntax.yaml"
SERTEL_CONFIG="$T/syntax.yaml" "$SERTEL" config check > /dev/null 2> "$T/syntax.txt"
is "$?" 78 "a YAML syntax error in the configuration (via SERTEL_CONFIG) exits 78"
grep -q "syntax.yaml:[0-9]*:[0-9]*" "$T/syntax.txt"
ok $? "... with file:line:column"

done_testing
