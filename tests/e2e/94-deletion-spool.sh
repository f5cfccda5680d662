#!/bin/sh
# 94-deletion-spool.sh - a berita acara dropped into SPOOL/deletion/<pd>/ is a
# job of kind deletion of `run`/`watch`: the same partial-write and settle
# rules as PDF drops, carried out by the path of `deletion submit` (a file
# carried out by one is complete for the other), the result in done/<pd>/
# (the file, the signed berita acara PDF, the receipt) or failed/<pd>/ (the
# file and its refusal report in Bahasa Indonesia, nothing deleted).  SIGKILL
# at exact points and at random moments (KILLS) of a spool deletion of N
# documents (default 60): all or none, numbered without gaps; two runs on one
# spool carry a drop out once; watch takes a drop while it runs.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/crash.sh"
. "$ROOT/tests/lib/deletion.sh"
deletion_setup
N=${N:-60}
sign_many $((2 * N + 8))
y=$(date +%Y)
dd="$T/spool/deletion/diskominfo"
done_dir="$T/spool/done/diskominfo"
mkdir -p "$dd"
# ba NAME REASON ID... - a filled-in berita acara in $T/NAME.yaml
ba() {
	name=$1 reason=$2
	shift 2
	"$SERTEL" deletion new --officer 198503102010012001 --reason "$reason" "$@" > "$T/$name.yaml"
	ba_fill "$T/$name.yaml"
}
ids() { q "select id from documents where status='stored' and type != 'berita-acara' order by id limit $1 offset ${2:-0}" | tr '\n' ' '; }
deleted() { q "select count(*) from documents where status='deleted' and deletion_reason='$1'"; }

# --- the happy path: written under a .part name, renamed when whole
ba ba1 "Dokumen direvisi 1" $(ids 2)
cp "$T/ba1.yaml" "$dd/ba-1.yaml.part"
"$SERTEL" -q run --once > "$T/r0.txt" 2>&1
is "$(deleted "Dokumen direvisi 1")" 0 "a berita acara still being written (.part) is left alone"
[ -e "$dd/ba-1.yaml.part" ]
ok $? "... and stays where it is"
mv "$dd/ba-1.yaml.part" "$dd/ba-1.yaml"
"$SERTEL" run --once > "$T/r1.txt" 2>&1
is "$?" 0 "run --once carries out a berita acara dropped into deletion/diskominfo/"
grep -q "^sertel: 1 berita acara of deletion carried out" "$T/r1.txt"
ok $? "... and its summary says so"
is "$(deleted "Dokumen direvisi 1")" 2 "... both documents deleted"
pdf="$done_dir/berita-acara-001-Diskominfo-$y.pdf"
rcpt="$done_dir/berita-acara-001-Diskominfo-$y.yaml"
pdfsig "$pdf" 2>&1 | grep -q "Signature is Valid" && pdftotext "$pdf" - | grep -q "Nomor: 001/Diskominfo/$y"
ok $? "... its berita acara PDF in done/diskominfo/, numbered 001, signed (pdfsig)"
grep -q "sha256: \"$(sha256sum < "$pdf" | cut -d' ' -f1)\"" "$rcpt" && [ "$(grep -c '^  - id:' "$rcpt")" = 2 ]
ok $? "... its receipt beside it, naming the PDF by SHA-256 and the 2 documents"
cmp -s "$T/ba1.yaml" "$done_dir/ba-1.yaml" && [ ! -e "$dd/ba-1.yaml" ]
ok $? "... the berita acara file moved to done/diskominfo/ba-1.yaml"
is "$(q "select kind || ' ' || outcome || ' ' || file from jobs where src='deletion/diskominfo'")" "deletion signed ba-1.yaml" \
	"... recorded as a job of kind deletion, finished"
is "$(ls "$T/spool/queue" | wc -l | tr -d ' ')" 0 "... nothing left in the queue"
"$SERTEL" audit verify > /dev/null 2>&1
ok $? "... the audit chain is sound"
"$SERTEL" deletion submit "$T/ba1.yaml" > "$T/sub1.txt" 2>&1
is "$?" 0 "deletion submit of the same file: the spool's carrying out is known"
grep -q "Nomor: 001/Diskominfo/$y was carried out before" "$T/sub1.txt" && [ "$(q "select count(*) from deletions")" = 1 ]
ok $? "... carried out before, no second number"

# --- a refused one: one unknown ID among ten, nothing deleted, the report in failed/
ba ba2 "Dokumen direvisi 2" $(ids 10)
last=$(ids 1 9 | tr -d ' ')
sed -i "s/$last/2222222222222222/" "$T/ba2.yaml"
"$SERTEL" -q run --once > /dev/null 2>&1 # nothing there: a clean state for the exit code
cp "$T/ba2.yaml" "$dd/ba-2.yaml"
"$SERTEL" -q run --once > "$T/r2.txt" 2>&1
is "$?" 1 "a berita acara with one unknown ID among ten: run --once exits 1"
is "$(deleted "Dokumen direvisi 2")" 0 "... nothing deleted"
is "$(q "select count(*) from deletions")" 1 "... no number used"
rep="$T/spool/failed/diskominfo/ba-2.error.yaml"
grep -q "status: ditolak" "$rep" && grep -q "kode: deletion.id_unknown" "$rep" &&
	grep -q "ba-2.yaml:[0-9]*:[0-9]*" "$rep" && grep -q "tidak ada dokumen bertanda tangan dengan ID 2222222222222222" "$rep"
ok $? "... failed/diskominfo/ba-2.error.yaml: refused, the code, line:column, in Bahasa Indonesia"
cmp -s "$T/ba2.yaml" "$T/spool/failed/diskominfo/ba-2.yaml"
ok $? "... beside the berita acara file as it came"
is "$(q "select outcome || ' ' || code from jobs where kind='deletion' and file='ba-2.yaml'")" "failed deletion.id_unknown" "... the job recorded failed"

mkdir -p "$T/spool/deletion/setda"
cp "$T/ba1.yaml" "$T/spool/deletion/setda/salah.yaml"
"$SERTEL" -q run --once > /dev/null 2>&1
grep -q "kode: deletion.value" "$T/spool/failed/setda/salah.error.yaml" &&
	grep -q "diletakkan di folder deletion/setda/" "$T/spool/failed/setda/salah.error.yaml"
ok $? "a berita acara of diskominfo dropped into deletion/setda/ is refused (deletion.value)"

# --- a scan beside it goes with it; a scan alone waits
python3 "$ROOT/tests/lib/mkpdf.py" --text "PINDAIAN BERITA ACARA" "$T/scan.pdf"
ba ba3 "Dokumen direvisi 3" $(ids 1)
cp "$T/scan.pdf" "$dd/ba-3.pdf"
cp "$T/scan.pdf" "$dd/lone.pdf"
cp "$T/ba3.yaml" "$dd/ba-3.yaml"
"$SERTEL" -q run --once > "$T/r3.txt" 2>&1
is "$(deleted "Dokumen direvisi 3")" 1 "a berita acara with its scan beside it is carried out"
cmp -s "$T/scan.pdf" "$done_dir/ba-3.pdf" && [ -s "$done_dir/berita-acara-002-Diskominfo-$y.pdf" ]
ok $? "... the scan (ba-3.pdf) delivered with it, numbered 002"
[ -e "$dd/lone.pdf" ]
ok $? "a PDF without its berita acara waits in deletion/diskominfo/"
rm -f "$dd/lone.pdf"

# --- SIGKILL at exact points of a spool deletion of N documents
killshim
ba ba4 "Dokumen direvisi 4" $(ids "$N")
all4=$(ids "$N")
state() {	# state WHAT - all or none, the chain sound
	del=$(deleted "Dokumen direvisi 4")
	[ "$del" = 0 ] || [ "$del" = "$N" ]
	ok $? "$1: all or none deleted ($del of $N)"
	"$SERTEL" audit verify > /dev/null 2>&1
	ok $? "$1: the audit chain is sound"
}
cp "$T/ba4.yaml" "$dd/ba-4.yaml"
env KILLSHIM="open:$done_dir/.tmp.*.berita-acara-003-*.pdf:1" LD_PRELOAD="$T/killshim.so" \
	ASAN_OPTIONS="$SHIM_ASAN" setsid "$SERTEL" -q run --once > /dev/null 2>&1 &
wait $! 2>/dev/null
state "killed as its berita acara PDF is begun"
[ ! -e "$done_dir/berita-acara-003-Diskominfo-$y.pdf" ] && [ -z "$(q "select outcome from jobs where kind='deletion' and file='ba-4.yaml'")" ]
ok $? "... no PDF yet, the job's claim still open"
env KILLSHIM="rename:$done_dir/berita-acara-003-Diskominfo-$y.pdf:1" LD_PRELOAD="$T/killshim.so" \
	ASAN_OPTIONS="$SHIM_ASAN" setsid "$SERTEL" -q run --once > /dev/null 2>&1 &
wait $! 2>/dev/null
state "killed as its PDF is delivered"
id4=$(q "select id from documents where type='berita-acara' and number='003/Diskominfo/$y'")
sha4=$(sha256sum < "$done_dir/berita-acara-003-Diskominfo-$y.pdf" | cut -d' ' -f1)
[ ! -e "$done_dir/berita-acara-003-Diskominfo-$y.yaml" ] && [ -n "$id4" ]
ok $? "... the PDF there, recorded, its receipt not yet"
"$SERTEL" -q run --once > "$T/r4.txt" 2>&1
is "$?" 0 "the next run completes it"
is "$(deleted "Dokumen direvisi 4")" "$N" "... all $N deleted"
r4="$done_dir/berita-acara-003-Diskominfo-$y.yaml"
grep -q "id: \"$id4\"" "$r4" && grep -q "sha256: \"$sha4\"" "$r4" && [ "$(grep -c '^  - id:' "$r4")" = "$N" ]
ok $? "... the receipt lists the $N documents and names the PDF signed before the kill (same ID, same SHA-256)"
is "$(q "select outcome from jobs where kind='deletion' and file='ba-4.yaml'")" signed "... the job finished"
left=0
for p in $(q "select store_path from documents where status='deleted'"); do
	[ -e "$T/state/$p" ] && left=$((left + 1))
done
is "$left" 0 "... no store copy of a deleted document is left"
is "$(q "select group_concat(seq) from (select seq from deletions where year=$y order by seq)")" "1,2,3" \
	"the numbers of the year have no gap and no repeat: 1,2,3"

# --- two runs on one spool: carried out once
ba ba5 "Dokumen direvisi 5" $(ids 2)
cp "$T/ba5.yaml" "$dd/ba-5.yaml"
"$SERTEL" -q run --once > "$T/r5a.txt" 2>&1 &
p1=$!
"$SERTEL" -q run --once > "$T/r5b.txt" 2>&1 &
p2=$!
wait $p1
s1=$?
wait $p2
s2=$?
[ "$s1" = 0 ] && { [ "$s2" = 0 ] || [ "$s2" = 75 ]; } || { [ "$s2" = 0 ] && [ "$s1" = 75 ]; }
ok $? "two runs at once on one spool: one carries it out, the other finds it done or waits (exits $s1, $s2)"
is "$(deleted "Dokumen direvisi 5") $(q "select count(*) from deletions")" "2 4" "... carried out once: 2 documents, number 004"
is "$(q "select count(*) from documents where type='berita-acara' and number='004/Diskominfo/$y'")" 1 "... one signed berita acara"

# --- watch takes a drop without a restart
ba ba6 "Dokumen direvisi 6" $(ids 1)
"$SERTEL" -q watch > "$T/w.txt" 2>&1 &
wp=$!
sleep 1
cp "$T/ba6.yaml" "$dd/ba-6.yaml.part" && mv "$dd/ba-6.yaml.part" "$dd/ba-6.yaml"
i=0
while [ ! -e "$done_dir/ba-6.yaml" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
kill "$wp"
wait "$wp"
is "$(deleted "Dokumen direvisi 6")" 1 "watch carries out a berita acara dropped while it runs"
[ -s "$done_dir/berita-acara-005-Diskominfo-$y.pdf" ] && [ -s "$done_dir/berita-acara-005-Diskominfo-$y.yaml" ]
ok $? "... numbered 005, its PDF and receipt in done/diskominfo/"

# --- SIGKILL at random moments of a spool deletion of N documents (KILLS, default 3)
ba ba7 "Dokumen direvisi 7" $(ids "$N")
cp "$T/ba7.yaml" "$dd/ba-7.yaml"
# how long an undisturbed run takes, on a copy (the kills land within it)
cp -a "$T/state" "$T/state.bak" && cp -a "$T/spool" "$T/spool.bak"
t0=$(date +%s%N)
"$SERTEL" -q run --once > /dev/null 2>&1
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
rm -rf "$T/state" "$T/spool" && mv "$T/state.bak" "$T/state" && mv "$T/spool.bak" "$T/spool"
echo "# an undisturbed run carrying out $N: $ms ms"
# first at an exact point before the deletion's commit: claimed, moved into the queue
env KILLSHIM="rename:$T/spool/queue/*.berita:1" LD_PRELOAD="$T/killshim.so" \
	ASAN_OPTIONS="$SHIM_ASAN" setsid "$SERTEL" -q run --once > /dev/null 2>&1 &
wait $! 2>/dev/null
is "$(deleted "Dokumen direvisi 7") $(q "select count(*) from jobs where kind='deletion' and file='ba-7.yaml' and outcome is null")" "0 1" \
	"killed as the berita acara is claimed: nothing deleted, its claim open"
i=0
while [ $i -lt "${KILLS:-3}" ]; do
	i=$((i + 1))
	d=$(awk -v s="$(od -An -N2 -tu2 /dev/urandom)" -v ms="$ms" 'BEGIN { printf "%.3f", (s % (ms + 1)) / 1000 }')
	setsid "$SERTEL" -q run --once > /dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -KILL -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	del=$(deleted "Dokumen direvisi 7")
	[ "$del" = 0 ] || [ "$del" = "$N" ]
	ok $? "killed after ${d}s: all or none deleted ($del of $N)"
	"$SERTEL" audit verify > /dev/null 2>&1
	ok $? "... the audit chain is sound"
done
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "the next run completes it"
is "$(deleted "Dokumen direvisi 7")" "$N" "... all $N deleted"
r7="$done_dir/berita-acara-006-Diskominfo-$y.yaml"
[ "$(grep -c '^  - id:' "$r7")" = "$N" ] && pdfsig "$done_dir/berita-acara-006-Diskominfo-$y.pdf" 2>&1 | grep -q "Signature is Valid" &&
	[ -e "$done_dir/ba-7.yaml" ] && [ "$(ls "$T/spool/queue" | wc -l | tr -d ' ')" = 0 ]
ok $? "... numbered 006: its signed PDF, its receipt of $N documents, the file in done/, the queue empty"
is "$(q "select group_concat(seq) from (select seq from deletions where year=$y order by seq)")" "1,2,3,4,5,6" \
	"the numbers of the year have no gap and no repeat: 1..6"
is "$(q "select count(*) from documents where type='berita-acara'")" 6 "one signed berita acara each"
done_testing
