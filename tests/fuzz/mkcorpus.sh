#!/bin/sh
# mkcorpus.sh - (re)make the fuzz targets' seed corpora in tests/fuzz/corpus/
# with the generators of tests/lib: a few valid inputs and a few near-valid
# ones (one thing wrong) per target.  The files are committed; run this only
# to change them (certified.pdf and the bundles come out different on every
# run: a fresh key, a signing time, file times).  Needs python3 and openssl.
#   mkcorpus.sh          every corpus
#   mkcorpus.sh verify   only tests/fuzz/corpus/verify/
set -eu
here=$(cd "$(dirname "$0")" && pwd)
lib=$here/../lib
c=$here/corpus
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkcorpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- verify: signed PDFs as other software signs them, and later revisions --
# (tests/lib/pdfinc.py, mkupdate.py); a throwaway CA, never an anchor there
mkverify() {
	v=$c/verify
	rm -rf "$v" "$tmp/v"
	mkdir -p "$v" "$tmp/v"
	(cd "$tmp/v" && sh "$lib/pki.sh" pki > /dev/null)
	P=$tmp/v/pki
	python3 "$lib/mkpdf.py" --text "Surat fuzz" --pages 2 "$tmp/v/base.pdf"
	sig() { out=$1; shift; python3 "$lib/pdfinc.py" sign "$tmp/v/base.pdf" "$v/$out.pdf" "$@"; }
	sig rsa --key "$P/signer-rsa.key" --cert "$P/signer-rsa.pem" --chain "$P/chain.pem"
	sig cades-ec --key "$P/signer-ec.key" --cert "$P/signer-ec.pem" \
		--subfilter ETSI.CAdES.detached
	sig pss --key "$P/signer-rsa.key" --cert "$P/signer-rsa.pem" --pss --md sha384
	sig noattr --key "$P/signer-rsa.key" --cert "$P/signer-rsa.pem" --noattr
	sig sha1 --key "$P/signer-rsa.key" --cert "$P/signer-rsa.pem" --subfilter adbe.pkcs7.sha1 \
		--md sha1
	sig x509 --key "$P/signer-rsa.key" --cert "$P/signer-rsa.pem" \
		--subfilter adbe.x509.rsa_sha1 --md sha1
	sig attached --key "$P/signer-ec.key" --cert "$P/signer-ec.pem" --attached
	sig certified --key "$P/signer-ec.key" --cert "$P/signer-ec.pem" --certify 2
	sig empty --key "$P/signer-ec.key" --cert "$P/signer-ec.pem" --contents empty --untyped
	# later revisions: one control (allowed) and one attack per class
	python3 "$lib/mkupdate.py" --key "$P/signer-rsa.key" --cert "$P/signer-rsa.pem" \
		--chain "$P/chain.pem" "$tmp/v/upd" > /dev/null
	for k in $(ls "$tmp/v/upd" | sed 's/-.*//' | sort -u); do
		for kind in control attack; do
			f=$(ls "$tmp/v/upd/$k-$kind"*.pdf 2>/dev/null | head -1)
			[ -z "$f" ] || cp "$f" "$v/"
		done
	done
	for f in "$here"/findings/verify/*; do
		[ -f "$f" ] && cp "$f" "$v/finding-$(basename "$f")"
	done
	return 0
}
if [ "${1:-}" = verify ]; then
	mkverify
	ls -l "$c/verify" | awk 'NF > 5 { t += $5 } END { printf "mkcorpus: %d bytes\n", t }'
	exit 0
fi
rm -rf "$c"
mkdir -p "$c/pdf" "$c/sidecar" "$c/config" "$c/bundle"

# --- pdf: a dropped PDF (the paraf metadata attached, or none) ---------------
mkpdf() { out=$1; shift; python3 "$lib/mkpdf.py" --text "Surat fuzz" "$@" "$out"; }
mkpdf "$c/pdf/plain.pdf"
mkpdf "$c/pdf/xref-stream.pdf" --xref stream
mkpdf "$c/pdf/hybrid.pdf" --xref hybrid --no-eol
mkpdf "$c/pdf/form-3-pages.pdf" --pages 3 --acroform-indirect --rotate 90 \
	--cropbox "20 20 575 820" --userunit 2 --anchor '${ttd}'
mkpdf "$c/pdf/pdfa.pdf" --pdfa RGB
# metadata attached in an incremental update (valid), and an update that
# also changes the catalog (sidecar.embedded)
mkpdf "$tmp/draft.pdf"
sh "$lib/mksidecar.sh" "$tmp/draft.pdf"
python3 "$lib/mkembed.py" "$tmp/draft.pdf" "$tmp/draft.yaml" "$c/pdf/embedded.pdf"
python3 "$lib/mkembed.py" "$tmp/draft.pdf" "$tmp/draft.yaml" "$c/pdf/embedded-tamper.pdf" \
	--tamper catalog
# signed and certified with DocMDP P=1 (pdf.certified_locked): a throwaway key
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=fuzz \
	-days 3650 -keyout "$tmp/k.pem" -out "$tmp/c.pem" 2>/dev/null
python3 "$lib/pdfinc.py" sign "$tmp/draft.pdf" "$c/pdf/certified.pdf" --key "$tmp/k.pem" \
	--cert "$tmp/c.pem" --certify 1
# near-valid: cut short (repaired), junk before the header, an opening bomb of 1 MiB
head -c $(($(wc -c < "$c/pdf/plain.pdf") * 2 / 3)) "$c/pdf/plain.pdf" > "$c/pdf/truncated.pdf"
{ printf 'junk before the header\r\n'; cat "$c/pdf/plain.pdf"; } > "$c/pdf/junk-header.pdf"
python3 "$lib/mkbomb.py" --kind skip --mib 1 "$c/pdf/bomb-skip.pdf"
# a JBIG2 image (segment headers for jbig2size.c to read, an MQ-coded region for jbig2dec)
python3 "$lib/mkhostile.py" make jbig2-scan "$c/pdf/jbig2.pdf"

# --- sidecar: <name>.yaml ---------------------------------------------------
cp "$tmp/draft.yaml" "$c/sidecar/valid.yaml"
s=$c/sidecar/valid.yaml
# two parafs, a zone name, a note, an x- key anywhere, NIK signer, optional fields gone
sed -e 's/"2026-11-23T14:05:00+07:00"/"2026-11-23 14:05:00.250 WIB"/' \
    -e '/^number:/d' -e 's/^subject:.*/x-aplikasi: "srikandi 3.1"/' "$s" > "$c/sidecar/wib.yaml"
sed -n '/^  - nip/,$p' "$s" | sed -e 's/198005052005011003/197805102003122004/' \
	-e 's/Budi Santoso/Rina Marlina, S.E./' -e 's/kasubbag_umum/sekretaris/' \
	-e 's/+07:00/Z/' >> "$c/sidecar/wib.yaml"
echo '    note: "Setuju"' >> "$c/sidecar/wib.yaml"
echo '    x-catatan: [1, 2]' >> "$c/sidecar/wib.yaml"
# flow style, unquoted numbers, anchors, aliases and tags
cat > "$c/sidecar/flow.yaml" <<'YAML'
{schema: 1, type: &t surat_keluar, signer: 197103012006042006, number: !!str 800/1/2026,
 parafs: [{nip: 198005052005011003, name: "Budi\u0020Santoso", role: kasubbag_umum,
   time: '2026-11-23T14:05:00+0700', sha256: *t}], x-ref: *t}
YAML
# near-valid, one fault each
sed 's/^schema: 1/schema: 2/' "$s" > "$c/sidecar/schema-2.yaml"
sed 's/198005052005011003/19800505200501100/' "$s" > "$c/sidecar/short-nip.yaml"
sed 's/+07:00"/"/' "$s" > "$c/sidecar/no-zone.yaml"
sed 's/^type:.*/type: surat_keluar\nwarna: merah/' "$s" > "$c/sidecar/unknown-key.yaml"
sed '/role:/d' "$s" > "$c/sidecar/missing-role.yaml"
sed 's/^    name:/\tname:/' "$s" > "$c/sidecar/tab.yaml"
{ cat "$s"; echo '---'; cat "$s"; } > "$c/sidecar/two-documents.yaml"

# --- config: sertel.yaml ----------------------------------------------------
cfg() { sh "$lib/mkconfig.sh" "$@"; }
cfg > "$c/config/default.yaml"
cfg -d /srv/sertel -l "Muara Beliti" -w 2 -t "surat_keluar:Surat Keluar:1" \
	-t "nota_dinas:Nota Dinas" -S siti -S ahmad:env -L doc_memory_mb:512 \
	-L bundle_max_mb:64 -m "https://ttd.example.go.id/v/{id}" > "$c/config/full.yaml"
cp "$here/../../config/sertel.example.yaml" "$c/config/example.yaml"
# near-valid, one fault each
sed 's/^state:/stat:/' "$c/config/default.yaml" > "$c/config/unknown-key.yaml"
sed 's/settle_seconds: 0/settle_seconds: lama/' "$c/config/default.yaml" > "$c/config/wrong-type.yaml"
sed 's/"197103012006042006"/"198005052005011003"/' "$c/config/default.yaml" > "$c/config/nip-twice.yaml"

# --- bundle: a .zip, .tar or .tar.gz of pairs -------------------------------
(cd "$tmp" && sh "$lib/mkbundle.sh" "$c/bundle/pairs.zip" 2 surat > /dev/null)
(cd "$tmp" && sh "$lib/mkbundle.sh" "$c/bundle/pairs.tar.gz" 1 nota > /dev/null)
# near-valid: a '..' member, a symlink, a folder (flattened), a stray file, nothing
python3 - "$c/bundle" "$tmp/draft.pdf" "$tmp/draft.yaml" <<'PY'
import io, sys, tarfile, zipfile
out, pdf, meta = sys.argv[1], open(sys.argv[2], "rb").read(), open(sys.argv[3], "rb").read()

def tar(name, members, mode="w"):
    with tarfile.open("%s/%s" % (out, name), mode, format=tarfile.PAX_FORMAT) as t:
        for m, data, kind in members:
            i = tarfile.TarInfo(m)
            i.mtime = 1796083200
            if kind == "link":
                i.type, i.linkname = tarfile.SYMTYPE, data
                t.addfile(i)
            elif kind == "dir":
                i.type = tarfile.DIRTYPE
                t.addfile(i)
            else:
                i.size = len(data)
                t.addfile(i, io.BytesIO(data))

def zipf(name, members):
    with zipfile.ZipFile("%s/%s" % (out, name), "w", zipfile.ZIP_DEFLATED) as z:
        for m, data in members:
            z.writestr(zipfile.ZipInfo(m, (2026, 12, 1, 0, 0, 0)), data)

tar("dotdot.tar", [("../surat.pdf", pdf, "file"), ("surat.yaml", meta, "file")])
tar("symlink.tar.gz", [("surat.pdf", pdf, "file"), ("surat.yaml", "/etc/passwd", "link")], "w:gz")
tar("folder.tar", [("kiriman/", b"", "dir"), ("kiriman/surat.pdf", pdf, "file"),
                   ("kiriman/surat.yaml", meta, "file")])
zipf("stray.zip", [("surat.pdf", pdf), ("surat.yaml", meta), ("catatan.txt", b"halo\n")])
zipf("unicode.zip", [("surat-\u00e9.pdf", pdf), ("surat-\u00e9.yaml", meta)])
zipf("empty.zip", [])
PY
mkverify
# every finding is a seed too: make fuzz replays it under ASan at each run
for f in "$here"/findings/*/*; do
	[ -f "$f" ] || continue
	t=$(basename "$(dirname "$f")")
	cp "$f" "$c/$t/finding-$(basename "$f")"
done
ls -l "$c"/* | awk 'NF > 5 { t += $5 } END { printf "mkcorpus: %d bytes\n", t }'
