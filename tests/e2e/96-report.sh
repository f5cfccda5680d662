#!/bin/sh
# 96-report.sh - the supervision report (Pasal 23): every figure checked
# against a year of history whose counts the generator worked out itself
# (tests/lib/mkhistory.py), the CSV read back by Python's csv module, the PDF
# checked by qpdf, pdftotext and pdftoppm; and a real batch's figures against
# the database sertel wrote.
. "$(dirname "$0")/../lib/e2e.sh"
pki
config "$T/sertel.yaml"
export SERTEL_CONFIG="$T/sertel.yaml"
DB="$T/state/sertel.db"
q() { sqlite3 "$DB" "$1"; }

# a real batch first (today): five signed in two PDs, one refused
for i in 1 2 3 4; do drop diskominfo "surat-$i"; sidecar "$T/spool/incoming/diskominfo/surat-$i.pdf"; done
drop setda nota-1; sidecar "$T/spool/incoming/setda/nota-1.pdf"
drop setda salah; sidecar "$T/spool/incoming/setda/salah.pdf" 196001011990031001
"$SERTEL" run --once > /dev/null 2>&1
is "$?" 1 "the batch signs five and refuses one"
today=$(TZ=Asia/Jakarta date +%F)
"$SERTEL" report --from "$today" --to "$today" --format json > "$T/today.json"
is "$?" 0 "report --format json for today"
j() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
is "$(j "$T/today.json" "d['summary']['signed']")" "$(q "select count(*) from documents")" "today: signed = the documents table"
is "$(j "$T/today.json" "d['summary']['refused']")" "$(q "select count(*) from jobs where outcome='failed'")" "today: refused = the failed jobs"
is "$(j "$T/today.json" "{r['key']: r['count'] for r in d['signed_by_pd']}['diskominfo']")" 4 "today: four signed for diskominfo"
is "$(j "$T/today.json" "d['refused_by_code'][0]['key']")" "$(q "select code from jobs where outcome='failed'")" "today: the refusal's code"
is "$(j "$T/today.json" "d['summary']['audit_intact']")" 1 "today: the audit chain is intact"
is "$(j "$T/today.json" "d['summary']['audit_records']")" "$(q "select count(*) from audit")" "today: every audit record read"

# a year of history, 2025, around the real rows (which are in 2026)
python3 "$ROOT/tests/lib/mkhistory.py" "$DB" 2025 3000 "$T/exp.json" 11; ok $? "mkhistory.py adds 3,000 documents of 2025"
"$SERTEL" report --from 2025-01-01 --to 2025-12-31 --format json -o "$T/y.json"
is "$?" 0 "report for 2025 written with -o"
python3 - "$T/y.json" "$T/exp.json" > "$T/cmp.txt" <<'PY'
import json, sys
got, exp = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
s = got["summary"]
def groups(name):
    return {r["key"]: r["count"] for r in got[name] if r["count"]}
checks = [
    ("signed", s["signed"], exp["signed"]),
    ("refused", s["refused"], exp["refused"]),
    ("signed_by_pd", groups("signed_by_pd"), exp["by_pd"]),
    ("signed_by_signer", groups("signed_by_signer"), exp["by_signer"]),
    ("signed_by_type", groups("signed_by_type"), exp["by_type"]),
    ("signed_by_month", groups("signed_by_month"), exp["by_month"]),
    ("months listed", len(got["signed_by_month"]), 12),
    ("refused_by_code", groups("refused_by_code"), exp["refused_by_code"]),
    ("refused_by_pd", groups("refused_by_pd"), exp["refused_by_pd"]),
    ("refused_by_cause", groups("refused_by_cause"), exp["refused_by_cause"]),
    ("deletions", s["deletions"], exp["deletions"]),
    ("deleted_documents", s["deleted_documents"], exp["deleted_documents"]),
    ("deleted_by_pd", groups("deleted_by_pd"), exp["deleted_by_pd"]),
    ("timestamp_waiting", s["timestamp_waiting"], exp["ts_waiting"]),
    ("latency_jobs", s["latency_jobs"], exp["latency_jobs"]),
    ("latency_median_s", s["latency_median_s"], exp["latency_median_s"]),
    ("latency_p90_s", s["latency_p90_s"], exp["latency_p90_s"]),
    ("shares add up", round(sum(r["share_percent"] for r in got["signed_by_pd"])), 100),
    ("certs_issued", s["certs_issued"], exp["certs_issued"]),
    ("certs_renewed", s["certs_renewed"], exp["certs_renewed"]),
    ("certs_revoked", s["certs_revoked"], exp["certs_revoked"]),
    ("certs_expired", s["certs_expired"], exp["certs_expired"]),
    ("certs_active", s["certs_active"], exp["certs_active"]),
    ("certs_expiring", [s["certs_expiring_%dd" % d] for d in (30, 60, 90)], exp["certs_expiring"]),
    ("certs_revoked_by_reason", groups("certs_revoked_by_reason"), exp["revoked_by_reason"]),
]
for name, g, e in checks:
    print("ok" if g == e else "BAD", name, g if g != e else "", e if g != e else "")
PY
is "$(grep -c '^ok' "$T/cmp.txt")" 25 "2025: every figure agrees with the generated history (documents, refusals, deletions, certificates)"
grep '^BAD' "$T/cmp.txt" | sed 's/^/# /'
is "$(j "$T/exp.json" "d['signed']")" 2998 "the period's edges: the first and last WIB second in, one second outside out"

# the CSV: the same figures, read back by a CSV reader
"$SERTEL" report --from 2025-01-01 --to 2025-12-31 --format csv > "$T/y.csv"
python3 - "$T/y.csv" "$T/y.json" > "$T/csv.txt" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
got = json.load(open(sys.argv[2]))
assert list(rows[0].keys()) == ["section", "key", "label", "count", "share_percent"], rows[0].keys()
summary = {r["key"]: int(r["count"]) for r in rows if r["section"] == "summary"}
same = all(summary[k] == v for k, v in got["summary"].items() if isinstance(v, int))
for name in ("signed_by_pd", "signed_by_signer", "refused_by_code", "signed_by_month"):
    a = [(r["key"], r["label"], int(r["count"])) for r in rows if r["section"] == name]
    b = [(r["key"], r["label"], r["count"]) for r in got[name]]
    same = same and a == b
print("same" if same else "different")
PY
is "$(cat "$T/csv.txt")" same "CSV and JSON carry the same figures (csv module reads it back)"
grep -q '"Dr. Siti Aminah, M.Si"' "$T/y.csv"
ok $? "a label with a comma is quoted (RFC 4180)"

# one PD
"$SERTEL" report --from 2025-01-01 --to 2025-12-31 --pd bappeda --format json > "$T/b.json"
is "$(j "$T/b.json" "d['summary']['signed']")" "$(j "$T/exp.json" "d['by_pd']['bappeda']")" "--pd: that PD's documents only"
is "$(j "$T/b.json" "[r['key'] for r in d['signed_by_pd']]")" "['bappeda']" "--pd: no other PD listed"

# the PDF
"$SERTEL" report --from 2025-01-01 --to 2025-12-31 -o "$T/r.pdf"
is "$?" 0 "report --format pdf"
qpdf --check "$T/r.pdf" > /dev/null 2>&1
ok $? "qpdf --check: the report is a sound PDF"
pdftotext -layout "$T/r.pdf" "$T/r.txt"
grep -q "LAPORAN PENGAWASAN DAN EVALUASI" "$T/r.txt"; ok $? "the title"
grep -q "Periode 1 Januari 2025 s.d. 31 Desember 2025" "$T/r.txt"; ok $? "the period in words"
grep -q "Nomor: LAP-TTE/20250101-20251231" "$T/r.txt"; ok $? "the number"
total=$(j "$T/exp.json" "format(d['signed'], ',').replace(',', '.')")
grep -q "Dokumen ditandatangani *$total" "$T/r.txt"; ok $? "the summary's total ($total)"
for pd in diskominfo setda bappeda dinkes disdik dpmptsp bpkad; do
	grep -q "$pd" "$T/r.txt" || echo "# PD $pd missing from the PDF text" >> "$T/missing"
done
[ ! -s "$T/missing" ]; ok $? "every PD is named"
grep -q "Dokumen ditolak menurut penyebab" "$T/r.txt"; ok $? "the refusals chart"
grep -q "UTUH" "$T/r.txt"; ok $? "the audit chain's status"
pages=$(pdfinfo "$T/r.pdf" | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 4 ]; ok $? "cover, summary, charts and tables: $pages pages"
ARTEFACTS=${ARTEFACTS:-$ROOT/var/artefacts/96-report}
rm -rf "$ARTEFACTS"; mkdir -p "$ARTEFACTS"
pdftoppm -r 60 -png "$T/r.pdf" "$ARTEFACTS/laporan"
ok $? "pdftoppm renders every page, the charts page too (kept: $ARTEFACTS)"
python3 - "$T/r.pdf" > "$T/ink.txt" <<'PY'
import subprocess, sys
# the charts page as grey pixels: how much of it is ink in the chart colour (dark blue)
ppm = subprocess.run(["pdftoppm", "-r", "40", "-f", "3", "-l", "3", sys.argv[1]], capture_output=True).stdout
parts = ppm.split(b"\n", 3)
w, h = map(int, parts[1].split())
px = parts[3]
blue = sum(1 for i in range(0, len(px) - 2, 3) if px[i + 2] > 100 and px[i] < 80)
print(blue * 1000 // (w * h))
PY
[ "$(cat "$T/ink.txt")" -ge 20 ]; ok $? "the charts page is drawn: bars and line in ink ($(cat "$T/ink.txt")/1000 of the page)"

# signed by the service signer when there is one: stored, recorded, verifiable
. "$ROOT/tests/lib/deletion.sh"
deletion_config "$T/signed.yaml"
sed -i "s|^state:.*|state: $T/state|" "$T/signed.yaml"
"$SERTEL" --config "$T/signed.yaml" report --from 2025-01-01 --to 2025-12-31 -o "$T/signed.pdf" 2> "$T/signed.txt"
is "$?" 0 "with deletion.service_signer: the PDF report is signed"
rid=$(sed -n 's/.*signed by [0-9]* (ID \([A-Z0-9]*\)).*/\1/p' "$T/signed.txt")
pdfsig "$T/signed.pdf" > "$T/pdfsig.txt" 2>&1; grep -q "Signature Validation: Signature is Valid" "$T/pdfsig.txt"
ok $? "pdfsig: the signature is valid"
qpdf --check "$T/signed.pdf" > /dev/null 2>&1; ok $? "qpdf --check: clean"
"$SERTEL" --config "$T/signed.yaml" verify "$T/signed.pdf" > "$T/sv.txt" 2>&1
is "$?" 0 "sertel verify: intact"
grep -q "$rid" "$T/sv.txt" && grep -qi "stored" "$T/sv.txt"
ok $? "... and on record in the store (ID $rid)"
is "$(sqlite3 "$DB" "select type || ' ' || number from documents where id='$rid'")" "laporan-tte LAP-TTE/20250101-20251231" \
	"recorded as a laporan-tte with its number"
pdftotext "$T/signed.pdf" - | grep -q "Ditandatangani secara elektronik oleh"
ok $? "the service signer's mark is on it"
"$SERTEL" report --from 2025-01-01 --to 2025-12-31 --unsigned -o "$T/unsigned.pdf" 2> /dev/null
pdfsig "$T/unsigned.pdf" 2>&1 | grep -q "does not contain any signatures"
ok $? "--unsigned: no signature"

# HTML: one file, no script, everything escaped (a signer's name with markup in it)
sqlite3 "$DB" "update documents set signer_nip='199912312020121001', signer_name='<script>alert(1)</script> & Co' where id=(select id from documents where signed_at >= strftime('%s','2025-01-01') - 25200 and signed_at < strftime('%s','2026-01-01') - 25200 order by id limit 1)"
"$SERTEL" report --from 2025-01-01 --to 2025-12-31 --format html -o "$T/r.html"
is "$?" 0 "report --format html"
python3 - "$T/r.html" > "$T/html.txt" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.tags = []; self.text = []
    def handle_starttag(self, tag, attrs): self.tags.append(tag)
    def handle_data(self, d): self.text.append(d)
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
t = " ".join(p.text)
print("script" in p.tags, p.tags.count("svg"), "<script>alert(1)</script> & Co" in t, "Ringkasan" in t)
PY
is "$(cat "$T/html.txt")" "False 3 True True" "the HTML: no script element, three SVG charts, the name with markup shown as text, the summary"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co' "$T/r.html"
ok $? "... escaped in the file"

# an audit chain someone edited: the report says so
cp "$DB" "$T/t.db"
sqlite3 "$T/t.db" "drop trigger audit_no_update; update audit set detail='x' where seq=2"
mkdir -p "$T/t/state" && cp "$T/t.db" "$T/t/state/sertel.db"
sed "s|^state:.*|state: $T/t/state|" "$T/sertel.yaml" > "$T/t.yaml"
"$SERTEL" --config "$T/t.yaml" report --from "$today" --to "$today" --format json > "$T/t.json"
is "$(j "$T/t.json" "(d['summary']['audit_intact'], d['summary']['audit_first_bad'])")" "(0, 2)" \
	"an edited audit record: the report says the chain is broken at record 2"

# wrong input
"$SERTEL" report --from 2025-02-30 --to 2025-03-01 --format json > /dev/null 2> "$T/e.txt"
is "$?" 64 "--from 2025-02-30: usage error"
grep -q "not a date" "$T/e.txt"; ok $? "... naming the date"
"$SERTEL" report --from 2025-03-01 --to 2025-02-01 --format json > /dev/null 2> "$T/e.txt"
is "$?" 64 "--to before --from: usage error"
"$SERTEL" report --from 2025-03-01 --to 2025-04-01 --format xls > /dev/null 2> "$T/e.txt"
is "$?" 64 "--format xls: usage error"
"$SERTEL" report --period last-half --format json > "$T/h.json"
is "$?" 0 "--period last-half"
is "$(j "$T/h.json" "d['period']['to'][5:]")" "$(case $(TZ=Asia/Jakarta date +%m) in 0[1-6]) echo 12-31;; *) echo 06-30;; esac)" \
	"--period last-half ends at the last half-year's end"
done_testing
