#!/usr/bin/env bash
# Proves live mode against a server it cannot tell from Authing: cmd/authing-emulator started
# as its own process on a free loopback port with a throwaway key, and a second one with
# -receiver-only as the receiver. Then scripts/testacc-live.sh, and a check that the run
# stayed within the request budget CONTRIBUTING.md documents.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

# The most API requests one live run may make (the tests' own and the provider's).
budget=${LIVE_REQUEST_BUDGET:-400}

work=$(mktemp -d)
receiver_pid=
cleanup() {
	stop_emulator
	[ -n "$receiver_pid" ] && kill "$receiver_pid" 2>/dev/null && wait "$receiver_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

start_emulator "$work" -seed 3
"$work/authing-emulator" -receiver-only -url-file "$work/receiver-url" >"$work/receiver.log" 2>&1 &
receiver_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/receiver-url" ] && break
	sleep 0.1
done
[ -s "$work/receiver-url" ] || { echo "the receiver did not start within 10s:" >&2; cat "$work/receiver.log" >&2; exit 1; }
export AUTHING_LIVE_RECEIVER_URL="$(cat "$work/receiver-url")/authing"

# The newest Terraform, so that the tests of identities, query and the action run too.
export TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH:-$(scripts/tool.sh terraform-1.16)}

started=$SECONDS
AUTHING_LIVE=1 scripts/testacc-live.sh
echo "==> Live mode against the emulator took $((SECONDS - started)) s"

stats=$(curl -fsS "$AUTHING_HOST/_emulator/stats")
requests=0
if [[ $stats =~ \"requests\":\{([^}]*)\} ]]; then
	for n in $(grep -oE '[0-9]+' <<<"${BASH_REMATCH[1]}"); do
		requests=$((requests + n))
	done
fi
echo "==> The run made $requests API requests (budget $budget)"
if [ "$requests" -gt "$budget" ]; then
	echo "testacc-live-emulator: $requests requests is over the budget of $budget" >&2
	exit 1
fi
