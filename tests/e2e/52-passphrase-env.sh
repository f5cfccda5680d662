#!/bin/sh
# 52-passphrase-env.sh - a passphrase from passphrase_env does not stay in the
# environment (issue 11, defect 10): while a document is in a worker (held
# there by a slow TSA), neither /proc/PID/environ of the master nor of the
# worker holds the variable or the passphrase, and the document is signed
# with the key read from it.  A reload (SIGHUP) keeps that key when the
# signer's keystore settings did not change; a changed keystore cannot be
# opened without the variable and says to restart; signers with a
# passphrase_file are loaded again as before.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pki
WORKERS=2 config "$T/base.yaml"
cfg="$T/sertel.yaml"
cp "$T/base.yaml" "$cfg"
export SERTEL_CONFIG="$cfg"
secret=$(cat "$T/pki/pass.txt")
[ "$SERTEL_TEST_PASS" = "$secret" ]
ok $? "the Ahmad signer's passphrase comes from SERTEL_TEST_PASS (passphrase_env)"
grep -q 'passphrase_env: SERTEL_TEST_PASS' "$cfg"
ok $? "... as the configuration says"
ahmad=198204152008011002

# env_clean PID - /proc/PID/environ names neither the variable nor the passphrase
env_clean() {
	tr '\0' '\n' < "/proc/$1/environ" > "$T/environ.txt" || return 1
	! grep -q -e SERTEL_TEST_PASS -e "$secret" "$T/environ.txt" &&
		! grep -aq -e SERTEL_TEST_PASS -e "$secret" "/proc/$1/environ"
}
more_reloads() { [ "$(grep -c 'configuration reloaded' "$T/watch.txt")" -gt "$1" ]; }
code() { sed -n 's/^  - kode: //p' "$T/spool/failed/$1.error.yaml" 2>/dev/null | head -1; }

# --- a document in flight: a TSA that answers after 3 seconds holds it in the worker
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --make-pki > /dev/null 2>&1 ||
	echo "# tsa.py --make-pki failed"
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --port-file "$T/slow.port" --log "$T/slow.log" \
	--ttl 300 --slow 3 2> "$T/tsa.log" &
pids="$pids $!"
wait_for test -s "$T/slow.port"
: >> "$T/slow.log"
{
	cat "$T/base.yaml"
	echo "timestamp:"
	echo "  tsa:"
	echo "    - url: http://127.0.0.1:$(cat "$T/slow.port")/tsr"
	echo "      timeout_seconds: 10"
	echo "  trust: [ $T/tsa/tsa-ca.pem ]"
} > "$cfg"
: > "$T/inputs.txt"
put setda lambat "$ahmad"
"$SERTEL" -q run --once > /dev/null 2> "$T/run.txt" &
mpid=$!
wait_for test -s "$T/slow.log"
ok $? "the document reached the TSA (a worker holds it)"
worker=$(pgrep -P $mpid | head -1)
[ -n "$worker" ] && [ -r "/proc/$mpid/environ" ] && [ -r "/proc/$worker/environ" ]
ok $? "master $mpid and worker ${worker:-?} are there to look at"
env_clean $mpid
ok $? "the master's /proc/PID/environ holds neither SERTEL_TEST_PASS nor the passphrase"
env_clean "$worker"
ok $? "the worker's /proc/PID/environ holds neither"
wait $mpid
is "$?" 0 "the run signs the document with the key read from the variable"
test -f "$T/spool/done/setda/lambat.pdf"
ok $? "... in done/setda/"
cp "$T/base.yaml" "$cfg"

# --- the daemon across reloads
"$SERTEL" watch 2> "$T/watch.txt" &
wpid=$!
pids="$pids $wpid"
put setda ahmad-1 "$ahmad"
put diskominfo siti-1
wait_for test -f "$T/spool/done/setda/ahmad-1.pdf" -a -f "$T/spool/done/diskominfo/siti-1.pdf"
ok $? "the daemon signs for the passphrase_env and the passphrase_file signer"
env_clean $wpid
ok $? "the daemon's environment holds neither the variable nor the passphrase"

# a reload with the signer's keystore unchanged keeps its key
before=$(grep -c 'configuration reloaded' "$T/watch.txt")
kill -HUP $wpid
wait_for more_reloads "$before"
ok $? "SIGHUP: reloaded"
put setda ahmad-2 "$ahmad"
put diskominfo siti-2
wait_for test -f "$T/spool/done/setda/ahmad-2.pdf" -a -f "$T/spool/done/diskominfo/siti-2.pdf"
ok $? "after the reload both signers still sign (the passphrase_env key was kept)"
[ -f "$T/spool/done/setda/ahmad-2.pdf" ] || sed 's/^/#   /' "$T/watch.txt" | tail -5

# a reload that changes that signer's keystore cannot read the variable again
cp "$T/pki/signer-ec.p12" "$T/pki/signer-ec-baru.p12"
sed "s|signer-ec\.p12|signer-ec-baru.p12|" "$T/base.yaml" > "$cfg.tmp" && mv "$cfg.tmp" "$cfg"
before=$(grep -c 'configuration reloaded' "$T/watch.txt")
kill -HUP $wpid
wait_for more_reloads "$before"
ok $? "SIGHUP with Ahmad's keystore moved: reloaded"
grep "signer $ahmad" "$T/watch.txt" | grep -q "restart sertel"
ok $? "... the log says the passphrase variable is gone and to restart"
put setda ahmad-3 "$ahmad"
put diskominfo siti-3
wait_for test -f "$T/spool/failed/setda/ahmad-3.error.yaml" -a -f "$T/spool/done/diskominfo/siti-3.pdf"
ok $? "... his documents are refused, the passphrase_file signer's are signed"
is "$(code setda/ahmad-3)" signer.keystore "... the refusal is signer.keystore"
kill -TERM $wpid
wait $wpid
is "$?" 0 "SIGTERM: the daemon exits 0"
grep -q -e "$secret" "$T/watch.txt" "$T/run.txt"
ok "$([ $? -ne 0 ]; echo $?)" "the passphrase is in no log"
endstate "$T/inputs.txt"
done_testing
