#!/bin/sh
# 27-database.sh - a database that is not sertel's is refused, never silently
# re-created or read as empty (issue 11, defect 8).  For a zero-length file,
# garbage, another program's SQLite file, a truncated one, one with pages
# overwritten, and a missing one where store/ holds signed copies: `run
# --once`, `watch`, `augment`, `doc list` and `doc show` exit 74 (EX_IOERR:
# restore the file from a backup; 75 is kept for "retry") with one line
# naming the file, nothing is moved, the file is left as it was.  A missing
# database in a new state folder is still created (the first run); the good
# file put back, everything works again and the end state holds.  A first
# run killed while it makes the database leaves nothing the next run takes
# for a lost one.  A database a newer sertel upgraded exits 78 (upgrade
# sertel), untouched.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
. "$ROOT/tests/lib/crash.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
# augment needs a TSA configured before it opens the database (none answers here)
cp "$T/sertel.yaml" "$T/augment.yaml"
printf 'timestamp:\n  tsa:\n    - url: http://127.0.0.1:9/tsa\n  trust: [ %s ]\n' \
	"$T/pki/ca.pem" >> "$T/augment.yaml"
db=$T/state/sertel.db
lines() { grep -v -e 'signer 199001012015031001' -e 'signer 198001012005011001' \
	-e 'signer 197505052000031002' "$1"; }

# --- a first run killed while it makes the database: the next one goes on
# (the database is made as sertel.db.new and renamed once its schema is in)
sed "s|^state: .*|state: $T/state0|" "$T/sertel.yaml" > "$T/first.yaml"
killshim
for k in 1 2 3; do
	rm -rf "$T/state0"
	# killed right after SQLite's Nth open of the new database's files
	SERTEL_CONFIG="$T/first.yaml" KILLSHIM="open:$T/state0/sertel.db*:$k" \
		LD_PRELOAD="$T/killshim.so" ASAN_OPTIONS="$SHIM_ASAN" \
		setsid "$SERTEL" -q run --once > /dev/null 2>&1
	is "$?" 137 "a first run killed after its open $k of the database's files"
	ok "$(test ! -e "$T/state0/sertel.db"; echo $?)" "... leaves no sertel.db"
	SERTEL_CONFIG="$T/first.yaml" "$SERTEL" -q run --once > /dev/null 2> "$T/again.txt"
	is "$?" 0 "... the next run works"
	sed 's/^/#   /' "$T/again.txt" | grep -v signer | head -3
done
rm -rf "$T/state0" && mkdir -p "$T/state0"
: > "$T/state0/sertel.db.new"; head -c 3000 /dev/urandom > "$T/state0/sertel.db.new-journal"
SERTEL_CONFIG="$T/first.yaml" "$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "what a killed first run left (sertel.db.new, its journal): removed, the run works"
is "$(ls "$T/state0" | grep -c 'sertel.db.new')" 0 "... nothing named sertel.db.new is left"
is "$(sqlite3 "$T/state0/sertel.db" 'pragma user_version')" "$("$SERTEL" version | sed -n 's/.*database schema \([0-9]*\).*/\1/p')" \
	"... sertel.db has the whole schema (the one sertel version names)"

# --- a missing database in a fresh state folder: the first run creates it
for i in 1 2 3 4 5 6; do drop diskominfo "surat-$i"; done
ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' > "$T/inputs.txt"
"$SERTEL" -q run --once > /dev/null 2> "$T/first.txt"
is "$?" 0 "no database in a new state folder: created, exit 0"
is "$(sqlite3 "$db" 'select count(*) from documents')" 6 "... 6 documents recorded"
id=$(sqlite3 "$db" 'select id from documents limit 1')
cp "$db" "$T/good.db"
[ -e "$db-wal" ] && echo "# note: a WAL file is left after the run"

# damage KIND - turn sertel.db into KIND (from the good copy)
damage() {
	rm -f "$db" "$db-wal" "$db-shm"
	case $1 in
	zero)	: > "$db" ;;
	garbage) head -c 65536 /dev/urandom > "$db" ;;
	foreign) sqlite3 "$db" 'create table kontak (nama text, telepon text);
		insert into kontak values ("Budi", "0812")' ;;
	truncated) head -c $(($(stat -c %s "$T/good.db") / 2)) "$T/good.db" > "$db" ;;
	pages)	cp "$T/good.db" "$db"
		# every page but the first (the header and the schema) overwritten
		np=$(($(stat -c %s "$db") / 4096))
		head -c $(((np - 1) * 4096)) /dev/urandom |
			dd of="$db" bs=4096 seek=1 conv=notrunc 2>/dev/null ;;
	missing) ;;	# store/ holds the signed copies
	esac
	cp "$db" "$T/before.db" 2>/dev/null || rm -f "$T/before.db"
}

# watch_rc - the exit status of a watch that should refuse to start (killed after 10 s)
watch_rc() {
	"$SERTEL" -q watch > /dev/null 2> "$T/watch.txt" &
	wpid=$!
	waited=0
	while kill -0 $wpid 2>/dev/null && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
	kill $wpid 2>/dev/null
	wait $wpid
}

# same - sertel.db is as damage left it (or still missing)
same() {
	if [ -e "$T/before.db" ]; then cmp -s "$db" "$T/before.db"; else [ ! -e "$db" ]; fi
}

drop diskominfo tunggu
for kind in zero garbage foreign truncated pages missing; do
	damage $kind
	"$SERTEL" -q run --once > "$T/out.txt" 2> "$T/err-$kind.txt"
	is "$?" 74 "$kind: run --once exits 74"
	lines "$T/err-$kind.txt" > "$T/lines.txt"
	is "$(wc -l < "$T/lines.txt" | tr -d ' ')" 1 "... one line"
	grep -q "sertel.db.*restore it from a backup" "$T/lines.txt"
	ok $? "... naming the file and to restore it from a backup"
	sed 's/^/#   /' "$T/lines.txt"
	ok "$(test -f "$T/spool/incoming/diskominfo/tunggu.pdf" && test -z "$(ls "$T/spool/queue")"; echo $?)" \
		"... nothing moved"
	ok "$(same; echo $?)" "... the file is left as it was"

	watch_rc
	is "$?" 74 "$kind: watch refuses to start, exit 74"

	"$SERTEL" -q doc list > "$T/list.txt" 2> "$T/list-err.txt"
	is "$?" 74 "$kind: doc list exits 74"
	is "$(wc -c < "$T/list.txt" | tr -d ' ')" 0 "... printing no list"
	grep -q "restore it from a backup" "$T/list-err.txt"
	ok $? "... saying to restore the file"
	"$SERTEL" -q doc show "$id" > /dev/null 2>&1
	is "$?" 74 "$kind: doc show exits 74"
	SERTEL_CONFIG="$T/augment.yaml" "$SERTEL" -q augment > /dev/null 2>&1
	is "$?" 74 "$kind: augment exits 74"
	ok "$(same; echo $?)" "... the file is still left as it was"
done

# --- a database a newer sertel has upgraded: not damaged, not passing either;
# exit 78 (upgrade sertel), which sertel.service does not restart into
rm -f "$db" "$db-wal" "$db-shm"
cp "$T/good.db" "$db"
sqlite3 "$db" 'pragma user_version = 99'
cp "$db" "$T/before.db"
"$SERTEL" -q run --once > /dev/null 2> "$T/err-newer.txt"
is "$?" 78 "newer schema: run --once exits 78, not 75 (retry) or 74 (restore)"
lines "$T/err-newer.txt" > "$T/lines.txt"
grep -q "newer than this sertel knows.*upgrade sertel" "$T/lines.txt"
ok $? "... saying to upgrade sertel"
sed 's/^/#   /' "$T/lines.txt"
watch_rc
is "$?" 78 "newer schema: watch refuses to start, exit 78"
SERTEL_CONFIG="$T/augment.yaml" "$SERTEL" -q augment > /dev/null 2>&1
is "$?" 78 "newer schema: augment exits 78"
ok "$(same; echo $?)" "... the file is left as it was"
ok "$(test -f "$T/spool/incoming/diskominfo/tunggu.pdf" && test -z "$(ls "$T/spool/queue")"; echo $?)" \
	"... nothing moved"

# --- the good file put back: everything works again
rm -f "$db" "$db-wal" "$db-shm"
cp "$T/good.db" "$db"
"$SERTEL" -q doc list > "$T/list.txt"
is "$?" 0 "restored: doc list exits 0"
is "$(wc -l < "$T/list.txt" | tr -d ' ')" 6 "... listing the 6 documents"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "restored: run --once signs what waited"
echo "diskominfo/tunggu.pdf" >> "$T/inputs.txt"
# the registry survived: the same PDF and sidecar again is a duplicate
cp "$T/spool/done/diskominfo/surat-1.yaml" "$T/spool/incoming/diskominfo/lagi.yaml"
# the signed file is the original with a revision appended: its first bytes are the drop
size=$(sqlite3 "$db" "select size_original from documents d join jobs j on j.id = d.id
	where j.delivered = 'surat-1'")
head -c "$size" "$T/spool/done/diskominfo/surat-1.pdf" > "$T/spool/incoming/diskominfo/lagi.pdf"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 1 "restored: the same document again is refused (exit 1)"
grep -q 'kode: doc.duplicate' "$T/spool/failed/diskominfo/lagi.error.yaml" 2>/dev/null
ok $? "... as doc.duplicate: duplicate detection survived"
echo "diskominfo/lagi.pdf" >> "$T/inputs.txt"
endstate "$T/inputs.txt"
done_testing
