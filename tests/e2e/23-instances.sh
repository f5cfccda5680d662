#!/bin/sh
# 23-instances.sh - one sertel at a time on a state folder (issue 11, defect 1).
# Two, then three `run --once` started a fraction of a second apart over 150
# drops (one trial each here; tests/long/23-instances.sh runs 3 trials of 300),
# and a `watch` daemon with a `run --once` beside it:
# one holds STATE/sertel.lock, every other exits 75 with one line naming the
# PID that holds it, and the end state is true (tests/lib/endstate.sh); a
# batch started right after the last was killed waits for its dying workers.
# Read-only commands work while the daemon holds the lock; a master killed
# while its worker still signs keeps the next one out until the worker is
# done; `sertel augment` runs beside the daemon (its own lock: a second
# augment exits 75 naming the first) and leaves a document whose delivery
# is still due to the master.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pids=""
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
pki
WORKERS=2 config "$T/base.yaml"
cp "$T/base.yaml" "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
per_pd=${INSTANCES_PER_PD:-30}	# 5 PDs: 150 drops a trial
trials=${INSTANCES_TRIALS:-1}	# tests/long/23-instances.sh: 3 trials of 300

# The drops of one trial, made once: each trial starts with a fresh state, so
# the same files are no duplicates there.
populate seed "$per_pd"
mv "$T/spool/incoming" "$T/seed"
# fresh - an empty spool and state, the seed drops in incoming/
fresh() {
	rm -rf "$T/spool" "$T/state"
	mkdir -p "$T/spool"
	cp -r "$T/seed" "$T/spool/incoming"
	ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/inputs.txt"
}
# wait_for CMD... - poll (every 0.1 s, at most 30 s) until CMD succeeds
wait_for() {
	i=0
	while ! "$@" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	"$@"
}
all_out() {	# every input left incoming/ and queue/
	[ "$(count "$T/spool/incoming" "$T/spool/queue" -type f)" -eq 0 ] &&
		[ "$(count "$T/spool/done" "$T/spool/failed" -name '*.pdf')" -eq "$(wc -l < "$T/inputs.txt")" ]
}
# stop PID - SIGTERM a daemon and its exit status (SIGKILL after 30 s: it hung)
stop() {
	kill -TERM "$1"
	i=0
	while [ $i -lt 300 ] && ! ps -o stat= -p "$1" | grep -q '^Z' && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1"
}
# refused_by FILE PID - FILE (a refused instance's stderr) is one line naming PID
refused_by() {
	[ "$(wc -l < "$1")" -eq 1 ] && grep -q "PID $2\b" "$1"
}

# --- two and three `run --once` at once
for k in 2 3; do
	t=1
	while [ $t -le "$trials" ]; do
		fresh
		started=""
		i=1
		while [ $i -le $k ]; do
			"$SERTEL" -q run --once > /dev/null 2> "$T/err-$i.txt" &
			started="$started $!"
			eval "pid_$i=$!"
			[ $i -lt $k ] && sleep "0.0$(shuf -i 1-9 -n 1)"
			i=$((i + 1))
		done
		zeros=0 bad=""
		i=1
		for p in $started; do
			wait "$p"
			rc=$?
			case $rc in
			0) zeros=$((zeros + 1)) ;;
			75)	holder=$(sed -n 's/.*PID \([0-9]*\).*/\1/p' "$T/err-$i.txt")
				case " $started " in
				*" $holder "*) refused_by "$T/err-$i.txt" "$holder" ||
					bad="$bad instance $i: not one line naming PID $holder;" ;;
				*) bad="$bad instance $i: exit 75 without the holder's PID;" ;;
				esac ;;
			*) bad="$bad instance $i: exit $rc;" ;;
			esac
			i=$((i + 1))
		done
		is "$bad" "" "$k instances, trial $t: each exits 0, or 75 naming the PID that holds the lock"
		[ -n "$bad" ] && for f in "$T"/err-*.txt; do sed "s|^|#   $(basename "$f"): |" "$f" | head -3; done
		ok "$([ $zeros -ge 1 ]; echo $?)" "$k instances, trial $t: one of them did the work"
		endstate "$T/inputs.txt"
		rm -f "$T"/err-*.txt
		t=$((t + 1))
	done
done

# --- a batch started right after the one before was killed (kill -9 of its
# process group): the killed workers are on their way out, and the new one
# waits for them rather than exit 75
bad=""
for c in 1 2 3 4; do
	fresh
	setsid "$SERTEL" -q run --once > /dev/null 2>&1 &
	p=$!
	sleep "0.$(shuf -i 10-60 -n 1)"
	kill -9 -$p 2> /dev/null
	wait $p 2> /dev/null
	timeout 60 "$SERTEL" -q run --once > /dev/null 2> "$T/restart.txt"
	rc=$?
	[ $rc -eq 0 ] || bad="$bad cycle $c: exit $rc;"
done
is "$bad" "" "a run started right after a kill -9 of the last one's group gets the lock (4 times)"
[ -n "$bad" ] && sed 's/^/#   /' "$T/restart.txt" | tail -3
endstate "$T/inputs.txt"

# --- a `watch` daemon and a nightly `run --once`
fresh
"$SERTEL" -q watch 2> "$T/watch.txt" &
wpid=$!
pids="$pids $wpid"
sleep 0.2
timeout 60 "$SERTEL" -q run --once > /dev/null 2> "$T/once.txt"
is "$?" 75 "run --once beside the daemon exits 75"
refused_by "$T/once.txt" "$wpid"
ok $? "... with one line naming the daemon's PID $wpid"
sed 's/^/#   /' "$T/once.txt"
grep -q "sertel.lock" "$T/once.txt"
ok $? "... and the lock file"
timeout 10 "$SERTEL" -q watch > /dev/null 2> "$T/watch2.txt"
is "$?" 75 "a second daemon exits 75"
refused_by "$T/watch2.txt" "$wpid"
ok $? "... naming the first one's PID"
is "$(cat "$T/state/sertel.lock")" "$wpid" "the lock file holds the daemon's PID"

# read-only commands never wait for the lock (timeout 20: a blocked one exits 124)
wait_for test -n "$(find "$T/spool/done" -name '*.pdf' 2>/dev/null | head -1)"
f=$(find "$T/spool/done" -name '*.pdf' | head -1)
timeout 20 "$SERTEL" verify --trust "$T/pki/ca.pem" "$f" > /dev/null 2>&1
is "$?" 0 "while the daemon runs: verify works"
timeout 20 "$SERTEL" doc list > "$T/list.txt" 2>&1
is "$?" 0 "... doc list works"
id=$(sqlite3 "$T/state/sertel.db" 'select id from documents limit 1')
timeout 20 "$SERTEL" doc show "$id" > /dev/null 2>&1
is "$?" 0 "... doc show works"
timeout 20 "$SERTEL" config check > /dev/null 2>&1
is "$?" 78 "... config check works (exit 78: the cast's broken test signers)"
mkdir -p "$T/draft"
python3 "$ROOT/tests/lib/mkpdf.py" --text "draf $(date +%s%N)" "$T/draft/draf.pdf"
sidecar "$T/draft/draf.pdf"
timeout 20 "$SERTEL" validate "$T/draft/draf.pdf" --pd diskominfo > /dev/null 2>&1
is "$?" 0 "... validate works"
python3 "$ROOT/tests/lib/mkpdf.py" --text "paraf $(date +%s%N)" "$T/draft/baru.pdf"
timeout 20 "$SERTEL" paraf "$T/draft/baru.pdf" --nip 198005052005011003 --role kasubbag_umum \
	--type surat_keluar --signer 197103012006042006 > /dev/null 2>&1
is "$?" 0 "... paraf works (it writes only the draft's sidecar)"
wait_for all_out
stop $wpid
is "$?" 0 "the daemon exits 0 on SIGTERM"
endstate "$T/inputs.txt"

# --- a slow TSA keeps a document in a worker: what happens around it
python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --make-pki > /dev/null 2>&1 ||
	echo "# tsa.py --make-pki failed"
# tsa NAME [tsa.py options] - start a TSA; its port in $T/NAME.port, requests in $T/NAME.log
tsa() {
	name=$1
	shift
	python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --port-file "$T/$name.port" \
		--log "$T/$name.log" --ttl 300 "$@" 2> "$T/$name-tsa.log" &
	pids="$pids $!"
	wait_for test -s "$T/$name.port"
	: >> "$T/$name.log"
}
# tsconfig URL [EXTRA] - the base configuration with one TSA (and more lines of timestamp:)
tsconfig() {
	{
		cat "$T/base.yaml"
		echo "timestamp:"
		echo "  tsa:"
		echo "    - url: $1"
		echo "      timeout_seconds: 10"
		echo "  trust: [ $T/tsa/tsa-ca.pem ]"
		[ -n "${2:-}" ] && echo "$2"
	} > "$T/sertel.yaml"
}
tsa slow --slow 2
tsa slower --slow 6

# A master killed (alone) while its worker waits for the TSA: the worker
# still holds the lock, so the next master is kept out until it is done
# (it waits 2 s for a holder whose PID is gone, then exits 75).
tsconfig "http://127.0.0.1:$(cat "$T/slower.port")/tsr"
rm -rf "$T/spool" "$T/state"
drop diskominfo lambat
echo diskominfo/lambat.pdf > "$T/inputs.txt"
setsid "$SERTEL" -q run --once > /dev/null 2> "$T/orphan.txt" &
mpid=$!
wait_for test -s "$T/slower.log"
workers=$(pgrep -P $mpid | tr '\n' ' ')
kill -9 $mpid
wait $mpid 2>/dev/null
timeout 60 "$SERTEL" -q run --once > /dev/null 2> "$T/next.txt"
is "$?" 75 "master killed, its worker still signing: the next run exits 75"
sed 's/^/#   /' "$T/next.txt"
grep -q "workers of sertel PID $mpid, which has exited" "$T/next.txt"
ok $? "... saying the killed master's workers hold the lock"
i=0
while [ $i -lt 300 ]; do
	alive=0
	for w in $workers; do kill -0 "$w" 2>/dev/null && alive=1; done
	[ $alive -eq 0 ] && break
	sleep 0.1
	i=$((i + 1))
done
is "$alive" 0 "the orphaned worker finishes its document and exits"
timeout 60 "$SERTEL" -q run --once > /dev/null 2> "$T/after.txt"
is "$?" 0 "then the next run takes the lock and signs the document"
endstate "$T/inputs.txt"

# `sertel augment` beside the daemon: documents signed B-B while the TSA is
# down get their timestamp while `watch` holds sertel.lock; a second augment
# at the same time exits 75 naming the first.
dead=http://127.0.0.1:$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')/tsr
tsconfig "$dead" "  on_failure: sign_bb"
rm -rf "$T/spool" "$T/state"
for i in 1 2 3; do drop diskominfo "tunda-$i"; done
ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/inputs.txt"
"$SERTEL" -q watch 2> "$T/watch3.txt" &
wpid=$!
pids="$pids $wpid"
wait_for all_out
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents where timestamp_pending = 1')" 3 \
	"the daemon signed 3 documents B-B (TSA down), waiting for augment"
: > "$T/slow.log"
tsconfig "http://127.0.0.1:$(cat "$T/slow.port")/tsr" "  on_failure: sign_bb"
"$SERTEL" augment > "$T/aug1.txt" 2>&1 &
apid=$!
pids="$pids $apid"
wait_for test -s "$T/slow.log"
timeout 20 "$SERTEL" augment > "$T/aug2.txt" 2>&1
is "$?" 75 "a second augment while the first works exits 75"
grep -q "PID $apid\b" "$T/aug2.txt"
ok $? "... naming the first one's PID"
sed 's/^/#   /' "$T/aug2.txt"
wait $apid
is "$?" 0 "augment beside the daemon is not locked out: exit 0"
grep -q "3 timestamped, 0 still waiting, 0 failed" "$T/aug1.txt"
ok $? "... all 3 documents timestamped"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents where timestamp_pending = 1')" 0 \
	"... none waiting in the database"
kill -0 $wpid
ok $? "the daemon still runs"
drop diskominfo setelah
echo diskominfo/setelah.pdf >> "$T/inputs.txt"
wait_for all_out
stop $wpid
is "$?" 0 "... signs what comes next, and exits 0 on SIGTERM"
endstate "$T/inputs.txt"

# augment leaves a document whose delivery is still due (committed, its
# signed file still in queue/, as a crash between commit and delivery leaves
# it) to the master: its delivery would put the B-B file over the B-T one.
tsconfig "$dead" "  on_failure: sign_bb"
rm -rf "$T/spool" "$T/state"
drop diskominfo antre
echo diskominfo/antre.pdf > "$T/inputs.txt"
timeout 60 "$SERTEL" -q run --once > /dev/null 2>&1
id=$(sqlite3 "$T/state/sertel.db" 'select id from documents where timestamp_pending = 1')
mv "$T/spool/done/diskominfo/antre.pdf" "$T/spool/queue/$id.pdf"
mv "$T/spool/done/diskominfo/antre.yaml" "$T/spool/queue/$id.yaml"
tsconfig "http://127.0.0.1:$(cat "$T/slow.port")/tsr" "  on_failure: sign_bb"
timeout 60 "$SERTEL" augment > "$T/aug3.txt" 2>&1
is "$?" 75 "augment with the signed file still in queue/: exit 75 (try later)"
grep -q "$id: still waiting: not delivered yet" "$T/aug3.txt"
ok $? "... it says the document is not delivered yet"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents where timestamp_pending = 1')" 1 \
	"... and it still waits in the database"
timeout 60 "$SERTEL" -q run --once > /dev/null 2> "$T/deliver.txt"
is "$?" 0 "the next run delivers it"
timeout 60 "$SERTEL" augment > "$T/aug4.txt" 2>&1
is "$?" 0 "then augment timestamps it"
endstate "$T/inputs.txt"
done_testing
