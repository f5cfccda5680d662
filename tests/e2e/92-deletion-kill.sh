#!/bin/sh
# 92-deletion-kill.sh - SIGKILL during the deletion of 200 documents (issue 14):
# after every kill the documents are all deleted or none, the audit chain is
# sound and no number was used; a retry of the same berita acara completes
# what was left (store copies, the signed PDF, the receipt) without a second
# number; the next berita acara gets the next number (no gap).  Three
# berita acara: 200 documents killed at random times (KILLS, default 3, within
# an undisturbed submit's time), 200 killed at exact points through killshim
# (the PDF's temp file just opened; the PDF just delivered, before its
# receipt: the retry delivers the same signed PDF, same ID), and 2 killed at random once: numbered 001, 002, 003.
# tests/long/92-deletion-kill-storm.sh runs the timed kills many more times.
. "$(dirname "$0")/../lib/e2e.sh"
. "$ROOT/tests/lib/crash.sh"
. "$ROOT/tests/lib/deletion.sh"
deletion_setup
N=${N:-200}
sign_many $((2 * N + 2))
# ba1.yaml, ba2.yaml: N documents each; ba3.yaml: 2
for k in 1 2 3; do
	"$SERTEL" deletion new --officer 198503102010012001 --reason "Dokumen direvisi $k" \
		$(q "select id from documents order by id limit $N offset $(( (k - 1) * N ))" | tr '\n' ' ') > "$T/ba$k.yaml"
	ba_fill "$T/ba$k.yaml"
done
y=$(date +%Y)
done_dir="$T/spool/done/diskominfo"

# all or none of berita acara K's documents, the chain sound, a number only when carried out
state() {	# state K WHAT
	del=$(q "select count(*) from documents where status='deleted' and deletion_reason='Dokumen direvisi $1'")
	all=$(q "select count(*) from documents where deletion_reason='Dokumen direvisi $1' or id in (select id from documents where type != 'berita-acara' order by id limit $N offset $(( ($1 - 1) * N )))")
	[ "$del" = 0 ] || [ "$del" = "$all" ]
	ok $? "$2: all or none deleted ($del of $all)"
	"$SERTEL" audit verify > "$T/av.txt" 2>&1
	ok $? "$2: the audit chain is sound"
	is "$(q "select count(*) from audit where event='deleted'")" \
		"$(q "select count(*) from documents where status='deleted'")" "$2: one 'deleted' record per deleted document"
	is "$(q "select count(*) from deletions")" "$(q "select count(distinct deletion) from documents where status='deleted'")" \
		"$2: a number only for what was carried out"
}
submit_killed_after() {	# submit_killed_after SECONDS FILE
	setsid "$SERTEL" deletion submit "$2" > "$T/k.txt" 2>&1 &
	pid=$!
	sleep "$1"
	kill -KILL -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}
# complete K NNN - a retry completes berita acara K as number NNN: PDF, receipt, no copies left
complete() {
	pdf="$done_dir/berita-acara-$2-Diskominfo-$y.pdf"
	"$SERTEL" deletion submit "$T/ba$1.yaml" > "$T/last.txt" 2>&1
	is "$?" 0 "berita acara $1: a plain submit after the kills completes it"
	state "$1" "berita acara $1 completed"
	rows=$(grep -c '^  - id:' "$T/ba$1.yaml")
	is "$(q "select count(*) from documents where status='deleted' and deletion='$2/Diskominfo/$y'")" "$rows" "... all $rows documents deleted as $2/Diskominfo/$y"
	rcpt="$done_dir/berita-acara-$2-Diskominfo-$y.yaml"
	[ "$(grep -c '^  - id:' "$rcpt")" = "$rows" ] && grep -q "sha256: \"$(sha256sum < "$pdf" | cut -d' ' -f1)\"" "$rcpt"
	ok $? "... the receipt lists the $rows documents and names the delivered PDF by SHA-256"
	pdfsig "$pdf" 2>&1 | grep -q "Signature is Valid" && qpdf --check "$pdf" > /dev/null 2>&1 &&
		[ "$(pdftotext "$pdf" - | grep -c "Dokumen direvisi $1")" = "$rows" ]
	ok $? "... the PDF is signed, well-formed and lists all $rows reasons"
	left=0
	for p in $(q "select store_path from documents where status='deleted'"); do
		[ -e "$T/state/$p" ] && left=$((left + 1))
	done
	is "$left" 0 "... no store copy of a deleted document is left"
	is "$(find "$done_dir" -name '.tmp.*' | wc -l | tr -d ' ')" 0 "... no temporary file left in done/"
}

# how long an undisturbed submit takes, on a copy of the state (the kills land within it)
cp -a "$T/state" "$T/state.bak"
cp -a "$T/spool" "$T/spool.bak"
t0=$(date +%s%N)
"$SERTEL" deletion submit "$T/ba1.yaml" > "$T/m.txt" 2>&1
ok $? "an undisturbed submit of $N documents works (on a copy)"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
rm -rf "$T/state" "$T/spool"
mv "$T/state.bak" "$T/state"
mv "$T/spool.bak" "$T/spool"
echo "# an undisturbed submit of $N: $ms ms"

i=0
while [ $i -lt "${KILLS:-3}" ]; do
	i=$((i + 1))
	d=$(awk -v s="$(od -An -N2 -tu2 /dev/urandom)" -v ms="$ms" 'BEGIN { printf "%.3f", (s % (ms + 1)) / 1000 }')
	submit_killed_after "$d" "$T/ba1.yaml"
	state 1 "berita acara 1, kill $i after ${d}s"
done
complete 1 001

# berita acara 2, at exact points after the commit: the PDF's temp file opened, the PDF delivered
killshim
env KILLSHIM="open:$done_dir/.tmp.*.berita-acara-002-*.pdf:1" LD_PRELOAD="$T/killshim.so" \
	ASAN_OPTIONS="$SHIM_ASAN" setsid "$SERTEL" deletion submit "$T/ba2.yaml" > /dev/null 2>&1 &
wait $! 2>/dev/null
state 2 "berita acara 2 killed as its PDF is begun"
is "$(q "select count(*) from documents where deletion='002/Diskominfo/$y'")" "$N" "... which is after the commit: all $N deleted"
[ ! -e "$done_dir/berita-acara-002-Diskominfo-$y.pdf" ] && [ ! -e "$done_dir/berita-acara-002-Diskominfo-$y.yaml" ]
ok $? "... no PDF, no receipt yet"
env KILLSHIM="rename:$done_dir/berita-acara-002-Diskominfo-$y.pdf:1" LD_PRELOAD="$T/killshim.so" \
	ASAN_OPTIONS="$SHIM_ASAN" setsid "$SERTEL" deletion submit "$T/ba2.yaml" > /dev/null 2>&1 &
wait $! 2>/dev/null
state 2 "berita acara 2 killed as its PDF is delivered"
[ -s "$done_dir/berita-acara-002-Diskominfo-$y.pdf" ] && [ ! -e "$done_dir/berita-acara-002-Diskominfo-$y.yaml" ]
ok $? "... the PDF is there, its receipt not yet"
pdf2="$done_dir/berita-acara-002-Diskominfo-$y.pdf"
sha2=$(sha256sum < "$pdf2" | cut -d' ' -f1)
id2=$(q "select id from documents where type='berita-acara' and number='002/Diskominfo/$y'")
[ -n "$id2" ] && [ "$(q "select sha256_signed from documents where id='$id2'")" = "$sha2" ]
ok $? "... recorded as a signed document before it was delivered ($id2)"
complete 2 002
is "$(sha256sum < "$pdf2" | cut -d' ' -f1) $(sed -n 's/^  id: "\(.*\)"/\1/p' "$done_dir/berita-acara-002-Diskominfo-$y.yaml")" "$sha2 $id2" \
	"... the retry delivered the same signed PDF, not a new signature with a new ID"
is "$(q "select count(*) from documents where type='berita-acara' and number='002/Diskominfo/$y'")" 1 "... one record of it"
is "$(q "select count(*) from audit where event='signed' and detail like 'berita-acara 002/%'")" 1 "... signed once in the audit trail"

# berita acara 3 (2 documents), killed at random once: 003, no gap
submit_killed_after "0.0$(od -An -N1 -tu1 /dev/urandom | tr -d ' ' | cut -c1)" "$T/ba3.yaml"
state 3 "berita acara 3, killed once"
complete 3 003
is "$(q "select group_concat(seq) from (select seq from deletions where year=$y order by seq)")" "1,2,3" \
	"the numbers of the year have no gap and no repeat: 1,2,3"
done_testing
