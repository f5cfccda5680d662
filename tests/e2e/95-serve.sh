#!/bin/sh
# 95-serve.sh - `sertel serve`, the verification page the QR code leads to:
# over a spool that signed a few documents and deleted one, curl checks the
# status codes, the security headers, the page's text and its JSON against
# sqlite3; a QR code decoded (zbarimg) from a rendered signed page leads to
# its page; IDs known, unknown and malformed take the same time; the rate,
# header and slow-client limits hold; a headless Chromium renders the pages
# (no console errors, no foreign requests; screenshots in $ARTEFACTS); 200
# clients for 10 s: errors, p99 and RSS reported.
. "$(dirname "$0")/../lib/e2e.sh"
ARTEFACTS=${ARTEFACTS:-$ROOT/var/artefacts/95-serve}
mkdir -p "$ARTEFACTS" && rm -f "$ARTEFACTS"/*.png
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
DB="$T/state/sertel.db"
q() { sqlite3 "$DB" "$1"; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
P=$(port)
BASE="http://127.0.0.1:$P/verifikasi/"
awk '{ print } /^officials:/ { print "  - { nip: \"198503102010012001\", name: \"Dewi Lestari\", jabatan: \"Arsiparis\", roles: [arsiparis], pd: diskominfo }" }' \
	"$T/sertel.yaml" > "$T/s.yaml" && mv "$T/s.yaml" "$T/sertel.yaml"
cat >> "$T/sertel.yaml" <<YAML
deletion:
  officer_roles: [arsiparis]
  service_signer: "197103012006042006"
marks:
  url: "https://tte.example.go.id/verifikasi/{id}"
  default: qrtext
  profiles:
    qrtext: { kinds: [qr, text] }
YAML
cp "$T/sertel.yaml" "$T/base.yaml"
cat >> "$T/sertel.yaml" <<YAML
web:
  listen: "127.0.0.1:$P"
  rate_per_minute: 100000
  max_connections: 600
  per_ip_connections: 600
  timeout_seconds: 2
  max_upload_kb: 200
YAML
# the unit: runs serve, hardened at least as the signing daemon's unit is
unit="$ROOT/config/sertel-web.service"
grep -q '^ExecStart=/usr/local/bin/sertel --config /etc/sertel/sertel.yaml serve$' "$unit" &&
	grep -q '^RestartPreventExitStatus=78 74$' "$unit"
ok $? "config/sertel-web.service runs 'sertel serve', no restart on 78 or 74"
missing=$(sed -n '/^NoNewPrivileges/,/^LockPersonality/p; /^UMask/p; /^LimitCORE/p' "$ROOT/config/sertel.service" |
	while read -r l; do grep -qx "$l" "$unit" || echo "$l"; done)
is "$missing" "" "... with every hardening line of sertel.service"
grep -q "^ReadWritePaths=.*spool" "$unit"
ok $(( ! $? )) "... and no write access to the spool"
"$SERTEL" config check 2>&1 | grep -q "syntax OK"
ok $? "a configuration with a web: section is valid"

# web: mistakes are configuration errors with file:line:column (exit 78)
bad() {	# bad DESCRIPTION KEY-LINE WANT
	cp "$T/base.yaml" "$T/bad.yaml"
	printf 'web:\n  %s\n' "$2" >> "$T/bad.yaml"
	"$SERTEL" --config "$T/bad.yaml" serve > "$T/bad.txt" 2>&1
	rc=$?
	line=$(($(wc -l < "$T/bad.yaml")))
	grep -q "bad.yaml:$line:[0-9]*.*$3" "$T/bad.txt"
	ok $(( rc != 78 || $? )) "web: $1 is refused at its line (78)"
}
bad "a listen address without a port" 'listen: "127.0.0.1"' "web.listen"
bad "a host name as the listen address" 'listen: "localhost:8080"' "numeric"
bad "show_nip other than masked, full, none" 'show_nip: sometimes' "web.show_nip"
bad "a public URL that is not marks.url's start" 'public_url: "https://other.example/v/"' "marks.url"
bad "an unknown key" 'listn: "127.0.0.1:80"' "listen"
"$SERTEL" serve --listen 127.0.0.1:99999 > "$T/usage.txt" 2>&1
rc=$?
grep -q "^sertel: --listen '127.0.0.1:99999' has no port from 1 to 65535" "$T/usage.txt"
ok $(( rc != 64 || $? )) "serve --listen with a port out of range: usage error (64) saying why"

# three documents (one with markup in its number), one deleted by berita acara
for i in 1 2; do drop diskominfo "surat-$i"; done
cp "$T/spool/incoming/diskominfo/surat-1.pdf" "$T/unsigned-1.pdf"
drop diskominfo surat-3
sh "$ROOT/tests/lib/mksidecar.sh" "$T/spool/incoming/diskominfo/surat-3.pdf" "" "" "800/<b>&'x/2026"
"$SERTEL" -q run --once > /dev/null 2>&1
is $? 0 "three documents signed"
id1=$(q "select id from jobs where file='surat-1.pdf'")
id2=$(q "select id from jobs where file='surat-2.pdf'")
id3=$(q "select id from jobs where file='surat-3.pdf'")
"$SERTEL" deletion new --officer 198503102010012001 --reason "Dokumen direvisi" "$id2" > "$T/ba.yaml" &&
	sed -i 's/nik: ""/nik: "1605014101850001"/; s/pangkat_golongan: ""/pangkat_golongan: "Penata, III\/c"/' "$T/ba.yaml" &&
	"$SERTEL" deletion submit "$T/ba.yaml" > /dev/null
ok $? "one of them deleted by berita acara"
ba=$(q "select number from deletions")

# an upload is checked in 3 s at most (limits.doc_timeout_seconds)
sed -i 's/^  doc_timeout_seconds: .*/  doc_timeout_seconds: 3/' "$T/sertel.yaml"
"$SERTEL" serve > "$T/serve-log.txt" 2>&1 &
SPID=$!
trap 'kill $SPID 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
i=0
until curl -s -o /dev/null "$BASE" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
# get URL [curl options] - the body to $T/body, headers to $T/head; prints the status
get() { u=$1; shift; curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' "$@" "$u"; }
hdr() { grep -i "^$1:" "$T/head" | cut -d' ' -f2- | tr -d '\r'; }

is "$(get "$BASE$id1")" 200 "GET the page of a signed document: 200"
sha1=$(q "select sha256_signed from documents where id='$id1'")
name=$(q "select signer_name from documents where id='$id1'")
grep -q "Status:</span> ASLI" "$T/body" && grep -q "$id1" "$T/body" && grep -q "$sha1" "$T/body" &&
	grep -q "$name" "$T/body" && grep -q "Kepala Dinas Komunikasi dan Informatika" "$T/body" &&
	grep -q "800/surat-1/2026" "$T/body" && grep -q "Undangan rapat koordinasi" "$T/body" &&
	grep -q "Surat Keluar" "$T/body" && grep -q "WIB" "$T/body" && grep -q "salinan" "$T/body"
ok $? "... ASLI, ID, SHA-256, signer, jabatan, number, subject, type, WIB time, the salinan caveat"
[ "$sha1" = "$(sha256sum "$T/spool/done/diskominfo/surat-1.pdf" | cut -d' ' -f1)" ]
ok $? "... whose SHA-256 is the delivered file's (sha256sum)"
grep -q "197103012006042006" "$T/body"
ok $(( ! $? )) "... the NIP is not shown whole (show_nip: masked by default)"
hdr Content-Security-Policy | grep -q "frame-ancestors 'none'" && ! hdr Content-Security-Policy | grep -q "unsafe" &&
	hdr Content-Security-Policy | grep -q "default-src 'none'"
ok $? "... CSP: default-src 'none', frame-ancestors 'none', nothing unsafe-inline"
[ "$(hdr X-Content-Type-Options)" = nosniff ] && [ "$(hdr Referrer-Policy)" = no-referrer ] &&
	hdr Content-Type | grep -q "text/html; charset=utf-8"
ok $? "... X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer, text/html UTF-8"
grep -qi "<script" "$T/body" || grep -q ' style=' "$T/body" || grep -q "<style" "$T/body"
ok $(( ! $? )) "... no script and no inline style in the page"
css=$(sed -n 's/.*<link rel="stylesheet" href="\([^"]*\)".*/\1/p' "$T/body")
is "$(get "http://127.0.0.1:$P$css")" 200 "... its style sheet is served from the same path ($css)"

is "$(get "$BASE$id1?format=json")" 200 "?format=json: 200"
j() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d
for k in sys.argv[2].split("."): v=v.get(k) if isinstance(v, dict) else None
print("" if v is None else v)' "$T/body" "$1"; }
hdr Content-Type | grep -q "application/json"
ok $? "... application/json"
[ "$(j status)" = ASLI ] && [ "$(j id)" = "$id1" ] && [ "$(j sha256)" = "$sha1" ] &&
	[ "$(j signer_name)" = "$name" ] && [ "$(j pd)" = "$(q "select pd from documents where id='$id1'")" ] &&
	[ "$(j number)" = "$(q "select number from documents where id='$id1'")" ] &&
	[ "$(j signer_nip)" = "***************006" ] && [ "$(j signer_jabatan)" = "Kepala Dinas Komunikasi dan Informatika" ]
ok $? "... status, id, sha256, signer, PD, number as sqlite3 has them; NIP masked to its last 3 digits"
at=$(q "select signed_at from documents where id='$id1'")
is "$(j signed_at)" "$(TZ=Asia/Jakarta date -d "@${at:-x}" +%Y-%m-%dT%H:%M:%S+07:00 2>&1)" "... signed_at in WIB (date -d)"

is "$(get "$BASE$id3")" 200 "a document whose number holds markup"
grep -q "800/&lt;b&gt;&amp;&#39;x/2026" "$T/body" && ! grep -q "<b>" "$T/body"
ok $? "... shows it escaped"

is "$(get "$BASE$id2")" 200 "the page of the deleted document"
grep -q "Status:</span> DIHAPUS" "$T/body" && grep -q "$ba" "$T/body"
ok $? "... DIHAPUS with the berita acara's number ($ba)"
get "$BASE$id2?format=json" > /dev/null
[ "$(j status)" = DIHAPUS ] && [ "$(j deletion.berita_acara)" = "$ba" ] &&
	[ "$(j deletion.deleted_at)" = "$(TZ=Asia/Jakarta date -d "@$(q "select deleted_at from documents where id='$id2'")" +%Y-%m-%dT%H:%M:%S+07:00)" ]
ok $? "... JSON: DIHAPUS, berita acara number and date as sqlite3 has them"

is "$(get "${BASE}23456789ABCDEFGH")" 404 "an unknown ID: 404"
grep -q "Status:</span> TIDAK DIKENAL" "$T/body"
ok $? "... TIDAK DIKENAL"
is "$(get "${BASE}%3Cscript%3Ealert(1)")" 404 "a malformed ID: 404"
grep -q "TIDAK DIKENAL" "$T/body" && ! grep -q "<script" "$T/body"
ok $? "... TIDAK DIKENAL, nothing of it echoed"
get "${BASE}23456789ABCDEFGH?format=json" > /dev/null
is "$(j status)" TIDAK_DIKENAL "... JSON status TIDAK_DIKENAL"

is "$(get "http://127.0.0.1:$P/")" 404 "outside the path: 404"
is "$(get "${BASE}../../etc/passwd" --path-as-is)" 404 "a path with ../: 404"
is "$(get "${BASE}store/")" 404 "no directory listing"
is "$(get "$BASE$id1" -X PUT -d x=1)" 405 "PUT: 405"
is "$(hdr Allow)" "GET, HEAD, POST" "... Allow: GET, HEAD, POST"
is "$(get "$BASE$id1" -I)" 200 "HEAD: 200"
is "$(get "$BASE")" 200 "the path itself: the form to type an ID"
is "$(get "${BASE}?id=$(echo "$id1" | tr 'A-Z' 'a-z' | sed 's/..../&-/g; s/-$//')")" 303 "... ?id= in lower case with dashes: 303"
is "$(hdr Location)" "/verifikasi/$id1" "... to the document's page"
big=$(python3 -c 'print("x" * 20000)')
code=$(get "$BASE$id1" -H "X-Big: $big")
[ "$code" = 431 ] || [ "$code" = 413 ] || [ "$code" = 400 ]
ok $? "a 20 kB header is refused ($code)"


# an uploaded PDF: `sertel verify` in a child, and the stored copy compared
up() { curl -s -o "$T/body" -w '%{http_code}' -F "berkas=@$1" "$BASE$2"; }
verdict() { sed -n 's/.*<span class="label">Hasil pemeriksaan berkas:<\/span> \([^<]*\)<\/h2>.*/\1/p' "$T/body"; }
signed1="$T/spool/done/diskominfo/surat-1.pdf"
is "$(up "$signed1" "$id1")" 200 "POST the signed file to its page: 200"
[ "$(verdict)" = UTUH ] && grep -q "sama persis, byte demi byte" "$T/body" && grep -q "Verdict: INTACT and TRUSTED" "$T/body"
ok $? "... UTUH, byte for byte the stored copy, with sertel verify's report"
"$SERTEL" verify "$signed1" > "$T/verify.txt"
grep -q "$(grep '^  integrity:' "$T/verify.txt" | sed 's/[].*[]/./g')" "$T/body"
ok $? "... the report's lines are the command's (integrity line)"
is "$(up "$T/unsigned-1.pdf" "$id1")" 200 "POST the PDF as dropped, before signing"
grep -q "revisi yang lebih awal" "$T/body" && [ "$(verdict)" = "TIDAK DAPAT DIPERIKSA" ]
ok $? "... an earlier revision of the stored copy, no signature to check"
python3 "$ROOT/tests/lib/pdfinc.py" sign "$signed1" "$T/later.pdf" --key "$T/pki/signer-ec.key" \
	--cert "$T/pki/signer-ec.pem" --chain "$T/pki/chain.pem" --field ttd2
is "$(up "$T/later.pdf" "$id1")" 200 "POST the signed file with a second signature added later (pdfinc.py)"
grep -q "ditambah revisi yang dibuat sesudah" "$T/body" && [ "$(verdict)" = UTUH ] && grep -q "Signature 2 of 2" "$T/body"
ok $? "... a later revision of the stored copy, both signatures reported"
python3 - "$signed1" "$T/tampered.pdf" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"/MediaBox")
d[i + 1] = ord("m")          # /mediaBox: inside the signed bytes
open(sys.argv[2], "wb").write(d)
PY
is "$(up "$T/tampered.pdf" "$id1")" 200 "POST a copy with one byte changed"
[ "$(verdict)" = DIUBAH ] && grep -q "tidak sama dengan berkas bertanda tangan yang tersimpan" "$T/body"
ok $? "... DIUBAH, and not the stored copy"
cp "$T/tampered.pdf" "$T/tampered-upload.pdf"
python3 "$ROOT/tests/lib/mkbomb.py" --kind chain --mib 1900 "$T/bomb.pdf"
t0=$(date +%s)
is "$(up "$T/bomb.pdf" "$id1")" 200 "POST a PDF whose opening takes minutes of CPU (mkbomb.py chain)"
t1=$(date +%s)
[ "$(verdict)" = DIHENTIKAN ] && [ $((t1 - t0)) -le 6 ]
ok $? "... the child is stopped at limits.doc_timeout_seconds: DIHENTIKAN after $((t1 - t0)) s"
is "$(get "$BASE$id1")" 200 "... and the server goes on answering"
head -c 300000 /dev/urandom > "$T/big.bin"
is "$(up "$T/big.bin" "$id1")" 413 "POST a file over web.max_upload_kb: 413"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d berkas=x "${BASE}23456789ABCDEFGH")" 404 "POST to an unknown ID: 404"
is "$(curl -s -o /dev/null -w '%{http_code}' -X POST -F "berkas=@$signed1" "${BASE}x")" 405 "POST to a malformed ID: 405"
is "$(curl -s -o /dev/null -w '%{http_code}' -F "lain=x" "$BASE$id1")" 400 "POST a form without the file: 400"

# the process: the database open read-only, no keystore open
fdinfo=$(for fd in /proc/$SPID/fd/*; do [ "$(readlink "$fd")" = "$DB" ] && cat "/proc/$SPID/fdinfo/${fd##*/}"; done | sed -n 's/^flags:\t*//p')
[ -n "$fdinfo" ] && [ $((0$fdinfo & 3)) -eq 0 ]
ok $? "the server holds sertel.db open read-only (O_RDONLY, flags $fdinfo in /proc)"
fds=$(ls -l /proc/$SPID/fd) && [ -n "$fds" ] && ! echo "$fds" | grep -q '\.p12$\|\.key$\|pass\.txt'
ok $? "... and no keystore, key or passphrase file"

# the QR code on the signed page leads to that document's page
pdftoppm -r 150 -png -f 1 -l 1 -singlefile "$T/spool/done/diskominfo/surat-1.pdf" "$T/render" 2>/dev/null
url=$(zbarimg --raw -q "$T/render.png" 2>/dev/null)
is "$url" "https://tte.example.go.id/verifikasi/$id1" "the QR code (pdftoppm, zbarimg) carries marks.url with the ID"
is "$(get "$(echo "$url" | sed "s|^https://tte.example.go.id|http://127.0.0.1:$P|")")" 200 "... which, on the loopback server, answers"
grep -q "Status:</span> ASLI" "$T/body" && grep -q "$id1" "$T/body"
ok $? "... with that document's page"

# the same time for known, unknown and malformed IDs (web.min_response_ms, 20 by default)
python3 "$ROOT/tests/lib/httpprobe.py" timing 40 "$BASE$id1" "${BASE}23456789ABCDEFGH" "${BASE}x" > "$T/timing.txt"
sed 's/^/# timing (URL median p90, ms): /' "$T/timing.txt"
awk '{ if ($2 < lo || NR == 1) lo = $2; if ($2 > hi) hi = $2; if ($2 < 20) low = 1 }
	END { exit !(NR == 3 && hi - lo < 2 && !low) }' "$T/timing.txt"
ok $? "known, unknown and malformed IDs: medians within 2 ms of each other, none under 20 ms"

# an idle client is cut off after web.timeout_seconds (2 here)
took=$(python3 "$ROOT/tests/lib/httpprobe.py" idle 127.0.0.1 "$P")
echo "# half a request: closed after $took s"
awk -v t="$took" 'BEGIN { exit !(t >= 1.5 && t < 6) }'
ok $? "a client that sends half a request is cut off after the idle timeout ($took s)"

# a second server: 5 pages a minute per client, 127.0.0.1 a trusted proxy
P2=$(port)
sed "s/^  listen: .*/  listen: \"127.0.0.1:$P2\"/; s/^  rate_per_minute: .*/  rate_per_minute: 5\n  proxies: [\"127.0.0.1\"]/" \
	"$T/sertel.yaml" > "$T/limited.yaml"
"$SERTEL" --config "$T/limited.yaml" serve 2> "$T/serve2-log.txt" &
SPID2=$!
trap 'kill $SPID $SPID2 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
B2="http://127.0.0.1:$P2/verifikasi/"
i=0
until curl -s -o /dev/null "${B2}sertel.css" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
codes=$(for i in 1 2 3 4 5 6; do get "$B2$id1" -H "X-Forwarded-For: 198.51.100.7, 203.0.113.5"; echo; done | tr '\n' ' ')
is "$codes" "200 200 200 200 200 429 " "rate limit: the 6th page a minute from one client is 429"
[ "$(hdr Retry-After)" = 60 ] && grep -q "Terlalu banyak permintaan" "$T/body"
ok $? "... with Retry-After and a page saying so"
is "$(get "$B2$id1" -H "X-Forwarded-For: 203.0.113.6")" 200 "... another client behind the proxy (X-Forwarded-For's last hop) is still answered"
is "$(get "${B2}sertel.css" -H "X-Forwarded-For: 203.0.113.5")" 200 "... and the style sheet is not counted"
kill $SPID2
wait $SPID2
is $? 0 "SIGTERM stops the server (exit 0)"

# a real browser: headless Chromium through chromium-driver and python3-selenium
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && /usr/bin/python3 -c 'import selenium' 2> /dev/null; then
	/usr/bin/python3 "$ROOT/tests/lib/browser.py" "$ARTEFACTS" "http://127.0.0.1:$P/" \
		"valid|$BASE$id1|ASLI" "deleted|$BASE$id2|DIHAPUS" "unknown|${BASE}23456789ABCDEFGH|TIDAK DIKENAL" \
		"tampered-upload|$BASE$id1|DIUBAH|$T/tampered-upload.pdf" \
		> "$T/browser.txt" 2> "$T/browser.err"
	[ -s "$T/browser.txt" ] || sed 's/^/# /' "$T/browser.err"
	while read -r rc what; do ok "$rc" "browser: $what"; done < "$T/browser.txt"
	[ -s "$T/browser.txt" ]
	ok $? "browser: Chromium ran the checks"
	ls "$ARTEFACTS"/valid.png "$ARTEFACTS"/deleted.png "$ARTEFACTS"/unknown.png "$ARTEFACTS"/tampered-upload.png > /dev/null 2>&1
	ok $? "browser: screenshots in $ARTEFACTS"
else
	n=$((n + 1)); echo "ok $n # SKIP no Chromium, chromium-driver or python3-selenium (scripts/install-deps.sh installs them)"
fi

# load: 200 keep-alive clients for 10 s over the three kinds of page
python3 "$ROOT/tests/lib/httpprobe.py" load 127.0.0.1 "$P" "$SPID" 10 200 \
	"/verifikasi/$id1" "/verifikasi/$id2" "/verifikasi/23456789ABCDEFGH" "/verifikasi/x" > "$T/load.txt"
sed 's/^/# load: /' "$T/load.txt"
v() { sed -n "s/^$1=//p" "$T/load.txt"; }
[ "$(v requests)" -gt 1000 ] && [ "$(v errors)" = 0 ]
ok $? "200 clients for 10 s: $(v requests) answers, $(v errors) errors, p50 $(v p50_ms) ms, p99 $(v p99_ms) ms"
if grep -qa __asan_init "$SERTEL"; then	# ASan's quarantine and shadow grow by design
	n=$((n + 1)); echo "ok $n # SKIP RSS under AddressSanitizer: $(v rss_start) -> $(v rss_max) kB"
else
	[ "$(v rss_end)" -lt $(( $(v rss_start) + 16384 )) ] && [ "$(v rss_max)" -lt $(( $(v rss_start) + 65536 )) ]
	ok $? "... RSS flat: $(v rss_start) kB after 1 s, at most $(v rss_max) kB, $(v rss_end) kB at the end"
fi
is "$(get "$BASE$id1")" 200 "... and the server answers afterwards"
is "$(get "${BASE}laporan?from=2026-01-01&to=2026-12-31")" 404 "the supervision report: no page without web.report_from"
kill $SPID
wait $SPID
is $? 0 "SIGTERM stops it after the load (exit 0)"

# the supervision report as HTML, for the addresses in web.report_from only
P3=$(port)
sed "s/^  listen: .*/  listen: \"127.0.0.1:$P3\"\n  report_from: [\"127.0.0.1\"]/" "$T/sertel.yaml" > "$T/report.yaml"
"$SERTEL" --config "$T/report.yaml" serve > "$T/serve3.txt" 2>&1 &
SPID=$!
B3="http://127.0.0.1:$P3/verifikasi/"
i=0
until curl -s -o /dev/null "$B3" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
is "$(get "${B3}laporan?from=2026-01-01&to=2026-12-31")" 200 "web.report_from: GET laporan?from=&to= from 127.0.0.1 -> 200"
grep -q "I. Ringkasan" "$T/body" && grep -q "<svg" "$T/body" && ! grep -q "<script" "$T/body"
ok $? "... the report as HTML: the summary and the charts, no script"
grep -qi "^content-security-policy: default-src 'none'; style-src 'unsafe-inline'" "$T/head"
ok $? "... under a CSP that allows its own style and nothing else"
is "$(get "${B3}laporan?from=2026-1-1&to=x")" 400 "... a period that is no date: 400"
kill $SPID
wait $SPID

done_testing
