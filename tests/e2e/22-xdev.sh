#!/bin/sh
# 22-xdev.sh - spool and state on two different file systems (issue 11, defect 4):
# the store copy cannot be a rename or an in-kernel copy across them, and the
# group commit must make both durable.  Two tmpfs mounts, made here and
# unmounted by the trap; a batch signs everything and the end state holds.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
if [ "$(id -u)" -ne 0 ]; then echo "1..0 # SKIP mounting tmpfs needs root"; exit 0; fi
mkdir -p "$T/spool" "$T/state"
trap 'umount "$T/spool" "$T/state" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
mount -t tmpfs -o size=64m tmpfs "$T/spool" && mount -t tmpfs -o size=64m tmpfs "$T/state" ||
	{ echo "1..0 # SKIP cannot mount tmpfs"; exit 0; }
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
ok "$([ "$(stat -c %d "$T/spool")" != "$(stat -c %d "$T/state")" ]; echo $?)" \
	"spool and state are on different file systems"

populate x 6
drop setda rusak
printf 'rusak' > "$T/spool/incoming/setda/rusak.pdf"
ls "$T/spool/incoming"/*/*.pdf | sed 's|.*/incoming/||' | sort > "$T/inputs.txt"
"$SERTEL" -q run --once > "$T/out.txt" 2> "$T/log.txt"
is $? 1 "the batch exits 1 (one planted refusal, the rest signed)"
is "$(count "$T/spool/done" -name '*.pdf')" 30 "all 30 good documents signed"
is "$(grep -c 'store copy' "$T/log.txt")" 0 "no store copy failed"
grep 'store copy' "$T/log.txt" | head -3 | sed 's/^/#   /'
is "$(count "$T/spool/failed" -name '*.error.yaml')" 1 "only the planted refusal in failed/"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" 30 "database: 30 signed documents"
endstate "$T/inputs.txt"
done_testing
