#!/bin/sh
# 17-upload-rest.sh - the rest of an upload that was taken incomplete (a
# client that closed between chunks; the pair went to failed/ as
# pdf.incomplete) is reported as such (input.upload_rest: upload the whole
# file again with its sidecar), not as a stray sidecar.missing or
# input.unpaired: the whole PDF re-sent alone, only its missing part, the
# sidecar alone.  A different PDF of the same name, or a lone PDF with no
# cut-off upload before it, is still sidecar.missing; the whole pair sent
# again is signed.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml" 0 2		# settle 0, sidecar_wait_seconds 2
export SERTEL_CONFIG="$T/sertel.yaml"
in=$T/spool/incoming/diskominfo
failed=$T/spool/failed/diskominfo
mkdir -p "$T/whole"

# cut NAME - NAME.pdf + NAME.yaml dropped, the PDF cut after half its bytes
# (the whole one kept in $T/whole/)
cut() {
	drop diskominfo "$1"
	cp "$in/$1.pdf" "$in/$1.yaml" "$T/whole/"
	head -c $(($(stat -c %s "$in/$1.pdf") / 2)) "$T/whole/$1.pdf" > "$in/$1.pdf"
}
# codes NAME - the first code of each report of NAME in failed/, sorted (NAME.error.yaml,
# NAME-ID.error.yaml, NAME.yaml-ID.error.yaml)
codes() {
	for f in "$failed/$1".error.yaml "$failed/$1"-*.error.yaml "$failed/$1".yaml-*.error.yaml; do
		[ -f "$f" ] && sed -n 's/^  - kode: //p' "$f" | head -1
	done | sort | tr '\n' ' '
}
# old FILE - older than the sidecar wait
old() { touch -d '1 minute ago' "$@"; }

for x in utuh sisa metadata lain lagi; do cut $x; done
"$SERTEL" -q run --once > /dev/null 2>&1
is "$?" 1 "the cut-off uploads are refused"
is "$(codes utuh)$(codes sisa)$(codes metadata)" "pdf.incomplete pdf.incomplete pdf.incomplete " \
	"... as pdf.incomplete"
! grep -q 'paraf.hash_mismatch' "$failed/utuh.error.yaml"
ok $? "... and not as a paraf that no longer matches (the paraf is sound, the upload was cut)"

# what the clients send afterwards, alone
cp "$T/whole/utuh.pdf" "$in/utuh.pdf"				# the whole PDF again
half=$(stat -c %s "$failed/sisa.pdf")
tail -c +$((half + 1)) "$T/whole/sisa.pdf" > "$in/sisa.pdf"	# only the part that was missing
cp "$T/whole/metadata.yaml" "$in/metadata.yaml"			# the sidecar alone
python3 "$ROOT/tests/lib/mkpdf.py" --text "lain sama sekali" "$in/lain.pdf"	# another PDF, same name
python3 "$ROOT/tests/lib/mkpdf.py" --text "sendiri" "$in/sendiri.pdf"	# no cut-off upload before
cp "$T/whole/lagi.pdf" "$T/whole/lagi.yaml" "$in/"			# the whole pair again
old "$in"/*
"$SERTEL" run --once > "$T/out.txt" 2> "$T/err.txt"
is "$?" 1 "the second run refuses the lone files"
is "$(codes utuh)" "input.upload_rest pdf.incomplete " "the whole PDF re-sent alone: input.upload_rest"
grep -q 'diawali bagian yang sudah diterima' "$failed"/utuh-*.error.yaml
ok $? "... its report says it begins with what was received before"
is "$(codes sisa)" "input.upload_rest pdf.incomplete " "only the missing part: input.upload_rest"
grep -q 'bukan awal sebuah PDF' "$failed"/sisa-*.error.yaml
ok $? "... its report says it is not the beginning of a PDF"
is "$(codes metadata)" "input.upload_rest pdf.incomplete " "the sidecar alone: input.upload_rest"
grep -q 'metadata paraf ini datang sendiri' "$failed"/metadata.yaml-*.error.yaml
ok $? "... its report says the sidecar came alone"
id=$(sed -n 's/^id_proses: //p' "$failed/utuh.error.yaml" | tr -d '"')
grep -q "ditolak sebagai pdf.incomplete pada .*, id_proses $id (failed/diskominfo/utuh.pdf)" \
	"$failed"/utuh-*.error.yaml
ok $? "... the report names the refused upload's process ID and where it lies"
grep -q 'Unggah ulang berkas PDF yang utuh sekali lagi dari awal, bersama metadata paraf' \
	"$failed"/utuh-*.error.yaml
ok $? "... and says to upload the whole file again with its sidecar"
is "$(codes lain)" "pdf.incomplete sidecar.missing " "a different PDF of the same name: sidecar.missing"
is "$(codes sendiri)" "sidecar.missing " "a lone PDF with no cut-off upload before: sidecar.missing"
test -f "$T/spool/done/diskominfo/lagi.pdf" && pdfsig "$T/spool/done/diskominfo/lagi.pdf" 2>&1 |
	grep -q 'Signature Validation: Signature is Valid'
ok $? "the whole pair sent again is signed"
grep -q '^sertel: refused by code: input.upload_rest 3, sidecar.missing 2$' "$T/out.txt"
ok $? "the summary counts them under their own code"
done_testing
