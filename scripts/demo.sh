#!/bin/sh
# demo.sh - `make demo`: a throwaway PKI and spool under var/demo/, sample
# documents from several PDs, one nightly batch, and where to look.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERTEL=${SERTEL:-$ROOT/build/sertel}
D=$ROOT/var/demo
rm -rf "$D/spool" "$D/state"
mkdir -p "$D"
sh "$ROOT/tests/lib/pki.sh" "$D/pki" >/dev/null

cat > "$D/sertel.yaml" <<YAML
# Demo configuration, made by scripts/demo.sh (see config/sertel.example.yaml).
instansi: "Pemerintah Kabupaten Musi Rawas"
location: "Muara Beliti"
spool: spool
state: state
trust: [ pki/ca.pem ]
document_types:
  surat_keluar: { title: "Surat Keluar", min_parafs: 1 }
  nota_dinas: { title: "Nota Dinas", min_parafs: 1 }
officials:
  - nip: "198005052005011003"
    name: "Budi Santoso"
    jabatan: "Kepala Sub Bagian Umum"
    roles: [kasubbag_umum]
    pd: "*"
signers:
  - nip: "197103012006042006"
    name: "Dr. Siti Aminah, M.Si"
    jabatan: "Kepala Dinas Komunikasi dan Informatika"
    pd: diskominfo
    keystore: pki/signer-rsa.p12
    passphrase_file: pki/pass.txt
  - nip: "198204152008011002"
    name: "Ahmad Fauzi, S.T."
    jabatan: "Sekretaris Daerah"
    pd: setda
    keystore: pki/signer-ec.p12
    passphrase_file: pki/pass.txt
limits:
  settle_seconds: 0
marks:
  url: "https://tte.musirawaskab.go.id/verifikasi/{id}"
  default: standar
  profiles:
    standar: { kinds: [qr, text] }
YAML

n=0
for pd in diskominfo setda bappeda dinkes; do
	mkdir -p "$D/spool/incoming/$pd"
	python3 "$ROOT/tests/lib/mkpdf.py" --count 5 --out "$D/spool/incoming/$pd" --prefix "surat-$pd"
	for f in "$D/spool/incoming/$pd"/*.pdf; do
		signer=197103012006042006
		[ "$pd" = setda ] && signer=198204152008011002
		n=$((n + 1))
		sh "$ROOT/tests/lib/mksidecar.sh" "$f" "$signer" "" "800/$n/$(echo "$pd" | tr a-z A-Z)/2026"
	done
done
# one refusal, so the demo shows a report too
printf 'bukan PDF\n' > "$D/spool/incoming/dinkes/rusak.pdf"
cp "$D/spool/incoming/dinkes/$(ls "$D/spool/incoming/dinkes" | grep yaml | head -1)" "$D/spool/incoming/dinkes/rusak.yaml"

set +e
"$SERTEL" --config "$D/sertel.yaml" run --once
rc=$?
set -e
echo
echo "Configuration:   $D/sertel.yaml"
echo "Root CA:         $D/pki/ca.pem"
echo "Signed PDFs:     $D/spool/done/<pd>/  (a QR code + text mark at the bottom right)"
echo "Refusals:        $D/spool/failed/<pd>/  (e.g. dinkes/rusak.error.yaml)"
echo "Database:        $D/state/sertel.db"
echo "Try:             $SERTEL --config $D/sertel.yaml doc list"
# exit 1 only means the planted refusal went to failed/, as intended
[ $rc -le 1 ]
