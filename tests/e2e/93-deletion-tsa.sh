#!/bin/sh
# 93-deletion-tsa.sh - the berita acara PDF is timestamped like a signing job
# when the configuration names a TSA (tests/lib/tsa.py on loopback): its
# signature carries an RFC 3161 token over its signature value (openssl ts
# -verify with the TSA's CA); with the TSA down and on_failure: sign_bb it is
# signed B-B, recorded as waiting, and `sertel augment` stamps it in done/.
. "$(dirname "$0")/../lib/e2e.sh"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pki
. "$ROOT/tests/lib/deletion.sh"
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --make-pki || echo "# tsa.py --make-pki failed"
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --port-file "$T/tsa.port" --log "$T/tsa.log" \
	--ttl 600 2> "$T/tsa-err.log" &
pids="$pids $!"
i=0
while [ ! -s "$T/tsa.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
dead=http://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/tsr
# conf URL [EXTRA] - the e2e configuration, a records officer, deletion: and timestamp:
conf() {
	deletion_config "$T/sertel.yaml"
	printf 'timestamp:\n  tsa:\n    - url: %s\n      timeout_seconds: 5\n  trust: [ %s ]\n' "$1" "$T/tsa/tsa-ca.pem" >> "$T/sertel.yaml"
	[ -z "${2:-}" ] || printf '%s\n' "$2" >> "$T/sertel.yaml"
}
export SERTEL_CONFIG="$T/sertel.yaml"
y=$(date +%Y)
# token PDF - the PDF's signature holds an RFC 3161 token over its signature value
token() {
	x="$T/x-$(basename "$1" .pdf)"
	python3 "$ROOT/tests/lib/tstcheck.py" "$1" "$x" > /dev/null 2>&1 &&
		openssl ts -verify -data "$x/sig.bin" -in "$x/token.der" -token_in \
			-CAfile "$T/tsa/tsa-ca.pem" 2>&1 | grep -q '^Verification: OK'
}
# delete K ID - berita acara K for document ID, filled in and submitted
delete() {
	"$SERTEL" deletion new --officer 198503102010012001 --reason "Dokumen direvisi" "$2" > "$T/ba$1.yaml"
	ba_fill "$T/ba$1.yaml"
	"$SERTEL" deletion submit "$T/ba$1.yaml" > "$T/sub$1.txt" 2>&1
}

conf "http://127.0.0.1:$(cat "$T/tsa.port")/tsr"
for i in 1 2 3; do drop diskominfo "surat-$i"; done
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "3 documents signed with a TSA"
n0=$(wc -l < "$T/tsa.log")
delete 1 "$(q "select id from documents order by id limit 1")"
is "$?" 0 "a deletion with a TSA configured is carried out"
ba="$T/spool/done/diskominfo/berita-acara-001-Diskominfo-$y.pdf"
is "$(( $(wc -l < "$T/tsa.log") - n0 ))" 1 "... the TSA was asked once, for the berita acara"
token "$ba"
ok $? "... its signature holds a token over its signature value (openssl ts -verify, TSA CA)"
pdfsig "$ba" 2>&1 | grep -q "Signature is Valid"
ok $? "... and the signature stays valid (pdfsig)"
is "$(q "select timestamp_pending from documents where type='berita-acara'")" 0 "... recorded as stamped (B-T)"

# the TSA down, on_failure: sign_bb: B-B now, `sertel augment` stamps it later
conf "$dead" "  on_failure: sign_bb"
delete 2 "$(q "select id from documents where status='stored' and type != 'berita-acara' order by id limit 1")"
is "$?" 0 "with the TSA down and on_failure: sign_bb, the deletion is carried out"
ba2="$T/spool/done/diskominfo/berita-acara-002-Diskominfo-$y.pdf"
pdfsig "$ba2" 2>&1 | grep -q "Signature is Valid" && ! token "$ba2"
ok $? "... its berita acara signed B-B (valid, no token)"
id2=$(q "select id from documents where type='berita-acara' and number='002/Diskominfo/$y'")
is "$(q "select timestamp_pending from documents where id='$id2'")" 1 "... recorded as waiting for its timestamp"
conf "http://127.0.0.1:$(cat "$T/tsa.port")/tsr" "  on_failure: sign_bb"
"$SERTEL" augment > "$T/aug.txt" 2>&1
is "$?" 0 "sertel augment with the TSA back exits 0"
token "$ba2" && pdfsig "$ba2" 2>&1 | grep -q "Signature is Valid"
ok $? "... the delivered berita acara now holds a valid token"
is "$(q "select timestamp_pending from documents where id='$id2'")" 0 "... and is recorded as stamped"

# the TSA down without sign_bb: the deletion is done, the berita acara waits for a retry
conf "$dead"
delete 3 "$(q "select id from documents where status='stored' and type != 'berita-acara' order by id limit 1")"
is "$?" 75 "with the TSA down (no sign_bb) the berita acara cannot be signed: exit 75, try later"
[ ! -e "$T/spool/done/diskominfo/berita-acara-003-Diskominfo-$y.pdf" ] &&
	[ "$(q "select count(*) from documents where type='berita-acara' and number='003/Diskominfo/$y'")" = 0 ]
ok $? "... no PDF, no record of one"
conf "http://127.0.0.1:$(cat "$T/tsa.port")/tsr"
"$SERTEL" deletion submit "$T/ba3.yaml" > "$T/sub3b.txt" 2>&1
is "$?" 0 "the retry with the TSA back completes it"
token "$T/spool/done/diskominfo/berita-acara-003-Diskominfo-$y.pdf"
ok $? "... stamped"
done_testing
