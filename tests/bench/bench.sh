#!/bin/sh
# bench.sh - `make bench`: sertel end to end on realistic documents (issue 20).
#
# The sets (tests/bench/make-letters.py, Debian's python3-reportlab and -pil;
# generated before anything is timed), each sized by the environment:
#   LETTERS=1000    one-page letters of 30-60 KB (embedded TrueType subset + image)
#   REPORTS=50      fifty-page reports of ~1 MB
#   BIG_PAGES=500   one document of that many pages (~10 MB); 0: none
# each signed by `run --once` with WORKERS_LIST="1 2" workers, MARK_LIST="0 1"
# (0 invisible, 1 a QR code + text mark), B-B, from a fresh state folder.
#   WATCH_DROPS=50  one letter at a time dropped into `watch`'s spool: the time
#                   from the drop's close to its delivery (0: skip)
#   TINY=1000       the tiny generated one-page PDFs of earlier benches (0: skip)
#   COSTS=1         tests/bench/key_cost.c and sign_cost.c: the key process and
#                   the intake checks per document (0: skip)
#   PDS=5           the folders of incoming/ the documents are dealt round
# Quick look: LETTERS=200 REPORTS=5 BIG_PAGES=100 WATCH_DROPS=10 make bench
#
# Prints the table (tests/bench/run1.py measures each row: CPU of the whole
# service tree, claim-to-delivery latency by inotify, peak RSS per process
# kind, bytes added per document), then compares it with the figures of
# BENCHMARKS.md's ```tsv block and warns (never fails) where docs/s or CPU
# ms/doc is more than 20% worse.  BENCH_TSV=FILE keeps the rows.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERTEL=${SERTEL:-$ROOT/build/sertel}
LETTERS=${LETTERS:-1000}
REPORTS=${REPORTS:-50}
BIG_PAGES=${BIG_PAGES:-500}
WORKERS_LIST=${WORKERS_LIST:-1 2}
MARK_LIST=${MARK_LIST:-0 1}
WATCH_DROPS=${WATCH_DROPS:-50}
TINY=${TINY:-1000}
COSTS=${COSTS:-1}
PDS=${PDS:-5}
T=$(mktemp -d "${TMPDIR:-/tmp}/sertel-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
# Debian's python (reportlab and PIL are Debian packages, not in a virtualenv)
PY=/usr/bin/python3
sh "$ROOT/tests/lib/pki.sh" "$T/pki" >/dev/null

# sidecars DIR - a sidecar beside every PDF of DIR, its paraf over the PDF's
# hash; each paraf a second later than the last, so that copies of one PDF
# (the reports) are distinct documents, not refused as doc.duplicate
sidecars() {
	$PY - "$1" <<'PY'
import hashlib, os, sys
d = sys.argv[1]
for i, f in enumerate(sorted(x for x in os.listdir(d) if x.endswith(".pdf"))):
    h = hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
    with open(os.path.join(d, f[:-4] + ".yaml"), "w") as y:
        y.write('schema: 1\ntype: surat_keluar\nsigner: "197103012006042006"\nparafs:\n'
                '  - nip: "198005052005011003"\n    name: "Budi Santoso"\n'
                '    role: kasubbag_umum\n    time: "2026-11-23T%02d:%02d:%02d+07:00"\n'
                '    sha256: "%s"\n' % (8 + i // 3600, i // 60 % 60, i % 60, h))
PY
}

# The corpus, once: set name, folder of PDFs + sidecars.
sets=
if [ "$LETTERS" -gt 0 ]; then
	$PY "$ROOT/tests/bench/make-letters.py" "$T/c/letters" "$LETTERS" 0 | sed -n 's/^onepage/bench: letters/p'
	mv "$T/c/letters/onepage" "$T/c/letters.d"
	sets="$sets letters"
fi
if [ "$REPORTS" -gt 0 ]; then
	$PY "$ROOT/tests/bench/make-letters.py" "$T/c/reports" 0 "$REPORTS" 50 | sed -n 's/^long/bench: reports/p'
	mv "$T/c/reports/long" "$T/c/reports.d"
	sets="$sets reports"
fi
if [ "$BIG_PAGES" -gt 0 ]; then
	$PY "$ROOT/tests/bench/make-letters.py" "$T/c/big" 0 1 "$BIG_PAGES" | sed -n "s/^long/bench: ${BIG_PAGES} pages/p"
	mv "$T/c/big/long" "$T/c/big$BIG_PAGES.d"
	sets="$sets big$BIG_PAGES"
fi
if [ "$TINY" -gt 0 ]; then
	mkdir -p "$T/c/tiny.d"
	python3 "$ROOT/tests/lib/mkpdf.py" --count "$TINY" --out "$T/c/tiny.d" --prefix tiny
	sets="$sets tiny"
fi
for s in $sets; do sidecars "$T/c/$s.d"; done

# config RUN WORKERS MARK - a fresh state and spool under RUN, its sertel.yaml
config() {
	rm -rf "$1"
	mkdir -p "$1"
	cp -r "$T/pki" "$1/pki"
	url=
	[ "$3" = 0 ] || url="https://tte.example.go.id/v/{id}"
	# mkconfig.sh's defaults: one document type (surat_keluar), one RSA signer
	sh "$ROOT/tests/lib/mkconfig.sh" -d "$1" -w "$2" ${url:+-m "$url"} > "$1/sertel.yaml"
}

rows=$T/rows.tsv
printf 'set\tworkers\tmark\tdocs\tsecs\tdocs_s\tcpu_ms_doc\tp50_ms\tp99_ms\trss_master_mb\trss_worker_mb\trss_keys_mb\tbytes_added\n' > "$rows"
for s in $sets; do
	for w in $WORKERS_LIST; do
		for m in $MARK_LIST; do
			r=$T/run
			config "$r" "$w" "$m"
			ls "$T/c/$s.d" | sed -n 's/\.pdf$//p' | awk -v n="$PDS" '{ print (NR - 1) % n, $0 }' |
			while read -r k f; do
				mkdir -p "$r/spool/incoming/pd$k"
				cp "$T/c/$s.d/$f.pdf" "$T/c/$s.d/$f.yaml" "$r/spool/incoming/pd$k/"
			done
			sync
			mark=invisible
			[ "$m" = 0 ] || mark=qr+text
			row=$($PY "$ROOT/tests/bench/run1.py" batch "$r/spool" -- \
				${BENCH_WRAP:-} "$SERTEL" -q --config "$r/sertel.yaml" run --once)
			printf '%s\t%s\t%s\t%s\n' "$s" "$w" "$mark" "$row" >> "$rows"
			printf 'bench: %s, %s worker(s), %s: %s\n' "$s" "$w" "$mark" "$row" >&2
		done
	done
done
if [ "$WATCH_DROPS" -gt 0 ] && [ -n "$(ls "$T/c/letters.d" 2>/dev/null)" ]; then
	for m in $MARK_LIST; do
		r=$T/run
		config "$r" 2 "$m"
		mkdir -p "$r/spool/incoming/pd0"
		mark=invisible
		[ "$m" = 0 ] || mark=qr+text
		row=$($PY "$ROOT/tests/bench/run1.py" watch "$r/spool" "$WATCH_DROPS" "$T/c/letters.d" -- \
			"$SERTEL" -q --config "$r/sertel.yaml" watch)
		printf 'watch\t2\t%s\t%s\n' "$mark" "$row" >> "$rows"
	done
fi
rm -rf "$T/run"

echo
echo "bench: sertel $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'), $(date -u +%Y-%m-%d)," \
     "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPU(s)"
column -t -s "$(printf '\t')" "$rows"
[ -z "${BENCH_TSV:-}" ] || cp "$rows" "$BENCH_TSV"

# The regression guard: each row against BENCHMARKS.md's row of the same key.
if [ -f "$ROOT/BENCHMARKS.md" ]; then
	sed -n '/^```tsv/,/^```/p' "$ROOT/BENCHMARKS.md" | sed '1d;$d' > "$T/ref.tsv"
	awk -F '\t' '
	NR == FNR { if (FNR > 1) { k = $1 FS $2 FS $3; docs[k] = $4; ds[k] = $6; cpu[k] = $7 } next }
	FNR == 1 { next }
	{
		k = $1 FS $2 FS $3
		if (!(k in ds)) { printf "bench: %s %s workers %s: no reference in BENCHMARKS.md\n", $1, $2, $3; next }
		if (docs[k] != $4) {	# another size: start-up weighs differently
			printf "bench: %s %s workers %s: %s documents, BENCHMARKS.md has %s: not compared\n",
			       $1, $2, $3, $4, docs[k]
			next
		}
		if ($1 != "watch" && ds[k] > 0 && $6 < 0.8 * ds[k])
			printf "bench: WARNING %s %s workers %s: %s docs/s, BENCHMARKS.md says %s (-%.0f%%)\n",
			       $1, $2, $3, $6, ds[k], 100 * (1 - $6 / ds[k])
		if (cpu[k] > 0 && $7 > 1.2 * cpu[k])
			printf "bench: WARNING %s %s workers %s: %s CPU ms/doc, BENCHMARKS.md says %s (+%.0f%%)\n",
			       $1, $2, $3, $7, cpu[k], 100 * ($7 / cpu[k] - 1)
		n++
	}
	END { printf "bench: %d row(s) compared with BENCHMARKS.md (warnings beyond 20%%, never a failure)\n", n }
	' "$T/ref.tsv" "$rows"
fi

if [ "$COSTS" != 0 ]; then
	# What a signature costs through the key process, against signing in the worker itself.
	config "$T/run-k" 1 0
	[ -z "${KEY_COST:-}" ] || "$KEY_COST" "$T/run-k/sertel.yaml" 500
	# What one document costs in a worker, phase by phase (parse, the intake
	# checks, sign, own verification): a letter of the set, then the tiny PDF.
	if [ -n "${SIGN_COST:-}" ]; then
		one=$(ls "$T/c/letters.d"/*.pdf 2>/dev/null | head -1)
		[ -z "$one" ] || "$SIGN_COST" "$one" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 300 |
			sed 's/^sign_cost: /sign_cost: letter: /'
		python3 "$ROOT/tests/lib/mkpdf.py" "$T/one.pdf"
		"$SIGN_COST" "$T/one.pdf" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 300
		"$SIGN_COST" "$T/one.pdf" "$T/pki/signer-ec.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 300
		# the same letter encrypted (empty user password): AES-128 (R4) and AES-256 (R6)
		qpdf --encrypt "" pemilik 128 --use-aes=y -- "$T/one.pdf" "$T/one-aes128.pdf"
		qpdf --encrypt "" pemilik 256 -- "$T/one.pdf" "$T/one-aes256.pdf"
		"$SIGN_COST" "$T/one-aes128.pdf" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 300
		"$SIGN_COST" "$T/one-aes256.pdf" "$T/pki/signer-rsa.p12" "$T/pki/pass.txt" "$T/pki/ca.pem" 50
		# the same letter as other producers write it: what the checks cost on each
		sh "$ROOT/tests/lib/mkproducers.sh" "$T/producers" > "$T/producers.txt"
		while read -r name _; do
			"$SIGN_COST" "$T/producers/$name.pdf" "$T/pki/signer-ec.p12" "$T/pki/pass.txt" \
				"$T/pki/ca.pem" 50 | sed -n "s|^sign_cost: the validate stage's checks: |sign_cost: $name: checks |p"
		done < "$T/producers.txt"
	fi
	# keys in a SoftHSM2 token against PKCS#12 (issue 19); says why and goes on without softhsm
	[ -z "${KEY_COST:-}" ] || SERTEL="$SERTEL" sh "$ROOT/tests/bench/p11.sh" || echo "p11: failed"
fi
