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
kill "$w"; wait "$w" 2> /dev/null
done_testing
