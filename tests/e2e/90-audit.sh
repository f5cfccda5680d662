#!/bin/sh
# 90-audit.sh - the audit trail: what a batch records, `audit show` filters,
# and `audit verify` against each kind of tampering (edit, removal, reorder,
# insertion, truncation, and a rewrite caught only by the head in the log).
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
DB="$T/state/sertel.db"

for i in 1 2 3 4 5; do drop diskominfo "surat-$i"; sidecar "$T/spool/incoming/diskominfo/surat-$i.pdf"; done
drop setda nota-1; sidecar "$T/spool/incoming/setda/nota-1.pdf"
drop setda salah; sidecar "$T/spool/incoming/setda/salah.pdf" 196001011990031001
"$SERTEL" -v run --once > "$T/out.txt" 2> "$T/err.txt"
is "$?" 1 "a batch with one refusal exits 1"
q() { sqlite3 "$DB" "$1"; }
is "$(q "select count(*) from audit where event='claimed'")" 7 "one 'claimed' record per drop"
is "$(q "select count(*) from audit where event='signed'")" 6 "one 'signed' record per signed document"
is "$(q "select count(*) from audit where event='stored'")" 6 "one 'stored' record per signed document"
is "$(q "select count(*) from audit where event='refused'")" 1 "one 'refused' record"
is "$(q "select count(*) from audit where event='delivered'")" 7 "one 'delivered' record per outcome moved out of the queue"
is "$(q "select count(*) from audit where event='config.loaded'")" 1 "the configuration loaded is recorded"
is "$(q "select count(*) from audit a join documents d on d.id = a.doc and a.event = 'signed' and a.nip = d.signer_nip")" 6 \
	"'signed' records carry the signer's NIP"
head=$(sed -n 's/.*audit head \([0-9]*\) \([0-9a-f]\{64\}\).*/\1:\2/p' "$T/err.txt" | tail -1)
is "${head%%:*}" "$(q 'select max(seq) from audit')" "the chain head is logged after the batch (run --once: with -v)"

"$SERTEL" audit verify > "$T/v.txt"
is "$?" 0 "audit verify: the untouched chain is sound"
grep -q "OK, $(q 'select count(*) from audit') record(s)" "$T/v.txt"
ok $? "audit verify counts the records"
"$SERTEL" audit verify --head "$head" > /dev/null
is "$?" 0 "audit verify --head with the logged head: sound"

id=$(q "select id from documents where pd='setda'")
is "$("$SERTEL" audit show --id "$id" | awk '{print $3}' | tr '\n' ' ')" "claimed signed stored delivered " \
	"audit show --id: the document's life in order"
is "$("$SERTEL" audit show --pd setda | wc -l | tr -d ' ')" 7 "audit show --pd: the PD's records only"
is "$("$SERTEL" audit show --nip 197103012006042006 | awk '{print $3}' | sort -u)" signed "audit show --nip: the signer's records"
today=$(date -u +%F)
is "$("$SERTEL" audit show --from "$today" --to "$today" | wc -l | tr -d ' ')" "$(q 'select count(*) from audit')" \
	"audit show --from/--to today: every record"
is "$("$SERTEL" audit show --to 2001-01-01 | wc -l | tr -d ' ')" 0 "audit show --to a past day: none"

# sertel's own code cannot change a record
sqlite3 "$DB" "update audit set detail='x' where seq=3" 2> /dev/null
[ $? -ne 0 ] && [ "$(q 'select detail from audit where seq=3')" != x ]
ok $? "the database refuses an UPDATE of an audit record (trigger)"

# tampering: on a copy each time, the triggers dropped as someone with the file would
tamper() {	# tamper NAME SQL
	cp "$DB" "$T/t.db"
	sqlite3 "$T/t.db" "drop trigger audit_no_update; drop trigger audit_no_delete; $2"
	mkdir -p "$T/t/state" && cp "$T/t.db" "$T/t/state/sertel.db"
	sed "s|^state:.*|state: $T/t/state|" "$T/sertel.yaml" > "$T/t.yaml"
	"$SERTEL" --config "$T/t.yaml" audit verify $3 > "$T/tv.txt" 2>&1
	rc=$?
	is "$rc" 1 "audit verify exits 1 for $1"
	grep -q "BAD at record $4:" "$T/tv.txt"
	ok $? "... and names record $4 first ($(cut -c1-90 "$T/tv.txt"))"
	rm -rf "$T/t"
}
tamper "an edited record" "update audit set detail='doctored' where seq=5" "" 5
tamper "an edited record whose hash is recomputed wrongly" "update audit set nip='1', hash=prev where seq=6" "" 6
tamper "a removed record" "delete from audit where seq=4" "" 4
tamper "two records swapped" \
	"update audit set seq=-1 where seq=3; update audit set seq=3 where seq=4; update audit set seq=4 where seq=-1" "" 3
tamper "an inserted record" \
	"update audit set seq=seq+1000 where seq>=5; update audit set seq=seq-999 where seq>=1005; insert into audit select 5, at, 'signed', doc, nip, pd, detail, prev, hash from audit where seq=4" "" 5
last=$(q 'select max(seq) from audit')
tamper "a truncated chain" "delete from audit where seq>=$((last - 1))" "" $((last - 1))
# a whole-chain rewrite (the tail removed and the head row moved back with it)
# agrees with itself; the head the log printed tells
tamper "a truncated chain with its head rewritten (the log's head given)" \
	"delete from audit where seq>=$((last - 1)); update audit_head set seq=$((last - 2)), hash=(select hash from audit where seq=$((last - 2)))" \
	"--head $head" $((last - 1))

done_testing
