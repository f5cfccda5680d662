#!/bin/sh
# valgrind-batch.sh - a few good and bad documents through `run --once` under
# valgrind (every process: the master and its forked workers), the good ones
# timestamped by a TSA on loopback (tests/lib/tsa.py), so libcurl and the
# RFC 3161 check run under valgrind too; and with a visual mark of every kind
# (QR code, barcode, PNG image, text), so the mark stage does as well.
. "$(dirname "$0")/e2e.sh"
pki
WORKERS=1 config "$T/sertel.yaml"
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --port-file "$T/tsa.port" --ttl 600 \
	2> "$T/tsa.log" &
tsa=$!
trap 'kill $tsa 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
i=0
while [ ! -s "$T/tsa.port" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
cat >> "$T/sertel.yaml" <<YAML
timestamp:
  tsa:
    - url: http://127.0.0.1:$(cat "$T/tsa.port")/tsr
      min_interval_ms: 50
  trust: [ $T/tsa/tsa-ca.pem ]
marks:
  url: "https://tte.example.go.id/v/{id}"
  default: semua
  profiles:
    semua: { kinds: [qr, image, text, barcode], width: 300, height: 120, image: $T/ttd.png }
YAML
python3 "$ROOT/tests/lib/mkpng.py" "$T/ttd.png"
export SERTEL_CONFIG="$T/sertel.yaml"
for i in 1 2 3; do drop diskominfo "surat-$i"; done
drop setda rusak; printf 'rusak' > "$T/spool/incoming/setda/rusak.pdf"
drop setda hash; sidecar "$T/spool/incoming/setda/hash.pdf" 197103012006042006 \
	1111111111111111111111111111111111111111111111111111111111111111
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--log-file="$T/vg.%p.txt" "$SERTEL" -q run --once 2> "$T/err.txt"
rc=$?
cat "$T"/vg.*.txt 2>/dev/null | head -60
[ "$rc" -eq 1 ] && [ "$(count "$T/spool/done" -name '*.pdf')" -eq 3 ] &&
	grep -q '/SubFilter/ETSI.CAdES.detached' "$T"/spool/done/diskominfo/surat-1.pdf &&
	grep -q '/Subtype/Type3' "$T"/spool/done/diskominfo/surat-1.pdf &&
	python3 "$ROOT/tests/lib/tstcheck.py" "$T/spool/done/diskominfo/surat-1.pdf" "$T/x" &&
	! grep -qs . "$T"/vg.*.txt
