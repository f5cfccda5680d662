#!/bin/sh
# 24-nospace.sh - a full disk is a temporary condition (issue 11, defect 5).
# Spool and state each on a small tmpfs, filled so that a batch runs out of
# space part-way: in the spool (signing in place, refusal reports), in the
# state (store copies, the database); then a batch where no document fits,
# and one where the database cannot even open.
# Each time the run exits 75, nothing that could not be signed is in
# failed/, no attempt is counted, nothing is lost; once space is freed the
# next run signs the rest and the end state holds.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
if [ "$(id -u)" -ne 0 ]; then echo "1..0 # SKIP mounting tmpfs needs root"; exit 0; fi
mkdir -p "$T/fs1" "$T/fs2" "$T/spool" "$T/state"
trap 'umount "$T/spool" "$T/state" "$T/fs1" "$T/fs2" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
# bind mounts: the spool's own path must not be a symbolic link
mount -t tmpfs -o size=32m tmpfs "$T/fs1" && mount -t tmpfs -o size=8m tmpfs "$T/fs2" &&
	mkdir "$T/fs1/spool" "$T/fs2/state" &&
	mount --bind "$T/fs1/spool" "$T/spool" && mount --bind "$T/fs2/state" "$T/state" ||
	{ echo "1..0 # SKIP cannot mount tmpfs"; exit 0; }
pki
WORKERS=2 BATCH=4 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
"$SERTEL" -q run --once > /dev/null 2>&1	# the database exists before a disk fills

# fill FS KIB - leave KIB KiB free on $T/FS (a filler file outside spool and state)
fill() {
	rm -f "$T/$1/filler"
	avail=$(df -k --output=avail "$T/$1" | tail -1 | tr -d ' ')
	[ "$avail" -gt "$2" ] && fallocate -l "$(( (avail - $2) * 1024 ))" "$T/$1/filler"
}
unfill() { rm -f "$T/fs1/filler" "$T/fs2/filler"; }
# lost INPUTS - inputs found nowhere: not in incoming/, done/, failed/, nor in
# queue/ under an open job's ID (sqlite3 itself needs room: free space first)
lost() {
	_n=0
	while read -r _p; do
		_pd=${_p%%/*}
		_b=$(basename "$_p" .pdf)
		_here=$(ls "$T/spool/incoming/$_p" "$T/spool/done/$_pd/$_b".pdf \
			"$T/spool/done/$_pd/$_b"-*.pdf "$T/spool/failed/$_pd/$_b".pdf \
			"$T/spool/failed/$_pd/$_b"-*.pdf 2>/dev/null)
		for _id in $(sqlite3 "$T/state/sertel.db" \
			"select id from jobs where pd = '$_pd' and file = '$_b.pdf' and outcome is null"); do
			[ -f "$T/spool/queue/$_id.pdf" ] && _here="$_here $_id"
		done
		[ -n "$_here" ] && continue
		echo "#   lost: $_p"
		_n=$((_n + 1))
	done < "$1"
	echo $_n
}
# populate_big PREFIX N - N documents of ~130 KB (one page) with sidecars in
# each of five PDs: a store copy then weighs more than a database commit
populate_big() {
	for pd in diskominfo setda bappeda dinkes disdik; do
		mkdir -p "$T/spool/incoming/$pd"
		for i in $(seq "$2"); do
			python3 "$ROOT/tests/lib/mkbig.py" "$T/spool/incoming/$pd/$1-$pd-$i.pdf" 1 128
			sidecar "$T/spool/incoming/$pd/$1-$pd-$i.pdf"
		done
	done
}
# full_run WHAT FS KIB GOOD [big] - drop GOOD/5 documents per PD and one broken
# one, leave KIB KiB on FS, run: a temporary failure; free it, run: all done
full_run() {
	_what=$1
	if [ "${5:-}" = big ]; then populate_big "$_what" $(($4 / 5)); else populate "$_what" $(($4 / 5)); fi
	drop setda "rusak-$_what"
	printf 'rusak' > "$T/spool/incoming/setda/rusak-$_what.pdf"
	ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/now.txt"
	cat "$T/now.txt" >> "$T/inputs.txt"
	_done0=$(count "$T/spool/done" -name '*.pdf')
	_failed0=$(count "$T/spool/failed" -name '*.pdf')
	fill "$2" "$3"
	"$SERTEL" -q run --once > /dev/null 2> "$T/log-$_what.txt"
	is $? 75 "$_what: a run that fills the disk exits 75 (EX_TEMPFAIL)"
	_d=$(( $(count "$T/spool/done" -name '*.pdf') - _done0 ))
	echo "# $_what: $_d signed before the disk was full"
	[ "$3" -gt 0 ] &&
		ok "$([ "$_d" -gt 0 ] && [ "$_d" -lt "$4" ]; echo $?)" "$_what: the disk filled part-way through the batch"
	is "$(find "$T/spool/failed" -name '*.pdf' ! -name 'rusak*' | wc -l | tr -d ' ')" 0 \
		"$_what: nothing that could not be signed is in failed/"
	grep -i 'space' "$T/log-$_what.txt" | head -3 | sed 's/^/#   /'
	unfill
	is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where code like 'io.%' or code like 'worker.%'")" 0 \
		"$_what: no io.* or worker.* refusal recorded"
	is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from jobs where attempts > 0')" 0 \
		"$_what: a full disk counts no attempt"
	is "$(lost "$T/now.txt" | tail -1)" 0 "$_what: nothing is lost (incoming/, queue/, done/ or failed/)"
	"$SERTEL" -q run --once > /dev/null 2> "$T/log-$_what-2.txt"
	ok "$([ $? -le 1 ]; echo $?)" "$_what: after space is freed, the next run finishes (exit 0 or 1)"
	is "$(( $(count "$T/spool/done" -name '*.pdf') - _done0 ))" "$4" "$_what: all $4 good documents signed"
	is "$(( $(count "$T/spool/failed" -name '*.error.yaml') - _failed0 ))" 1 \
		"$_what: only the planted refusal in failed/, with its report"
}

: > "$T/inputs.txt"
full_run spool fs1 ${NOSPACE_SPOOL_KIB:-150} 40	# signing appends, reports
full_run state fs2 ${NOSPACE_STATE_KIB:-1500} 40 big	# store copies, the database
endstate "$T/inputs.txt"

# the whole batch: no room in the spool, the first document already fails
populate first 2
ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/now.txt"
cat "$T/now.txt" >> "$T/inputs.txt"
fill fs1 0
"$SERTEL" run --once > "$T/out-first.txt" 2> "$T/log-first.txt"
is $? 75 "first: a run where no document fits exits 75"
held=$(grep -c 'stays queued' "$T/log-first.txt")
ok "$([ "$held" -ge 3 ] && [ "$held" -le 4 ]; echo $?)" \
	"first: it stops taking work after more holds in a row than workers ($held of 10 tried)"
grep 'wait' "$T/out-first.txt" | sed 's/^/#   /'
is "$(count "$T/spool/failed" -name '*.pdf')" 2 "first: nothing new in failed/"
unfill
is "$(lost "$T/now.txt" | tail -1)" 0 "first: nothing is lost"
"$SERTEL" -q run --once > /dev/null 2> "$T/log-first-2.txt"
is $? 0 "first: after space is freed, the next run signs them"
is "$(count "$T/spool/done" -name '*.pdf')" 90 "first: all 90 good documents signed"

# the whole batch: no room at all, not even to open the database
populate whole 4
ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/now.txt"
cat "$T/now.txt" >> "$T/inputs.txt"
fill fs1 0
fill fs2 0
"$SERTEL" -q run --once > /dev/null 2> "$T/log-whole.txt"
is $? 75 "whole: a run on a full disk exits 75"
sed 's/^/#   /' "$T/log-whole.txt" | grep -v signer | head -3
is "$(count "$T/spool/failed" -name '*.pdf')" 2 "whole: nothing new in failed/"
unfill
is "$(lost "$T/now.txt" | tail -1)" 0 "whole: nothing is lost"
"$SERTEL" -q run --once > /dev/null 2> "$T/log-whole-2.txt"
is $? 0 "whole: after space is freed, the next run signs them"
is "$(count "$T/spool/done" -name '*.pdf')" 110 "whole: all 110 good documents signed"
endstate "$T/inputs.txt"
done_testing
