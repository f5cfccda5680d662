#!/bin/sh
# mkbundle.sh OUT N [PREFIX] - a bundle of N fresh one-page PDFs, each with its
# sidecar (tests/lib/mksidecar.sh), as OUT: .zip, .tar, .tar.gz or .tgz by its
# name.  Members are PREFIX-0001.pdf/.yaml ... (PREFIX: OUT's name without the
# extension); their PDF names are printed, one a line, for a test's INPUTS
# list.  OUT is written under a temporary name and renamed, as the drop
# protocol asks.
set -eu
out=$1
n=$2
lib=$(cd "$(dirname "$0")" && pwd)
base=$(basename "$out")
prefix=${3:-$(echo "$base" | sed -E 's/\.(zip|tar|tar\.gz|tgz)$//')}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkbundle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$lib/mkpdf.py" --count "$n" --out "$tmp" --prefix "$prefix"
for f in "$tmp"/*.pdf; do sh "$lib/mksidecar.sh" "$f"; done
python3 - "$tmp/$base" "$tmp" <<'PY'
import os, sys, tarfile, zipfile
out, src = sys.argv[1], sys.argv[2]
names = sorted(f for f in os.listdir(src) if f.endswith((".pdf", ".yaml")))
if out.endswith(".zip"):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for f in names:
            z.write(os.path.join(src, f), f)
else:
    mode = "w" if out.endswith(".tar") else "w:gz"
    with tarfile.open(out, mode) as t:
        for f in names:
            t.add(os.path.join(src, f), arcname=f)
PY
mv "$tmp/$base" "$out.part"
mv "$out.part" "$out"
(cd "$tmp" && ls ./*.pdf | sed 's|^\./||')
