#!/bin/sh
# install-deps.sh - install the Debian 12 packages sertel builds, runs and tests with.
# Idempotent: a machine that already has everything is left alone (no apt-get at all).
set -eu

BUILD="build-essential pkg-config
 libssl-dev libmupdf-dev libarchive-dev libyaml-dev libsqlite3-dev libzint-dev libcurl4-openssl-dev
 libmujs-dev libgumbo-dev libopenjp2-7-dev libjbig2dec0-dev libjpeg-dev libharfbuzz-dev
 libfreetype-dev zlib1g-dev libcmocka-dev"
RUNTIME="openssl inotify-tools"
# liblcms2-utils: transicc, an independent reader of the mark's Gray ICC profile (83-mark-pdfa.sh)
# python3-reportlab: ReportLab, one of the producers whose letter 66-producers.sh signs
CHECK="poppler-utils qpdf zbar-tools libnss3-tools mupdf-tools valgrind python3 sqlite3 time mandoc bc python3-yaml
 groff ghostscript liblcms2-utils python3-reportlab"
# make fuzz: clang builds the libFuzzer targets (tests/fuzz/); libFuzzer itself and
# the sanitizer runtimes are in libclang-rt-14-dev, which clang only recommends
FUZZ="clang libclang-rt-14-dev"

missing=""
for p in $BUILD $RUNTIME $CHECK $FUZZ; do
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
