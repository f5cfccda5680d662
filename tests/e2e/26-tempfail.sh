#!/bin/sh
# 26-tempfail.sh - nothing could be done, and sertel says so (issue 11,
# defect 6): a run that takes nothing for a reason that passes exits 75 with
# one clear line, never 0; one folder it cannot read does not hold up the
# others.
#   - the database locked before the run (another process in a write
#     transaction): exit 75, the drops stay in incoming/;
#   - the file system of the spool and the state full: exit 75;
#   - one PD folder unreadable (chmod 000, run without root's override):
#     the other PDs are signed, the run exits 75 naming the folder;
#   - a damaged jobs table: not a condition that passes but a file to
#     restore (exit 74, see 27-database.sh for the other kinds of damage).
# After each, a run with the fault gone finishes, and the end state holds.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
db=$T/state/sertel.db
inputs() { ls "$T/spool/incoming"/*/*.pdf 2>/dev/null | sed 's|.*/incoming/||'; }
# lines ERRFILE - the log lines a run printed, without the signers the test
# configuration breaks on purpose (logged at every start)
lines() { grep -v -e 'signer 199001012015031001' -e 'signer 198001012005011001' \
	-e 'signer 197505052000031002' "$1"; }
drop diskominfo awal
inputs > "$T/inputs.txt"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "a first run creates the database"

# --- the database locked before the run: another process holds a write
# transaction for longer than sertel waits for it (10 s)
drop diskominfo kunci
inputs >> "$T/inputs.txt"
rm -f "$T/locked"
( printf 'BEGIN EXCLUSIVE;\nDELETE FROM parafs WHERE 0;\n.shell touch %s\n' "$T/locked"
  sleep 16; printf 'ROLLBACK;\n' ) | sqlite3 "$db" &
holder=$!
waited=0
while [ ! -f "$T/locked" ] && [ $waited -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
"$SERTEL" -q run --once > /dev/null 2> "$T/locked.txt"
is "$?" 75 "database locked before the run: exit 75"
lines "$T/locked.txt" > "$T/locked-lines.txt"
is "$(wc -l < "$T/locked-lines.txt" | tr -d ' ')" 1 "... one line"
grep -q 'database is locked' "$T/locked-lines.txt"
ok $? "... saying the database is locked"
ok "$(test -f "$T/spool/incoming/diskominfo/kunci.pdf"; echo $?)" "... the drop stays in incoming/"
wait $holder
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "lock released: the next run signs it"

# --- one PD folder sertel cannot read: the others are served
for pd in aa bb cc dd; do drop $pd baca; done
inputs >> "$T/inputs.txt"
first=$(ls -f "$T/spool/incoming" | grep -v -e '^\.' -e diskominfo | head -1)
chmod 000 "$T/spool/incoming/$first"
# as root, DAC override would read it anyway: run without that capability
setpriv --bounding-set -dac_override,-dac_read_search "$SERTEL" -q run --once > /dev/null \
	2> "$T/unread.txt"
is "$?" 75 "one PD folder unreadable ($first, listed first): exit 75"
lines "$T/unread.txt" > "$T/unread-lines.txt"
is "$(wc -l < "$T/unread-lines.txt" | tr -d ' ')" 1 "... one line"
grep -q "incoming/$first cannot be read (Permission denied).*read and write access" \
	"$T/unread-lines.txt"
ok $? "... naming the folder and the fix"
is "$(count "$T/spool/done" -name 'baca.pdf')" 3 "... the other three PDs are signed"
chmod 755 "$T/spool/incoming/$first"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "readable again: the next run signs its drop"
is "$(count "$T/spool/done" -name 'baca.pdf')" 4 "... all four"

# --- a full file system: spool and state on a small tmpfs
mkdir -p "$T/small"
mount -t tmpfs -o size=3m tmpfs "$T/small" || { echo "# cannot mount tmpfs"; }
trap 'umount "$T/small" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
sed -e "s|^spool: .*|spool: $T/small/spool|" -e "s|^state: .*|state: $T/small/state|" \
	"$T/sertel.yaml" > "$T/small.yaml"
mkdir -p "$T/small/spool/incoming/diskominfo"
python3 "$ROOT/tests/lib/mkpdf.py" --text "penuh-1" "$T/small/spool/incoming/diskominfo/penuh-1.pdf"
sidecar "$T/small/spool/incoming/diskominfo/penuh-1.pdf"
"$SERTEL" -q --config "$T/small.yaml" run --once > /dev/null 2>&1
is "$?" 0 "small file system: a first run signs"
python3 "$ROOT/tests/lib/mkpdf.py" --text "penuh-2" "$T/small/spool/incoming/diskominfo/penuh-2.pdf"
sidecar "$T/small/spool/incoming/diskominfo/penuh-2.pdf"
dd if=/dev/zero of="$T/small/isi" bs=4k 2>/dev/null
"$SERTEL" -q --config "$T/small.yaml" run --once > /dev/null 2> "$T/full.txt"
is "$?" 75 "file system full: exit 75"
lines "$T/full.txt" > "$T/full-lines.txt"
is "$(wc -l < "$T/full-lines.txt" | tr -d ' ')" 1 "... one line"
grep -q -e 'full' "$T/full-lines.txt"
ok $? "... saying the file system is full"
sed 's/^/#   /' "$T/full-lines.txt"
ok "$(test -f "$T/small/spool/incoming/diskominfo/penuh-2.pdf"; echo $?)" "... the drop stays in incoming/"
is "$(count "$T/small/spool/failed")" 0 "... nothing refused"
rm -f "$T/small/isi"
"$SERTEL" -q --config "$T/small.yaml" run --once > /dev/null 2>&1
is "$?" 0 "space freed: the next run signs it"
is "$(count "$T/small/spool/done" -name '*.pdf')" 2 "... both signed"

# --- a damaged jobs table: its pages overwritten
drop diskominfo rusak
cp "$db" "$T/good.db"
root=$(sqlite3 "$db" "select rootpage from sqlite_master where name = 'jobs'")
psize=$(sqlite3 "$db" "pragma page_size")
head -c "$psize" /dev/urandom | dd of="$db" bs="$psize" seek=$((root - 1)) conv=notrunc 2>/dev/null
"$SERTEL" -q run --once > /dev/null 2> "$T/jobs.txt"
is "$?" 74 "damaged jobs table: exit 74 (restore), not 0 or 75"
lines "$T/jobs.txt" > "$T/jobs-lines.txt"
is "$(wc -l < "$T/jobs-lines.txt" | tr -d ' ')" 1 "... one line"
grep -q 'sertel.db is damaged.*restore it from a backup' "$T/jobs-lines.txt"
ok $? "... naming the file and to restore it"
ok "$(test -f "$T/spool/incoming/diskominfo/rusak.pdf"; echo $?)" "... the drop stays in incoming/"
cp "$T/good.db" "$db"
inputs >> "$T/inputs.txt"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "restored: the next run signs it"

sort -u "$T/inputs.txt" > "$T/all.txt"
endstate "$T/all.txt"
done_testing
