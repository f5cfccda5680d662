#!/bin/sh
# demo.sh - `make demo`: a throwaway PKI and spool under var/demo/, sample
# documents from several PDs, one nightly batch, one deletion by berita acara
# (its signed PDF in done/diskominfo/), and where to look.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERTEL=${SERTEL:-$ROOT/build/sertel}
D=$ROOT/var/demo
rm -rf "$D/spool" "$D/state"
mkdir -p "$D"
sh "$ROOT/tests/lib/pki.sh" "$D/pki" >/dev/null

# the configuration of the tests, with relative paths (the folder can move),
# a second signer, a location and a visible mark; a records officer of
# diskominfo and the deletion: section (Dr. Siti Aminah signs for Diskominfo)
{
	echo "# Demo configuration, made by scripts/demo.sh (see config/sertel.example.yaml)."
	sh "$ROOT/tests/lib/mkconfig.sh" -l "Muara Beliti" \
		-t "surat_keluar:Surat Keluar:1" -t "nota_dinas:Nota Dinas:1" -S siti -S ahmad \
		-m "https://tte.musirawaskab.go.id/verifikasi/{id}" |
	awk '{ print } /^officials:/ { print "  # a records officer: may file berita acara of deletion for diskominfo";
		print "  - { nip: \"198503102010012001\", name: \"Dewi Lestari, S.Sos\", jabatan: \"Arsiparis Ahli Muda\", roles: [arsiparis], pd: diskominfo }" }'
	cat <<'YAML'
deletion:
  officer_roles: [arsiparis]
  service_signer: "197103012006042006"
  letterhead: ["PEMERINTAH KABUPATEN MUSI RAWAS", "DINAS KOMUNIKASI DAN INFORMATIKA",
    "Jl. Lintas Sumatera Km. 12, Muara Beliti", "diskominfo@musirawaskab.go.id"]
YAML
} > "$D/sertel.yaml"
# the signers' certificates through the registry: each names its official
SERTEL=$SERTEL sh "$ROOT/scripts/demo-certs.sh" "$D"

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

# after signing: the records officer deletes one diskominfo document by berita acara
echo
id=$("$SERTEL" --config "$D/sertel.yaml" doc list --pd diskominfo --limit 1 | cut -d' ' -f1)
"$SERTEL" --config "$D/sertel.yaml" deletion new --officer 198503102010012001 \
	--reason "Dokumen telah direvisi; diganti dengan versi yang diperbaiki" "$id" > "$D/berita-acara.yaml"
sed -i 's/nik: ""/nik: "1605014101850001"/; s/pangkat_golongan: ""/pangkat_golongan: "Penata, III\/c"/' \
	"$D/berita-acara.yaml"
"$SERTEL" --config "$D/sertel.yaml" deletion submit "$D/berita-acara.yaml"

# Pasal 23: Diskominfo's supervision report of this half-year so far
wib() { TZ=Asia/Jakarta date "$@"; }
half=01-01; [ "$(wib +%m)" -le 6 ] || half=07-01
"$SERTEL" --config "$D/sertel.yaml" report --from "$(wib +%Y)-$half" --to "$(wib +%F)" \
	-o "$D/laporan-tte.pdf"
echo
echo "Configuration:   $D/sertel.yaml"
echo "Root CA:         $D/pki/ca.pem"
echo "Certificates:    $D/devca/ca.pem (development CA, NOT FOR PRODUCTION) issued the signers'"
echo "                 keystores in $D/keystores/ through the registry: cert list"
echo "Signed PDFs:     $D/spool/done/<pd>/  (a QR code + text mark at the bottom right)"
echo "Refusals:        $D/spool/failed/<pd>/  (e.g. dinkes/rusak.error.yaml)"
echo "Deletion:        $D/berita-acara.yaml -> $D/spool/done/diskominfo/berita-acara-001-Diskominfo-$(date +%Y).pdf"
echo "                 (signed by the service signer, with its receipt beside it; doc show $id)"
echo "Report:          $D/laporan-tte.pdf  (supervision report, Pasal 23; also --format csv|json)"
echo "Database:        $D/state/sertel.db"
echo "Try:             $SERTEL --config $D/sertel.yaml doc list"
# exit 1 only means the planted refusal went to failed/, as intended
[ $rc -le 1 ]
