#!/bin/sh
# 18-helpdesk.sh - the look-ups a helpdesk makes on the telephone: an ID read
# out in lower case, a refusal's process ID (from its report), the letter
# number, a day, the refusals of a PD; an unknown PD is an error that names
# the known ones; the list has a header on a terminal only (scripts read rows).
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming
drop diskominfo surat-1; sh "$ROOT/tests/lib/mksidecar.sh" "$in/diskominfo/surat-1.pdf" "" "" "800/17/DISKOMINFO/2026"
drop setda nota-1; sh "$ROOT/tests/lib/mksidecar.sh" "$in/setda/nota-1.pdf" "" "" "100/3/SETDA/2026"
drop setda salah; sidecar "$in/setda/salah.pdf" 196001011990031001
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 1 "two signed, one refused"
q() { sqlite3 "$T/state/sertel.db" "$1"; }
id=$(q "select id from documents where pd='diskominfo'")
lower=$(echo "$id" | tr A-Z a-z)
"$SERTEL" doc show "$lower" > "$T/show.txt"
is "$?" 0 "doc show takes the ID in lower case"
grep -q "^id  *$id$" "$T/show.txt" && grep -q "^signed at  *20[0-9-]* [0-9:]* WIB$" "$T/show.txt"
ok $? "... and shows that document, its time in WIB"
grep -q "^number  *800/17/DISKOMINFO/2026$" "$T/show.txt"
ok $? "... with its letter number"

rid=$(sed -n 's/^id_proses: *"\{0,1\}\([A-Z0-9]*\)"\{0,1\}$/\1/p' "$T"/spool/failed/setda/salah.error.yaml)
is "$rid" "$(q "select id from jobs where outcome='failed'")" "the refusal report names its process ID"
"$SERTEL" doc show "$rid" > "$T/refusal.txt"
is "$?" 0 "doc show takes a refusal's process ID"
grep -q "^status  *refused$" "$T/refusal.txt" &&
	grep -q "^code  *$(q "select code from jobs where outcome='failed'")$" "$T/refusal.txt" &&
	grep -q "^saran " "$T/refusal.txt" && grep -q "failed/setda/salah.error.yaml" "$T/refusal.txt"
ok $? "... with its code, the advice in Bahasa Indonesia and where its report is"
"$SERTEL" doc show 2222222222222222 > /dev/null 2> "$T/unknown.txt"
is "$?" 69 "an ID that is neither: 69"

"$SERTEL" doc list --number 100/3/SETDA/2026 > "$T/num.txt"
is "$(cut -d' ' -f1 "$T/num.txt")" "$(q "select id from documents where pd='setda'")" "doc list --number finds the letter"
today=$(TZ=Asia/Jakarta date +%F)
is "$("$SERTEL" doc list --from "$today" --to "$today" | wc -l | tr -d ' ')" 2 "doc list --from/--to today (WIB): both"
is "$("$SERTEL" doc list --to 2001-01-01 | wc -l | tr -d ' ')" 0 "doc list --to a past day: none"
"$SERTEL" doc list --from 2026-02-30 > /dev/null 2>&1
is "$?" 65 "doc list --from a date that does not exist: 65"
"$SERTEL" doc list --failed > "$T/failed.txt"
is "$(wc -l < "$T/failed.txt" | tr -d ' ')" 1 "doc list --failed: the refusal"
grep -q "^$rid .* setda .*salah.pdf$" "$T/failed.txt"
ok $? "... with its ID, PD and file"
"$SERTEL" doc list --pd BAPEDA > /dev/null 2> "$T/pd.txt"
is "$?" 65 "doc list --pd of a PD nobody knows: an error (65), not an empty list"
grep -q "diskominfo, setda" "$T/pd.txt"
ok $? "... naming the PDs there are"
is "$("$SERTEL" doc list | head -1 | cut -d' ' -f1)" "$(q "select id from documents order by signed_at desc, id limit 1")" \
	"piped: rows only, newest first"
script -qec "'$SERTEL' --config '$T/sertel.yaml' doc list" /dev/null > "$T/tty.txt" 2>&1
head -1 "$T/tty.txt" | grep -q "^ID  *SIGNED  *PD  *TYPE  *NUMBER"
ok $? "on a terminal: a header first"
done_testing
