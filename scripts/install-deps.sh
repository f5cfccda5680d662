#!/bin/sh
# install-deps.sh - install the Debian 12 packages sertel builds and runs with;
# with --demo also what `make demo` uses, with --tests also the test tools
# (make check, check-memory, check-long, fuzz).  A server needs no test tools:
#   ./scripts/install-deps.sh && make && sudo make install
# Idempotent: a machine that already has everything is left alone (no apt-get at all).
set -eu

# libp11-dev: keys in PKCS#11 tokens and HSMs (keystore: "pkcs11:..."): libp11 does the
# slots, sessions, login and an EVP_PKEY that signs on the token; no PKCS#11 client of our own
# libmicrohttpd-dev: `sertel serve` speaks HTTP through GNU libmicrohttpd (a maintained
# parser with connection, header-size and time limits), not a hand-written one
BUILD="build-essential pkg-config
 libssl-dev libmupdf-dev libarchive-dev libyaml-dev libsqlite3-dev libzint-dev libcurl4-openssl-dev
 libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev libjpeg-dev libharfbuzz-dev
 libfreetype-dev libpng-dev zlib1g-dev libcmocka-dev
 libmicrohttpd-dev libp11-dev"
# p11-kit-modules: p11-kit's proxy, the default pkcs11_module (it loads the modules the
# system's p11-kit configuration lists: a token vendor's module is added there)
RUNTIME="openssl inotify-tools p11-kit-modules"
# chromium, chromium-driver, python3-selenium: 95-serve.sh renders the verification pages in a
# real browser (console errors, foreign requests, screenshots); it skips that part without them
# liblcms2-utils: transicc, an independent reader of the mark's Gray ICC profile (83-mark-pdfa.sh)
# python3-aiosmtpd: a real SMTP server on loopback for the notification test (97-notify.sh)
# python3-reportlab: ReportLab, one of the producers whose letter 66-producers.sh signs
# python3-pil, fonts-dejavu-core: with ReportLab, the realistic documents of `make bench`
# samba, smbclient: a real Samba share on loopback for the shared-folder test (99-samba.sh):
# files dropped the way Windows clients drop them, results read back through the share
# softhsm2, opensc: a software token for the PKCS#11 tests (43-p11*.sh): softhsm2-util makes
# it, pkcs11-tool writes certificates onto it and checks what is extractable, and OpenSC's
# pkcs11-spy counts the C_Login calls sertel makes (a wrong PIN is tried once)
# openssh-client, openssh-sftp-server: OpenSSH's SFTP server reached by `sftp -D` (99-sftp.sh:
# slow, renamed and cut-off uploads); no sshd is installed or started
CHECK="poppler-utils qpdf zbar-tools libnss3-tools mupdf-tools valgrind python3 sqlite3 time mandoc bc python3-yaml
 groff ghostscript liblcms2-utils chromium chromium-driver python3-selenium python3-aiosmtpd python3-reportlab
 python3-pil fonts-dejavu-core
 samba smbclient openssh-client openssh-sftp-server softhsm2 opensc"
# make fuzz: clang builds the libFuzzer targets (tests/fuzz/); libFuzzer itself and
# the sanitizer runtimes are in libclang-rt-14-dev, which clang only recommends
FUZZ="clang libclang-rt-14-dev"

# the demo makes its letters and sidecars with tests/lib's Python scripts
DEMO="python3"

case "${1:-}" in
"")		WANT="$BUILD $RUNTIME" ;;
--demo)		WANT="$BUILD $RUNTIME $DEMO" ;;
--tests)	WANT="$BUILD $RUNTIME $DEMO $CHECK $FUZZ" ;;
*)		echo "usage: install-deps.sh [--demo | --tests]" >&2; exit 64 ;;
esac

missing=""
for p in $WANT; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
