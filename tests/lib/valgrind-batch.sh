#!/bin/sh
# valgrind-batch.sh - a few good and bad documents through `run --once` under
# valgrind (every process: the master and its forked workers).
. "$(dirname "$0")/e2e.sh"
pki
WORKERS=1 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
for i in 1 2 3; do drop diskominfo "surat-$i"; done
drop setda rusak; printf 'rusak' > "$T/spool/incoming/setda/rusak.pdf"
drop setda hash; sidecar "$T/spool/incoming/setda/hash.pdf" 197103012006042006 \
	1111111111111111111111111111111111111111111111111111111111111111
valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--log-file="$T/vg.%p.txt" "$SERTEL" -q run --once 2> "$T/err.txt"
rc=$?
cat "$T"/vg.*.txt 2>/dev/null | head -60
[ "$rc" -eq 1 ] && [ "$(count "$T/spool/done" -name '*.pdf')" -eq 3 ] &&
	! grep -qs . "$T"/vg.*.txt
