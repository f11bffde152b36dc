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

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
work=$(mktemp -d)
cleanup() {
	stop_emulator
	rm -rf "$work"
}
trap cleanup EXIT
start_emulator "$work" -seed 12
start=$SECONDS
NODE_PATH="$sdk/node_modules" node tools/nodesdk/check.js
echo "node-sdk-check: took $((SECONDS - start))s with authing-node-sdk $version and $(node --version)"
