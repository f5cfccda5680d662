#!/bin/sh
# 42-key-kill.sh - the key process SIGKILLed mid-batch (issue 19): the master
# restarts it, the documents whose signature it did not give are tried again
# at once (no attempt counted, nothing refused), and every document ends in
# done/ exactly once, with exactly one signature (pdfsig), recorded once.
# Each document waits 0.2 s on a slow TSA in its worker, so the batch of 100
# lasts long enough for two kills to land in the middle of it.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
. "$ROOT/tests/lib/crash.sh"
pki
WORKERS=2 config "$T/sertel.yaml"
# 46-p11-kill.sh: the same with Siti's key in a SoftHSM2 token, reached through
# OpenSC's pkcs11-spy (which logs every C_Sign)
if [ -n "${KEYKILL_P11:-}" ]; then
	. "$ROOT/tests/lib/softhsm.sh"
	softhsm_siti "$T/sertel.yaml" /usr/lib/x86_64-linux-gnu/pkcs11-spy.so
	export PKCS11SPY="$SOFTHSM_MODULE" PKCS11SPY_OUTPUT="$T/spy.log"
fi
slow_tsa 0.2
export SERTEL_CONFIG="$T/sertel.yaml"
populate doc 20
( cd "$T/spool/incoming" && ls */*.pdf ) | sort > "$T/inputs.txt"
total=$(wc -l < "$T/inputs.txt" | tr -d ' ')

# keyproc MASTER - the pid of MASTER's key process, or nothing
keyproc() {
	for _p in $(pgrep -P "$1"); do
		[ "$(cat /proc/$_p/comm 2>/dev/null)" = sertel-keys ] && { echo $_p; return 0; }
	done
	return 1
}
ndone() { count "$T/spool/done" -name '*.pdf'; }

setsid "$SERTEL" run --once > "$T/out.txt" 2> "$T/log.txt" &
pid=$!
kills=0 seen=
for at in 10 50; do
	i=0
	while [ "$(ndone)" -lt $at ] && kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do
		sleep 0.05; i=$((i + 1)); done
	k=$(keyproc $pid) || continue
	kill -9 "$k" && kills=$((kills + 1)) && seen="$seen $k"
	echo "# killed key process $k with $(ndone) of $total signed"
	# a new one comes up (another pid) while the batch goes on
	i=0
	while { nk=$(keyproc $pid) && [ "$nk" = "$k" ]; } || [ -z "${nk:-}" ]; do
		kill -0 $pid 2>/dev/null && [ $i -lt 100 ] || break
		sleep 0.05; i=$((i + 1)); done
done
wait $pid
rc=$?
is $kills 2 "the key process was killed twice in the middle of the batch"
is "$(grep -c 'the key process killed by signal 9.*restarting' "$T/log.txt")" 2 \
	"the master restarted it each time (log)"
is $rc 0 "run --once exits 0: nothing failed, nothing left waiting"
grep -q 'is tried again: the key process' "$T/log.txt"
ok $? "a document in flight lost its signature and was tried again"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "nothing refused"
is "$(ndone)" "$total" "every document in done/"
is "$(sqlite3 "$T/state/sertel.db" "select count(*), count(distinct sha256_original) from documents")" \
	"$total|$total" "each recorded once"
multi=0
for f in "$T"/spool/done/*/*.pdf; do
	[ "$(pdfsig "$f" 2>/dev/null | grep -c '^Signature #')" -eq 1 ] || { multi=1; echo "# $f"; }
done
ok $multi "every signed PDF carries exactly one signature"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where attempts > 0")" 0 \
	"no attempt counted against any document"
endstate "$T/inputs.txt"
if [ -n "${KEYKILL_P11:-}" ]; then
	[ "$(grep -c '^[0-9]*: C_Sign$' "$T/spy.log")" -ge "$total" ]
	ok $? "the token made the signatures (C_Sign at least $total times, pkcs11-spy)"
fi
done_testing
