#!/usr/bin/env bash
# Checks the emulator against a client we did not write: the official Authing Node SDK
# (authing-node-sdk 4.0.1), which signs every request instead of using a token. It installs
# the SDK with npm into the per-machine tool cache (outside the clone), starts the emulator
# with 12 webhooks, and runs tools/nodesdk/check.js, which asserts every answer.
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.0.1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "node-sdk-check: Node.js and npm are needed to check the emulator against the official Node SDK." >&2
	echo "Install them (for example: apt-get install nodejs npm) and run again." >&2
	exit 1
fi
cache=${AUTHING_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-authing/tools}
sdk="$cache/authing-node-sdk-$version"
if [ ! -f "$sdk/node_modules/authing-node-sdk/package.json" ]; then
	echo "Installing authing-node-sdk $version with npm (once per machine; cached in $sdk)..." >&2
	mkdir -p "$sdk"
	npm install --prefix "$sdk" --no-audit --no-fund --loglevel=error "authing-node-sdk@$version" >&2
fi

work=$(mktemp -d)
emulator_pid=
cleanup() {
	[ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

export AUTHING_ACCESS_KEY_ID=node-sdk-pool
AUTHING_ACCESS_KEY_SECRET=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export AUTHING_ACCESS_KEY_SECRET
go build -o "$work/authing-emulator" ./cmd/authing-emulator
"$work/authing-emulator" -seed 12 -url-file "$work/url" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
	[ -s "$work/url" ] && break
	kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
	sleep 0.1
done
[ -s "$work/url" ] || { echo "node-sdk-check: the emulator did not start" >&2; exit 1; }
AUTHING_HOST=$(cat "$work/url")
export AUTHING_HOST
start=$SECONDS
NODE_PATH="$sdk/node_modules" node tools/nodesdk/check.js
echo "node-sdk-check: took $((SECONDS - start))s with authing-node-sdk $version and $(node --version)"
