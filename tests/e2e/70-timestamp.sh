#!/bin/sh
# 70-timestamp.sh - PAdES B-T: RFC 3161 signature timestamps from real TSAs on
# loopback (tests/lib/tsa.py: `openssl ts -reply` behind a small HTTP server).
# Tokens are checked independently (openssl ts -verify over the signature
# value, openssl cms -print); a TSA that is down, slow, answers garbage, a
# token over another imprint, a rejection or an untrusted TSA fails the
# document with its own code while the run goes on; failover to the next TSA;
# the per-TSA rate limit across worker processes; basic auth without the
# password in any log; on_failure: sign_bb signs B-B and `sertel augment` adds
# the timestamp later.
. "$(dirname "$0")/../lib/e2e.sh"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pki
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --make-pki || echo "# tsa.py --make-pki failed"

# tsa NAME [tsa.py options] - start a TSA; its port in $T/NAME.port, requests in $T/NAME.log
tsa() {
	name=$1
	shift
	python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --port-file "$T/$name.port" \
		--log "$T/$name.log" --ttl 600 "$@" 2> "$T/$name-tsa.log" &
	pids="$pids $!"
	i=0
	while [ ! -s "$T/$name.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	: >> "$T/$name.log"
}
url() { echo "http://127.0.0.1:$(cat "$T/$1.port")/tsr"; }
# a port nobody listens on: bound by the kernel's choice, then closed
dead=http://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/tsr

# tsconfig ENTRIES [EXTRA] - the e2e configuration plus a timestamp section;
# ENTRIES are the lines of timestamp.tsa, EXTRA more lines of timestamp:
tsconfig() {
	config "$T/sertel.yaml"
	{
		echo "timestamp:"
		echo "  tsa:"
		printf '%s\n' "$1"
		echo "  trust: [ ${TRUST:-$T/tsa/tsa-ca.pem} ]"
		[ -n "${2:-}" ] && printf '%s\n' "$2"
	} >> "$T/sertel.yaml"
}
# entry URL [TIMEOUT [KEY: VALUE...]] - one item of timestamp.tsa
entry() {
	printf '    - url: %s\n      timeout_seconds: %s\n' "$1" "${2:-5}"
	[ $# -gt 2 ] && shift 2 && printf '      %s\n' "$@"
	:
}
export SERTEL_CONFIG="$T/sertel.yaml"
code() { sed -n 's/^  - kode: //p' "$T/spool/failed/diskominfo/$1.error.yaml" 2>/dev/null | head -1; }
report() { cat "$T/spool/failed/diskominfo/$1.error.yaml" 2>/dev/null; }

# --- a working TSA: every signature carries a token that verifies on its own
tsa ok
tsconfig "$(entry "$(url ok)")"
for i in 1 2 3 4 5 6; do drop diskominfo "stempel-$i"; done
cp -r "$T/spool/incoming/diskominfo" "$T/orig1"
"$SERTEL" -q run --once > "$T/out1.txt" 2> "$T/err1.txt"
is "$?" 0 "run --once with a TSA exits 0"
is "$(count "$T/spool/done" -name '*.pdf')" 6 "6 documents signed"
is "$(wc -l < "$T/ok.log" | tr -d ' ')" 6 "the TSA was asked once per document"
bad=0
for f in "$T"/spool/done/diskominfo/*.pdf; do
	x="$T/x/$(basename "$f" .pdf)"
	python3 "$ROOT/tests/lib/tstcheck.py" "$f" "$x" &&
		openssl ts -verify -data "$x/sig.bin" -in "$x/token.der" -token_in \
			-CAfile "$T/tsa/tsa-ca.pem" > "$x/verify.txt" 2>&1 &&
		grep -q '^Verification: OK' "$x/verify.txt" || { bad=1; echo "# no valid token: $f"; }
done
ok $bad "each signature holds one RFC 3161 token over its signature value (openssl ts -verify, TSA CA)"
x=$(ls -d "$T"/x/* | head -1)
openssl cms -cmsout -print -inform DER -in "$x/cms.der" > "$T/cms.txt" 2>&1
grep -A2 'unsignedAttrs:' "$T/cms.txt" | grep -q 'id-smime-aa-timeStampToken'
ok $? "openssl cms -print shows the unsigned attribute id-smime-aa-timeStampToken"
openssl ts -reply -token_in -in "$x/token.der" -token_out -text > "$T/tst.txt" 2>&1
grep -q 'Hash Algorithm: sha256' "$T/tst.txt" && grep -q '^Nonce: 0x' "$T/tst.txt"
ok $? "the token's imprint is SHA-256 and it carries our nonce"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/*/*.pdf > "$T/check.txt" 2>&1
ok $? "pdfsig (valid, trusted, whole file) and qpdf --check still accept every B-T file"
[ $? -eq 0 ] || sed 's/^/# /' "$T/check.txt" | head -20
prefix=0
for f in "$T"/orig1/*.pdf; do
	cmp -s -n "$(stat -c %s "$f")" "$f" "$T/spool/done/diskominfo/$(basename "$f")" || prefix=1
done
ok $prefix "the originals are still byte-for-byte prefixes"

# --- failures: each document fails with its code; the run goes on
# (fail NAME CODE DESC [tsconfig args...] - one document against that configuration)
fail() {
	name=$1 want=$2 desc=$3
	shift 3
	tsconfig "$@"
	drop diskominfo "$name"
	cp "$T/spool/incoming/diskominfo/$name.pdf" "$T/$name.orig"
	"$SERTEL" -q run --once > "$T/$name-out.txt" 2> "$T/$name-err.txt"
	rc=$?
	is "$rc/$(code "$name")" "1/$want" "$desc"
}
fail mati timestamp.unavailable "TSA down (nothing listens) -> timestamp.unavailable, exit 1" \
	"$(entry "$dead")"
report mati | grep -q "tsa\[0\] $dead: .*[Cc]ouldn't connect"
ok $? "... the report names the TSA and why"
cmp -s "$T/mati.orig" "$T/spool/failed/diskominfo/mati.pdf"
ok $? "... and the PDF is handed back byte-identical (no half-signed file)"
report mati | grep -q 'pesan: "Layanan cap waktu (TSA) tidak dapat dihubungi' &&
	report mati | grep -q 'saran: "'
ok $? "... in Bahasa Indonesia, with advice"

tsa sampah --mode garbage
fail sampah timestamp.invalid "TSA answers garbage -> timestamp.invalid" "$(entry "$(url sampah)")"
report sampah | grep -q 'is not a TimeStampResp'
ok $? "... 'is not a TimeStampResp'"

tsa salah --mode wrong
fail salah timestamp.invalid "a valid token over another imprint -> timestamp.invalid" \
	"$(entry "$(url salah)")"
report salah | grep -qi 'imprint mismatch\|nonce mismatch'
ok $? "... imprint/nonce mismatch"

tsa tolak --mode reject
fail tolak timestamp.invalid "TSA rejects the request -> timestamp.invalid" "$(entry "$(url tolak)")"
report tolak | grep -q 'rejection'
ok $? "... the TSA's status (rejection) is in the report"

TRUST="$T/pki/ca.pem"
fail asing timestamp.invalid \
	"TSA certificate not under timestamp.trust -> timestamp.invalid" "$(entry "$(url ok)")"
unset TRUST
report asing | grep -q 'certificate verify error'
ok $? "... the chain error is in the report"

tsa lambat --slow 4
fail lambat timestamp.unavailable "TSA slower than timeout_seconds -> timestamp.unavailable" \
	"$(entry "$(url lambat)" 1)"
report lambat | grep -qi 'timeout\|timed out'
ok $? "... after its timeout"

fail besar sign.failed "a token larger than reserve_bytes -> sign.failed" \
	"$(entry "$(url ok)")" "  reserve_bytes: 2048"
report besar | grep -q 'raise timestamp.reserve_bytes'
ok $? "... saying which setting to raise"

# --- failover: the first TSA is down, the second signs
tsa cadangan
tsconfig "$(entry "$dead")
$(entry "$(url cadangan)")"
drop diskominfo cadangan-1
"$SERTEL" -q run --once > "$T/fo-out.txt" 2> "$T/fo-err.txt"
is "$?" 0 "first TSA down, second up -> signed"
python3 "$ROOT/tests/lib/tstcheck.py" "$T/spool/done/diskominfo/cadangan-1.pdf" "$T/fo" &&
	openssl ts -verify -data "$T/fo/sig.bin" -in "$T/fo/token.der" -token_in \
		-CAfile "$T/tsa/tsa-ca.pem" > /dev/null 2>&1
ok $? "... with a token from the second TSA"
is "$(wc -l < "$T/cadangan.log" | tr -d ' ')" 1 "... asked once"
grep -q "tsa\[0\] $dead" "$T/fo-err.txt"
ok $? "... and the log says the first one failed"

# --- rate limit: 4 worker processes, 10 documents, min_interval_ms 100
tsa laju
WORKERS=4
tsconfig "$(entry "$(url laju)" 5 "min_interval_ms: 100")"
unset WORKERS
for i in 01 02 03 04 05 06 07 08 09 10; do drop diskominfo "laju-$i"; done
"$SERTEL" -q run --once > "$T/rl-out.txt" 2> "$T/rl-err.txt"
is "$?" 0 "10 documents, 4 workers, min_interval_ms 100: all signed"
is "$(wc -l < "$T/laju.log" | tr -d ' ')" 10 "... 10 requests reached the TSA"
# sertel spaces its sends; the TSA logs arrivals, which a loaded machine may
# bunch by some tens of ms: the span of the 10 says the pace, the closest
# pair that no burst went through
set -- $(sort -n "$T/laju.log" | awk 'NR == 1 { f = $1 } NR > 1 { d = $1 - p; if (m == "" || d < m) m = d }
	{ p = $1 } END { printf "%d %d", m * 1000, (p - f) * 1000 }')
gap=${1:-0} span=${2:-0}
ok "$([ "$span" -ge 850 ] && [ "$gap" -ge 50 ]; echo $?)" \
	"... paced: 10 requests over ${span} ms (>= 850), no two closer than 50 ms (closest: ${gap} ms)"

# --- HTTP basic auth: the password comes from its file and is never logged
printf 'rahasia-tsa-789\n' > "$T/tsa.pass"
chmod 600 "$T/tsa.pass"
tsa kunci --user sertel --password-file "$T/tsa.pass"
tsconfig "$(entry "$(url kunci)" 5 "username: sertel" "password_file: $T/tsa.pass")"
drop diskominfo kunci-1
"$SERTEL" -v run --once > "$T/auth-out.txt" 2> "$T/auth-err.txt"
is "$?" 0 "TSA with basic auth: signed"
printf 'sandi-keliru\n' > "$T/wrong-tsa.pass"
tsconfig "$(entry "$(url kunci)" 5 "username: sertel" "password_file: $T/wrong-tsa.pass")"
drop diskominfo kunci-2
"$SERTEL" -v run --once > "$T/auth2-out.txt" 2> "$T/auth2-err.txt"
is "$?/$(code kunci-2)" "1/timestamp.unavailable" "wrong TSA password -> timestamp.unavailable"
report kunci-2 | grep -q 'HTTP status 401'
ok $? "... HTTP status 401 in the report"
! grep -rqs -e 'rahasia-tsa-789' -e 'sandi-keliru' "$T"/*.txt "$T/spool/failed" \
	"$T/state/sertel.db"
ok $? "the TSA password is in no log, report or database"

# --- configuration: what is not there, or not allowed, stops sertel (exit 78)
# --- on_failure: sign_bb - the TSA is down: sign B-B, deliver, and let
# `sertel augment` add the timestamp once a TSA answers again
rm -rf "$T/spool/done" "$T/spool/failed"
tsconfig "$(entry "$dead" 2)" "  on_failure: sign_bb"
drop diskominfo tunda-1
drop diskominfo tunda-2
"$SERTEL" -q run --once > /dev/null 2> "$T/bb.txt"
is "$?" 0 "sign_bb with the TSA down: run --once exits 0"
is "$(count "$T/spool/done/diskominfo" -name 'tunda-*.pdf')" 2 "... both documents delivered (B-B)"
grep -q "timestamp deferred" "$T/bb.txt"
ok $? "... the log says the timestamp was deferred"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/diskominfo/tunda-*.pdf > "$T/bbcheck.txt" 2>&1
ok $? "... valid in pdfsig and qpdf"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from documents where timestamp_pending = 1")" 2 \
	"... and waiting in the database"
cp "$T/spool/done/diskominfo/tunda-1.pdf" "$T/tunda-1.bb.pdf"
wid=$(sqlite3 "$T/state/sertel.db" "select id from documents where timestamp_pending = 1 limit 1")
"$SERTEL" doc show "$wid" | grep -q '^timestamp  *waiting (signed B-B; sertel augment adds it)'
ok $? "... sertel doc show says the timestamp is waiting"
old_store=$(sqlite3 "$T/state/sertel.db" "select store_path from documents where timestamp_pending = 1 order by id limit 1")
"$SERTEL" augment > "$T/aug0.txt" 2>&1
is "$?" 75 "augment while the TSA is still down: exit 75 (try later)"
grep -q "0 timestamped, 2 still waiting" "$T/aug0.txt"
ok $? "... nothing changed, both still waiting"
# the TSA taken out of the configuration meanwhile: what waits is said, not dropped
config "$T/sertel.yaml"
"$SERTEL" augment > "$T/aug-none.txt" 2>&1
is "$?" 78 "augment without timestamp.tsa while 2 signatures wait: exit 78"
grep -q "2 signed document(s) wait for a timestamp" "$T/aug-none.txt"
ok $? "... saying how many wait and what to add"
echo "bukan dokumen sertel" > "$T/spool/done/diskominfo/tunda-2.pdf"
tsa back
tsconfig "$(entry "$(url back)")" "  on_failure: sign_bb"
"$SERTEL" augment > "$T/aug1.txt" 2>&1
is "$?" 0 "augment with a TSA back: exit 0"
grep -q "2 timestamped, 0 still waiting, 0 failed" "$T/aug1.txt"
ok $? "... both documents timestamped"
f="$T/spool/done/diskominfo/tunda-1.pdf"
x="$T/x/tunda-1"
python3 "$ROOT/tests/lib/tstcheck.py" "$f" "$x" &&
	openssl ts -verify -data "$x/sig.bin" -in "$x/token.der" -token_in \
		-CAfile "$T/tsa/tsa-ca.pem" 2>&1 | grep -q '^Verification: OK'
ok $? "... the delivered copy now carries a token over its signature value (B-T)"
is "$(stat -c %s "$f")" "$(stat -c %s "$T/tunda-1.bb.pdf")" "... same size: the token went into the reserved room"
python3 - "$T/tunda-1.bb.pdf" "$f" <<'PY'
import re, sys
a, b = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read()
m = list(re.finditer(rb"/ByteRange\[0 (\d+) (\d+) (\d+)", a))[-1]
s1, s2 = int(m.group(1)), int(m.group(2))
sys.exit(0 if a[:s1] == b[:s1] and a[s2:] == b[s2:] and a[s1:s2] != b[s1:s2] else 1)
PY
ok $? "... every signed byte unchanged, only /Contents differs"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$f" > "$T/btcheck.txt" 2>&1
ok $? "... still valid in pdfsig and qpdf"
"$SERTEL" verify --json "$f" > "$T/btv.json"
is "$?" 0 "... sertel verify: intact and trusted"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["signatures"][0]["timestamp"]=="valid" else 1)' "$T/btv.json"
ok $? "... with a valid signature timestamp"
is "$(cat "$T/spool/done/diskominfo/tunda-2.pdf")" "bukan dokumen sertel" \
	"a file of another content under the delivered name is left alone"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from documents where timestamp_pending = 0 and timestamped_at is not null and store_path like 'store/%'")" 2 \
	"the database points at the B-T copies"
"$SERTEL" doc show "$wid" | grep -q '^timestamp  *added later, '
ok $? "... sertel doc show says it was added later"
[ ! -e "$T/state/$old_store" ]
ok $? "... and the B-B store copy is gone"
bad=0
for p in $(sqlite3 "$T/state/sertel.db" "select store_path from documents where timestamped_at is not null"); do
	"$SERTEL" verify "$T/state/$p" > /dev/null || bad=1
done
ok $bad "the stored B-T copies verify"
"$SERTEL" augment > "$T/aug2.txt" 2>&1
is "$?" 0 "augment again: nothing to do, exit 0"
config "$T/sertel.yaml"
"$SERTEL" augment > "$T/aug-quiet.txt" 2>&1
is "$?" 0 "augment on a server without timestamp.tsa and nothing waiting: exit 0 (its timer runs everywhere)"
is "$(wc -c < "$T/aug-quiet.txt" | tr -d ' ')" 0 "... quietly"

tsconfig "    - url: http://sertel:rahasia@127.0.0.1:1/tsr"
"$SERTEL" config check > /dev/null 2> "$T/c2.txt"
is "$?" 78 "credentials in a TSA URL are refused"
tsconfig "$(entry "$(url ok)" 5 "password: rahasia")"
"$SERTEL" config check > /dev/null 2> "$T/c3.txt"
grep -q "key 'password' in timestamp.tsa\[0\] is not allowed: passwords are never stored" "$T/c3.txt"
ok $? "an inline TSA password is refused"
TRUST="$T/tidak-ada.pem"
tsconfig "$(entry "$(url ok)")"
unset TRUST
"$SERTEL" config check > /dev/null 2> "$T/c4.txt"
is "$?" 78 "a missing timestamp.trust file is a configuration error"
tsconfig "$(entry "$(url ok)" 20)
$(entry "$(url cadangan)" 20)"
"$SERTEL" config check > /dev/null 2> "$T/c5.txt"
grep -q "TSA timeouts add up to 40 s, not less than limits.doc_timeout_seconds (30 s)" "$T/c5.txt"
ok $? "TSA timeouts that outlast doc_timeout_seconds are refused"

done_testing
