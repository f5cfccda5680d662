#!/bin/sh
# 92-deletion-kill-storm.sh - the long form of tests/e2e/92-deletion-kill.sh
# (issue 14): ROUNDS (default 10) fresh spools, each with KILLS (default 25)
# SIGKILLs at random moments of the deletion of 200 documents, then the exact
# kill points after the commit and a third berita acara; after every kill all
# or none of the documents are deleted, the audit chain verifies, and in the
# end the numbers of the year are 1,2,3 (no gap, no repeat).  Each round is
# the short script with more kills; its TAP lines are prefixed "round R:".
. "$(dirname "$0")/../lib/e2e.sh"
r=0
while [ $r -lt "${ROUNDS:-10}" ]; do
	r=$((r + 1))
	KILLS=${KILLS:-25} sh "$ROOT/tests/e2e/92-deletion-kill.sh" > "$T/round.txt" 2>&1
	rc=$?
	grep '^not ok' "$T/round.txt" | sed "s/^/# round $r: /"
	bad=$(grep -c '^not ok' "$T/round.txt")
	ok $(( rc != 0 || bad != 0 )) "round $r: $(grep -c '^ok' "$T/round.txt") checks, $(sed -n 's/^# an undisturbed submit/an undisturbed submit/p' "$T/round.txt")"
done
done_testing
