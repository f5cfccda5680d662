# endstate.sh - the end state every fault must leave (issue 11), checked with
# tools sertel did not write.  Source it after e2e.sh; then, once the spool is
# quiet (the last run finished):
#
#     endstate INPUTS     INPUTS: one "pd/name.pdf" a line, every PDF dropped
#
# It asserts (TAP, through e2e.sh's ok/is):
#   - every input is exactly once in done/ or failed/, under its own name or
#     name-ID.pdf (a name taken in the target folder);
#   - nothing is left in incoming/ or queue/, and no temporary or partial
#     file anywhere in the spool or the state (*.tmp, dotfiles);
#   - every PDF in done/ carries signatures that verify and are trusted
#     (pdfsig + qpdf, tests/lib/pdfcheck.sh), and its SHA-256 is the one the
#     database recorded for it (documents.sha256_signed, by PD and delivered
#     name), and the store holds that copy;
#   - every PDF in failed/ has its <name>.error.yaml, and does not carry the
#     signature of the job that refused it (its ID nowhere in the file);
#   - PRAGMA integrity_check says ok.
# Set ENDSTATE_CA to the trust anchor (default: $T/pki/ca.pem), and
# ENDSTATE_SAMPLE=N to run pdfsig and qpdf on N PDFs of done/ drawn at random
# (a flood of 20,000: the hashes, database rows and store copies of all of
# them are still checked).

endstate() {
	_in=$1
	_sp=$T/spool
	_db=$T/state/sertel.db
	# outputs, with a name-ID suffix folded back onto the input's name
	( cd "$_sp/done" 2>/dev/null && find . -name '*.pdf' | sed 's|^\./||'
	  cd "$_sp/failed" 2>/dev/null && find . -name '*.pdf' | sed 's|^\./||' ) |
		sed -E 's/-[2-9A-HJ-NP-Z]{16}\.pdf$/.pdf/' | sort > "$T/endstate-out.txt"
	sort "$_in" > "$T/endstate-in.txt"
	diff "$T/endstate-in.txt" "$T/endstate-out.txt" > "$T/endstate-diff.txt"
	ok $? "end state: every input exactly once in done/ or failed/"
	[ -s "$T/endstate-diff.txt" ] && sed 's/^/#   /' "$T/endstate-diff.txt" | head -20
	is "$(find "$_sp/incoming" "$_sp/queue" -type f 2>/dev/null | wc -l | tr -d ' ')" 0 \
		"end state: nothing left in incoming/ or queue/"
	_tmp=$(find "$_sp" "$T/state" \( -name '*.tmp' -o -name '.*' \) ! -name '.' 2>/dev/null |
		grep -v -e '/sertel\.db-wal$' -e '/sertel\.db-shm$' | head -5)
	is "$_tmp" "" "end state: no temporary or partial file in the spool or the state"

	# done/: signed, trusted, recorded, stored
	_done=$(find "$_sp/done" -name '*.pdf' 2>/dev/null | sort)
	_some=$_done
	[ -z "${ENDSTATE_SAMPLE:-}" ] || _some=$(echo "$_done" | shuf -n "$ENDSTATE_SAMPLE" | sort)
	if [ -n "$_done" ]; then
		# shellcheck disable=SC2086
		sh "$ROOT/tests/lib/pdfcheck.sh" "${ENDSTATE_CA:-$T/pki/ca.pem}" $_some \
			> "$T/endstate-pdfcheck.txt" 2>&1
		ok $? "end state: $([ "$_some" = "$_done" ] && echo "every PDF in done/ verifies" ||
			echo "$(echo "$_some" | wc -l | tr -d ' ') PDFs of done/ drawn at random verify") (pdfsig, qpdf)"
		grep -v '^ok ' "$T/endstate-pdfcheck.txt" | head -5 | sed 's/^/#   /'
	else
		ok 0 "end state: done/ is empty (nothing to verify)"
	fi
	sqlite3 "$_db" "select j.pd || '/' || j.delivered || '.pdf', d.sha256_signed, d.store_path
		from documents d join jobs j on j.id = d.id" | sort > "$T/endstate-rows.txt"
	# one pass each (a flood leaves tens of thousands): the hashes of done/,
	# of the store's copies the rows name, then one join in awk
	( cd "$_sp/done" 2>/dev/null && find . -name '*.pdf' -print0 | xargs -0r sha256sum ) |
		sed 's|  \./|  |' > "$T/endstate-done.txt"
	( cd "$T/state" && cut -d'|' -f3 "$T/endstate-rows.txt" | tr '\n' '\0' |
		xargs -0r sha256sum 2>/dev/null ) > "$T/endstate-store.txt"
	awk -v rows="$T/endstate-rows.txt" -v store="$T/endstate-store.txt" '
		BEGIN {
			FS = "|"
			while ((getline l < rows) > 0) { split(l, f, "|"); sha[f[1]] = f[2]; path[f[1]] = f[3] }
			while ((getline l < store) > 0) kept[substr(l, 67)] = substr(l, 1, 64)
		}
		{
			h = substr($0, 1, 64); rel = substr($0, 67)
			if (!(rel in sha) || sha[rel] != h) {
				printf "#   %s: sha256 %s, database: %s\n", rel, h, (rel in sha) ? sha[rel] : "no row"
				bad++
			} else if (kept[path[rel]] != h) {
				printf "#   %s: the store'"'"'s copy differs or is missing\n", rel
				bad++
			}
		}
		END { print bad + 0 > "/dev/stderr" }' "$T/endstate-done.txt" 2> "$T/endstate-bad.txt"
	_bad=$(cat "$T/endstate-bad.txt")
	is $_bad 0 "end state: every PDF in done/ is the database's signed file, and stored"

	# failed/: not signed, and says why
	_signed=0
	_noreport=0
	for _f in $(find "$_sp/failed" -name '*.pdf' 2>/dev/null); do
		_r=${_f%.pdf}.error.yaml
		[ -f "$_r" ] || { echo "#   no report: $_f"; _noreport=$((_noreport + 1)); continue; }
		# the refused job's own ID in the file: it was signed (an earlier
		# signature by sertel, under another ID, may be there and is fine)
		_id=$(sed -n 's/^id_proses: "\(.*\)"$/\1/p' "$_r")
		[ -n "$_id" ] && grep -aqF "$_id" "$_f" &&
			{ echo "#   signed but refused: $_f ($_id)"; _signed=$((_signed + 1)); }
	done
	is $_signed 0 "end state: no PDF in failed/ carries the refusing job's signature"
	is $_noreport 0 "end state: every refusal has its report"
	is "$(sqlite3 "$_db" 'pragma integrity_check')" ok "end state: the database's integrity_check is ok"
}
