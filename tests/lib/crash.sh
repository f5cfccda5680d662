# crash.sh - helpers for the kill tests (sourced after e2e.sh, not run):
# tests/e2e/2x-*.sh and tests/long/.
#
#   slow_tsa SECONDS       start tests/lib/tsa.py answering after SECONDS and
#                          add it to $T/sertel.yaml's timestamp: section, so
#                          every document stays that long in its worker (a
#                          window for a worker kill to land in); stopped at exit
#   busy_worker MASTER [ID]
#                          print "PID ID" of one worker of MASTER holding a
#                          document (queue/<ID>.pdf open), the one holding ID
#                          if given; nothing when none is
#   killshim               build tests/lib/killshim.c as $T/killshim.so; run
#                          sertel under it as (env execs, so $! is sertel's)
#                            env KILLSHIM=SPEC LD_PRELOAD="$T/killshim.so" \
#                                ASAN_OPTIONS="$SHIM_ASAN" setsid "$SERTEL" ... &

slow_tsa() {
	python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --make-pki > /dev/null 2>&1 ||
		echo "# tsa.py --make-pki failed"
	python3 "$ROOT/tests/lib/tsa.py" --dir "$T/tsa" --port-file "$T/tsa.port" \
		--log "$T/tsa.log" --ttl 1800 --slow "$1" 2> "$T/tsa-err.log" &
	_tsa_pid=$!
	trap 'kill $_tsa_pid 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
	_i=0
	while [ ! -s "$T/tsa.port" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
	printf 'timestamp:\n  tsa:\n    - url: http://127.0.0.1:%s/tsr\n      timeout_seconds: 10\n  trust: [ %s ]\n' \
		"$(cat "$T/tsa.port")" "$T/tsa/tsa-ca.pem" >> "$T/sertel.yaml"
}

busy_worker() {
	for _w in $(pgrep -P "$1" 2>/dev/null); do
		_f=$(ls -l "/proc/$_w/fd" 2>/dev/null | sed -n 's|.*/queue/\([2-9A-Z]\{16\}\)\.pdf$|\1|p' | head -1)
		[ -n "$_f" ] || continue
		[ -z "${2:-}" ] || [ "$_f" = "$2" ] || continue
		echo "$_w $_f"
		return 0
	done
	return 1
}

killshim() {
	cc -shared -fPIC -o "$T/killshim.so" "$ROOT/tests/lib/killshim.c" -ldl
}
# ASan (make check-memory) must be told that the shim may come first
SHIM_ASAN="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
