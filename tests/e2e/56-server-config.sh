#!/bin/sh
# 56-server-config.sh - the operator's side of the configuration: (1) the
# helpdesk office named in refusal reports comes from helpdesk: (default
# Diskominfo); (2) a problem with the server's own files (a missing trust
# anchor, a missing or unreadable keystore, a wrong passphrase, a missing
# mark image, a spool the service cannot write) stops `config check` with 78
# naming the file, and `run` before anything is taken (trust, image, spool);
# what only the service can read is said to be not checked.
. "$(dirname "$0")/../lib/e2e.sh"
pki
mk() { sh "$ROOT/tests/lib/mkconfig.sh" -d "$T" -w 1 -L "doc_memory_mb:${DOC_MEM:-1024}" "$@"; }
in=$T/spool/incoming

# --- (1) helpdesk: a district whose office is not called Diskominfo
mk -S siti -S wrong-pass | sed '1a helpdesk: "Dinas Kominfo Musi Rawas"' > "$T/h.yaml"
echo "salah-sandi" > "$T/wrong.pass"
mkdir -p "$in/setda"
python3 "$ROOT/tests/lib/mkpdf.py" "$in/setda/tak-dikenal.pdf"
sidecar "$in/setda/tak-dikenal.pdf" 196001011990031001
python3 "$ROOT/tests/lib/mkpdf.py" "$in/setda/kunci-rusak.pdf"
sidecar "$in/setda/kunci-rusak.pdf" 199001012015031001
"$SERTEL" --config "$T/h.yaml" -q run --once > /dev/null 2> "$T/h.log"
is "$?" 1 "helpdesk: two refusals (an unknown signer, a signer whose keystore cannot be opened)"
r1=$T/spool/failed/setda/tak-dikenal.error.yaml r2=$T/spool/failed/setda/kunci-rusak.error.yaml
grep -q "minta Dinas Kominfo Musi Rawas mendaftarkannya" "$r1" &&
	grep -q "Hubungi Dinas Kominfo Musi Rawas untuk memeriksa keystore" "$r2"
ok $? "... each report's advice names the configured helpdesk"
! grep -rq "Diskominfo" "$T/spool/failed"
ok $? "... and no report or Windows twin says Diskominfo"
rid=$(sed -n 's/^id_proses: *"\{0,1\}\([A-Z0-9]*\)"\{0,1\}$/\1/p' "$r2")
"$SERTEL" --config "$T/h.yaml" doc show "$rid" | grep -q "^saran  *Hubungi Dinas Kominfo Musi Rawas"
ok $? "... so does doc show of the refusal"
grep -q "^# Penyebabnya ada di server, bukan di dokumen atau metadatanya" "$r2"
ok $? "a keystore the server cannot open is the server's fault, not the sidecar's"
sed '/^helpdesk:/d' "$T/h.yaml" > "$T/d.yaml"
mkdir -p "$T/draft"
python3 "$ROOT/tests/lib/mkpdf.py" "$T/draft/d.pdf"
sidecar "$T/draft/d.pdf" 196001011990031001
"$SERTEL" --config "$T/d.yaml" validate "$T/draft/d.pdf" --pd setda | grep -q "minta Diskominfo mendaftarkannya"
ok $? "without helpdesk: the advice still says Diskominfo"
rm -rf "$T/spool" "$T/state"

# --- (2) the server's files: config check and run exit 78 naming the file
mk -S siti > "$T/good.yaml"
"$SERTEL" --config "$T/good.yaml" config check > "$T/good.txt" 2>&1
is "$?" 0 "a good configuration: config check exits 0"
grep -q "^trust: OK" "$T/good.txt" && grep -q "^spool, state: OK (writable)" "$T/good.txt"
ok $? "... saying it checked the trust anchors and the folders"

check78() {	# check78 CONFIG NAME DESCRIPTION: config check exits 78 and names NAME
	"$SERTEL" --config "$1" config check > "$T/cc.txt" 2>&1
	is "$?" 78 "config check: $3: exit 78"
	grep -q "$2" "$T/cc.txt"
	ok $? "... naming $2"
	[ $? -eq 0 ] || sed 's/^/# /' "$T/cc.txt"
}
run78() {	# run78 CONFIG NAME DESCRIPTION: run --once exits 78 naming NAME, nothing taken
	mkdir -p "$in/diskominfo"
	python3 "$ROOT/tests/lib/mkpdf.py" "$in/diskominfo/surat.pdf"
	sidecar "$in/diskominfo/surat.pdf"
	"$SERTEL" --config "$1" -q run --once > /dev/null 2> "$T/run.txt"
	is "$?" 78 "run: $3: exit 78"
	grep -q "$2" "$T/run.txt" && [ -f "$in/diskominfo/surat.pdf" ] && [ -z "$(ls "$T/spool/failed/diskominfo" 2>/dev/null)" ]
	ok $? "... naming $2; the document waits in incoming/, nobody is sent a refusal"
	[ $? -eq 0 ] || sed 's/^/# /' "$T/run.txt"
}

sed "s|pki/ca.pem|pki/tidak-ada.pem|" "$T/good.yaml" > "$T/trust.yaml"
check78 "$T/trust.yaml" "trust anchor .*tidak-ada.pem" "a missing trust anchor"
run78 "$T/trust.yaml" "tidak-ada.pem" "a missing trust anchor"

sed "s|pki/signer-rsa.p12|pki/hilang.p12|" "$T/good.yaml" > "$T/ks.yaml"
check78 "$T/ks.yaml" "NOT USABLE (signer.keystore): .*hilang.p12" "a missing keystore"
head -c 100 "$T/pki/signer-rsa.p12" > "$T/pki/rusak.p12"
sed "s|pki/signer-rsa.p12|pki/rusak.p12|" "$T/good.yaml" > "$T/cut.yaml"
check78 "$T/cut.yaml" "NOT USABLE (signer.keystore): .*rusak.p12" "a damaged keystore"
mk -S wrong-pass > "$T/pass.yaml"
check78 "$T/pass.yaml" "NOT USABLE (signer.keystore): wrong passphrase .*signer-rsa.p12" "a wrong passphrase"

cp "$T/good.yaml" "$T/mark.yaml"
cat >> "$T/mark.yaml" <<YAML
marks:
  default: logo
  profiles:
    logo: { kinds: [image], image: $T/tidak-ada.png }
YAML
check78 "$T/mark.yaml" "tidak-ada.png" "a missing mark image"
run78 "$T/mark.yaml" "tidak-ada.png" "a missing mark image"

# a TSA's password file that is not there: every document would fail at its timestamp
cp "$T/good.yaml" "$T/tsa.yaml"
cat >> "$T/tsa.yaml" <<YAML
timestamp:
  tsa:
    - { url: "http://127.0.0.1:9/tsr", username: sertel, password_file: $T/tsa-hilang.pass }
  trust: [ $T/pki/ca.pem ]
YAML
check78 "$T/tsa.yaml" "timestamp.tsa\[0\].password_file .*tsa-hilang.pass" "a missing TSA password file"
run78 "$T/tsa.yaml" "tsa-hilang.pass" "a missing TSA password file"

mk -S siti:env > "$T/env.yaml"
env -u SERTEL_TEST_PASS "$SERTEL" --config "$T/env.yaml" config check > "$T/env.txt" 2>&1
is "$?" 0 "config check without the service's passphrase variable: exit 0"
grep -q "NOT CHECKED: its passphrase is in SERTEL_TEST_PASS, which only the service's environment has" "$T/env.txt"
ok $? "... saying that signer was not checked, and why"

# a reload to a configuration whose trust anchor is missing keeps the running one
rm -rf "$T/spool" "$T/state"
cp "$T/good.yaml" "$T/live.yaml"
: > "$T/watch.txt"
"$SERTEL" --config "$T/live.yaml" watch 2> "$T/watch.txt" &
w=$!
trap 'kill $w 2>/dev/null; wait $w 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
i=0; while [ ! -f "$T/state/sertel.db" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1	# margin: the daemon is in its loop
cp "$T/trust.yaml" "$T/live.yaml.tmp" && mv "$T/live.yaml.tmp" "$T/live.yaml"
kill -HUP $w
i=0; while ! grep -q "reload refused" "$T/watch.txt" && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "reload refused, keeping the running configuration: trust anchor .*tidak-ada.pem" "$T/watch.txt"
ok $? "reload to a missing trust anchor: refused, naming it; the running configuration is kept"
mkdir -p "$in/diskominfo"
python3 "$ROOT/tests/lib/mkpdf.py" "$T/baru.pdf"
sidecar "$T/baru.pdf"
mv "$T/baru.yaml" "$in/diskominfo/" && mv "$T/baru.pdf" "$in/diskominfo/"
i=0; while [ ! -f "$T/spool/done/diskominfo/baru.pdf" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $w 2>/dev/null && [ -f "$T/spool/done/diskominfo/baru.pdf" ]
ok $? "... and the daemon goes on signing"
kill $w; wait $w 2>/dev/null

# as the service user (nobody, the state folder's owner) and as somebody else
if [ "$(id -u)" != 0 ] || ! command -v setpriv > /dev/null; then
	echo "ok $((n + 1)) # SKIP the service user's view needs root and setpriv"; n=$((n + 1))
	done_testing; exit
fi
mkdir -p "$T/ro/spool/incoming/diskominfo" "$T/ro/state"
sed "s|$T/spool|$T/ro/spool|; s|$T/state|$T/ro/state|" "$T/good.yaml" > "$T/ro/sertel.yaml"
chown -R nobody:nogroup "$T/ro/state" "$T/pki"
chmod 0755 "$T" "$T/ro" "$T/ro/spool"
chmod 0644 "$T/ro/sertel.yaml"
setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$T" ||
	{ echo "ok $((n + 1)) # SKIP nobody cannot reach $T (a parent folder is private)"; n=$((n + 1)); done_testing; exit; }
as() { u=$1; shift; setpriv --reuid="$u" --regid="$u" --clear-groups "$SERTEL" "$@"; }
as 65534 --config "$T/ro/sertel.yaml" config check > "$T/ro.txt" 2>&1
is "$?" 78 "config check as the service (nobody) with a spool it cannot write: exit 78"
grep -q "spool, state: PROBLEM (config.server): spool $T/ro/spool: .* cannot be written" "$T/ro.txt"
ok $? "... naming the spool"
as 65534 --config "$T/ro/sertel.yaml" -q run --once > /dev/null 2> "$T/ro-run.txt"
is "$?" 78 "run as nobody with that spool: exit 78"
grep -q "spool $T/ro/spool" "$T/ro-run.txt"
ok $? "... naming the spool"
"$SERTEL" --config "$T/ro/sertel.yaml" config check > "$T/asroot.txt" 2>&1
grep -q "^spool, state: NOT CHECKED" "$T/asroot.txt"
ok $? "config check as root, the service being nobody: the folders are not checked (root may write where nobody may not)"

chown -R nobody:nogroup "$T/ro/spool"
cp "$T/pki/signer-rsa.p12" "$T/pki/root.p12"
chown root:root "$T/pki/root.p12"
chmod 0600 "$T/pki/root.p12"
sed "s|pki/signer-rsa.p12|pki/root.p12|" "$T/ro/sertel.yaml" > "$T/ro/root.yaml"
chmod 0644 "$T/ro/root.yaml"
as 65534 --config "$T/ro/root.yaml" config check > "$T/root.txt" 2>&1
is "$?" 78 "config check as the service with a keystore it cannot read: exit 78"
grep -q "NOT USABLE (signer.keystore): .*root.p12: Permission denied" "$T/root.txt"
ok $? "... naming the keystore"
[ $? -eq 0 ] || sed 's/^/# /' "$T/root.txt"
as 65533 --config "$T/ro/root.yaml" config check > "$T/other.txt" 2>&1
is "$?" 0 "config check as somebody else: what only the service may read does not count (exit 0)"
grep -q "^spool, state: NOT CHECKED" "$T/other.txt" &&
	grep -q "signer 197103012006042006 .*: NOT CHECKED: $T/pki/[a-z.0-9]* cannot be read by this user" "$T/other.txt"
ok $? "... it says the folders and that signer (its passphrase file, its keystore) were not checked"
[ $? -eq 0 ] || sed 's/^/# /' "$T/other.txt"
done_testing
