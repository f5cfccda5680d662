#!/bin/sh
# 41-key-memory.sh - no worker holds a private key or a passphrase (issue 19).
# The daemon signs for an RSA signer (passphrase_file) and an ECDSA signer
# (passphrase_env); then the memory of each of its processes is read through
# /proc/PID/mem (tests/lib/memscan.py) and searched for the private parts of
# both keys (big- and little-endian) and for the passphrase.  The workers
# (which parse the dropped PDFs) and the master hold none of the keys'
# bytes and the workers not the passphrase; the key process holds both keys
# (which shows the search finds them where they are).  The key process runs
# without core dumps and with a bounded address space.
. "$(dirname "$0")/../lib/e2e.sh"
pki
WORKERS=2 config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
secret=$(cat "$T/pki/pass.txt")
ahmad=198204152008011002
wpid=
trap 'kill $wpid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

scan() { python3 "$ROOT/tests/lib/memscan.py" --key "$T/pki/signer-rsa.key" \
	--key "$T/pki/signer-ec.key" --secret "$secret" "$@"; }

"$SERTEL" watch 2> "$T/watch.txt" &
wpid=$!
for i in 1 2 3; do put diskominfo siti-$i; put setda ahmad-$i "$ahmad"; done
wait_for test -f "$T/spool/done/diskominfo/siti-3.pdf" -a -f "$T/spool/done/setda/ahmad-3.pdf"
ok $? "the daemon signed with both keys (RSA, passphrase file; ECDSA, passphrase variable)"
pdfsig "$T/spool/done/setda/ahmad-3.pdf" 2>&1 | grep -q "Signature Validation: Signature is Valid"
ok $? "... pdfsig: the signature made through the key process is valid"

keyp= workers=
for p in $(pgrep -P $wpid); do
	if [ "$(cat /proc/$p/comm 2>/dev/null)" = sertel-keys ]; then keyp=$p; else workers="$workers $p"; fi
done
echo "# master $wpid, key process ${keyp:-none}, workers$workers"
ok "$([ -n "$keyp" ]; echo $?)" "the master has a key process (sertel-keys)"
is "$(echo $workers | wc -w | tr -d ' ')" 2 "... and its two workers"

scan $workers > "$T/workers.txt"
rc=$?
sed 's/^/#   found: /' "$T/workers.txt"
is "$rc:$(grep -vc ' secret' "$T/workers.txt")" "0:0" \
	"the workers' memory holds no byte window of either private key"
if [ "${DOC_MEM:-}" = 0 ]; then
	# ASan's runtime keeps its own copy of /proc/self/environ, read before main()
	echo "ok $((n += 1)) # skip the passphrase under ASan"
else
	is "$(grep -c ' secret' "$T/workers.txt")" 0 "... nor the passphrase"
fi
scan $wpid | grep -v ' secret' > "$T/master.txt"
sed 's/^/#   found: /' "$T/master.txt"
is "$(wc -l < "$T/master.txt" | tr -d ' ')" 0 "the master's memory holds no private key either"
if [ -n "$keyp" ]; then
	scan $keyp > "$T/keyp.txt"
	grep -q "signer-rsa.key:prime1" "$T/keyp.txt" && grep -q "signer-ec.key:priv" "$T/keyp.txt"
	ok $? "the key process holds both keys (the search finds a key where it is)"
	grep -q '^Max core file size *0 *0' /proc/$keyp/limits
	ok $? "the key process cannot dump core (RLIMIT_CORE 0)"
	if [ "${DOC_MEM:-}" = 0 ]; then	# make check-memory: ASan needs terabytes
		echo "ok $((n += 1)) # skip RLIMIT_AS under ASan"
	else
		grep -q '^Max address space *[0-9]' /proc/$keyp/limits
		ok $? "... and its address space is limited (RLIMIT_AS)"
	fi
	! tr '\0' '\n' < /proc/$keyp/environ | grep -q -e SERTEL_TEST_PASS -e "$secret"
	ok $? "... and its environment holds neither the variable nor the passphrase"
else
	ok 1 "the key process holds both keys"
fi
kill -TERM $wpid
wait $wpid
is "$?" 0 "SIGTERM: the daemon exits 0"
done_testing
