#!/bin/sh
# 16-big.sh - a 500-page, ~100 MB PDF signs in bounded memory: the worker maps
# the file (no copy in the heap), streams the digests over it and appends the
# revision in place; the worker's address space is capped at 400 MB.
. "$(dirname "$0")/../lib/e2e.sh"
pki
DOC_MEM=${DOC_MEM:-400} config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
mkdir -p "$T/spool/incoming/bappeda"
big="$T/spool/incoming/bappeda/rencana-induk.pdf"
python3 "$ROOT/tests/lib/mkbig.py" "$big" 500 200
cp "$big" "$T/original.pdf"
sidecar "$big"
size=$(stat -c %s "$T/original.pdf")
ok "$([ "$size" -gt 100000000 ]; echo $?)" "the input is over 100 MB ($size bytes), 500 pages"

start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$T/rss.txt" "$SERTEL" -q run --once 2> "$T/err.txt"
rc=$?
secs=$(echo "$(date +%s.%N) - $start" | bc)
is "$rc" 0 "signed"
out="$T/spool/done/bappeda/rencana-induk.pdf"
echo "# signed in ${secs}s, peak RSS $(($(cat "$T/rss.txt") / 1024)) MiB (the mapped file counts)"
cmp -s -n "$size" "$T/original.pdf" "$out"
ok $? "the original is a byte prefix of the signed file"
grow=$(( $(stat -c %s "$out") - size ))
ok "$([ "$grow" -lt 65536 ]; echo $?)" "the signature revision adds only $grow bytes"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$out" > "$T/check.txt" 2>&1
ok $? "pdfsig and qpdf --check accept it"
is "$(pdfinfo "$out" 2>/dev/null | sed -n 's/^Pages: *//p')" 500 "still 500 pages"
done_testing
