#!/usr/bin/env bash
# The main job on the embedded default, end to end: build the provider and the emulator,
# start the emulator with a sample webhook, apply examples/smoke-test (list the webhooks,
# trigger the first, check the answer), print the stored response, stop the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

cli=$(scripts/tool.sh terraform)

work=$(mktemp -d)
emulator_pid=
cleanup() {
	[ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building the provider and the emulator"
mkdir -p "$work/plugins"
go build -o "$work/plugins/terraform-provider-authing" .
go build -o "$work/authing-emulator" ./cmd/authing-emulator

# The emulator accepts this throwaway key only; it never leaves this machine.
export AUTHING_ACCESS_KEY_ID=emulator-user-pool
AUTHING_ACCESS_KEY_SECRET=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export AUTHING_ACCESS_KEY_SECRET

echo "==> Starting the emulator with one sample webhook"
"$work/authing-emulator" -seed 1 -url-file "$work/url" &
emulator_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/url" ] && break
	kill -0 "$emulator_pid" 2>/dev/null || { echo "demo: the emulator exited" >&2; exit 1; }
	sleep 0.1
done
[ -s "$work/url" ] || { echo "demo: the emulator did not start within 10s" >&2; exit 1; }
AUTHING_HOST=$(cat "$work/url")
export AUTHING_HOST

# Use the provider just built instead of a registry download.
cat >"$work/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/authing/authing" = "$work/plugins"
    "registry.opentofu.org/authing/authing" = "$work/plugins"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export TF_IN_AUTOMATION=1
# apply runs one example in a folder of its own and prints its stored response.
apply() {
	local example=$1
	mkdir -p "$work/$example"
	cp "examples/$example/main.tf" "$work/$example/main.tf"
	echo "==> $("$cli" version | head -n 1): apply examples/$example against $AUTHING_HOST"
	"$cli" -chdir="$work/$example" apply -auto-approve -input=false -no-color 2>&1 |
		grep -v -e "^$" -e "^│" -e "^╷" -e "^╵" -e "development overrides" -e "^ - " -e "may therefore not match" -e "applying changes may cause" -e "releases\.$"
	echo "==> The stored response"
	"$cli" -chdir="$work/$example" output -no-color -json response
}

# Authing's documented flow: list the webhooks, take one, trigger it, check the answer.
apply smoke-test

# The whole lifecycle: create a webhook pointed at the emulator's receiver, fire it, check.
export TF_VAR_receiver_url="$AUTHING_HOST/_emulator/receiver/lifecycle"
apply webhook-lifecycle

echo "==> What the emulator saw"
curl -fsS "$AUTHING_HOST/_emulator/stats" 2>/dev/null || true
echo
