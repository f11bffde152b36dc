#!/usr/bin/env bash
# Runs `terraform test` of examples/module-smoke-test, the way a user tests a module of
# their own: against the emulator started as a process (a fresh one for each CLI), with the
# provider built from this clone. It runs on Terraform 1.16.4 (scripts/tool.sh
# terraform-1.16) and on terraform from PATH, the oldest Terraform CI promises, when there
# is one.
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

clis=("$(scripts/tool.sh terraform-1.16)")
if command -v terraform >/dev/null; then
	clis+=("$(command -v terraform)")
else
	echo "module-test: terraform is not on PATH; running on Terraform 1.16.4 only." >&2
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
