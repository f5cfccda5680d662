#!/bin/sh
# 17-folders.sh - the PD folders as offices make them: with pds: listed, sertel
# makes incoming/, done/ and failed/ of each with its group (spool_group, or
# the PD's own) and setgid modes; a folder named BAPPEDA is bappeda's; a
# folder that is no PD's ("Dinas Kesehatan", a typo) and a file put directly
# into incoming/ are never ignored: refused into failed/_unknown/ with a
# report naming the PDs there are, and counted.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
cat >> "$T/sertel.yaml" <<'EOF2'
spool_group: users
pds:
  - diskominfo
  - setda
  - { code: bappeda, group: staff }
EOF2
in=$T/spool/incoming
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 0 "an empty run makes the folders"
st() { stat -c '%G %a' "$1"; }
is "$(st "$in/setda")" "users 2770" "incoming/setda: spool_group, setgid, group-writable"
is "$(st "$T/spool/done/setda")" "users 2750" "done/setda: spool_group, group-readable"
is "$(st "$in/bappeda")" "staff 2770" "incoming/bappeda: the PD's own group"
is "$(st "$T/spool/failed/bappeda")" "staff 2750" "failed/bappeda: the PD's own group"

mkdir -p "$in/BAPPEDA" "$in/Dinas Kesehatan" "$in/bapeda"
python3 "$ROOT/tests/lib/mkpdf.py" --text "BAPPEDA $(date +%s%N)" "$in/BAPPEDA/surat-besar.pdf"
sidecar "$in/BAPPEDA/surat-besar.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --text "dinkes $(date +%s%N)" "$in/Dinas Kesehatan/surat-dinkes.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --text "typo $(date +%s%N)" "$in/bapeda/surat-typo.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --text "lepas $(date +%s%N)" "$in/lepas.pdf"
"$SERTEL" run --once > "$T/out.txt" 2> "$T/err.txt"
is "$?" 1 "a run with refusals exits 1"
[ -f "$T/spool/done/bappeda/surat-besar.pdf" ]; ok $? "BAPPEDA/ is bappeda's: signed into done/bappeda/"
is "$(sqlite3 "$T/state/sertel.db" "select pd from documents")" bappeda "... recorded for PD bappeda"
u=$T/spool/failed/_unknown
[ -f "$u/surat-dinkes.pdf" ] && [ -f "$u/surat-typo.pdf" ] && [ -f "$u/lepas.pdf" ]
ok $? "a folder that is no PD's, a typo and a file directly in incoming/: all in failed/_unknown/"
grep -q "kode: input.unknown_pd" "$u/surat-dinkes.error.yaml" && grep -q "Dinas Kesehatan" "$u/surat-dinkes.error.yaml" &&
	grep -q "diskominfo, setda, bappeda" "$u/surat-dinkes.error.yaml"
ok $? "... the report names the folder and the PDs there are"
grep -q "kode: input.no_pd" "$u/lepas.error.yaml"
ok $? "... a file directly in incoming/: input.no_pd"
grep -q "1 signed, 3 failed" "$T/err.txt" "$T/out.txt"
ok $? "the summary counts them"
[ -z "$(find "$in" -type f)" ]; ok $? "nothing is left behind in silence"

# without pds: any valid name is a PD; BAPPEDA still bappeda's, a name with a space no PD's
config "$T/plain.yaml"
sed -i "s|^state:.*|state: $T/state2|; s|^spool:.*|spool: $T/spool2|" "$T/plain.yaml"
mkdir -p "$T/spool2/incoming/DINKES" "$T/spool2/incoming/Dinas Kesehatan"
python3 "$ROOT/tests/lib/mkpdf.py" --text "dinkes2 $(date +%s%N)" "$T/spool2/incoming/DINKES/s.pdf"
sidecar "$T/spool2/incoming/DINKES/s.pdf"
python3 "$ROOT/tests/lib/mkpdf.py" --text "dk2 $(date +%s%N)" "$T/spool2/incoming/Dinas Kesehatan/t.pdf"
"$SERTEL" --config "$T/plain.yaml" -q run --once > /dev/null 2>&1
[ -f "$T/spool2/done/dinkes/s.pdf" ] && [ -f "$T/spool2/failed/_unknown/t.pdf" ]
ok $? "without pds: DINKES/ is dinkes's, 'Dinas Kesehatan/' goes to failed/_unknown/"
done_testing
