#!/bin/sh
# 50-reload.sh - the daemon reloads its configuration on SIGHUP: a document
# type added to sertel.yaml is accepted after the reload (doctype.unknown
# before it); a broken sertel.yaml is refused and the daemon goes on with the
# configuration it has; SIGTERM still exits 0.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/full.yaml" 0
cfg="$T/sertel.yaml"
# configuration A: without nota_dinas; B (written later) is config()'s, with it
grep -v '^  nota_dinas:' "$T/full.yaml" > "$cfg"
mkdir -p "$T/stage" "$T/spool/incoming/diskominfo"
in="$T/spool/incoming/diskominfo"

# wait_for TEST-ARGS... - poll (every 0.1 s, at most 20 s) until `test ARGS` holds
wait_for() {
	i=0
	while ! test "$@" && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	test "$@"
}
# wait_log TEXT - poll until the daemon's log has a line with TEXT
wait_log() {
	i=0
	while ! grep -q -- "$1" "$T/log.txt" && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	grep -q -- "$1" "$T/log.txt"
}
# put NAME TYPE - a fresh PDF and its sidecar of TYPE, renamed into incoming/
put() {
	python3 "$ROOT/tests/lib/mkpdf.py" --text "$1 $(date +%s%N)" "$T/stage/$1.pdf"
	sidecar "$T/stage/$1.pdf"
	sed -i "s/^type: surat_keluar\$/type: $2/" "$T/stage/$1.yaml"
	mv "$T/stage/$1.yaml" "$in/$1.yaml"
	mv "$T/stage/$1.pdf" "$in/$1.pdf"
}
# install FILE - replace the configuration atomically (write, then rename)
install_cfg() {
	cp "$1" "$cfg.tmp" && mv "$cfg.tmp" "$cfg"
}
code() { sed -n 's/^  - kode: //p' "$T/spool/failed/diskominfo/$1.error.yaml" 2>/dev/null | head -1; }

"$SERTEL" --config "$cfg" config check 2>&1 | grep -q "syntax OK"
ok $? "configuration A (no nota_dinas) is valid (config check exits 78 for its test signers' broken keystores)"
"$SERTEL" --config "$cfg" watch 2> "$T/log.txt" &
pid=$!
# whatever happens below, the daemon does not outlive the test
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

put surat-1 surat_keluar
wait_for -f "$T/spool/done/diskominfo/surat-1.pdf"
ok $? "configuration A: a surat_keluar is signed"
put nota-1 nota_dinas
wait_for -f "$T/spool/failed/diskominfo/nota-1.error.yaml"
is "$(code nota-1)" doctype.unknown "configuration A: a nota_dinas is refused (doctype.unknown)"

# --- configuration B adds nota_dinas
install_cfg "$T/full.yaml"
kill -HUP $pid
wait_log "configuration reloaded from $cfg"
ok $? "SIGHUP: the log says the configuration was reloaded"
put nota-2 nota_dinas
wait_for -f "$T/spool/done/diskominfo/nota-2.pdf"
ok $? "configuration B: a nota_dinas is signed after the reload"
[ -f "$T/spool/done/diskominfo/nota-2.pdf" ] || { echo "# log:"; sed 's/^/#   /' "$T/log.txt"; }
is "$(count "$T/spool/failed" -name 'nota-2*')" 0 "and not refused"

# --- a broken configuration is refused; B stays in force
printf 'instansi: "x"\ndocument_types: [surat_keluar\nspool: %s/spool\n' "$T" > "$T/broken.yaml"
"$SERTEL" --config "$T/broken.yaml" config check > /dev/null 2>&1
is "$?" 78 "the broken configuration really is broken (config check exits 78)"
install_cfg "$T/broken.yaml"
kill -HUP $pid
wait_log "reload refused"
ok $? "SIGHUP with a broken file: the log says the reload was refused"
grep 'reload refused' "$T/log.txt" | sed 's/^/# /'
grep -q "reload refused.*sertel.yaml:[0-9]*:[0-9]*" "$T/log.txt"
ok $? "and names file:line:column"
kill -0 $pid 2> /dev/null
ok $? "the daemon is still running"
put nota-3 nota_dinas
wait_for -f "$T/spool/done/diskominfo/nota-3.pdf"
ok $? "it still signs with the configuration it had (a nota_dinas, so B, not A)"
put surat-2 surat_keluar
wait_for -f "$T/spool/done/diskominfo/surat-2.pdf"
ok $? "and a surat_keluar"

# --- a second SIGHUP with the file fixed takes it again
install_cfg "$T/full.yaml"
before=$(grep -c 'configuration reloaded' "$T/log.txt")
kill -HUP $pid
i=0
while [ "$(grep -c 'configuration reloaded' "$T/log.txt")" -le "$before" ] && [ $i -lt 200 ]; do
	sleep 0.1; i=$((i + 1))
done
is "$(grep -c 'configuration reloaded' "$T/log.txt")" $((before + 1)) "SIGHUP after the fix: reloaded again"

kill -TERM $pid
wait $pid
is "$?" 0 "SIGTERM: the daemon exits 0"
is "$(sqlite3 "$T/state/sertel.db" 'select count(*) from documents')" 4 "four documents signed, each once"
is "$(count "$T/spool/failed" -name '*.error.yaml')" 1 "one refusal: the nota_dinas before the reload"
is "$(count "$T/spool/incoming" -type f)" 0 "nothing left in incoming/"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/spool/done/*/*.pdf > "$T/check.txt" 2>&1
ok $? "the signed files verify (pdfsig, qpdf)"
done_testing
