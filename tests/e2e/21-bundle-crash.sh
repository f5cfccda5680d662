#!/bin/sh
# 21-bundle-crash.sh - SIGKILL the process group at exact points of a bundle's
# life (issue 11, defect 3): while its members are claimed out of queue/<id>.x/,
# right after the archive reached done/, right after its unpacked folder was
# removed, and half-way through delivering its members.  The next run must take
# every member again: each ends exactly once in done/ (none refused with
# io.error "disappeared"), the archive once, and the end state holds.
# The kill comes from tests/lib/killshim.c (LD_PRELOAD, built here), so each
# point is hit every time, not by luck of timing.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/endstate.sh"
. "$ROOT/tests/lib/crash.sh"
pki
WORKERS=2 BATCH=4 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
killshim
ok $? "the kill shim builds"
members=30

# trial NAME OP:PATTERN:N - fresh spool and state, two bundles and two plain
# drops; one run killed at the point, one run to finish; then the checks.
trial() {
	rm -rf "$T/spool" "$T/state"
	mkdir -p "$T/spool/incoming/diskominfo" "$T/spool/incoming/setda"
	{ sh "$ROOT/tests/lib/mkbundle.sh" "$T/spool/incoming/diskominfo/kiriman.zip" $members |
		sed 's|^|diskominfo/|'
	  sh "$ROOT/tests/lib/mkbundle.sh" "$T/spool/incoming/setda/berkas.tar.gz" $members |
		sed 's|^|setda/|'
	  drop diskominfo lepas-1 && echo diskominfo/lepas-1.pdf
	  drop setda lepas-2 && echo setda/lepas-2.pdf
	} > "$T/inputs.txt"
	: > "$T/log.txt"
	env KILLSHIM="$2" LD_PRELOAD="$T/killshim.so" ASAN_OPTIONS="$SHIM_ASAN" \
		setsid "$SERTEL" -q run --once > /dev/null 2>> "$T/log.txt" &
	wait $! 2>/dev/null
	is $? 137 "$1: the first run is killed there"
	echo "#   $1: $(count "$T/spool/done" -name '*.pdf') signed, $(ls "$T/spool/queue" | wc -l) queue entries at the kill"
	"$SERTEL" -q run --once > /dev/null 2>> "$T/log.txt"
	is $? 0 "$1: the next run finishes (exit 0: nothing refused)"
	is "$(count "$T/spool/done" -name '*.pdf')" $((2 * members + 2)) "$1: every member and drop signed"
	is "$(count "$T/spool/failed" -type f)" 0 "$1: nothing in failed/"
	grep 'disappeared' "$T/log.txt" | head -3 | sed 's/^/#   /'
	is "$(grep -c 'disappeared' "$T/log.txt")" 0 "$1: no member taken as vanished"
	is "$(ls "$T/spool/done/diskominfo/"*.zip "$T/spool/done/setda/"*.tar.gz 2>/dev/null |
		sed 's|.*/||' | tr '\n' ' ')" "kiriman.zip berkas.tar.gz " "$1: each archive once in done/"
	is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where kind='bundle' and outcome='unpacked'")" 2 \
		"$1: both bundles recorded as unpacked"
	endstate "$T/inputs.txt"
}

trial "claiming members" "rename:$T/spool/queue/*.pdf:12"
trial "archive just in done/" "rename:$T/spool/done/diskominfo/kiriman.zip:1"
trial "unpacked folder just removed" "rmdir:$T/spool/queue/*.x:1"
trial "members half delivered" "rename:$T/spool/done/setda/berkas-*.pdf:12"
done_testing
