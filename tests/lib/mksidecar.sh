#!/bin/sh
# mksidecar.sh PDF [SIGNER-NIP] [SHA256] [NUMBER] - write PDF's paraf sidecar
# (schema 1) next to it: one paraf by a Kasubbag Umum on exactly these bytes
# (or on SHA256 when given, to make a mismatch on purpose).
set -eu
pdf=$1
signer=${2:-197103012006042006}
hash=${3:-}
[ -n "$hash" ] || hash=$(sha256sum "$pdf" | cut -d' ' -f1)
number=${4:-"800/$(basename "${pdf%.pdf}")/2026"}
cat > "${pdf%.pdf}.yaml" <<YAML
schema: 1
type: surat_keluar
number: "$number"
subject: "Undangan rapat koordinasi"
signer: "$signer"
parafs:
  - nip: "198005052005011003"
    name: "Budi Santoso"
    role: kasubbag_umum
    time: "2026-11-23T14:05:00+07:00"
    sha256: "$hash"
YAML
