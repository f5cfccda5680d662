#!/bin/sh
# 57-paraf.sh - the approval rules end to end.  `sertel paraf` writes the
# sidecar a document type requires and refuses (writing nothing) what the
# validate stage would refuse; the pipeline signs a properly paraf'd document
# and refuses the others with every violation in the report; metadata attached
# inside the PDF is used, and refused when its revision changes the draft.
. "$(dirname "$0")/../lib/e2e.sh"
pki
# a CRL of the sub CA revoking the P-384 signer, in the anchor file
(
	cd "$T/pki" && mkdir -p crl.d && : > crl.d/index.txt && echo 1000 > crl.d/serial &&
	sed 's/ca\.d/crl.d/g' ca.d/ca.cnf > crl.d/ca.cnf &&
	openssl ca -batch -config crl.d/ca.cnf -cert sub.pem -keyfile sub.key -revoke signer-ec384.pem &&
	openssl ca -batch -config crl.d/ca.cnf -cert sub.pem -keyfile sub.key -gencrl -crldays 30 \
		-out revoked.crl && cat ca.pem revoked.crl > ca-crl.pem
) > "$T/crl.log" 2>&1 || echo "# could not make the CRL" >&2
cat > "$T/sertel.yaml" <<YAML
instansi: "Pemerintah Kabupaten Musi Rawas"
spool: $T/spool
state: $T/state
workers: 2
trust: [ $T/pki/ca-crl.pem ]
document_types:
  surat_keluar:
    title: "Surat Keluar"
    parafs: [kasubbag_umum, sekretaris]
    signed_by: [kepala_dinas]
    pds: [diskominfo]
  nota_dinas: { title: "Nota Dinas" }
officials:
  - { nip: "198005052005011003", name: "Budi Santoso", jabatan: "Kasubbag Umum",
      roles: [kasubbag_umum], pd: diskominfo }
  - { nip: "197805102003122004", name: "Rina Marlina, S.E.", jabatan: "Sekretaris Dinas",
      roles: [sekretaris], pd: diskominfo }
  - { nip: "196505051990031007", name: "Hasan Basri", jabatan: "Sekretaris (pensiun)",
      roles: [sekretaris], pd: diskominfo, active: false }
  - { nip: "198501012010011001", name: "Joko Susilo", jabatan: "Kasubbag Umum Dinkes",
      roles: [kasubbag_umum], pd: dinkes }
signers:
  - { nip: "197103012006042006", name: "Dr. Siti Aminah, M.Si", jabatan: "Kepala Dinas",
      pd: diskominfo, keystore: $T/pki/signer-rsa.p12, passphrase_file: $T/pki/pass.txt,
      roles: [kepala_dinas] }
  - { nip: "198204152008011002", name: "Ahmad Fauzi, S.T.", jabatan: "Sekretaris Daerah",
      pd: setda, keystore: $T/pki/signer-ec.p12, passphrase_file: $T/pki/pass.txt,
      roles: [sekda] }
  - { nip: "199203152018011001", name: "Rahmat Hidayat, S.T.", jabatan: "Kepala Dinas",
      pd: diskominfo, keystore: $T/pki/signer-ec384.p12, passphrase_file: $T/pki/pass.txt,
      roles: [kepala_dinas] }
  - { nip: "197505052000031002", name: "Kepala Lama", jabatan: "Kepala Dinas (mutasi)",
      pd: diskominfo, keystore: $T/pki/signer-lama.p12, passphrase_file: $T/pki/pass.txt,
      roles: [kepala_dinas], active: false }
limits: { settle_seconds: 0, sidecar_wait_seconds: 3600, doc_memory_mb: ${DOC_MEM:-1024} }
YAML
export SERTEL_CONFIG="$T/sertel.yaml" TZ=WIB-7	# POSIX TZ: UTC+7, no zone database needed
"$SERTEL" config check > "$T/cc.txt" 2>&1
grep -q "syntax OK" "$T/cc.txt"
ok $? "the configuration with officials, roles and a CRL loads"

# two_parafs PDF SIGNER - a sidecar with both required parafs, in order, on PDF's bytes
two_parafs() {
	h=$(sha256sum "$1" | cut -d' ' -f1)
	cat > "${1%.pdf}.yaml" <<Y
schema: 1
type: surat_keluar
signer: "$2"
parafs:
  - { nip: "198005052005011003", name: "Budi Santoso", role: kasubbag_umum,
      time: "2026-11-23T09:00:00+07:00", sha256: "$h" }
  - { nip: "197805102003122004", name: "Rina Marlina, S.E.", role: sekretaris,
      time: "2026-11-23 10:00:00 WIB", sha256: "$h" }
Y
}

# --- sertel paraf -------------------------------------------------------------------
D="$T/draf"
mkdir -p "$D"
umask 022
python3 "$ROOT/tests/lib/mkpdf.py" "$D/surat.pdf"
p() { "$SERTEL" paraf "$D/surat.pdf" "$@" > "$T/p.txt" 2> "$T/perr.txt"; echo $?; }
refused() {	# refused CODE... - the last paraf listed each code and left surat.yaml alone
	for c in "$@"; do grep -q "kode: $c$" "$T/perr.txt" || return 1; done
	cmp -s "$D/surat.yaml" "$T/first.yaml"
}

is "$(p --nip 197805102003122004 --role sekretaris --type surat_keluar \
	--signer 197103012006042006)" 1 "paraf: the sekretaris before the kasubbag is refused"
grep -q "kode: paraf.order" "$T/perr.txt" && test ! -e "$D/surat.yaml"
ok $? "... as paraf.order, and no sidecar is written"
is "$(p --nip 198005052005011003 --role kasubbag_umum)" 64 \
	"paraf: a new sidecar needs --type and --signer (usage, exit 64)"
is "$(p --nip 198005052005011003 --role kasubbag_umum --type surat_keluar \
	--signer 197103012006042006 --number "800/57/DISKOMINFO/2026")" 0 \
	"paraf: the kasubbag's paraf creates surat.yaml"
python3 - "$D/surat.yaml" "$(sha256sum "$D/surat.pdf" | cut -d' ' -f1)" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
p = d["parafs"][0]
assert d["schema"] == 1 and d["type"] == "surat_keluar" and d["signer"] == "197103012006042006", d
assert d["number"] == "800/57/DISKOMINFO/2026" and len(d["parafs"]) == 1, d
assert p["name"] == "Budi Santoso" and p["role"] == "kasubbag_umum", p
assert p["sha256"] == sys.argv[2] and p["time"].endswith("+07:00"), p
PY
ok $? "... with the register's name, the server's time in WIB (+07:00) and the PDF's SHA-256"
grep -q "Surat Keluar masih memerlukan paraf: sekretaris" "$T/p.txt"
ok $? "... and says which role is still needed"
is "$(stat -c %a "$D/surat.yaml")" 644 "... readable like the PDF (umask 022), not the spool's 0640"
cp "$D/surat.yaml" "$T/first.yaml"

is "$(p --nip 199001012015031001 --role sekretaris)" 1 "paraf: an unknown NIP is refused"
refused paraf.official_unknown; ok $? "... as paraf.official_unknown, the sidecar untouched"
is "$(p --nip 196505051990031007 --role sekretaris)" 1 "paraf: an inactive official is refused"
refused paraf.official_inactive; ok $? "... as paraf.official_inactive"
is "$(p --nip 198005052005011003 --role sekretaris)" 1 "paraf: a role the official does not hold is refused"
refused paraf.role_not_held; ok $? "... as paraf.role_not_held"
is "$(p --nip 198501012010011001 --role kasubbag_umum)" 1 \
	"paraf: a second kasubbag, from another PD, is refused"
refused paraf.duplicate paraf.pd_mismatch; ok $? "... listing both paraf.duplicate and paraf.pd_mismatch"
cp "$D/surat.pdf" "$T/surat.orig"
printf '%% a later edit\n' >> "$D/surat.pdf"
is "$(p --nip 197805102003122004 --role sekretaris)" 1 "paraf: the PDF changed since the first paraf"
refused paraf.hash_mismatch && grep -q 'lokasi: "surat.yaml:' "$T/perr.txt"
ok $? "... is refused as paraf.hash_mismatch, pointing at the earlier paraf"
cp "$T/surat.orig" "$D/surat.pdf"

# another paraf of the same draft in progress (the lock held): this one waits for it
rm -f "$T/locked" "$T/released"
flock -x "$D/surat.pdf" sh -c "touch '$T/locked'; sleep 1; touch '$T/released'" &
holder=$!
i=0; while [ ! -e "$T/locked" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
is "$(p --nip 197805102003122004 --role sekretaris --note "Sudah sesuai")" 0 \
	"paraf: the sekretaris's paraf is recorded"
ok "$(test -e "$T/released"; echo $?)" "... only after a concurrent paraf of the same draft let go of it"
wait $holder
grep -q "Paraf yang diwajibkan sudah lengkap (2 paraf)" "$T/p.txt"
ok $? "... and the parafs are complete"
"$SERTEL" validate "$D/surat.pdf" > "$T/v.txt" 2>&1
is "$?" 0 "validate accepts what sertel paraf wrote"
grep -q "OK: surat.pdf dapat ditandatangani oleh Dr. Siti Aminah, M.Si (surat_keluar, 2 paraf)" "$T/v.txt"
ok $? "... naming the signer"
"$SERTEL" validate "$D/surat.pdf" --pd dinkes > "$T/v2.txt" 2>&1
is "$?" 1 "validate --pd dinkes: the same draft is refused for another PD"
grep -q "kode: doctype.pd_not_allowed" "$T/v2.txt" && [ "$(grep -c 'kode: paraf.pd_mismatch' "$T/v2.txt")" = 2 ]
ok $? "... the type is not for that PD, and neither official belongs to it"

# sidecars written by hand: a flow-style list cannot be extended safely, and a paraf
# timed after the server's clock would put the new one out of order
python3 "$ROOT/tests/lib/mkpdf.py" "$D/tangan.pdf"
h=$(sha256sum "$D/tangan.pdf" | cut -d' ' -f1)
cat > "$D/tangan.yaml" <<Y
schema: 1
type: surat_keluar
parafs: [ { nip: "198005052005011003", name: "Budi Santoso", role: kasubbag_umum,
            time: "2026-11-23T09:00:00+07:00", sha256: "$h" } ]
signer: "197103012006042006"
Y
cp "$D/tangan.yaml" "$T/tangan.orig"
"$SERTEL" paraf "$D/tangan.pdf" --nip 197805102003122004 --role sekretaris > "$T/p.txt" 2> "$T/perr.txt"
is "$?" 1 "paraf: a sidecar whose parafs is a flow list, not last, is not extended"
grep -q "tidak dapat ditambahkan otomatis" "$T/perr.txt" && cmp -s "$D/tangan.yaml" "$T/tangan.orig"
ok $? "... saying why, and leaving it as it was"
sed -i 's/2026-11-23T09:00:00+07:00/2099-01-01T09:00:00+07:00/' "$D/tangan.yaml"
"$SERTEL" paraf "$D/tangan.pdf" --nip 197805102003122004 --role sekretaris > "$T/p.txt" 2> "$T/perr.txt"
is "$?" 1 "paraf: an earlier role's paraf timed after the server's clock is refused"
grep -q "kode: paraf.order" "$T/perr.txt"
ok $? "... as paraf.order (the new paraf would look earlier)"

# --- the pipeline ---------------------------------------------------------------------
in="$T/spool/incoming/diskominfo"
mkdir -p "$in" "$T/spool/incoming/dinkes"
cp "$D/surat.pdf" "$D/surat.yaml" "$in/"
python3 "$ROOT/tests/lib/mkpdf.py" "$in/banyak.pdf"
h=$(sha256sum "$in/banyak.pdf" | cut -d' ' -f1)
cat > "$in/banyak.yaml" <<Y
schema: 1
type: surat_keluar
signer: "198204152008011002"
parafs:
  - nip: "198005052005011003"
    name: "Budi S."
    role: kasubbag_umum
    time: "2026-11-23T10:00:00+07:00"
    sha256: "$h"
  - nip: "196505051990031007"
    name: "Hasan Basri"
    role: sekretaris
    time: "2026-11-23 09:00:00 WIB"
    sha256: "$(printf '%064d' 0)"
  - nip: "197805102003122004"
    name: "Rina Marlina, S.E."
    role: kasubbag_umum
    time: "2099-01-01T08:00:00 WITA"
    sha256: "$h"
Y
python3 "$ROOT/tests/lib/mkpdf.py" "$in/dicabut.pdf"; two_parafs "$in/dicabut.pdf" 199203152018011001
python3 "$ROOT/tests/lib/mkpdf.py" "$in/nonaktif.pdf"; two_parafs "$in/nonaktif.pdf" 197505052000031002
python3 "$ROOT/tests/lib/mkpdf.py" "$T/spool/incoming/dinkes/salah-pd.pdf"
two_parafs "$T/spool/incoming/dinkes/salah-pd.pdf" 197103012006042006
# metadata inside the PDF: attached in a last, incremental revision of the paraf'd draft
python3 "$ROOT/tests/lib/mkpdf.py" "$D/asli.pdf"; two_parafs "$D/asli.pdf" 197103012006042006
python3 "$ROOT/tests/lib/mkembed.py" "$D/asli.pdf" "$D/asli.yaml" "$in/tertanam.pdf"
python3 "$ROOT/tests/lib/mkembed.py" "$D/asli.pdf" "$D/asli.yaml" "$in/diubah.pdf" --tamper font
python3 "$ROOT/tests/lib/mkpdf.py" "$in/tunggu.pdf"
"$SERTEL" validate "$in/tertanam.pdf" > "$T/v3.txt" 2>&1
is "$?" 0 "validate reads the metadata attached to a PDF without a sidecar"
grep -q "metadata paraf dari lampiran sertel-paraf.yaml" "$T/v3.txt"
ok $? "... and says so"

"$SERTEL" -q run --once > "$T/run.txt" 2> "$T/runerr.txt"
is "$?" 1 "run --once: exit 1, some documents were refused"
ok "$(test -f "$T/spool/done/diskominfo/surat.pdf" && test -f "$T/spool/done/diskominfo/surat.yaml"; echo $?)" \
	"the draft paraf'd with sertel paraf is signed"
is "$(sqlite3 "$T/state/sertel.db" "select group_concat(role || '/' || name, ',') from (select p.role, p.name from parafs p join documents d on d.id = p.document_id join jobs j on j.id = d.id where j.file = 'surat.pdf' order by p.seq)")" \
	"kasubbag_umum/Budi Santoso,sekretaris/Rina Marlina, S.E." "... and its parafs are recorded in order"
report() { cat "$T/spool/failed/$1.error.yaml" 2>/dev/null; }
missing=""
for c in signer.not_allowed paraf.name_mismatch paraf.official_inactive paraf.hash_mismatch \
	 paraf.order paraf.duplicate paraf.role_not_held paraf.time_future; do
	report diskominfo/banyak | grep -q "kode: $c$" || missing="$missing $c"
done
is "$missing" "" "one document, eight violations: every one is in banyak.error.yaml"
python3 - "$T/spool/failed/diskominfo/banyak.error.yaml" <<'PY'
import re, sys, yaml
r = yaml.safe_load(open(sys.argv[1]))
assert r["jumlah_kesalahan"] == 8 == len(r["kesalahan"]), r["jumlah_kesalahan"]
for k in r["kesalahan"]:
    assert re.fullmatch(r"banyak\.yaml:\d+:\d+", k["lokasi"]) and k["pesan"] and k["saran"] and k["rincian"], k
order = [k for k in r["kesalahan"] if k["kode"] == "paraf.order"][0]
assert order["lokasi"] == "banyak.yaml:13:11" and order["kolom"] == "parafs[1].time", order
PY
ok $? "... each with its field, banyak.yaml:line:column, message, advice and detail"
report diskominfo/dicabut | grep -q "kode: signer.cert_invalid" && report diskominfo/dicabut | grep -q "telah dicabut pada"
ok $? "a signer whose certificate a CRL revokes -> signer.cert_invalid (dicabut)"
is "$(report diskominfo/nonaktif | sed -n 's/^  - kode: //p')" signer.inactive "an inactive signer -> signer.inactive, alone"
report dinkes/salah-pd | grep -q "kode: doctype.pd_not_allowed"
ok $? "a type dropped by a PD that may not submit it -> doctype.pd_not_allowed"
f="$T/spool/done/diskominfo/tertanam.pdf"
ok "$(test -f "$f" && test ! -e "$T/spool/done/diskominfo/tertanam.yaml"; echo $?)" \
	"a PDF carrying its metadata inside is signed without a sidecar"
cmp -s -n "$(stat -c %s "$D/asli.pdf")" "$D/asli.pdf" "$f" &&
	"$SERTEL" verify --trust "$T/pki/ca.pem" "$f" > "$T/verify.txt" 2>&1
ok $? "... the approved draft is a prefix of the signed file, whose signature verifies"
report diskominfo/diubah | grep -q "kode: sidecar.embedded" &&
	report diskominfo/diubah | grep -q 'metadata: "diubah.pdf#sertel-paraf.yaml"'
ok $? "attached metadata whose revision also changes the draft -> sidecar.embedded"
ok "$(test -f "$in/tunggu.pdf"; echo $?)" "a PDF with no metadata at all still waits for its sidecar"
done_testing
