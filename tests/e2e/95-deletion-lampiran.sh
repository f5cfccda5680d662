#!/bin/sh
# 95-deletion-lampiran.sh - the scanned paper form of a berita acara
# (lampiran: in the file for `deletion submit`, <stem>.pdf beside a spool
# drop) is checked to be a PDF before anything is deleted (deletion.lampiran),
# then attached to the signed berita acara PDF as an embedded file: pdfdetach
# -list shows it, the attached bytes are the scan's, the signature covers it
# (pdfsig), and the receipt names it with its SHA-256.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/deletion.sh"
deletion_setup
for i in 1 2 3 4 5; do drop diskominfo "surat-$i"; done
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "5 documents signed"
y=$(date +%Y)
done_dir="$T/spool/done/diskominfo"
ids() { q "select id from documents where status='stored' and type != 'berita-acara' order by id limit $1" | tr '\n' ' '; }
# ba NAME REASON LAMPIRAN ID... - a filled-in berita acara in $T/work/NAME.yaml naming LAMPIRAN
mkdir -p "$T/work"
ba() {
	name=$1 reason=$2 lamp=$3
	shift 3
	"$SERTEL" deletion new --officer 198503102010012001 --reason "$reason" "$@" > "$T/work/$name.yaml"
	ba_fill "$T/work/$name.yaml"
	[ -z "$lamp" ] || printf 'lampiran: "%s"\n' "$lamp" >> "$T/work/$name.yaml"
}
python3 "$ROOT/tests/lib/mkpdf.py" --pages 2 --text "PINDAIAN FORMULIR" "$T/work/scan-ba.pdf"
printf 'bukan pdf, hanya teks\n' > "$T/work/scan-teks.pdf"

# refused before anything is deleted: missing, not a PDF
ba bad1 "Dokumen direvisi" "tidak-ada.pdf" $(ids 1)
"$SERTEL" deletion submit "$T/work/bad1.yaml" > "$T/bad1.txt" 2>&1
is "$?" 1 "a lampiran that is not there: refused (exit 1)"
grep -q "kode: deletion.lampiran" "$T/bad1.txt" && grep -q "lampiran tidak-ada.pdf tidak dapat dibaca" "$T/bad1.txt"
ok $? "... deletion.lampiran, in Bahasa Indonesia"
ba bad2 "Dokumen direvisi" "scan-teks.pdf" $(ids 1)
"$SERTEL" deletion submit "$T/work/bad2.yaml" > "$T/bad2.txt" 2>&1
is "$?" 1 "a lampiran that is not a PDF: refused (exit 1)"
grep -q "lampiran scan-teks.pdf bukan berkas PDF yang dapat dibuka" "$T/bad2.txt"
ok $? "... saying it is not a PDF"
is "$(q "select count(*) from documents where status='deleted'") $(q "select count(*) from deletions")" "0 0" "... nothing deleted, no number used"

# attached: deletion submit with lampiran: beside the file
ba ok1 "Dokumen direvisi" "scan-ba.pdf" $(ids 2)
"$SERTEL" deletion submit "$T/work/ok1.yaml" > "$T/ok1.txt" 2>&1
is "$?" 0 "a berita acara with its scanned form (lampiran: scan-ba.pdf) is carried out"
pdf="$done_dir/berita-acara-001-Diskominfo-$y.pdf"
pdfdetach -list "$pdf" > "$T/list.txt" 2>&1
grep -q "^1 embedded files" "$T/list.txt" && grep -q "^1: scan-ba.pdf" "$T/list.txt"
ok $? "pdfdetach -list shows scan-ba.pdf embedded in the signed berita acara"
pdfdetach -save 1 -o "$T/detached.pdf" "$pdf" > /dev/null 2>&1 && cmp -s "$T/detached.pdf" "$T/work/scan-ba.pdf"
ok $? "... the embedded bytes are the scan's"
pdfsig "$pdf" > "$T/sig.txt" 2>&1
grep -q "Signature Validation: Signature is Valid" "$T/sig.txt" && grep -q "Total document signed" "$T/sig.txt"
ok $? "... inside the signed revision: the signature is valid and covers the whole file (pdfsig)"
qpdf --check "$pdf" > /dev/null 2>&1
ok $? "... qpdf --check clean"
rcpt="$done_dir/berita-acara-001-Diskominfo-$y.yaml"
grep -A3 '^lampiran:' "$rcpt" | grep -q "sha256: \"$(sha256sum < "$T/work/scan-ba.pdf" | cut -d' ' -f1)\"" &&
	grep -A3 '^lampiran:' "$rcpt" | grep -q 'berkas: "scan-ba.pdf"'
ok $? "the receipt names the scan and its SHA-256"
mv "$T/work/scan-ba.pdf" "$T/work/scan-ba.keep"
rm "$rcpt"
"$SERTEL" deletion submit "$T/work/ok1.yaml" > "$T/again.txt" 2>&1
is "$?" 0 "a retry after the scan went away still completes (the berita acara was signed with it)"
[ -s "$rcpt" ] && [ "$(pdfdetach -list "$pdf" 2>&1 | grep -c "^1: scan-ba.pdf")" = 1 ]
ok $? "... the receipt written again, the same PDF with the scan inside"
grep -A3 '^lampiran:' "$rcpt" | grep -q 'status: "hilang"' && grep -q 'salinannya termuat dalam berita acara' "$rcpt"
ok $? "... and it says the scan file is missing, its copy inside the signed PDF"
mv "$T/work/scan-ba.keep" "$T/work/scan-ba.pdf"

# the spool: <stem>.pdf beside <stem>.yaml is the scan; lampiran: without it is refused
mkdir -p "$T/spool/deletion/diskominfo"
ba sp1 "Dokumen dobel" "" $(ids 1)
cp "$T/work/scan-ba.pdf" "$T/spool/deletion/diskominfo/ba-2.pdf"
cp "$T/work/sp1.yaml" "$T/spool/deletion/diskominfo/ba-2.yaml"
ba sp2 "Dokumen dobel" "pindaian.pdf" $(ids 2 | cut -d' ' -f2)
cp "$T/work/sp2.yaml" "$T/spool/deletion/diskominfo/ba-3.yaml"
"$SERTEL" -q run --once > "$T/run.txt" 2>&1
pdf2="$done_dir/berita-acara-002-Diskominfo-$y.pdf"
pdfdetach -list "$pdf2" 2>&1 | grep -q "^1: ba-2.pdf" && pdfdetach -save 1 -o "$T/detached2.pdf" "$pdf2" > /dev/null 2>&1 &&
	cmp -s "$T/detached2.pdf" "$T/work/scan-ba.pdf" && pdfsig "$pdf2" 2>&1 | grep -q "Signature is Valid"
ok $? "a spool drop's scan beside it (ba-2.pdf) is attached to its signed berita acara"
grep -q "kode: deletion.lampiran" "$T/spool/failed/diskominfo/ba-3.error.yaml" &&
	grep -q "letakkan pindaiannya sebagai ba-3.pdf di samping berita acara" "$T/spool/failed/diskominfo/ba-3.error.yaml"
ok $? "a spool drop whose lampiran: has no scan beside it is refused (deletion.lampiran)"

# carried out, killed before its berita acara was signed, the scan gone on the retry:
# the retry signs it without the scan and the receipt says the scan is missing
. "$ROOT/tests/lib/crash.sh"
killshim
cp "$T/work/scan-ba.pdf" "$T/work/scan-hilang.pdf"
ba gone "Dokumen hilang pindaiannya" "scan-hilang.pdf" $(ids 1)
env KILLSHIM="open:$done_dir/.tmp.*.berita-acara-003-*.pdf:1" LD_PRELOAD="$T/killshim.so" \
	ASAN_OPTIONS="$SHIM_ASAN" setsid "$SERTEL" deletion submit "$T/work/gone.yaml" > /dev/null 2>&1 &
wait $! 2>/dev/null
pdf3="$done_dir/berita-acara-003-Diskominfo-$y.pdf"
rcpt3="$done_dir/berita-acara-003-Diskominfo-$y.yaml"
[ "$(q "select count(*) from documents where deletion='003/Diskominfo/$y'")" = 1 ] && [ ! -e "$pdf3" ] && [ ! -e "$rcpt3" ]
ok $? "killed as its berita acara PDF is begun: carried out as 003, no PDF, no receipt"
rm "$T/work/scan-hilang.pdf"
"$SERTEL" deletion submit "$T/work/gone.yaml" > "$T/gone.txt" 2>&1
is "$?" 0 "the retry with its scan gone completes the delivery (exit 0, not 75, not refused)"
pdfsig "$pdf3" 2>&1 | grep -q "Signature is Valid" && [ "$(pdfdetach -list "$pdf3" 2>&1 | head -1)" = "0 embedded files" ]
ok $? "... the berita acara is signed (pdfsig) without an attachment (pdfdetach -list)"
grep -A3 '^lampiran:' "$rcpt3" | grep -q 'berkas: "scan-hilang.pdf"' && grep -A3 '^lampiran:' "$rcpt3" | grep -q 'status: "hilang"' &&
	grep -q 'ditandatangani tanpa lampiran' "$rcpt3" && ! grep -q 'sha256: .*ukuran' "$rcpt3"
ok $? "... its receipt names the scan as missing (status: hilang)"
is "$(q "select count(*) from deletions") $(q "select count(*) from documents where type='berita-acara' and number='003/Diskominfo/$y'")" "3 1" \
	"... no second number, one signed berita acara"

# the berita acara itself is a signed document, but never one to delete
baid=$(q "select id from documents where type='berita-acara' and number='001/Diskominfo/$y'")
ba rec "Dokumen direvisi" "" "$baid"
"$SERTEL" deletion submit "$T/work/rec.yaml" > "$T/rec.txt" 2>&1
is "$?" 1 "a berita acara listed for deletion is refused (exit 1)"
grep -q "kode: deletion.id_record" "$T/rec.txt" && grep -q "$baid adalah berita acara penghapusan 001/Diskominfo/$y" "$T/rec.txt" &&
	[ "$(q "select status from documents where id='$baid'")" = stored ]
ok $? "... deletion.id_record; it stays stored"
done_testing
