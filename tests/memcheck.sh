#!/bin/sh
# memcheck.sh - `make check-memory`: the end-to-end tests against the
# AddressSanitizer/UBSan build, then `sertel verify` on hostile signed files
# and one small batch (master and workers) under valgrind.  Any sanitizer
# report or valgrind error fails the run.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAN_BIN=$ROOT/build-san/sertel
fail=0
# a private temp folder: the newest sertel-e2e.* in it is surely ours
TMPDIR=$(mktemp -d)
chmod 0755 "$TMPDIR"	# tests that run sertel as another user (setpriv) must reach their folders
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
export DOC_MEM=0	# ASan reserves terabytes of address space: no RLIMIT_AS under it
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
for t in "$ROOT"/tests/e2e/*.sh; do
	# a time limit per script, as in make check: a hang fails, not the CI
	out=$(KEEP=1 SERTEL=$SAN_BIN timeout -k 10 1200 sh "$t" 2>&1)
	rc=$?
	[ $rc -ne 124 ] && [ $rc -ne 137 ] || out="$out
not ok - timed out after 1200 s"
	d=$(ls -dt "$TMPDIR"/sertel-e2e.* 2>/dev/null | head -1)
	if echo "$out" | grep -q '^not ok' ||
	   grep -qsE 'AddressSanitizer|LeakSanitizer|runtime error' "$d"/*.txt; then
		echo "not ok - $(basename "$t") under ASan/UBSan"
		grep -hsE -A12 'ERROR: |runtime error' "$d"/*.txt | head -40
		fail=1
	else
		echo "ok - $(basename "$t") under ASan/UBSan"
	fi
	rm -rf "$d"
done

# valgrind: sertel verify on the files whose reading once wrote past a heap
# block inside MuPDF, where ASan does not look
out=$(SERTEL=$ROOT/build/sertel timeout -k 10 600 sh "$ROOT/tests/lib/valgrind-verify.sh" 2>&1)
if [ $? -eq 0 ]; then
	echo "ok - sertel verify under valgrind: no errors"
else
	echo "not ok - sertel verify under valgrind"
	echo "$out" | grep -v '^ok' | head -30
	fail=1
fi

# valgrind: a small batch, master and workers
if SERTEL=$ROOT/build/sertel timeout -k 10 1200 sh "$ROOT/tests/lib/valgrind-batch.sh"; then
	echo "ok - a batch under valgrind: no errors, no definite leaks"
else
	echo "not ok - a batch under valgrind"
	fail=1
fi
exit $fail
