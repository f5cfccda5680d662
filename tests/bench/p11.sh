#!/bin/sh
# p11.sh - `make bench`'s PKCS#11 part (issue 19): the same signers with their
# keys in PKCS#12 files and in a SoftHSM2 token, RSA-2048 (Siti) and ECDSA
# P-256 (Ahmad).
#   N=200 WORKERS=2 SERTEL=... KEY_COST=... tests/bench/p11.sh
# For each: key_cost (tests/bench/key_cost.c: a signature through the key
# process, median ms and the key process's CPU per signature), then
# `sertel run --once` on N documents of each signer, timed with GNU time:
# docs/s (wall) and documents per CPU second (user+sys of the whole tree;
# the cores are shared, so CPU is the number to compare).
# Prints one line saying why when SoftHSM2 or OpenSC is not installed, and exits 0.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERTEL=${SERTEL:-$ROOT/build/sertel}
KEY_COST=${KEY_COST:-$ROOT/build/bench/key_cost}
N=${N:-200}
WORKERS=${WORKERS:-2}
T=$(mktemp -d "${TMPDIR:-/tmp}/sertel-bench-p11.XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$ROOT/tests/lib/softhsm.sh"
if why=$(softhsm_skip); then echo "p11: skipped: $why"; exit 0; fi
[ -x /usr/bin/time ] || { echo "p11: skipped: GNU time is missing"; exit 0; }
sh "$ROOT/tests/lib/pki.sh" "$T/pki" >/dev/null
softhsm_cast
mkdir -p "$T/p12" "$T/p11"
for kind in p12 p11; do
	sh "$ROOT/tests/lib/mkconfig.sh" -d "$T/$kind" -w "$WORKERS" -S siti -S ahmad > "$T/$kind.yaml"
	ln -s "$T/pki" "$T/$kind/pki"
done
sed -i "s|keystore: $T/p11/pki/signer-rsa.p12|keystore: \"pkcs11:token=siti;object=ttd\"\\
    pkcs11_module: $SOFTHSM_MODULE|
	s|keystore: $T/p11/pki/signer-ec.p12|keystore: \"pkcs11:token=ahmad;object=ttd\"\\
    pkcs11_module: $SOFTHSM_MODULE\\
    certificate: $T/ahmad.pem|" "$T/p11.yaml"

for kind in p12 p11; do
	"$KEY_COST" "$T/$kind.yaml" 200 2>/dev/null | sed "s|^|p11: $kind: |"
	for who in siti:197103012006042006:diskominfo ahmad:198204152008011002:setda; do
		name=${who%%:*} rest=${who#*:}; nip=${rest%%:*}; pd=${rest#*:}
		mkdir -p "$T/$kind/spool/incoming/$pd"
		python3 "$ROOT/tests/lib/mkpdf.py" --count "$N" --out "$T/$kind/spool/incoming/$pd" \
			--prefix "$name"
		for f in "$T/$kind/spool/incoming/$pd"/*.pdf; do
			sh "$ROOT/tests/lib/mksidecar.sh" "$f" "$nip"; done
		/usr/bin/time -f '%e %U %S' -o "$T/time" "$SERTEL" --config "$T/$kind.yaml" run --once \
			> /dev/null 2> "$T/$kind-$name.log" || { echo "p11: $kind $name: run failed"; continue; }
		signed=$(find "$T/$kind/spool/done/$pd" -name '*.pdf' | wc -l)
		read -r wall user sys < "$T/time"
		echo "p11: $kind $name: $signed docs in ${wall}s: $(echo "scale=1; $signed / $wall" | bc) docs/s," \
			"$(echo "scale=1; $signed / ($user + $sys)" | bc) docs per CPU second"
	done
done
