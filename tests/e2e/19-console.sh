#!/bin/sh
# 19-console.sh - what the operator sees of a run: on a terminal (a real pty,
# script(1)) the progress line is cleared before any log line and updated at
# most four times a second, its last state shown at the end; the start-up
# banner (spool, PDs, workers, signers with masked NIPs, timestamps) and the
# stop line (why, what was done, uptime) for run and watch; the summary
# breaks refusals down by code and by PD and names what still waits.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
printf 'pds: [diskominfo, setda, bappeda, dinkes, disdik]\n' >> "$T/sertel.yaml"
in=$T/spool/incoming
screen() { python3 "$ROOT/tests/lib/ttyscreen.py" "$@"; }

# 200 documents; 3 refusals of one code in diskominfo, 2 of another in setda,
# spread through the batch so their log lines come while the line is drawn;
# and a PDF in bappeda that waits for its sidecar (an hour)
populate c 40
for i in 0005 0020 0035; do echo 'schema: [' > "$in/diskominfo/c-diskominfo-$i.yaml"; done
for i in 0010 0030; do echo 'bukan PDF' > "$in/setda/c-setda-$i.pdf"; done
python3 "$ROOT/tests/lib/mkpdf.py" --text "menunggu" "$in/bappeda/menunggu.pdf"
touch -d '10 minutes ago' "$in/bappeda/menunggu.pdf"

t0=$(date +%s.%N)
script -qfec "'$SERTEL' --config '$T/sertel.yaml' run --once" /dev/null > "$T/tty.raw" 2>&1
rc=$?
t1=$(date +%s.%N)
is "$rc" 1 "the batch ran on a terminal (exit 1: refusals)"
screen "$T/tty.raw" > "$T/tty.txt"
is "$(grep -c ' failed: ' "$T/tty.txt")" 5 "the five refusals are logged on the terminal"
prog='[0-9]+ signed, [0-9]+ failed, [0-9]+ waiting, [0-9]+ working'
glued=$(grep -E "($prog.*sertel:|sertel:.*$prog)" "$T/tty.txt")
is "$glued" "" "no log line shares a line with the progress line"
ndraw=$(screen --count "$prog" "$T/tty.raw")
bound=$(python3 -c "import sys; print(int(4 * ($t1 - $t0)) + 2)")
[ "$ndraw" -le "$bound" ] && [ "$ndraw" -ge 1 ]
ok $? "progress drawn $ndraw time(s) in $(python3 -c "print(round($t1 - $t0, 1))") s: at most 4 a second (bound $bound)"
grep -Eq '^195 signed, 5 failed, 0 waiting, 0 working' "$T/tty.txt"
ok $? "its last state stays on the screen at the end"

# the banner and the stop line: to a file (cron), the same run's form
for i in 1 2 3; do drop diskominfo "f-$i"; done
"$SERTEL" run --once > "$T/out.txt" 2> "$T/err.txt"
grep -q "run started (PID [0-9]*): spool $T/spool, state $T/state, 2 worker(s), timestamps off" "$T/err.txt"
ok $? "banner: spool, state, workers, timestamps"
grep -q "5 PD(s) known: diskominfo, setda, bappeda, dinkes, disdik$" "$T/err.txt"
ok $? "banner: the PDs known"
grep -q "5 signer(s), 3 with their key loaded: Dr. Siti Aminah, M.Si (\*\{15\}006), " "$T/err.txt"
ok $? "banner: signers, how many can sign, names with masked NIPs"
grep -q "Salah Sandi (\*\{15\}001) NO KEY" "$T/err.txt"
ok $? "banner: a signer whose keystore did not open is marked"
! grep -q 197103012006042006 "$T/err.txt"
ok $? "no whole NIP in the log"
grep -Eq 'run stopped \(nothing more to take\): 3 document\(s\) signed, 0 refused since it started, up 0:00:[0-9]{2}$' "$T/err.txt"
ok $? "stop line: why, what was done, uptime ($(grep -o 'run stopped.*' "$T/err.txt"))"
! grep -Eq "$(printf '\033')|$prog" "$T/err.txt"
ok $? "into a file: no progress line, no escape sequence"

# the summary of the batch above: by code, by PD, what still waits
grep -q '^sertel: 195 signed, 5 failed' "$T/tty.txt"
ok $? "summary: the totals"
grep -q '^sertel: refused by code: sidecar.syntax 3, pdf.not_pdf 2$' "$T/tty.txt"
ok $? "summary: refusals by code ($(grep 'refused by code' "$T/tty.txt"))"
grep -q '^sertel: refused by PD: diskominfo 3, setda 2$' "$T/tty.txt"
ok $? "summary: refusals by PD ($(grep 'refused by PD' "$T/tty.txt"))"
grep -Eq '^sertel: still waiting in incoming/bappeda: 1 file\(s\), the oldest from 20[0-9-]+ [0-9:]+ WIB \(1[0-9] min ago\)$' "$T/tty.txt"
ok $? "summary: what still waits, per PD, the oldest ($(grep 'still waiting' "$T/tty.txt"))"
! grep -q 'still waiting in incoming/diskominfo' "$T/tty.txt"
ok $? "summary: an emptied folder is not named"

# watch: banner, and a stop line on SIGTERM
"$SERTEL" watch 2> "$T/watch.txt" &
pid=$!
drop setda w-1
i=0; while [ ! -f "$T/spool/done/setda/w-1.pdf" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid; wait $pid
is "$?" 0 "watch stops on SIGTERM with 0"
grep -q 'watch started (PID' "$T/watch.txt"
ok $? "watch: banner"
grep -Eq 'watch stopped \(SIGTERM\): 1 document\(s\) signed, 0 refused since it started, up 0:00:[0-9]{2}$' "$T/watch.txt"
ok $? "watch: stop line ($(grep -o 'watch stopped.*' "$T/watch.txt"))"
done_testing
