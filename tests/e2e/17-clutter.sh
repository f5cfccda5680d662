#!/bin/sh
# 17-clutter.sh - what Windows Explorer, macOS Finder and Office leave in a
# shared PD folder (thumbnail caches, folder settings, shortcuts, Office lock
# files, resource forks) is neither refused nor counted: a nightly run beside
# them signs the documents and exits 0, and leaves the clutter where it is.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming/diskominfo
drop diskominfo surat-1
sidecar "$in/surat-1.pdf"
clutter="Thumbs.db THUMBS.DB ehthumbs.db desktop.ini Desktop.ini ~\$surat-1.docx Pintasan.lnk Surat.LNK .DS_Store ._surat-1.pdf salinan.TMP"
for f in $clutter; do printf 'bukan dokumen\n' > "$in/$f"; done
"$SERTEL" run --once > "$T/out.txt" 2> "$T/err.txt"
is "$?" 0 "a run beside Explorer's, Finder's and Office's files exits 0"
is "$(count "$T/spool/done/diskominfo" -name '*.pdf')" 1 "the document is signed"
is "$(count "$T/spool/failed")" 0 "nothing refused"
grep -q "1 signed, 0 failed" "$T/err.txt" "$T/out.txt"
ok $? "the summary counts the document only"
left=0
for f in $clutter; do [ -f "$in/$f" ] || left=1; done
ok $left "the clutter is left where it is"
"$SERTEL" run --once > /dev/null 2>&1
is "$?" 0 "the next run: still nothing to refuse"
done_testing
