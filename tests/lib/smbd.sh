# smbd.sh - start and stop Debian's smbd on loopback for the e2e tests
# (sourced after e2e.sh, not run).  A throw-away configuration: everything
# smbd keeps (private, lock, state, cache, pid dirs, the log) lives under
# $T/smb, it listens on a free port of 127.0.0.1 only, and guests are mapped
# to the user a share forces.  smbd needs root (it changes to that user per
# connection); smbd_usable says why not when it cannot run.
#
#   smbd_usable                 0 when root and smbd/smbclient are installed,
#                               else 1 with the reason in $SMBD_WHY
#   smbd_start SHARE-STANZAS    write $T/smb/smb.conf ([global] + the stanzas
#                               given, smb.conf syntax), start smbd, wait until
#                               it accepts connections; sets $SMBD_PORT
#   smb SHARE COMMANDS...       smbclient as a guest on //127.0.0.1/SHARE
#   smbd_stop                   stop it (also on exit)

smbd_usable() {
	SMBD_WHY=""
	if [ "$(id -u)" -ne 0 ]; then SMBD_WHY="smbd needs root (it switches to the forced user)"
	elif ! command -v smbd > /dev/null; then SMBD_WHY="smbd is not installed (Debian: samba)"
	elif ! command -v smbclient > /dev/null; then SMBD_WHY="smbclient is not installed"
	fi
	[ -z "$SMBD_WHY" ]
}

smbd_start() {
	mkdir -p "$T/smb/private" "$T/smb/lock" "$T/smb/state" "$T/smb/cache" "$T/smb/pid"
	SMBD_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat > "$T/smb/smb.conf" <<CONF
[global]
  workgroup = UJI
  server role = standalone server
  smb ports = $SMBD_PORT
  interfaces = 127.0.0.1
  bind interfaces only = yes
  private dir = $T/smb/private
  lock directory = $T/smb/lock
  state directory = $T/smb/state
  cache directory = $T/smb/cache
  pid directory = $T/smb/pid
  log file = $T/smb/smbd.log
  passdb backend = tdbsam:$T/smb/private/passdb.tdb
  map to guest = Bad User
  disable spoolss = yes
  load printers = no
  printcap name = /dev/null
  disable netbios = yes
  # writes of 64 KiB, like smbclient's iosize 65536: a file sent slowly
  # grows on the server as it comes (with 8 MiB writes it would not)
  smb2 max write = 65536
$1
CONF
	setsid smbd --foreground --no-process-group -s "$T/smb/smb.conf" > "$T/smb/stdout.txt" 2>&1 &
	SMBD_PID=$!
	trap 'smbd_stop; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
	i=0
	while [ $i -lt 100 ]; do
		smbclient -N -p "$SMBD_PORT" -L 127.0.0.1 > /dev/null 2>&1 && return 0
		kill -0 "$SMBD_PID" 2> /dev/null || break
		sleep 0.1; i=$((i + 1))
	done
	echo "# smbd did not start:" >&2; tail -5 "$T/smb/smbd.log" "$T/smb/stdout.txt" >&2
	return 1
}

smb() {
	_share=$1; shift
	smbclient -N -p "$SMBD_PORT" "//127.0.0.1/$_share" -c "$*"
}

smbd_stop() {
	[ -n "${SMBD_PID:-}" ] || return 0
	kill -TERM "$SMBD_PID" 2> /dev/null && wait "$SMBD_PID" 2> /dev/null
	SMBD_PID=""
}
