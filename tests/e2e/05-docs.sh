#!/bin/sh
# 05-docs.sh - the documentation keeps up with the code: every error code in
# base/errcodes.c is explained in the README, the man pages are clean (and
# sertel.yaml(5) documents each key of the example configuration),
# the example configuration loads, and the systemd unit names the binary.
. "$(dirname "$0")/../lib/e2e.sh"
missing=""
for c in $(grep -o '^	{ "[a-z_.]*"' "$ROOT/base/errcodes.c" | grep -o '"[^"]*"' | tr -d '"'); do
	grep -q "\`$c\`" "$ROOT/README.md" || missing="$missing $c"
done
is "$missing" "" "every error code is documented in the README"
mandoc -Tlint -Wwarning "$ROOT/man/sertel.1" > "$T/lint.txt" 2>&1
ok $? "man/sertel.1 passes mandoc -Tlint"
[ -s "$T/lint.txt" ] && sed 's/^/# /' "$T/lint.txt"
# sertel.yaml(5): every key of the example documented, nothing else; clean roff
python3 "$ROOT/tests/lib/yamlkeys.py" check "$ROOT/config/sertel.example.yaml" "$ROOT/man/sertel.yaml.5" > "$T/keys.txt"
ok $? "man/sertel.yaml.5 documents exactly the keys of config/sertel.example.yaml"
[ -s "$T/keys.txt" ] && sed 's/^/# /' "$T/keys.txt"
groff -man -ww -z "$ROOT/man/sertel.yaml.5" > "$T/groff.txt" 2>&1 && [ ! -s "$T/groff.txt" ] &&
	mandoc -Tlint -Wwarning "$ROOT/man/sertel.yaml.5" > "$T/lint5.txt" 2>&1
ok $? "man/sertel.yaml.5 renders without warnings (groff -man -ww, mandoc -Tlint)"
cat "$T/groff.txt" "$T/lint5.txt" 2>/dev/null | sed 's/^/# /'
make -s -n -C "$ROOT" install DESTDIR="$T/root" PREFIX=/usr 2>/dev/null | grep -q "man/sertel.yaml.5 $T/root/usr/share/man/man5/sertel.yaml.5"
ok $? "make install installs sertel.yaml(5) beside sertel(1)"
# the IT officer's five steps point at sections, commands and units that exist
"$SERTEL" help > "$T/help.txt" 2>&1
python3 "$ROOT/tests/lib/readme_steps.py" "$ROOT/README.md" "$T/help.txt" "$ROOT/config" > "$T/steps.txt"
ok $? "README: the IT officer's section links existing sections, commands and units"
[ -s "$T/steps.txt" ] && sed 's/^/# /' "$T/steps.txt"
# the example, with its paths pointed at a scratch folder, is a valid configuration
sed -e "s|/var/spool/sertel|$T/spool|; s|/var/lib/sertel|$T/state|" "$ROOT/config/sertel.example.yaml" > "$T/example.yaml"
"$SERTEL" --config "$T/example.yaml" config check > "$T/cc.txt" 2>&1
grep -q "example.yaml: syntax OK" "$T/cc.txt"
ok $? "config/sertel.example.yaml is a valid configuration (its keystores are examples)"
grep -q '^ExecStart=/usr/local/bin/sertel --config /etc/sertel/sertel.yaml watch$' "$ROOT/config/sertel.service"
ok $? "the systemd unit runs 'sertel watch' with the documented configuration"
grep -q '^RestartPreventExitStatus=78 74$' "$ROOT/config/sertel.service"
ok $? "... and does not restart on a configuration error (78) or a database to restore (74)"

# every unit hardened: systemd's own exposure score at most 3.0 ("OK"), read offline
for u in "$ROOT"/config/*.service; do
	name=$(basename "$u")
	if ! systemd-analyze security --offline=true "$u" > "$T/sec.txt" 2>&1; then
		ok 0 "# SKIP $name: systemd-analyze security --offline is not available here"
		continue
	fi
	score=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' "$T/sec.txt")
	awk -v s="$score" 'BEGIN { exit !(s != "" && s + 0 <= 3.0) }'
	ok $? "$name: systemd-analyze security scores ${score:-nothing} (at most 3.0)"
	grep -q '^Environment=TZ=Asia/Jakarta$' "$u"
	ok $? "$name: runs in WIB (TZ=Asia/Jakarta)"
	! grep -q '^After=.*network-online.target' "$u" || grep -q '^Wants=network-online.target' "$u"
	ok $? "$name: waits for the network only with Wants= beside After="
done

# the README's module map names every source file and only files that exist;
# exit codes are named in one place
python3 "$ROOT/tests/docmap.py" > "$T/map.txt" 2>&1
ok $? "the README's module map matches the tree (tests/docmap.py)"
sed 's/^/# /' "$T/map.txt"
defs=$(cd "$ROOT" && grep -rl '^#[[:space:]]*define[[:space:]]\{1,\}EX_' base config spool db pki stages web pipeline | grep -vx base/exits.h)
is "$defs" "" "exit codes are named in base/exits.h only (with <sysexits.h>)"
done_testing
