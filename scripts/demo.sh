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

# the configuration of the tests, with relative paths (the folder can move),
# a second signer, a location and a visible mark
{
	echo "# Demo configuration, made by scripts/demo.sh (see config/sertel.example.yaml)."
	sh "$ROOT/tests/lib/mkconfig.sh" -l "Muara Beliti" \
		-t "surat_keluar:Surat Keluar:1" -t "nota_dinas:Nota Dinas:1" -S siti -S ahmad \
		-m "https://tte.musirawaskab.go.id/verifikasi/{id}"
} > "$D/sertel.yaml"

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
