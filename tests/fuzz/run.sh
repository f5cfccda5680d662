#!/bin/sh
# run.sh BINDIR [TARGET...] - run each libFuzzer target (default: every
# BINDIR/fuzz_*) for FUZZ_SECONDS (default 30) over its seed corpus
# (tests/fuzz/corpus/<target>/, read only) and the inputs earlier runs found
# (BINDIR/corpus/<target>/, kept between runs, never committed).  A crash, a
# leak, a sanitizer report, an input slower than FUZZ_TIMEOUT seconds (default
# 30, limits.doc_cpu_seconds' default) or more memory than FUZZ_RSS_MB
# (default 2560) fails the run; the input is saved as
# BINDIR/findings/<target>/crash-... (or leak-, timeout-, oom-) with
# libFuzzer's log beside it.  One line per target says what ran and how fast.
set -u
bindir=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
secs=${FUZZ_SECONDS:-30}
targets=${*:-$(cd "$bindir" && ls fuzz_* 2>/dev/null | grep -v '\.')}
[ -n "$targets" ] || { echo "fuzz: no targets in $bindir" >&2; exit 2; }
# the targets keep scratch files in TMPDIR: a RAM disk when there is one, and
# a folder of this run's, gone at the end even when a target aborted
shm=${TMPDIR:-/tmp}
[ -d /dev/shm ] && [ -w /dev/shm ] && shm=/dev/shm
TMPDIR=$(mktemp -d "$shm/sertel-fuzz-run.XXXXXX") || exit 2
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
failed=0
for t in $targets; do
	name=${t#fuzz_}
	seeds=$here/corpus/$name
	work=$bindir/corpus/$name
	out=$bindir/findings/$name
	log=$out/fuzz.log
	mkdir -p "$work" "$out"
	dict=""
	d=$name
	[ "$name" = verify ] && d=pdf	# a signed PDF is a PDF: the same tokens
	[ -f "$here/$d.dict" ] && dict="-dict=$here/$d.dict"
	start=$(date +%s)
	# shellcheck disable=SC2086
	"$bindir/$t" -max_total_time="$secs" -max_len=1048576 -timeout="${FUZZ_TIMEOUT:-30}" \
		-rss_limit_mb="${FUZZ_RSS_MB:-2560}" -print_final_stats=1 \
		-artifact_prefix="$out/" $dict "$work" "$seeds" < /dev/null > "$log" 2>&1
	rc=$?
	took=$(( $(date +%s) - start ))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ "$rc" -eq 0 ] && ! grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
		printf 'fuzz %-8s ok    %4ss %9s runs %7s exec/s  %s\n' "$name" "$took" "${runs:-?}" "${speed:-?}" "$cov"
	else
		failed=$((failed + 1))
		printf 'fuzz %-8s FAIL  %4ss %9s runs %7s exec/s  exit %s\n' "$name" "$took" "${runs:-?}" "${speed:-?}" "$rc"
		grep -E 'ERROR:|SUMMARY:|runtime error:|Test unit written|==[0-9]+==' "$log" | head -8 | sed 's/^/#   /'
		echo "#   log: $log"
	fi
done
[ "$failed" -eq 0 ]
