#!/bin/sh
# 28-backup.sh - `sertel backup DIR` and `sertel restore DIR`: a backup is
# checked by sha256sum against its MANIFEST (no sertel needed), backups
# taken while a run signs are each restored into an empty state folder,
# where every stored document's copy is checked, the audit chain verifies
# and the documents verify; damaged and unfinished backups and an existing
# database are refused without restoring anything.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
q() { sqlite3 "$1/sertel.db" "$2"; }
restored() {	# restored NAME: a configuration whose state is $T/NAME
	sed "s|^state:.*|state: $T/$1|" "$T/sertel.yaml" > "$T/$1.yaml"
	echo "$T/$1.yaml"
}

populate a 8 > /dev/null
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "a batch signed"
docs=$(q "$T/state" "select count(*) from documents where status='stored'")
"$SERTEL" backup "$T/b1" > "$T/b1.txt" 2>&1
is "$?" 0 "backup into a new folder"
(cd "$T/b1" && sha256sum --quiet --strict -c MANIFEST) > "$T/sum.txt" 2>&1
ok $? "sha256sum -c MANIFEST: every file of the backup is what the manifest says"
is "$(grep -c ' store/' "$T/b1/MANIFEST")" "$(q "$T/state" "select count(*) from documents where status='stored'")" \
	"the manifest lists one store copy per stored document"
grep -q "^schema: " "$T/b1/BACKUP.txt" && grep -q "^stored documents: $docs$" "$T/b1/BACKUP.txt"
ok $? "BACKUP.txt says what it holds"
"$SERTEL" backup "$T/b1" > /dev/null 2> "$T/again.txt"
is "$?" 73 "a backup into a folder that is not empty is refused (73)"

"$SERTEL" --config "$(restored r1)" restore "$T/b1" > "$T/r1.txt" 2>&1
is "$?" 0 "restore into an empty state folder"
grep -q " $docs stored document(s), each checked" "$T/r1.txt"
ok $? "... every stored document's copy checked"
is "$(q "$T/r1" "select group_concat(id) from (select id from documents order by id)")" \
	"$(q "$T/state" "select group_concat(id) from (select id from documents order by id)")" \
	"... the same documents as the original"
"$SERTEL" --config "$T/r1.yaml" audit verify > /dev/null
is "$?" 0 "... whose audit chain verifies"
p=$(q "$T/r1" "select store_path from documents limit 1")
"$SERTEL" --config "$T/r1.yaml" verify "$T/r1/$p" > "$T/v.txt" 2>&1
is "$?" 0 "... and whose stored copies verify"

# backups taken while a run signs 300 more documents
rm -rf "$T/spool/incoming"/*/*
populate b 60 > /dev/null
"$SERTEL" -q run --once > /dev/null 2>&1 &
run=$!
k=0
while kill -0 "$run" 2>/dev/null && [ "$k" -lt 6 ]; do
	k=$((k + 1))
	"$SERTEL" backup "$T/live$k" > /dev/null 2> "$T/live$k.err" || echo "backup $k: $?" >> "$T/livefail"
	sleep 0.3
done
wait "$run"
is "$?" 0 "the run beside the backups signs everything ($k backup(s) taken meanwhile)"
[ ! -s "$T/livefail" ]
ok $? "every backup during the run succeeded"
good=0
for i in $(seq 1 "$k"); do
	"$SERTEL" --config "$(restored live-r$i)" restore "$T/live$i" > "$T/lr$i.txt" 2>&1 &&
	"$SERTEL" --config "$T/live-r$i.yaml" audit verify > /dev/null &&
	[ "$(q "$T/live-r$i" "select count(*) from documents where status='stored'")" = "$(grep -c ' store/' "$T/live$i/MANIFEST")" ] &&
	good=$((good + 1))
done
is "$good" "$k" "each backup taken during the run restores, checked, with a sound audit chain"

# refusals: nothing restored
cp -r "$T/b1" "$T/bad"
f=$(grep -m1 ' store/' "$T/bad/MANIFEST" | cut -c67-)
chmod u+w "$T/bad/$f" && printf 'X' | dd of="$T/bad/$f" bs=1 seek=100 conv=notrunc 2>/dev/null
"$SERTEL" --config "$(restored r2)" restore "$T/bad" > /dev/null 2> "$T/bad.txt"
is "$?" 1 "a backup with a changed store copy is refused"
grep -q "does not match MANIFEST" "$T/bad.txt" && [ ! -e "$T/r2/sertel.db" ]
ok $? "... naming the file, nothing restored"
mkdir "$T/half" && cp "$T/b1/sertel.db" "$T/half/"
"$SERTEL" --config "$(restored r3)" restore "$T/half" > /dev/null 2> "$T/half.txt"
is "$?" 1 "a backup without MANIFEST (unfinished) is refused"
"$SERTEL" --config "$T/r1.yaml" restore "$T/b1" > /dev/null 2> "$T/over.txt"
is "$?" 73 "restore never overwrites a database (73)"
grep -q "move it aside first" "$T/over.txt"
ok $? "... and says what to do"
done_testing
