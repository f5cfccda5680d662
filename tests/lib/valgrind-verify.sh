#!/bin/sh
# valgrind-verify.sh - `sertel verify` under valgrind on the signed files
# whose reading once wrote past a heap block inside code ASan does not see
# (MuPDF, linked from Debian's build): a later revision that rewrites the
# document under a fresh xref, so the signature's object number lies past
# the table MuPDF's pdf_get_xref_entry indexes (tests/lib/mkupdate.py,
# orphan-attack-rewritten); the /Cert repair (mkhostile.py cert-repair); and
# every verify input the fuzzer found (tests/fuzz/findings/verify/).  Each
# must be judged (exit 1: tampered, or 3: untrusted) with no valgrind error.
. "$(dirname "$0")/e2e.sh"
pki
python3 "$ROOT/tests/lib/mkupdate.py" --key "$T/pki/signer-rsa.key" --cert "$T/pki/signer-rsa.pem" \
	--chain "$T/pki/chain.pem" "$T/upd" orphan > /dev/null
python3 "$ROOT/tests/lib/mkhostile.py" make cert-repair "$T/cert-repair.pdf"
for f in "$T/upd/orphan-attack-rewritten.pdf" "$T/cert-repair.pdf" \
	 "$ROOT"/tests/fuzz/findings/verify/*.pdf; do
	[ -f "$f" ] || continue
	name=$(basename "$f")
	valgrind -q --error-exitcode=99 --log-file="$T/vg-$name.txt" "$SERTEL" verify "$f" \
		> "$T/$name.out" 2>&1
	rc=$?
	[ "$rc" -eq 1 ] || [ "$rc" -eq 3 ]
	ok $? "$name: judged under valgrind (exit $rc)"
	[ -s "$T/vg-$name.txt" ] && head -20 "$T/vg-$name.txt" | sed 's/^/# /'
	! [ -s "$T/vg-$name.txt" ]
	ok $? "$name: no valgrind error"
done
done_testing
