# deletion.sh - shared setup of the deletion tests (sourced after e2e.sh):
# the e2e configuration with records officer Dewi Lestari (NIP
# 198503102010012001, diskominfo) and a deletion: section whose service
# signer is 197103012006042006; the database at $DB and q to query it.
DB="$T/state/sertel.db"
q() { sqlite3 "$DB" "$1"; }
# deletion_config FILE - write that configuration to FILE
deletion_config() {
	config "$1"
	awk '{ print } /^officials:/ { print "  - { nip: \"198503102010012001\", name: \"Dewi Lestari\", jabatan: \"Arsiparis\", roles: [arsiparis], pd: diskominfo }" }' \
		"$1" > "$1.tmp" && mv "$1.tmp" "$1"
	printf 'deletion:\n  officer_roles: [arsiparis]\n  service_signer: "197103012006042006"\n' >> "$1"
}
# ba_fill FILE - complete a pre-filled berita acara as the officer does (NIK, pangkat/golongan)
ba_fill() {
	sed -i 's/nik: ""/nik: "1605014101850001"/; s/pangkat_golongan: ""/pangkat_golongan: "Penata"/' "$1"
}
# sign_many COUNT - COUNT small documents of diskominfo signed by one run (a test of it)
sign_many() {
	mkdir -p "$T/spool/incoming/diskominfo"
	python3 "$ROOT/tests/lib/mkpdf.py" --count "$1" --out "$T/spool/incoming/diskominfo" --prefix d
	for f in "$T/spool/incoming/diskominfo"/*.pdf; do sidecar "$f"; done
	"$SERTEL" -q run --once > /dev/null 2>&1
	is "$(q "select count(*) from documents where status='stored'")" "$1" "$1 documents signed"
}
# deletion_setup - the test PKI and that configuration as $SERTEL_CONFIG
deletion_setup() {
	pki
	deletion_config "$T/sertel.yaml"
	export SERTEL_CONFIG="$T/sertel.yaml"
}
