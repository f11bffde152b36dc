# Shared by the scripts that run the emulator as a process (demo, node-sdk-check). Source
# it; it defines:
#
#   start_emulator WORKDIR [FLAGS...]   builds cmd/authing-emulator into WORKDIR, starts it
#       with a throwaway access key and FLAGS, waits until it listens (10 s at most), and
#       exports AUTHING_HOST, AUTHING_ACCESS_KEY_ID and AUTHING_ACCESS_KEY_SECRET. The
#       caller's EXIT trap should call stop_emulator.
#   stop_emulator                       stops it.
#   write_cli_config FILE PLUGIN_DIR    writes a Terraform CLI configuration that uses the
#       provider binary in PLUGIN_DIR (see internal/devcli).

emulator_pid=

start_emulator() {
	local work=$1
	shift
	go build -o "$work/authing-emulator" ./cmd/authing-emulator
	# The emulator accepts this throwaway key only; it never leaves this machine.
	export AUTHING_ACCESS_KEY_ID=emulator-user-pool
	AUTHING_ACCESS_KEY_SECRET=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	export AUTHING_ACCESS_KEY_SECRET
	rm -f "$work/url"
	"$work/authing-emulator" -url-file "$work/url" "$@" >"$work/emulator.log" 2>&1 &
	emulator_pid=$!
	for _ in $(seq 1 100); do
		[ -s "$work/url" ] && break
		if ! kill -0 "$emulator_pid" 2>/dev/null; then
			echo "the emulator exited:" >&2
			cat "$work/emulator.log" >&2
			return 1
		fi
		sleep 0.1
	done
	[ -s "$work/url" ] || { echo "the emulator did not start within 10s" >&2; return 1; }
	AUTHING_HOST=$(cat "$work/url")
	export AUTHING_HOST
}

stop_emulator() {
	if [ -n "$emulator_pid" ]; then
		kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
		emulator_pid=
	fi
	return 0
}

write_cli_config() {
	go run ./tools/devcli "$2" >"$1"
}
