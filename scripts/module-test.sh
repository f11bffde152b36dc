#!/usr/bin/env bash
# Runs `terraform test` of examples/module-smoke-test, the way a user tests a module of
# their own: against the emulator started as a process (a fresh one for each CLI), with the
# provider built from this clone. It runs on Terraform 1.16.4 and on Terraform 1.11.4, the
# oldest line whose `terraform test` runs the example (mock_provider with override_during),
# both built by scripts/tool.sh. MODULE_TEST_CLIS names other CLIs (paths) to run it on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
work=$(mktemp -d)
cleanup() {
	stop_emulator
	rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${MODULE_TEST_CLIS:-}" ]; then
	read -r -a clis <<<"$MODULE_TEST_CLIS"
else
	clis=("$(scripts/tool.sh terraform-1.16)" "$(scripts/tool.sh terraform-1.11)")
fi

mkdir -p "$work/plugins"
go build -o "$work/plugins/terraform-provider-authing" .
write_cli_config "$work/cli.tfrc" "$work/plugins"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

for cli in "${clis[@]}"; do
	echo "==> terraform test of examples/module-smoke-test with $("$cli" version | head -n 1)"
	start_emulator "$work" -seed 1
	rm -rf "$work/module"
	cp -R examples/module-smoke-test "$work/module"
	start=$SECONDS
	"$cli" -chdir="$work/module" test -no-color
	echo "    took $((SECONDS - start))s"
	stop_emulator
done
