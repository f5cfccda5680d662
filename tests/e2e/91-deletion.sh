#!/bin/sh
# 91-deletion.sh - deletion by berita acara: `deletion new` pre-fills it,
# `deletion submit` refuses each broken rule (nothing deleted, every finding
# listed), carries a good one out all or nothing (tombstones, numbers without
# gaps, store copies gone, a receipt and the signed berita acara PDF in
# done/<pd>/, audit records), and afterwards doc show, verify and a re-drop
# of the same PDF say deleted.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
DB="$T/state/sertel.db"
q() { sqlite3 "$DB" "$1"; }
# records officers (one active of diskominfo, one inactive, one of setda) and the section
awk '{ print } /^officials:/ { print "  - { nip: \"198503102010012001\", name: \"Dewi Lestari\", jabatan: \"Arsiparis\", roles: [arsiparis], pd: diskominfo }";
	print "  - { nip: \"198601012011011002\", name: \"Andi Wijaya\", jabatan: \"Arsiparis\", roles: [arsiparis], pd: diskominfo, active: false }";
	print "  - { nip: \"198702022012021003\", name: \"Rudi Hartono\", jabatan: \"Arsiparis\", roles: [arsiparis], pd: setda }" }' \
	"$T/sertel.yaml" > "$T/s.yaml" && mv "$T/s.yaml" "$T/sertel.yaml"
cat >> "$T/sertel.yaml" <<'YAML'
deletion:
  officer_roles: [arsiparis]
  service_signer: "197103012006042006"
YAML
"$SERTEL" config check > "$T/cc.txt" 2>&1
grep -q "syntax OK" "$T/cc.txt"
ok $? "a configuration with a deletion: section and records officers is valid"

for i in 01 02 03 04 05 06 07 08 09 10 11 12; do drop diskominfo "surat-$i"; done
drop setda nota-1
cp "$T/spool/incoming/diskominfo/surat-01.pdf" "$T/spool/incoming/diskominfo/surat-01.yaml" "$T/"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "13 documents signed"
one=$(q "select id from jobs where file='surat-01.pdf'")
# surat-01 first: it is among the deleted, and dropped again below
ids=$(q "select id from documents where pd='diskominfo' order by id != '$one', id" | tr '\n' ' ')
set -- $ids
setda=$(q "select id from documents where pd='setda'")

"$SERTEL" deletion new --officer 198503102010012001 --reason "Dokumen direvisi" "$1" "$2" > "$T/ba.yaml"
ok $? "deletion new writes a berita acara"
grep -q 'jumlah_huruf: "dua"' "$T/ba.yaml" && grep -q 'nama: "Dewi Lestari"' "$T/ba.yaml" &&
	grep -q "id: \"$2\"" "$T/ba.yaml" && grep -q 'unit_kerja: "diskominfo"' "$T/ba.yaml"
ok $? "... pre-filled from the register and the database (name, PD, IDs, count in words)"
"$SERTEL" deletion submit "$T/ba.yaml" > "$T/r0.txt"
is "$?" 1 "... NIK and pangkat/golongan left empty are not accepted as they are"
sed -i 's/nik: ""/nik: "1605014101850001"/; s/pangkat_golongan: ""/pangkat_golongan: "Penata, III\/c"/' "$T/ba.yaml"

# refusals: each rule, nothing deleted
refuse() {	# refuse CODE DESCRIPTION SED-SCRIPT
	sed "$3" "$T/ba.yaml" > "$T/bad.yaml"
	"$SERTEL" deletion submit "$T/bad.yaml" > "$T/bad.txt" 2>&1
	rc=$?
	grep -q "kode: $1" "$T/bad.txt"
	ok $(( rc != 1 || $? )) "refused ($1): $2"
	is "$(q "select count(*) from documents where status='deleted'")" 0 "... nothing deleted"
}
refuse deletion.officer_unknown "requester not in the register" 's/nip: "198503102010012001"/nip: "196001011990031001"/'
refuse deletion.officer_inactive "requester inactive" 's/nip: "198503102010012001"/nip: "198601012011011002"/'
refuse deletion.not_officer "requester is not a records officer" 's/nip: "198503102010012001"/nip: "198005052005011003"/'
refuse deletion.officer_pd "an officer of another PD" 's/nip: "198503102010012001"/nip: "198702022012021003"/'
refuse deletion.id_unknown "an unknown ID" "s/id: \"$2\"/id: \"23456789ABCDEFGH\"/"
refuse deletion.id_twice "an ID listed twice" "s/id: \"$2\"/id: \"$1\"/"
refuse deletion.officer_pd "a document of another PD" "s/id: \"$2\"/id: \"$setda\"/"
refuse deletion.count "count in figures not the table's" 's/^jumlah: 2/jumlah: 3/'
refuse deletion.count_words "count in words not the figures" 's/jumlah_huruf: "dua"/jumlah_huruf: "tiga"/'
refuse deletion.reason_empty "an empty reason" '0,/alasan: "Dokumen direvisi"/s//alasan: "  "/'
refuse deletion.unknown_key "an unknown key" 's/^tempat:/tempatnya:/'
sed "s/id: \"$2\"/id: \"ZZ\"/; s/^jumlah: 2/jumlah: 5/" "$T/ba.yaml" > "$T/bad.yaml"
"$SERTEL" deletion submit "$T/bad.yaml" > "$T/bad.txt"
grep -q "kode: deletion.id_unknown" "$T/bad.txt" && grep -q "kode: deletion.count$" "$T/bad.txt" &&
	grep -q "lokasi: \".*bad.yaml:[0-9]*:[0-9]*\"" "$T/bad.txt" && grep -q "kode: deletion.count_words" "$T/bad.txt" && grep -q "jumlah_kesalahan: 3" "$T/bad.txt"
ok $? "every violation is listed with its code and line:column"

# one unknown ID in a list of ten: nothing deleted
"$SERTEL" deletion new --officer 198503102010012001 --reason "Salah ketik" $(echo "$ids" | cut -d' ' -f3-11) 23456789ABCDEFGH > "$T/ten.yaml" 2> /dev/null
is "$?" 65 "deletion new refuses an unknown ID"
"$SERTEL" deletion new --officer 198503102010012001 --reason "Salah ketik" $(echo "$ids" | cut -d' ' -f3-12) > "$T/ten.yaml"
sed -i "s/nik: \"\"/nik: \"1605014101850001\"/; s/pangkat_golongan: \"\"/pangkat_golongan: \"Penata\"/; 0,/id: \"$3\"/s//id: \"23456789ABCDEFGH\"/" "$T/ten.yaml"
"$SERTEL" deletion submit "$T/ten.yaml" > /dev/null
is "$?" 1 "one unknown ID among ten: refused"
is "$(q "select count(*) from documents where status='deleted'")" 0 "... and none of the ten deleted"

# the happy path
store1=$(q "select store_path from documents where id='$1'")
"$SERTEL" deletion submit "$T/ba.yaml" > "$T/ok.txt"
is "$?" 0 "a valid berita acara is carried out"
y=$(date +%Y)
grep -q "Nomor: 001/Diskominfo/$y" "$T/ok.txt"
ok $? "... numbered 001/Diskominfo/$y"
is "$(q "select count(*) from documents where status='deleted' and deletion='001/Diskominfo/$y'")" 2 "... both documents are tombstones with its number"
is "$(q "select count(*) from documents where status='deleted' and sha256_signed != '' and signer_nip != ''")" 2 "... which keep their hashes and signer"
[ ! -e "$T/state/$store1" ]
ok $? "... the store copy is removed"
[ -s "$T/spool/done/diskominfo/berita-acara-001-Diskominfo-$y.yaml" ] && grep -q "id: \"$1\"" "$T/spool/done/diskominfo/berita-acara-001-Diskominfo-$y.yaml"
ok $? "... the receipt in done/diskominfo/ lists what was deleted"
is "$(q "select count(*) from audit where event='deleted' and nip='198503102010012001'")" 2 "... one 'deleted' audit record each, with the officer's NIP"
"$SERTEL" audit verify > /dev/null
is "$?" 0 "... and the audit chain is sound"
# the berita acara PDF: Lampiran III, signed by the service signer, with a visible mark
ba="$T/spool/done/diskominfo/berita-acara-001-Diskominfo-$y.pdf"
pdftoppm -r 40 -png "$ba" "$T/ba-page" && [ -s "$T/ba-page-1.png" ]
ok $? "the berita acara PDF is in done/diskominfo/ and renders (pdftoppm)"
pdftotext -layout "$ba" "$T/ba.txt"
grep -q "BERITA ACARA PENGUSULAN PENGHAPUSAN DOKUMEN ELEKTRONIK" "$T/ba.txt" &&
	grep -q "Nomor: 001/Diskominfo/$y" "$T/ba.txt" && grep -q "Dewi Lestari" "$T/ba.txt" &&
	grep -q "198503102010012001" "$T/ba.txt" && grep -q "1605014101850001" "$T/ba.txt" &&
	grep -q "Penata, III/c" "$T/ba.txt" && grep -q "sebanyak 2 (dua)" "$T/ba.txt" &&
	grep -q "No ID Dokumen  *Alasan" "$T/ba.txt" && grep -q "^ *1  *$1  *Dokumen direvisi" "$T/ba.txt" &&
	grep -q "^ *2  *$2  *Dokumen direvisi" "$T/ba.txt" && grep -q "Ditanda tangani di : Muara Beliti" "$T/ba.txt"
ok $? "... its text (pdftotext): title, number, requester block, count in figures and words, the table"
grep -q "Ditandatangani secara elektronik oleh" "$T/ba.txt" && grep -q "NIP 197103012006042006" "$T/ba.txt"
ok $? "... the service signer's visible mark on it"
pdfsig "$ba" > "$T/ba-sig.txt" 2>&1
grep -q "Signature Validation: Signature is Valid" "$T/ba-sig.txt" && grep -q "Total document signed" "$T/ba-sig.txt" &&
	[ "$(grep -c "^Signature #" "$T/ba-sig.txt")" = 1 ]
ok $? "... one signature, valid, covering the whole file (pdfsig)"
qpdf --check "$ba" > /dev/null 2>&1
ok $? "... qpdf --check clean"
rcpt="$T/spool/done/diskominfo/berita-acara-001-Diskominfo-$y.yaml"
sha=$(sha256sum "$ba" | cut -d' ' -f1)
grep -q "sha256: \"$sha\"" "$rcpt" && cmp -s "$ba" "$T/state/$(sed -n 's/^  salinan: "\(.*\)"/\1/p' "$rcpt")"
ok $? "... the receipt names it by SHA-256, and its copy is in the store"
baid=$(sed -n 's/^  id: "\(.*\)"/\1/p' "$rcpt")
is "$(q "select count(*) from audit where doc='$baid' and nip='197103012006042006' and (event='signed' and detail like '%$sha%' or event='delivered')")" 2 \
	"... and the audit trail records it signed (with its SHA-256) and delivered"
# the berita acara is a signed document of the store like any other (issue 14)
jget() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }
"$SERTEL" verify --json "$ba" > "$T/ba-verify.json"
is "$?" 0 "sertel verify of the berita acara PDF exits 0 (intact)"
is "$(jget "$T/ba-verify.json" 'd["signatures"][0]["store"] + " " + d["signatures"][0]["sertel_id"]')" "stored $baid" \
	"... store: stored, under the receipt's ID TTE (not not_found)"
"$SERTEL" doc show "$baid" > "$T/ba-show.txt"
is "$?" 0 "doc show finds the berita acara by its ID TTE"
grep -q "berita-acara" "$T/ba-show.txt" && grep -q "001/Diskominfo/$y" "$T/ba-show.txt" &&
	grep -q "$sha" "$T/ba-show.txt" && grep -q "197103012006042006" "$T/ba-show.txt"
ok $? "... as type berita-acara, its number, digest and the service signer"
is "$(q "select count(*) from audit where doc='$baid' and event='stored'")" 1 "... and the audit trail records it stored"
"$SERTEL" deletion submit "$T/ba.yaml" > "$T/again.txt"
is "$?" 0 "submitting the same file again (a retry) only completes its delivery"
grep -q "Nomor: 001/Diskominfo/$y was carried out before" "$T/again.txt" &&
	[ "$(q "select count(*) from deletions")" = 1 ] && [ "$(sha256sum < "$ba")" = "$sha  -" ]
ok $? "... no second number, the signed PDF left as it was"
sed 's/alasan: "Dokumen direvisi"/alasan: "Dokumen ganda"/' "$T/ba.yaml" > "$T/again.yaml"
"$SERTEL" deletion submit "$T/again.yaml" > "$T/again.txt"
is "$?" 1 "another berita acara of the same documents is refused"
grep -q "kode: deletion.id_deleted" "$T/again.txt"
ok $? "... the documents are already deleted"

"$SERTEL" doc show "$1" > "$T/show.txt"
grep -q "^status  *deleted" "$T/show.txt" && grep -q "^berita acara  *001/Diskominfo/$y" "$T/show.txt" &&
	grep -q "^requested by  *Dewi Lestari (198503102010012001)" "$T/show.txt" && grep -q "^deleted at " "$T/show.txt"
ok $? "doc show says deleted, when, by which berita acara and whom"

# verify of the deleted document's signed PDF: withdrawn (4), told apart from intact (0)
f1=$(q "select delivered from jobs where id='$1'")
"$SERTEL" verify "$T/spool/done/diskominfo/$f1.pdf" > "$T/v.txt"
is "$?" 4 "verify exits 4 (withdrawn) for a deleted document"
grep -q "001/Diskominfo/$y" "$T/v.txt"
ok $? "... and names the berita acara"
"$SERTEL" verify --json "$T/spool/done/diskominfo/$f1.pdf" | grep -q '"deleted"'
ok $? "... in JSON too"
f3=$(q "select delivered from jobs where id='$3'")
"$SERTEL" verify "$T/spool/done/diskominfo/$f3.pdf" > /dev/null
is "$?" 0 "verify of a document still stored exits 0"

# the same PDF and sidecar dropped again: refused as deleted, not re-signed
cp "$T/surat-01.pdf" "$T/surat-01.yaml" "$T/spool/incoming/diskominfo/"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 1 "a re-drop of a deleted document's PDF fails"
grep -q "kode: doc.deleted" "$T/spool/failed/diskominfo/surat-01.error.yaml"
ok $? "... with doc.deleted, not signed again"
is "$(q "select count(*) from documents where type != 'berita-acara'")" 13 "... no new document row"

# a second berita acara the same year: 002, no gap
"$SERTEL" deletion new --officer 198503102010012001 --reason "Ganda" "$3" > "$T/ba2.yaml"
sed -i 's/nik: ""/nik: "1605014101850001"/; s/pangkat_golongan: ""/pangkat_golongan: "Penata"/' "$T/ba2.yaml"
"$SERTEL" deletion submit "$T/ba2.yaml" > "$T/ok2.txt"
grep -q "Nomor: 002/Diskominfo/$y" "$T/ok2.txt"
ok $? "the next berita acara of the year is 002"
# nine documents with long reasons: the reasons wrap, the table goes on to page 2
shift 3
long="Dokumen ini telah mengalami revisi substansi pada bagian dasar hukum dan lampiran, sehingga versi yang ditandatangani sebelumnya tidak lagi berlaku dan diganti dengan dokumen baru yang telah diperbaiki sesuai hasil rapat koordinasi perangkat daerah akhirkalimat"
"$SERTEL" deletion new --officer 198503102010012001 --reason "$long" "$@" > "$T/ba3.yaml"
sed -i 's/nik: ""/nik: "1605014101850001"/; s/pangkat_golongan: ""/pangkat_golongan: "Penata"/' "$T/ba3.yaml"
"$SERTEL" deletion submit "$T/ba3.yaml" > /dev/null
ba3="$T/spool/done/diskominfo/berita-acara-003-Diskominfo-$y.pdf"
pdftotext -f 2 -l 2 -layout "$ba3" "$T/ba3-p2.txt"
[ "$(pdfinfo "$ba3" | sed -n 's/^Pages: *//p')" -ge 2 ] && grep -q "No ID Dokumen  *Alasan" "$T/ba3-p2.txt" &&
	grep -q "$9" "$T/ba3-p2.txt"
ok $? "a long table continues on a new page, its header repeated"
pdftotext "$ba3" - | tr -s ' \n' '  ' > "$T/ba3.txt"
[ "$(grep -o "akhirkalimat" "$T/ba3.txt" | wc -l)" = 9 ] && grep -q "sebanyak 9 (sembilan)" "$T/ba3.txt" &&
	pdfsig "$ba3" 2>&1 | grep -q "Signature is Valid"
ok $? "... every long reason is there in full (wrapped), the count in words, signature valid"
# the deletion: section's own errors name file:line:column (exit 78)
sed 's/officer_roles: \[arsiparis\]/officer_roles: [penghapus]/' "$T/sertel.yaml" > "$T/c1.yaml"
"$SERTEL" --config "$T/c1.yaml" config check > "$T/c1.txt" 2>&1
rc=$?
grep -q "c1.yaml:[0-9]*:[0-9]*.*no official holds role 'penghapus'" "$T/c1.txt"
ok $(( rc != 78 || $? )) "config: an officer role nobody holds: exit 78 with file:line:column"
# a service signer whose passphrase is in the environment could never sign in the spool
sed 's/service_signer: "197103012006042006"/service_signer: "198204152008011002"/' "$T/sertel.yaml" > "$T/c3.yaml"
"$SERTEL" --config "$T/c3.yaml" config check > "$T/c3.txt" 2>&1
rc=$?
grep -q "c3.yaml:[0-9]*:[0-9]*.*service_signer: signer 198204152008011002 reads its passphrase from the environment.*passphrase_file" "$T/c3.txt"
ok $(( rc != 78 || $? )) "config: a service signer with passphrase_env: exit 78, asking for a passphrase_file"
printf '  number_format: "%s"\n' "BA/Diskominfo/YYYY" >> "$T/sertel.yaml"
"$SERTEL" config check > "$T/c2.txt" 2>&1
rc=$?
grep -q "sertel.yaml:[0-9]*:[0-9]*.*must hold NNN" "$T/c2.txt"
ok $(( rc != 78 || $? )) "config: a number_format without NNN: exit 78 with file:line:column"
done_testing
