#!/bin/sh
# 90-fuzz-findings.sh - every input a fuzz target (tests/fuzz/) found wrong,
# replayed through the binary as an administrator would hand it in: what it
# must give is in tests/fuzz/findings/EXPECT.  Each must end in its exit code
# and refusal code with a report that reads as YAML, in `sertel validate` and
# in a spool run, and the binary must not crash on it.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
F=$ROOT/tests/fuzz/findings
in=$T/spool/incoming/diskominfo
mkdir -p "$T/draf" "$in"
python3 "$ROOT/tests/lib/mkpdf.py" "$T/draf/surat.pdf"

# yaml_ok FILE - it parses as YAML (bytes that are not UTF-8 do not)
yaml_ok() { python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1], "rb"))' "$1"; }
# sane RC ERRFILE - no signal, no sanitizer report
sane() { [ "$1" -lt 128 ] && ! grep -q -E 'Sanitizer|runtime error' "$2"; }

grep -v -E '^(#|$)' "$F/EXPECT" > "$T/expect"
while read -r what want code _; do
	f=$F/$what
	name=$(basename "$what")
	stem=${name%.*}
	case $what in
	pdf/*)	cp "$f" "$T/draf/$name"
		"$SERTEL" validate "$T/draf/$name" > "$T/out" 2> "$T/err" < /dev/null
		rc=$?
		cp "$f" "$in/$name" ;;
	sidecar/*)
		"$SERTEL" validate "$T/draf/surat.pdf" "$f" > "$T/out" 2> "$T/err" < /dev/null
		rc=$?
		cp "$T/draf/surat.pdf" "$in/$stem.pdf"
		cp "$f" "$in/$stem.yaml" ;;
	config/*)
		"$SERTEL" --config "$f" config check > "$T/out" 2> "$T/err" < /dev/null
		rc=$? ;;
	bundle/*)
		cp "$f" "$in/$name"
		rc=$want ;;
	verify/*)
		"$SERTEL" verify "$f" > "$T/out" 2> "$T/err" < /dev/null
		rc=$? ;;
	esac
	sane "$rc" "$T/err"
	ok $? "$what: no crash, no sanitizer report"
	is "$rc" "$want" "$what: exit $want"
	case $what in pdf/*|sidecar/*)
		[ "$code" = - ] || { grep -q "kode: $code" "$T/out"; ok $? "$what: names $code"; }
		yaml_ok "$T/out" 2> "$T/yerr"
		ok $? "$what: validate's report reads as YAML"
		[ -s "$T/yerr" ] && sed 's/^/# /' "$T/yerr" | tail -3 ;;
	esac
done < "$T/expect"

# the same files dropped: the workers refuse them, each report readable
"$SERTEL" -q run --once > "$T/run.txt" 2> "$T/run.err"
rc=$?
sane "$rc" "$T/run.err"
ok $? "run --once over the findings: no crash"
while read -r what want code drop; do
	case $what in config/*|verify/*) continue ;; esac
	name=$(basename "$what")
	if [ "${drop:-}" = waits ]; then
		test -f "$T/spool/incoming/diskominfo/$name" &&
			! test -e "$T/spool/failed/diskominfo/${name%.*}.error.yaml"
		ok $? "$what: dropped, it waits in incoming/ as an unfinished upload"
		continue
	fi
	r=$T/spool/failed/diskominfo/${name%.*}.error.yaml
	case $what in bundle/*) r=$T/spool/failed/diskominfo/$name.error.yaml ;; esac
	test -f "$r"
	ok $? "$what: refused into failed/ with a report"
	[ "$code" = - ] || { grep -q "kode: $code" "$r" 2>/dev/null; ok $? "$what: the report names $code"; }
	yaml_ok "$r" 2> "$T/yerr"
	ok $? "$what: the report in failed/ reads as YAML"
done < "$T/expect"
done_testing
