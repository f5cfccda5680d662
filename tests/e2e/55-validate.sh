#!/bin/sh
# 55-validate.sh - `sertel validate FILE.pdf [FILE.yaml]`: an administrator's
# pre-check gives the pipeline's answer without signing or moving anything.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
mkdir -p "$T/draf"
python3 "$ROOT/tests/lib/mkpdf.py" "$T/draf/baik.pdf"
sidecar "$T/draf/baik.pdf"
"$SERTEL" validate "$T/draf/baik.pdf" > "$T/out.txt" 2>&1
is "$?" 0 "a correct draft: exit 0"
grep -q "OK: baik.pdf dapat ditandatangani oleh Dr. Siti Aminah, M.Si (surat_keluar, 1 paraf)" "$T/out.txt"
ok $? "... and says who can sign it, in Bahasa Indonesia"
ok "$(test -z "$(ls "$T/spool/incoming" 2>/dev/null)" && test ! -e "$T/state/sertel.db"; echo $?)" "nothing was signed, moved or recorded"

python3 "$ROOT/tests/lib/mkpdf.py" "$T/draf/salah.pdf"
cat > "$T/draf/salah-metadata.yaml" <<YAML
schema: 1
type: surat_masuk
signer: "196001011990031001"
parafs:
  - nip: "198005052005011003"
    name: "Budi Santoso"
    role: kasubbag_umum
    time: "2026-11-23T14:05:00+07:00"
    sha256: "$(printf '%064d' 0)"
    warna: merah
YAML
"$SERTEL" validate "$T/draf/salah.pdf" "$T/draf/salah-metadata.yaml" > "$T/out2.txt" 2> "$T/err2.txt"
is "$?" 1 "a wrong draft: exit 1"
for code in sidecar.unknown_field doctype.unknown paraf.hash_mismatch signer.unknown; do
	grep -q "kode: $code" "$T/out2.txt"
	ok $? "every violation is listed: $code"
done
grep -q 'lokasi: "salah-metadata.yaml:10:5"' "$T/out2.txt"
ok $? "with the file:line:column of the offending field"
python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$T/out2.txt"
ok $? "the report is valid YAML"
"$SERTEL" validate "$T/draf/tidak-ada.pdf" > /dev/null 2>&1
is "$?" 66 "a missing PDF: exit 66 (EX_NOINPUT)"
python3 "$ROOT/tests/lib/mkpdf.py" "$T/draf/tanpa.pdf"
"$SERTEL" validate "$T/draf/tanpa.pdf" > /dev/null 2> "$T/err3.txt"
is "$?" 66 "a PDF without its sidecar: exit 66"
grep -q "tanpa.yaml: No such file" "$T/err3.txt"
ok $? "... naming the sidecar it looked for"
done_testing
