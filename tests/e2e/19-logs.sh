#!/bin/sh
# 19-logs.sh - a log line's form follows where stderr goes: to systemd's
# journal (JOURNAL_STREAM names stderr) "<N>" and the line only (journald
# adds identifier, PID and time: none printed twice); to a file (cron, a
# redirect) the time, "sertel[PID]:" and the line; to a terminal "sertel:"
# (19-console.sh: with the progress line).
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
batch() { drop diskominfo "surat-$1"; sidecar "$T/spool/incoming/diskominfo/surat-$1.pdf"; }

batch 1
"$SERTEL" -v run --once > /dev/null 2> "$T/file.txt"
line=$(grep "surat-1.pdf signed" "$T/file.txt")
echo "$line" | grep -Eq '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{4} sertel\[[0-9]+\]: [A-Z0-9]{16}: '
ok $? "to a file: time, sertel[PID], the job ID ($line)"

batch 2
: > "$T/journal.txt"
JOURNAL_STREAM=$(stat -c '%d:%i' "$T/journal.txt") "$SERTEL" -v run --once > /dev/null 2>> "$T/journal.txt"
line=$(grep "surat-2.pdf signed" "$T/journal.txt")
echo "$line" | grep -Eq '^<[3-7]>[A-Z0-9]{16}: diskominfo/surat-2.pdf signed'
ok $? "to the journal: the priority prefix and the line, no identifier or PID ($line)"
! grep -q 'sertel\[' "$T/journal.txt"
ok $? "... on no line"

batch 3
JOURNAL_STREAM=1:1 "$SERTEL" -v run --once > /dev/null 2> "$T/other.txt"
grep "surat-3.pdf signed" "$T/other.txt" | grep -q ' sertel\['
ok $? "JOURNAL_STREAM inherited but stderr redirected elsewhere: the file form"

batch 4
script -qec "'$SERTEL' --config '$T/sertel.yaml' -v run --once" /dev/null > "$T/tty.txt" 2>&1
# as the terminal shows it: the progress line's clearing (CSI K) applied
python3 "$ROOT/tests/lib/ttyscreen.py" "$T/tty.txt" | grep "surat-4.pdf signed" |
	grep -q '^sertel: [A-Z0-9]\{16\}: '
ok $? "on a terminal: sertel: and the line"
done_testing
