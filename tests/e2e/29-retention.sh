#!/bin/sh
# 29-retention.sh - `sertel prune`: files older than limits.keep_done_days in
# done/<pd>/ and keep_failed_days in failed/<pd>/ are removed, newer ones and
# everything else (symlinks, sub-folders, temps) kept; the store keeps the
# signed copies, so doc show and verify still answer; one audit record per
# PD; nothing at all without the limits.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming
for i in 1 2 3; do drop diskominfo "surat-$i"; sidecar "$in/diskominfo/surat-$i.pdf"; done
drop setda salah; sidecar "$in/setda/salah.pdf" 196001011990031001
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 1 "three signed, one refused"
done_d=$T/spool/done/diskominfo
failed_d=$T/spool/failed/setda
# two signed documents (and their sidecars) 100 days old, the third new; the refusal 40 days old
touch -d '100 days ago' "$done_d/surat-1.pdf" "$done_d/surat-1.yaml" "$done_d/surat-2.pdf" "$done_d/surat-2.yaml"
touch -d '40 days ago' "$failed_d"/*
mkdir "$done_d/arsip" && touch -d '100 days ago' "$done_d/arsip/lama.pdf"
ln -s "$done_d/surat-3.pdf" "$done_d/tautan.pdf"
touch -d '100 days ago' "$done_d/.tmp.1.x.pdf"
nfailed=$(count "$failed_d")

"$SERTEL" prune > /dev/null 2>&1
is "$?" 0 "prune without retention limits: exit 0"
is "$(count "$done_d" -name 'surat-*')" 6 "... and nothing removed"

cp "$T/sertel.yaml" "$T/keep.yaml"
sed -i 's/^limits:/limits:\n  keep_done_days: 90\n  keep_failed_days: 30/' "$T/keep.yaml"
grep -q "keep_done_days: 90" "$T/keep.yaml" || printf 'limits:\n  keep_done_days: 90\n  keep_failed_days: 30\n' >> "$T/keep.yaml"
"$SERTEL" --config "$T/keep.yaml" prune --dry-run > "$T/dry.txt"
is "$(wc -l < "$T/dry.txt" | tr -d ' ')" "$((4 + nfailed))" "--dry-run lists what would go"
is "$(count "$done_d" -name 'surat-*')" 6 "... and removes nothing"
"$SERTEL" --config "$T/keep.yaml" prune 2> "$T/prune.txt"
is "$?" 0 "prune with keep_done_days 90, keep_failed_days 30"
is "$(ls "$done_d" | grep -c '^surat-[12]\.')" 0 "the 100-day-old signed documents and sidecars are gone from done/"
[ -f "$done_d/surat-3.pdf" ] && [ -f "$done_d/surat-3.yaml" ]
ok $? "the new one is kept"
is "$(count "$failed_d")" 0 "the 40-day-old refusal and its report are gone from failed/"
[ -f "$done_d/arsip/lama.pdf" ] && [ -L "$done_d/tautan.pdf" ] && [ -f "$done_d/.tmp.1.x.pdf" ]
ok $? "a sub-folder, a symlink and a temp are left alone"
q() { sqlite3 "$T/state/sertel.db" "$1"; }
bad=0
for id in $(q "select id from documents"); do
	"$SERTEL" doc show "$id" > /dev/null || bad=1
	"$SERTEL" verify "$T/state/$(q "select store_path from documents where id='$id'")" > /dev/null || bad=1
done
ok $bad "every signed document still answers doc show and verifies from the store"
is "$(q "select count(*) from audit where event='pruned'")" 2 "one audit record per PD folder pruned"
"$SERTEL" audit verify > /dev/null
is "$?" 0 "the audit chain is sound"
done_testing
