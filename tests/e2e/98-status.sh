#!/bin/sh
# 98-status.sh - `sertel status`: the daemon's PID while `watch` runs (none
# otherwise), files waiting per PD and the oldest (clutter not counted), the
# last 24 hours against the database, timestamps waiting, certificates ending
# within 30 days; the JSON carries the same facts.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming
for i in 1 2 3; do drop diskominfo "surat-$i"; sidecar "$in/diskominfo/surat-$i.pdf"; done
drop setda salah; sidecar "$in/setda/salah.pdf" 196001011990031001
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 1 "three signed, one refused"
mkdir -p "$in/bappeda"
printf 'x' > "$in/bappeda/a.pdf"; printf 'x' > "$in/bappeda/b.pdf"; printf 'x' > "$in/bappeda/Thumbs.db"
touch -d '2 hours ago' "$in/bappeda/a.pdf"
python3 "$ROOT/tests/lib/mkhistory.py" "$T/state/sertel.db" 2025 50 "$T/exp.json" 3 > /dev/null

"$SERTEL" status > "$T/s.txt"
is "$?" 0 "status: exit 0"
grep -q "^daemon  *not running" "$T/s.txt"; ok $? "no daemon: said so"
grep -q "^waiting  *bappeda: 2 file(s), the oldest from .* (1[12][0-9] min ago)$" "$T/s.txt"
ok $? "bappeda: two files waiting, the oldest two hours ago (Thumbs.db not counted)"
grep -q "^last 24 h  *3 signed, 1 refused ($(sqlite3 "$T/state/sertel.db" "select code from jobs where outcome='failed'") 1)$" "$T/s.txt"
ok $? "the last 24 hours: signed and refused by code"
want=$(python3 -c "import json; print(json.load(open('$T/exp.json'))['certs_expiring'][0])")
grep -q "^certificates  *$want active certificate(s) ending within 30 days$" "$T/s.txt"
ok $? "certificates ending within 30 days: $want, as the registry holds them"
"$SERTEL" status --json > "$T/s.json"
is "$(python3 -c "import json; d=json.load(open('$T/s.json')); print(d['signed_24h'], d['refused_24h'], d['daemon_pid'], len(d['certs_expiring_30d']), d['audit_head']['seq'])")" \
	"3 1 0 $want $(sqlite3 "$T/state/sertel.db" "select seq from audit_head")" "--json: the same facts"

"$SERTEL" watch > /dev/null 2>&1 &
w=$!
for i in $(seq 50); do [ -s "$T/state/sertel.lock" ] && break; sleep 0.1; done
sleep 0.5
"$SERTEL" status > "$T/s2.txt"
grep -q "^daemon  *running: PID $w holds" "$T/s2.txt"
ok $? "watch running: its PID"
# the metrics file after a batch: Prometheus's text format, the batch counted
# (made aside and moved in whole: the daemon takes what arrives at once)
mkdir -p "$T/aside"
python3 "$ROOT/tests/lib/mkpdf.py" --text "surat-9 $(date +%s%N)" "$T/aside/surat-9.pdf"
sidecar "$T/aside/surat-9.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --text "salah-9 $(date +%s%N)" "$T/aside/salah-9.pdf"
sidecar "$T/aside/salah-9.pdf" 196001011990031001
mv "$T/aside/surat-9.yaml" "$in/diskominfo/"; mv "$T/aside/surat-9.pdf" "$in/diskominfo/"
mv "$T/aside/salah-9.yaml" "$in/setda/"; mv "$T/aside/salah-9.pdf" "$in/setda/"
for i in $(seq 100); do grep -qs 'code="signer.unknown"' "$T/state/metrics/sertel.prom" &&
	grep -qs "^sertel_documents_signed_total 1$" "$T/state/metrics/sertel.prom" && break; sleep 0.1; done
python3 - "$T/state/metrics/sertel.prom" > "$T/prom.txt" <<'PY'
import re, sys
line = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"\\\n]*",?)*\})? -?[0-9.eE+-]+$')
v = {}
for l in open(sys.argv[1]):
    l = l.rstrip("\n")
    if l.startswith("#"):
        assert l.startswith("# HELP ") or l.startswith("# TYPE "), l
        continue
    assert line.match(l), l
    k, n = l.rsplit(" ", 1)
    v[k] = float(n)
print(int(v["sertel_documents_signed_total"]), sum(int(n) for k, n in v.items() if k.startswith("sertel_documents_refused_total{")),
      int(v["sertel_batch_seconds_count"]) >= 1, "sertel_queue_jobs" in v)
PY
is "$(cat "$T/prom.txt")" "1 2 True True" \
	"STATE/metrics/sertel.prom: valid text format, one signed, two refused (bappeda's PDF that waited two hours for its sidecar, an unknown signer), the batches counted"
kill "$w"; wait "$w" 2> /dev/null
done_testing
