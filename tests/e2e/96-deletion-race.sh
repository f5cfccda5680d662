#!/bin/sh
# 96-deletion-race.sh - `sertel deletion submit` and `watch` carrying out the
# same berita acara file at once, made to meet deterministically: killshim's
# gate (KILLSHIM_GATE) pauses each at a chosen open until the test lets it go.
#  1. both past the lookup (the scan opened, nothing committed yet), the
#     daemon commits first, then the submit;
#  2. the same, the submit first, then the daemon;
#  3. both past the commit and about to sign the berita acara PDF (its temp
#     file opened), the daemon records its signature first.
# Each time: exactly one carries it out (one number, each document deleted
# once, one 'deleted' audit record each), the other completes its delivery
# (exit 0; the drop to done/, not failed/), one signed berita acara recorded
# and delivered, the audit chain sound; the numbers 001..003 without a gap.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/crash.sh"
. "$ROOT/tests/lib/deletion.sh"
deletion_setup
sign_many 6
killshim
y=$(date +%Y)
dd="$T/spool/deletion/diskominfo"
done_dir="$T/spool/done/diskominfo"
mkdir -p "$dd" "$T/work"
python3 "$ROOT/tests/lib/mkpdf.py" --text "PINDAIAN FORMULIR" "$T/work/scan.pdf"
ids() { q "select id from documents where status='stored' and type != 'berita-acara' order by id limit $1" | tr '\n' ' '; }
# ba K - berita acara K (2 documents) in $T/work/ba-K.yaml, its scan ba-K.pdf beside it
ba() {
	"$SERTEL" deletion new --officer 198503102010012001 --reason "Dokumen ganda $1" $(ids 2) > "$T/work/ba-$1.yaml"
	ba_fill "$T/work/ba-$1.yaml"
	printf 'lampiran: "ba-%s.pdf"\n' "$1" >> "$T/work/ba-$1.yaml"
	cp "$T/work/scan.pdf" "$T/work/ba-$1.pdf"
}
# await FILE - wait (at most 30 s) until FILE exists
await() {
	_i=0
	while [ ! -e "$1" ] && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
	[ -e "$1" ]
}
# watch_at PATTERN GATE - watch in the background, paused at its first open matching PATTERN
watch_at() {
	env KILLSHIM="open:$1:1" KILLSHIM_GATE="$2" LD_PRELOAD="$T/killshim.so" \
		ASAN_OPTIONS="$SHIM_ASAN" "$SERTEL" -q watch > "$T/w.txt" 2>&1 &
	wp=$!
}
# submit_at PATTERN GATE K - deletion submit of ba-K.yaml, paused likewise
submit_at() {
	env KILLSHIM="open:$1:1" KILLSHIM_GATE="$2" LD_PRELOAD="$T/killshim.so" \
		ASAN_OPTIONS="$SHIM_ASAN" "$SERTEL" deletion submit "$T/work/ba-$3.yaml" > "$T/s$3.txt" 2>&1 &
	sp=$!
}
# drop K - ba-K.yaml and its scan into deletion/diskominfo/ (the scan first)
drop_ba() {
	cp "$T/work/ba-$1.pdf" "$dd/ba-$1.pdf"
	cp "$T/work/ba-$1.yaml" "$dd/ba-$1.yaml.part" && mv "$dd/ba-$1.yaml.part" "$dd/ba-$1.yaml"
}
# stop_watch - the daemon ends (SIGTERM)
stop_watch() {
	kill "$wp" 2>/dev/null
	wait "$wp" 2>/dev/null
}
# once K NNN WHAT - berita acara K was carried out exactly once, as NNN, and delivered once
once() {
	is "$(q "select count(*) from deletions where number='$2/Diskominfo/$y'") $(q "select count(*) from documents where status='deleted' and deletion='$2/Diskominfo/$y'")" "1 2" \
		"$3: one number $2, its 2 documents deleted"
	is "$(q "select count(*) from audit where event='deleted' and detail like 'berita acara $2/%'")" 2 "$3: one 'deleted' audit record per document"
	is "$(q "select count(*) from documents where type='berita-acara' and number='$2/Diskominfo/$y'") $(q "select count(*) from audit where event='signed' and detail like 'berita-acara $2/%'")" "1 1" \
		"$3: one signed berita acara recorded, signed once in the audit trail"
	pdf="$done_dir/berita-acara-$2-Diskominfo-$y.pdf"
	rcpt="$done_dir/berita-acara-$2-Diskominfo-$y.yaml"
	sha=$(sha256sum < "$pdf" | cut -d' ' -f1)
	[ "$sha" = "$(q "select sha256_signed from documents where type='berita-acara' and number='$2/Diskominfo/$y'")" ] &&
		grep -q "sha256: \"$sha\"" "$rcpt" && pdfsig "$pdf" 2>&1 | grep -q "Signature is Valid" &&
		pdfdetach -list "$pdf" 2>&1 | grep -q "^1: ba-$1.pdf"
	ok $? "$3: the delivered PDF is the recorded one, named by its receipt, signed with its scan inside"
	[ -e "$done_dir/ba-$1.yaml" ] && [ ! -e "$T/spool/failed/diskominfo/ba-$1.yaml" ] && [ ! -e "$dd/ba-$1.yaml" ]
	ok $? "$3: the daemon's drop went to done/, not failed/"
	"$SERTEL" audit verify > /dev/null 2>&1
	ok $? "$3: the audit chain is sound"
}

# 1. both past the lookup; the daemon commits first
ba 1
watch_at "$T/spool/queue/*.lampiran" "$T/g1w"
drop_ba 1
await "$T/g1w.here"
ok $? "1: watch claimed ba-1.yaml and paused after its lookup (at the scan)"
submit_at "$T/work/ba-1.pdf" "$T/g1s" 1
await "$T/g1s.here"
ok $? "1: deletion submit of the same file paused after its lookup too"
is "$(q "select count(*) from deletions")" 0 "1: neither has committed"
touch "$T/g1w.go"
await "$done_dir/ba-1.yaml"
ok $? "1: the daemon carries it out"
touch "$T/g1s.go"
wait "$sp"
is "$?" 0 "1: the submit then exits 0"
grep -q "Nomor: 001/Diskominfo/$y was carried out before" "$T/s1.txt"
ok $? "1: ... saying it was carried out before"
stop_watch
once 1 001 "1 (daemon first)"

# 2. both past the lookup; the submit commits first
ba 2
watch_at "$T/spool/queue/*.lampiran" "$T/g2w"
drop_ba 2
await "$T/g2w.here"
submit_at "$T/work/ba-2.pdf" "$T/g2s" 2
await "$T/g2s.here"
is "$(q "select count(*) from deletions")" 1 "2: both paused after their lookups, nothing new committed"
touch "$T/g2s.go"
wait "$sp"
is "$?" 0 "2: the submit carries it out first (exit 0)"
touch "$T/g2w.go"
await "$done_dir/ba-2.yaml"
ok $? "2: the daemon then completes its drop"
stop_watch
once 2 002 "2 (submit first)"

# 3. both past the commit, about to sign the berita acara PDF
ba 3
pat="$done_dir/.tmp.*.berita-acara-003-*.pdf"
watch_at "$pat" "$T/g3w"
drop_ba 3
await "$T/g3w.here"
is "$(q "select count(*) from deletions where number='003/Diskominfo/$y'")" 1 "3: the daemon committed 003 and paused as it begins the PDF"
submit_at "$pat" "$T/g3s" 3
await "$T/g3s.here"
ok $? "3: the submit, finding it carried out, paused as it begins the PDF too"
touch "$T/g3w.go"
await "$done_dir/ba-3.yaml"
ok $? "3: the daemon signs, records and delivers it"
touch "$T/g3s.go"
wait "$sp"
is "$?" 0 "3: the submit then exits 0"
stop_watch
once 3 003 "3 (both signing)"
stored=$(find "$T/state/store" -type f -name '*.pdf' | wc -l | tr -d ' ')
is "$stored" "$(q "select count(*) from documents where status='stored'")" "3: no store copy of a signature that lost the race is left"
is "$(q "select group_concat(seq) from (select seq from deletions where year=$y order by seq)")" "1,2,3" \
	"the numbers of the year have no gap and no repeat: 1,2,3"
done_testing
