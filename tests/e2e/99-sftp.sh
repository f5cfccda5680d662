#!/bin/sh
# 99-sftp.sh - drops made through OpenSSH's SFTP server (the README's "SFTP"
# set-up: internal-sftp with -u 0007; here Debian's sftp-server, the same
# code, reached by `sftp -D` over a pipe instead of sshd), `sertel watch`
# behind it:
#   a) a slow upload under the final name (sftp -l: 200 KB/s, some 4 s, longer
#      than settle_seconds: only the settle check's lease, refused while
#      sftp-server holds the file open, keeps it from being taken half-written)
#   b) WinSCP's way: upload as NAME.filepart, then rename
#   c) an upload cut off (the client killed mid-file): refused as
#      pdf.incomplete, never signed; uploaded again whole, it is signed
# Every pair is signed exactly once (done/ and the database), and the results
# read back through SFTP verify (pdfsig, qpdf).  Not covered: sshd itself,
# ChrootDirectory and the bind mounts (they need root's sshd on port 22).
. "$(dirname "$0")/../lib/e2e.sh"
SRV=/usr/lib/openssh/sftp-server
if [ ! -x "$SRV" ] || ! command -v sftp > /dev/null; then
	echo "1..0 # SKIP no $SRV or sftp (openssh-sftp-server, openssh-client: scripts/install-deps.sh --tests)"
	exit 0
fi
pki
config "$T/sertel.yaml" 1
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming
q() { sqlite3 "$T/state/sertel.db" "$1"; }
mkdir -p "$in/diskominfo" "$in/bappeda" "$T/src" "$T/got"
# sftp_do [LIMIT] CMDS - an SFTP session in the spool's root, LIMIT Kbit/s
sftp_do() {
	lim=""
	case $1 in [0-9]*) lim="-l $1"; shift ;; esac
	printf '%s\n' "$@" > "$T/batch.$$"
	# shellcheck disable=SC2086
	(cd "$T/spool" && sftp -q $lim -D "$SRV -u 0007" -b "$T/batch.$$")
}

"$SERTEL" -q watch 2> "$T/log.txt" &
pid=$!
sleep 1

for d in surat-a:4 surat-b:2 surat-c:2; do
	python3 "$ROOT/tests/lib/mkbig.py" "$T/src/${d%:*}.pdf" "${d#*:}" 200 > /dev/null
	sidecar "$T/src/${d%:*}.pdf"
done

# a) sidecar first, then the PDF slowly under its final name
sftp_do "put $T/src/surat-a.yaml incoming/diskominfo/surat-a.yaml" > /dev/null
sftp_do 1600 "put $T/src/surat-a.pdf incoming/diskominfo/surat-a.pdf" > "$T/put-a.txt" 2>&1 &
put_a=$!
sizes=""
while kill -0 $put_a 2> /dev/null; do
	if s=$(stat -c %s "$in/diskominfo/surat-a.pdf" 2> /dev/null); then
		case " $sizes " in *" $s "*) ;; *) sizes="$sizes $s" ;; esac
	fi
	sleep 0.3
done
wait $put_a
ok $? "a) the slow upload ended (sftp exit 0)"
ok "$([ "$(echo $sizes | wc -w)" -ge 3 ]; echo $?)" "a) the PDF grew under its final name for seconds (sizes seen:$sizes)"

# b) NAME.filepart, renamed when complete; its sidecar after it
sftp_do 1600 "put $T/src/surat-b.pdf incoming/bappeda/surat-b.pdf.filepart" \
	"rename incoming/bappeda/surat-b.pdf.filepart incoming/bappeda/surat-b.pdf" \
	"put $T/src/surat-b.yaml incoming/bappeda/surat-b.yaml" > "$T/put-b.txt" 2>&1
ok $? "b) uploaded as .filepart and renamed"

# c) cut off: the client killed a second into a slow upload of the PDF
sftp_do "put $T/src/surat-c.yaml incoming/diskominfo/surat-c.yaml" > /dev/null
sftp_do 400 "put $T/src/surat-c.pdf incoming/diskominfo/surat-c.pdf" > /dev/null 2>&1 &
cut=$!
sleep 1.5
pkill -KILL -P $cut sftp 2> /dev/null
kill -KILL $cut 2> /dev/null
wait $cut 2> /dev/null
waited=0
until [ -f "$T/spool/failed/diskominfo/surat-c.error.yaml" ] || [ $waited -ge 300 ]; do
	sleep 0.2; waited=$((waited + 1))
done
grep -q "kode: pdf.incomplete" "$T/spool/failed/diskominfo/surat-c.error.yaml" 2> /dev/null
ok $? "c) the cut-off upload is refused as pdf.incomplete (upload it again), not signed"
# the administrator uploads it again, whole (the sidecar went to failed/ with it)
sftp_do "put $T/src/surat-c.yaml incoming/diskominfo/surat-c.yaml" \
	"put $T/src/surat-c.pdf incoming/diskominfo/surat-c.pdf" > /dev/null 2>&1

waited=0
while [ "$(count "$T/spool/done" -name '*.pdf')" -lt 3 ] && [ $waited -lt 600 ]; do
	sleep 0.2; waited=$((waited + 1))
done
is "$(count "$T/spool/done" -name '*.pdf')" 3 "every drop is signed (c: after its whole upload)"
is "$(count "$T/spool/failed" -name '*.pdf')" 1 "one refusal: the cut-off c, nothing else taken half-written"
is "$(q 'select count(*) from documents')" 3 "three rows in the database"
bad=""
for w in diskominfo/surat-a bappeda/surat-b diskominfo/surat-c; do
	f=$T/src/${w#*/}.pdf
	q "select sha256_original from documents" | grep -qx "$(sha256sum < "$f" | cut -d' ' -f1)" &&
		cmp -s -n "$(stat -c %s "$f")" "$f" "$T/spool/done/$w.pdf" || bad="$bad $w"
done
is "$bad" "" "the signed original is the uploaded bytes, to the byte (cmp, sha256_original)"
is "$(ls "$in/diskominfo" "$in/bappeda" | grep -c filepart)" 0 "no .filepart left behind"

# the results, read back through SFTP
sftp_do "get done/diskominfo/surat-a.pdf $T/got/surat-a.pdf" "get done/bappeda/surat-b.pdf $T/got/surat-b.pdf" \
	"get done/diskominfo/surat-c.pdf $T/got/surat-c.pdf" > /dev/null 2>&1
bad=""
for w in diskominfo/surat-a bappeda/surat-b diskominfo/surat-c; do
	cmp -s "$T/got/${w#*/}.pdf" "$T/spool/done/$w.pdf" || bad="$bad $w"
done
is "$bad" "" "done/ reads back through SFTP"
sh "$ROOT/tests/lib/pdfcheck.sh" "$T/pki/ca.pem" "$T"/got/*.pdf > "$T/check.txt" 2>&1
ok $? "the copies read back verify (pdfsig, qpdf --check)"

kill -TERM $pid
wait $pid
is "$?" 0 "SIGTERM: the daemon exits 0"
done_testing
