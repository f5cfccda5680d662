#!/bin/sh
# 96-deletion-worker.sh - a berita acara dropped into the spool is carried
# out in a worker's process, not in the master's loop: while its signing is
# held (killshim's gate pauses it as it begins the berita acara PDF, as a
# slow TSA or signer would), PDF documents dropped at the same time are
# signed and delivered by `watch`; released, the deletion completes.
# The held process reads the berita acara and its scan, so it holds no key:
# its memory is searched (tests/lib/memscan.py) for the service signer's
# private key and passphrase while it is about to sign (issue 19).
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/crash.sh"
. "$ROOT/tests/lib/deletion.sh"
deletion_setup
sign_many 2
killshim
y=$(date +%Y)
dd="$T/spool/deletion/diskominfo"
done_dir="$T/spool/done/diskominfo"
mkdir -p "$dd"
"$SERTEL" deletion new --officer 198503102010012001 --reason "Dokumen ganda" \
	$(q "select id from documents order by id") > "$T/ba.yaml"
ba_fill "$T/ba.yaml"
# await FILE [TENTHS] - wait until FILE exists (at most 30 s)
await() {
	_i=0
	while [ ! -e "$1" ] && [ $_i -lt "${2:-300}" ]; do sleep 0.1; _i=$((_i + 1)); done
	[ -e "$1" ]
}
env KILLSHIM="open:$done_dir/.tmp.*.berita-acara-001-*.pdf:1" KILLSHIM_GATE="$T/g" \
	LD_PRELOAD="$T/killshim.so" ASAN_OPTIONS="$SHIM_ASAN" "$SERTEL" -q watch > "$T/w.txt" 2>&1 &
wp=$!
trap 'kill $wp 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
cp "$T/ba.yaml" "$dd/ba-1.yaml.part" && mv "$dd/ba-1.yaml.part" "$dd/ba-1.yaml"
await "$T/g.here"
ok $? "watch took the berita acara; it is held as its PDF is begun"
is "$(q "select count(*) from documents where status='deleted' and deletion='001/Diskominfo/$y'")" 2 \
	"... after its commit: both documents deleted as 001"
held=$(cat "$T/g.here")
[ -n "$held" ] && [ "$held" != "$wp" ]
ok $? "... held in a process of its own ($held), not the master ($wp)"
python3 "$ROOT/tests/lib/memscan.py" --key "$T/pki/signer-rsa.key" \
	--secret "$(cat "$T/pki/pass.txt")" "$held" > "$T/held-mem.txt"
is "$?:$(wc -l < "$T/held-mem.txt" | tr -d ' ')" "0:0" \
	"... which holds neither the service signer's private key nor its passphrase (it signs through the key process)"
sed 's/^/#   found: /' "$T/held-mem.txt"
t0=$(date +%s%N)
for i in 1 2 3; do drop diskominfo "surat-$i"; done
await "$done_dir/surat-3.pdf" 300 && await "$done_dir/surat-1.pdf" 10 && await "$done_dir/surat-2.pdf" 10
ok $? "3 PDF documents dropped meanwhile are signed and delivered while the deletion is held"
echo "# the 3 documents were delivered $(( ($(date +%s%N) - t0) / 1000000 )) ms after their drop, the deletion still held"
nv=0
for i in 1 2 3; do pdfsig "$done_dir/surat-$i.pdf" 2>&1 | grep -q "Signature is Valid" && nv=$((nv + 1)); done
is "$nv" 3 "... each with a valid signature (pdfsig)"
[ ! -e "$done_dir/berita-acara-001-Diskominfo-$y.pdf" ] && [ ! -e "$done_dir/ba-1.yaml" ]
ok $? "... and the berita acara is not done yet"
touch "$T/g.go"
await "$done_dir/ba-1.yaml"
ok $? "released, the deletion completes: the berita acara file in done/diskominfo/"
pdf="$done_dir/berita-acara-001-Diskominfo-$y.pdf"
pdfsig "$pdf" 2>&1 | grep -q "Signature is Valid" && [ -s "$done_dir/berita-acara-001-Diskominfo-$y.yaml" ]
ok $? "... its berita acara PDF signed (pdfsig), its receipt beside it"
is "$(q "select kind || ' ' || outcome from jobs where src='deletion/diskominfo'")" "deletion signed" \
	"... its job recorded by the group commit, finished"
kill "$wp"
wait "$wp"
is "$?" 0 "watch ends cleanly on SIGTERM"
"$SERTEL" audit verify > /dev/null 2>&1
ok $? "the audit chain is sound"
done_testing
