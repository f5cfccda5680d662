#!/bin/sh
# 97-notify.sh - refusals mailed to their PD's contacts (`sertel notify`)
# through a real SMTP server on loopback (Debian's python3-aiosmtpd, its
# Maildir handler): one message per PD, in Bahasa Indonesia, the refusal
# reports attached byte for byte (read back with Python's email parser);
# each refusal once; a server that is down leaves them waiting (75) until
# it answers; configuration mistakes are refused with file:line:column.
. "$(dirname "$0")/../lib/e2e.sh"
PY=/usr/bin/python3
if ! $PY -c 'import aiosmtpd' 2> /dev/null; then
	echo "ok 1 # SKIP python3-aiosmtpd is not installed (scripts/install-deps.sh --tests installs it)"
	echo "1..1"
	exit 0
fi
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >> "$T/sertel.yaml" <<EOF2
notify:
  smtp: "smtp://127.0.0.1:$port"
  from: "tte@musirawaskab.go.id"
  starttls: off
  timeout_seconds: 5
  pds:
    setda: ["arsip@setda.musirawaskab.go.id", "sekretariat@setda.musirawaskab.go.id"]
    diskominfo: ["tu@diskominfo.musirawaskab.go.id"]
EOF2
smtpd() {
	mkdir -p "$T/maildir/tmp" "$T/maildir/new" "$T/maildir/cur"
	$PY -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$T/maildir" 2> "$T/smtpd.txt" &
	smtpd_pid=$!
	for i in $(seq 50); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2> /dev/null && return; sleep 0.1; done
}
trap 'kill $smtpd_pid 2> /dev/null; rm -rf "$T"' EXIT
in=$T/spool/incoming
drop setda salah-1; sidecar "$in/setda/salah-1.pdf" 196001011990031001
drop setda salah-2; sidecar "$in/setda/salah-2.pdf" 196001011990031001
drop diskominfo salah-3; sidecar "$in/diskominfo/salah-3.pdf" 196001011990031001
drop bappeda salah-4; sidecar "$in/bappeda/salah-4.pdf" 196001011990031001
drop diskominfo surat-1; sidecar "$in/diskominfo/surat-1.pdf"
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 1 "four refused, one signed"

smtpd
"$SERTEL" notify 2> "$T/n1.txt"
is "$?" 0 "notify: exit 0"
is "$(ls "$T/maildir/new" | wc -l | tr -d ' ')" 2 "one message for setda, one for diskominfo (bappeda has no contact)"
$PY - "$T/maildir" "$T/spool/failed" > "$T/mail.txt" <<'PY'
import email, email.header, mailbox, os, sys
from email import policy
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
for key in sorted(box.keys()):
    m = email.message_from_bytes(box.get_bytes(key), policy=policy.default)
    subject = str(m["subject"])
    pd = subject.rsplit(" - ", 1)[1]
    body = m.get_body(preferencelist=("plain",)).get_content()
    same = True
    names = []
    for part in m.iter_attachments():
        names.append(part.get_filename())
        want = open(os.path.join(sys.argv[2], pd, part.get_filename()), "rb").read()
        same = same and part.get_payload(decode=True) == want
    print("%s|%s|%s|%s|%s|%s" % (pd, subject, m["to"], ",".join(sorted(names)), same,
                                 "Yth. Admin" in body and "ID proses" in body))
PY
grep -q "^setda|\[sertel\] 2 dokumen ditolak - setda|arsip@setda.musirawaskab.go.id, sekretariat@setda.musirawaskab.go.id|salah-1.error.yaml,salah-2.error.yaml|True|True$" "$T/mail.txt"
ok $? "setda: both contacts, the subject decoded, both reports attached byte for byte, the text in Bahasa Indonesia"
grep -q "^diskominfo|\[sertel\] 1 dokumen ditolak - diskominfo|tu@diskominfo.musirawaskab.go.id|salah-3.error.yaml|True|True$" "$T/mail.txt"
ok $? "diskominfo: its one refusal"
for id in $(sqlite3 "$T/state/sertel.db" "select id from jobs where outcome='failed' and pd in ('setda','diskominfo')"); do
	grep -rqs "$id" "$T/maildir/new" || echo "$id" >> "$T/missing"
done
[ ! -s "$T/missing" ]
ok $? "each refusal's process ID is in its message"
"$SERTEL" notify 2> /dev/null
is "$(ls "$T/maildir/new" | wc -l | tr -d ' ')" 2 "notify again: nothing new is mailed twice"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from audit where event='notified'")" 3 "one audit record per refusal mailed"

# the server down: nothing marked, 75; back up: mailed
drop setda salah-5; sidecar "$in/setda/salah-5.pdf" 196001011990031001
"$SERTEL" -q run --once > /dev/null 2>&1
kill "$smtpd_pid"; wait "$smtpd_pid" 2> /dev/null
"$SERTEL" notify 2> "$T/down.txt"
is "$?" 75 "the SMTP server down: exit 75 (try again)"
is "$(sqlite3 "$T/state/sertel.db" "select count(*) from jobs where outcome='failed' and pd='setda' and notified_at is null")" 1 \
	"... the new refusal still waits"
smtpd
"$SERTEL" notify 2> /dev/null
is "$?" 0 "the server back: exit 0"
is "$(ls "$T/maildir/new" | wc -l | tr -d ' ')" 3 "... and the waiting refusal is mailed"

# configuration mistakes
cp "$T/sertel.yaml" "$T/bad.yaml"
sed -i 's|smtp: "smtp://127.0.0.1:[0-9]*"|smtp: "http://127.0.0.1:25"|' "$T/bad.yaml"
"$SERTEL" --config "$T/bad.yaml" config check > "$T/bad.txt" 2>&1
is "$?" 78 "notify.smtp that is not smtp:// or smtps://: 78"
grep -q "bad.yaml:[0-9]*:[0-9]*: notify.smtp" "$T/bad.txt"
ok $? "... naming file:line:column"
cp "$T/sertel.yaml" "$T/bad2.yaml"
sed -i 's|  starttls: off|  starttls: off\n  password: rahasia|' "$T/bad2.yaml"
"$SERTEL" --config "$T/bad2.yaml" config check > "$T/bad2.txt" 2>&1
is "$?" 78 "a password in the configuration is refused"
! grep -q rahasia "$T/bad2.txt"
ok $? "... without repeating it"
done_testing
