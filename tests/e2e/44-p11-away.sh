#!/bin/sh
# 44-p11-away.sh - a PKCS#11 token that goes away and comes back (issue 19), on
# SoftHSM2 (the token's folder moved out of its token directory and back: what a
# USB token pulled out looks like to sertel).  While it is away the signer's documents stay queued
# (a temporary condition: no attempt counted, nothing refused, never signed with
# another key); the key process opens the token again on the next request once
# it is back.  A token absent at start-up: run --once exits 75 with the documents
# waiting, and the next run signs them; watch started without it looks for it
# again (after 15 s, then backing off to 5 minutes) and signs them once it is plugged in.  In the end every document is signed
# once, by Siti's key, and recorded once (sqlite3).
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/softhsm.sh"
if why=$(softhsm_skip); then echo "1..0 # SKIP $why"; exit 0; fi
pki
WORKERS=2 config "$T/sertel.yaml"
softhsm_siti "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
mkdir "$T/away"
away() { mv "$T"/tokens/* "$T/away/"; }
back() { mv "$T"/away/* "$T/tokens/"; }
ndone() { count "$T/spool/done" -name '*.pdf'; }
done_ge() { [ "$(ndone)" -ge "$1" ]; }
held_ge() { [ "$(grep -c 'stays queued for a later attempt: the key process: the signer.s token' "$T/log.txt")" -ge "$1" ]; }

# --- mid-run: watch signs, the token goes away, comes back
"$SERTEL" watch > "$T/out.txt" 2> "$T/log.txt" &
pid=$!
put diskominfo a1; put diskominfo a2
wait_for done_ge 2
is "$(ndone)" 2 "watch signs with the token present"
away
put diskominfo b1; put diskominfo b2; put diskominfo b3
wait_for held_ge 3
held_ge 3
ok $? "token away: its three documents stay queued (temporary: the key process put them off)"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "... none refused"
is "$(ndone)" 2 "... none signed"
back
put diskominfo c1
wait_for done_ge 3
done_ge 3
ok $? "token back: the next document is signed"
grep -q 'key process: signer 197103012006042006: the token is back' "$T/log.txt"
ok $? "... the key process opened it again (log)"
kill -TERM $pid; wait $pid
"$SERTEL" run --once >> "$T/out.txt" 2>> "$T/log.txt"
is $? 0 "the next run signs the ones that waited (exit 0)"
is "$(ndone)" 6 "... all six in done/"

# --- absent at start-up
away
put diskominfo d1; put diskominfo d2
"$SERTEL" run --once > "$T/out2.txt" 2> "$T/log2.txt"
is $? 75 "token absent at start: run --once exits 75 (documents waiting)"
grep -q 'PKCS#11 token pkcs11:token=siti;object=ttd is not present' "$T/log2.txt"
ok $? "... the log says the token is not present"
is "$(count "$T/spool/failed" -name '*.pdf')" 0 "... nothing refused"
is "$(ndone)" 6 "... nothing signed"
back
"$SERTEL" run --once > "$T/out3.txt" 2> "$T/log3.txt"
is $? 0 "token back: the next run signs them (exit 0)"
is "$(ndone)" 8 "every document in done/"

# --- absent when watch starts: it looks for the token again on its own
away
"$SERTEL" watch > "$T/out4.txt" 2> "$T/log4.txt" &
pid=$!
put diskominfo e1
sleep 3
is "$(ndone):$(count "$T/spool/failed" -name '*.pdf')" "8:0" \
	"watch started without the token: its document waits (not signed, not refused)"
back
t0=$(date +%s)
i=0
while ! done_ge 9 && [ $i -lt 400 ]; do sleep 0.1; i=$((i + 1)); done
is "$(ndone)" 9 "token plugged in: watch signs it without a reload ($(( $(date +%s) - t0 )) s)"
grep -q 'looking again for the PKCS#11 token' "$T/log4.txt"
ok $? "... the log says it looked for the token again"
kill -TERM $pid; wait $pid
is $? 0 "... and watch ends cleanly"
is "$(q "select count(*), count(distinct sha256_original) from documents")" "9|9" "each recorded once"
is "$(q "select count(*) from jobs where attempts > 0")" 0 "no attempt counted against any document"
bad=0
for f in "$T"/spool/done/*/*.pdf; do
	out=$(pdfsig "$f" 2>/dev/null)
	[ "$(printf '%s\n' "$out" | grep -c '^Signature #')" -eq 1 ] &&
		printf '%s\n' "$out" | grep -q 'serialNumber=197103012006042006' || { bad=1; echo "# $f"; }
done
is $bad 0 "each carries exactly one signature, by Siti's key"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/*/*.pdf > /dev/null
ok $? "pdfsig (NSS) and qpdf --check: all valid and trusted"
done_testing
