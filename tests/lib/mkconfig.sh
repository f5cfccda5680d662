#!/bin/sh
# mkconfig.sh [OPTIONS] - the sertel.yaml of the demo (scripts/demo.sh), the
# benchmark (tests/bench/bench.sh) and the end-to-end tests (tests/lib/e2e.sh),
# on standard output.  One instansi, the PKI of tests/lib/pki.sh, the paraf
# official of tests/lib/mksidecar.sh and a cast of signers, written in one
# place so the three never drift apart; what really differs comes as options:
#
#   -d DIR            spool/, state/ and pki/ under DIR (default: relative
#                     paths, which sertel resolves against the file's folder)
#   -l LOCATION       location (default: none)
#   -w N              workers (default: none, sertel's one per CPU)
#   -t NAME:TITLE[:MIN_PARAFS]
#                     a document type; repeatable (default: surat_keluar:Surat Keluar)
#   -S SIGNER[:env]   a signer of the cast; repeatable (default: siti).  With
#                     :env the passphrase comes from $SERTEL_TEST_PASS
#                     (passphrase_env) instead of pki/pass.txt.
#                       siti        Dr. Siti Aminah, diskominfo, pki/signer-rsa.p12
#                       ahmad       Ahmad Fauzi, setda, pki/signer-ec.p12
#                       wrong-pass  setda, pki/signer-rsa.p12 with the passphrase
#                                   in DIR/wrong.pass (the caller writes a wrong one)
#                       expired     setda, pki/expired.p12 (e2e.sh's pki)
#                       foreign     setda, pki/foreign.p12 (e2e.sh's pki: self-signed)
#   -s SECONDS        limits.settle_seconds (default 0: the documents are
#                     dropped whole, so none needs to settle)
#   -L KEY:VALUE      another limits key; repeatable
#   -m URL            marks: a QR code + text mark on every document, its QR
#                     code verifying at URL ({id} is the ID TTE)
#
# More (timestamp:, other marks:) the caller appends.  The tests rely on the
# layout: top-level keys in this order (workers: on line 4 when there is no
# location), block style, one line per document type and per limits key, and
# nothing after limits: unless -m.  Never use outside tests and the demo.
set -eu

usage() { sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# signer NAME - the cast: NIP|name|jabatan|PD|keystore|passphrase file, paths
# under DIR
signer() {
	case $1 in
	siti)	echo '197103012006042006|Dr. Siti Aminah, M.Si|Kepala Dinas Komunikasi dan Informatika|diskominfo|pki/signer-rsa.p12|pki/pass.txt' ;;
	ahmad)	echo '198204152008011002|Ahmad Fauzi, S.T.|Sekretaris Daerah|setda|pki/signer-ec.p12|pki/pass.txt' ;;
	wrong-pass) echo '199001012015031001|Salah Sandi|Kepala Bagian Uji|setda|pki/signer-rsa.p12|wrong.pass' ;;
	expired) echo '197505052000031002|Sertifikat Kedaluwarsa|Kepala Bagian Uji|setda|pki/expired.p12|pki/pass.txt' ;;
	foreign) echo '198001012005011001|CA Asing|Kepala Bagian Uji|setda|pki/foreign.p12|pki/pass.txt' ;;
	*)	return 1 ;;
	esac
}

nl='
'
dir='' location='' workers='' types='' signers='' settle=0 limits='' marks=''
while getopts d:l:w:t:S:s:L:m: opt; do
	case $opt in
	d) dir=$OPTARG ;;
	l) location=$OPTARG ;;
	w) workers=$OPTARG ;;
	t) types=$types$OPTARG$nl ;;
	S) signer "${OPTARG%:env}" > /dev/null ||
		{ echo "mkconfig.sh: no signer '${OPTARG%:env}' in the cast" >&2; exit 2; }
	   signers=$signers$OPTARG$nl ;;
	s) settle=$OPTARG ;;
	L) limits=$limits$OPTARG$nl ;;
	m) marks=$OPTARG ;;
	*) usage ;;
	esac
done
[ $OPTIND -gt $# ] || usage
[ -n "$types" ] || types="surat_keluar:Surat Keluar$nl"
[ -n "$signers" ] || signers="siti$nl"
p=${dir:+$dir/}

echo 'instansi: "Pemerintah Kabupaten Musi Rawas"'
if [ -n "$location" ]; then echo "location: \"$location\""; fi
echo "spool: ${p}spool"
echo "state: ${p}state"
if [ -n "$workers" ]; then echo "workers: $workers"; fi
echo "trust: [ ${p}pki/ca.pem ]"

echo "document_types:"
printf '%s' "$types" | while IFS=: read -r name title min; do
	echo "  $name: { title: \"$title\"${min:+, min_parafs: $min} }"
done

cat <<YAML
officials:
  # the paraf of tests/lib/mksidecar.sh, for documents of every PD
  - nip: "198005052005011003"
    name: "Budi Santoso"
    jabatan: "Kepala Sub Bagian Umum"
    roles: [kasubbag_umum]
    pd: "*"
YAML

echo "signers:"
printf '%s' "$signers" | while IFS= read -r who; do
	signer "${who%:env}" | while IFS='|' read -r nip name jabatan pd keystore pass; do
		echo "  - nip: \"$nip\""
		echo "    name: \"$name\""
		echo "    jabatan: \"$jabatan\""
		echo "    pd: $pd"
		echo "    keystore: $p$keystore"
		case $who in
		*:env) echo "    passphrase_env: SERTEL_TEST_PASS" ;;
		*) echo "    passphrase_file: $p$pass" ;;
		esac
	done
done

echo "limits:"
echo "  settle_seconds: $settle"
printf '%s' "$limits" | while IFS=: read -r key value; do
	echo "  $key: $value"
done

if [ -n "$marks" ]; then
	cat <<YAML
marks:
  url: "$marks"
  default: standar
  profiles:
    standar: { kinds: [qr, text] }
YAML
fi
