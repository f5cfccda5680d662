#!/bin/sh
# 26-temps.sh - temporary files a killed sertel leaves (issue 11, defect 9):
# a kill during the store copy, a report or augment's delivery leaves
# ".tmp.<pid>.<name>" behind; start-up recovery removes those whose writer
# is gone, in queue/, STATE/store/<aa>/, done/<pd>/ and failed/<pd>/, and
# never anything else (an administrator's file, a live sertel's temp).
# First planted with sertel's exact pattern, then one real kill -9 during
# the store copy of a large PDF.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
. "$ROOT/tests/lib/crash.sh"
pki
DOC_MEM=${DOC_MEM:-400} config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
populate a 2
ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/inputs.txt"
"$SERTEL" -q run --once > /dev/null 2>&1
is $? 0 "a first batch signs"

# a PID that no longer runs, one that runs another program (a reused PID),
# and a running sertel (a daemon on another spool)
sh -c 'exit 0' & dead=$!
wait $dead
sed "s|$T/spool|$T/other/spool|; s|$T/state|$T/other/state|" "$T/sertel.yaml" > "$T/other.yaml"
"$SERTEL" -q --config "$T/other.yaml" watch 2> /dev/null &
live=$!
sleep 1
aa=$(ls "$T/state/store" | head -1)
hex=$(printf '%064d' 0 | tr 0 a)
printf '%%PDF-1.7 partial' > "$T/partial"
plant() { mkdir -p "$(dirname "$1")"; cp "$T/partial" "$1"; }
plant "$T/state/store/$aa/.tmp.$dead.$hex.pdf"
plant "$T/state/store/$aa/.tmp.$$.b$hex.pdf"
plant "$T/spool/queue/.tmp.$dead.ZZZZZZZZZZZZZZZZ.error.yaml"
plant "$T/spool/done/setda/.tmp.$dead.a-setda-0001.pdf"
plant "$T/spool/failed/setda/.tmp.$dead.surat.error.yaml"
# not sertel's to remove
plant "$T/state/store/$aa/.tmp.$live.c$hex.pdf"		# a running sertel's copy
plant "$T/spool/done/setda/.tmp.catatan"			# no PID
plant "$T/spool/done/setda/.tmp.$dead"			# no name after the PID
plant "$T/spool/done/setda/laporan.tmp"
plant "$T/spool/failed/setda/.tmp.x$dead.surat.pdf"
plant "$T/spool/done/setda/notes/.tmp.$dead.a.pdf"	# not a PD folder's own file
ln -s "$T/partial" "$T/spool/done/setda/.tmp.$dead.link.pdf"
mkdir "$T/spool/done/setda/.tmp.$dead.dir"
mkdir -p "$T/spool/done/BukanPD" && plant "$T/spool/done/BukanPD/.tmp.$dead.x.pdf"
theirs="$T/state/store/$aa/.tmp.$live.c$hex.pdf $T/spool/done/setda/.tmp.catatan
$T/spool/done/setda/.tmp.$dead $T/spool/done/setda/laporan.tmp $T/spool/failed/setda/.tmp.x$dead.surat.pdf
$T/spool/done/setda/notes/.tmp.$dead.a.pdf $T/spool/done/setda/.tmp.$dead.link.pdf
$T/spool/done/setda/.tmp.$dead.dir $T/spool/done/BukanPD/.tmp.$dead.x.pdf"

drop setda b-1
echo setda/b-1.pdf >> "$T/inputs.txt"
"$SERTEL" run --once > /dev/null 2> "$T/log.txt"
is $? 0 "the next batch signs"
is "$(find "$T/spool" "$T/state" -name ".tmp.$dead.*" -type f ! -path '*/notes/*' ! -path '*Bukan*' |
	wc -l | tr -d ' ')" 0 "sertel's temps whose writer is gone are removed"
is "$(find "$T/state" -name ".tmp.$$.*" | wc -l | tr -d ' ')" 0 \
	"a temp whose PID now runs another program is removed"
kept=0
for f in $theirs; do [ -e "$f" ] || [ -L "$f" ] && kept=$((kept + 1)) || echo "#   removed: $f"; done
is $kept 9 "nothing else is touched: administrators' files, a running sertel's temp"
is "$(grep -c 'removed 5 temporary file' "$T/log.txt")" 1 "one log line says how many were removed"
grep 'temporary' "$T/log.txt" | sed 's/^/#   /'
kill "$live"
wait "$live"
"$SERTEL" -q run --once > /dev/null 2>&1
ok "$([ ! -e "$T/state/store/$aa/.tmp.$live.c$hex.pdf" ]; echo $?)" \
	"the stopped sertel's temp goes at the next start"
rm -rf "$T/spool/done/setda/.tmp.catatan" "$T/spool/done/setda/.tmp.$dead" \
	"$T/spool/done/setda/laporan.tmp" "$T/spool/failed/setda/.tmp.x$dead.surat.pdf" \
	"$T/spool/done/setda/notes" "$T/spool/done/setda/.tmp.$dead.link.pdf" \
	"$T/spool/done/setda/.tmp.$dead.dir" "$T/spool/done/BukanPD"
endstate "$T/inputs.txt"

# A real one: kill -9 the batch right after it created the store copy's
# temporary file (tests/lib/killshim.c: the kill lands there however loaded
# the machine is), so the copy is partial.
mkdir -p "$T/spool/incoming/bappeda"
python3 "$ROOT/tests/lib/mkbig.py" "$T/spool/incoming/bappeda/besar.pdf" 50 200
sidecar "$T/spool/incoming/bappeda/besar.pdf"
echo bappeda/besar.pdf >> "$T/inputs.txt"
killshim
ls -d "$T"/state/store/*/.tmp.* > "$T/temps-before.txt" 2>/dev/null
KILLSHIM="open:$T/state/store/*/.tmp.*:1" LD_PRELOAD="$T/killshim.so" ASAN_OPTIONS="$SHIM_ASAN" \
	setsid "$SERTEL" -q run --once > /dev/null 2>> "$T/log2.txt"
is "$?" 137 "the batch was killed during the store copy"
ls -d "$T"/state/store/*/.tmp.* 2>/dev/null | grep -vxF -f "$T/temps-before.txt" | head -1 > "$T/kill.txt"
tmp=$(cat "$T/kill.txt")
size=$(stat -c %s "$tmp" 2>/dev/null || echo gone)
echo "# left behind: ${tmp#"$T/"} ($size of $(stat -c %s "$T/spool/queue/"*.pdf 2>/dev/null | head -1) bytes)"
ok "$([ -f "$tmp" ]; echo $?)" "a partial temp is in the store"
"$SERTEL" -q run --once > /dev/null 2>> "$T/log2.txt"
is $? 0 "the next run signs the large PDF"
ok "$([ ! -e "$tmp" ]; echo $?)" "and removes the partial temp"
endstate "$T/inputs.txt"
done_testing
