#!/bin/sh
# 20-kill-storm.sh - the fault harness's SIGKILL case (issue 11): 100 kills of
# the whole process group at random points and 20 kills of single workers
# holding a document, over plain drops, refusals and bundles (one unsafe),
# with new drops arriving between the runs.  Kill points, drawn per run:
#   - a random moment of start-up, recovery and claiming, or while documents
#     are in flight (timed, as tests/e2e/20-crash.sh);
#   - exactly after the Nth rename into queue/ (claim), into done/ or
#     failed/ (delivery), into STATE/store/ (store copy), right after an
#     archive reached done/ or after a bundle's unpacked folder was removed
#     (tests/lib/killshim.c);
# and in every fifth run a worker is killed first (tests/lib/crash.sh's
# busy_worker), so the master replaces it and retries its document.  Each TSA
# answer takes 20 ms, which keeps every document a moment in its worker.
# In the end one run without faults finishes, and the end state holds: every
# input, archive members included, exactly once in done/ or failed/, the only
# refusals the planted ones and documents whose worker was killed
# max_attempts times (worker.crashed), each archive once.
# KILLS and WORKER_KILLS (environment) change the numbers.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
. "$ROOT/tests/lib/crash.sh"
pki
WORKERS=2 BATCH=4 config "$T/sertel.yaml"
slow_tsa 0.02
export SERTEL_CONFIG="$T/sertel.yaml"
killshim || echo "# cannot build the kill shim"
want_kills=${KILLS:-100}
want_wkills=${WORKER_KILLS:-20}
sp=$T/spool
pds="diskominfo setda bappeda dinkes disdik"
: > "$T/inputs.txt"
: > "$T/archives.txt"

# chunk K - new work: 8 documents in each PD, a bundle of 12 pairs in one
chunk() {
	populate "c$1" 8
	pd=$(echo $pds | cut -d' ' -f$(( $1 % 5 + 1 )))
	case $(( $1 % 3 )) in 0) ext=zip ;; 1) ext=tar.gz ;; *) ext=tgz ;; esac
	sh "$ROOT/tests/lib/mkbundle.sh" "$sp/incoming/$pd/bundel-$1.$ext" 12 > /dev/null
	echo "$pd/bundel-$1.$ext" >> "$T/archives.txt"
}
# inputs - every PDF dropped so far, bundle members included
inputs() {
	( cd "$sp/incoming" && ls */*.pdf 2>/dev/null ) >> "$T/inputs.txt"
	for a in $(cat "$T/archives.txt"); do
		case $a in *.zip) unzip -Z1 "$sp/incoming/$a" 2>/dev/null ;;
			   *) tar -tzf "$sp/incoming/$a" 2>/dev/null ;; esac |
			grep '\.pdf$' | sed "s|^|${a%%/*}/|"
	done >> "$T/inputs.txt"
	sort -u -o "$T/inputs.txt" "$T/inputs.txt"
}
for k in 1 2 3; do chunk $k; done
# planted refusals: five broken PDFs and an archive with a ../ member
for i in 1 2 3 4 5; do drop setda "rusak-$i"; printf 'rusak' > "$sp/incoming/setda/rusak-$i.pdf"; done
drop disdik keluar
python3 - "$sp/incoming/disdik/arsip-jahat.tar.gz.part" "$sp/incoming/disdik/keluar.pdf" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as t:
    t.add(sys.argv[2], arcname="../../keluar.pdf")
PY
rm "$sp/incoming/disdik/keluar.pdf" "$sp/incoming/disdik/keluar.yaml"
mv "$sp/incoming/disdik/arsip-jahat.tar.gz.part" "$sp/incoming/disdik/arsip-jahat.tar.gz"
inputs
: > "$T/archives-seen.txt"
cp "$T/archives.txt" "$T/archives-seen.txt"
echo "disdik/arsip-jahat.tar.gz" > "$T/archives-bad.txt"

kills=0 wkills=0 runs=0 chunks=3 shimmed=0
: > "$T/log.txt"
while [ $kills -lt "$want_kills" ] && [ $runs -lt $((want_kills * 3)) ]; do
	runs=$((runs + 1))
	# keep work in the spool: new drops when little is left
	if [ "$(ls "$sp/queue" 2>/dev/null | wc -l)" -lt 40 ] &&
	   [ "$(find "$sp/incoming" -type f | wc -l)" -lt 60 ]; then
		chunks=$((chunks + 1)); chunk $chunks
		inputs
		cat "$T/archives.txt" >> "$T/archives-seen.txt"
		sort -u -o "$T/archives-seen.txt" "$T/archives-seen.txt"
	fi
	spec=none
	case $(shuf -i 0-7 -n 1) in
	2) spec="rename:$sp/queue/*:$(shuf -i 1-40 -n 1)" ;;
	3) spec="rename:$sp/done/*:$(shuf -i 1-30 -n 1)" ;;
	4) spec="rename:$sp/failed/*:$(shuf -i 1-3 -n 1)" ;;
	5) spec="rename:$T/state/store/*:$(shuf -i 1-20 -n 1)" ;;
	6) spec="rmdir:$sp/queue/*.x:1" ;;
	7) spec="rename:$sp/done/*/bundel-[0-9]*.[tz]*:1" ;;	# the archive, not a member
	esac
	echo "# run $runs: $spec" >> "$T/log.txt"
	env KILLSHIM="$spec" LD_PRELOAD="$T/killshim.so" ASAN_OPTIONS="$SHIM_ASAN" \
		setsid "$SERTEL" -q run --once > /dev/null 2>> "$T/log.txt" &
	pid=$!
	if [ $((runs % 5)) -eq 0 ] && [ $wkills -lt "$want_wkills" ]; then
		i=0
		while [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do
			w=$(busy_worker $pid) && kill -9 "${w% *}" && { wkills=$((wkills + 1)); break; }
			sleep 0.01; i=$((i + 1))
		done
	fi
	if [ "$spec" = none ]; then
		if [ $((runs % 2)) -eq 0 ]; then
			sleep "$(printf "0.%03d" "$(shuf -i 1-60 -n 1)")"
		else
			i=0
			while [ -z "$(ls "$sp/queue" 2>/dev/null)" ] && [ $i -lt 500 ]; do sleep 0.002; i=$((i + 1)); done
			sleep "$(printf "0.%03d" "$(shuf -i 1-300 -n 1)")"
		fi
		kill -9 "-$pid" 2>/dev/null
	fi
	wait $pid 2>/dev/null
	rc=$?
	if [ $rc -eq 137 ]; then
		kills=$((kills + 1))
		[ "$spec" = none ] || shimmed=$((shimmed + 1))
	elif [ $rc -ne 0 ] && [ $rc -ne 1 ]; then
		echo "# run $runs ($spec) exited $rc"
	fi
done
echo "# $runs runs: $kills group kills ($shimmed at an exact point), $wkills worker kills, $chunks chunks of drops"
"$SERTEL" -q run --once > /dev/null 2>> "$T/log.txt"
rc=$?
ok "$([ $rc -le 1 ]; echo $?)" "the final run completes (exit $rc)"
ok "$([ $kills -ge "$want_kills" ]; echo $?)" "the process group was killed $kills times (want $want_kills)"
ok "$([ $wkills -ge "$want_wkills" ]; echo $?)" "single workers were killed $wkills times (want $want_wkills)"
ok "$([ $shimmed -ge $((want_kills / 3)) ]; echo $?)" "$shimmed of the kills at an exact point of claim, delivery, store copy or bundle"

# refusals: only the planted ones and documents that crashed their workers max_attempts times
sqlite3 "$T/state/sertel.db" "select code from jobs where outcome='failed'" | sort | uniq -c |
	sed 's/^/#   refused: /'
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where outcome='failed' and file like 'rusak-%'")" 5 \
	"the 5 broken PDFs refused"
is "$(sqlite3 "$T/state/sertel.db" "select code from jobs where file='arsip-jahat.tar.gz'")" bundle.unsafe_entry \
	"the unsafe archive refused whole"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where outcome='failed' and file not like 'rusak-%'
	and file != 'arsip-jahat.tar.gz' and code != 'worker.crashed'")" 0 \
	"no other refusal (none 'disappeared while it was being taken')"
grep 'disappeared' "$T/log.txt" | head -3 | sed 's/^/#   /'
# archives: each once, good ones in done/, the unsafe one in failed/
( cd "$sp/done" && ls */bundel-* 2>/dev/null ) | grep -E '\.(zip|tar\.gz|tgz)$' | sort > "$T/archives-done.txt"
sort -u "$T/archives-seen.txt" > "$T/archives-want.txt"
diff "$T/archives-want.txt" "$T/archives-done.txt" > /dev/null
ok $? "every archive exactly once in done/ ($(wc -l < "$T/archives-done.txt" | tr -d ' '))"
ok "$(test -f "$sp/failed/disdik/arsip-jahat.tar.gz"; echo $?)" "the unsafe archive in failed/"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" "$(count "$sp/done" -name '*.pdf')" \
	"one database row per signed document"
endstate "$T/inputs.txt"
done_testing
