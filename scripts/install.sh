#!/usr/bin/env bash
# make install: installs the provider into GOBIN (or GOPATH/bin), writes a Terraform and
# OpenTofu CLI configuration beside it whose dev_overrides block uses it, and says how to
# use both. Everything it says goes to stderr; stdout is the one line to evaluate, so that
#   eval "$(make -s install)"
# installs and points this shell's Terraform at the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bin=$(go env GOBIN)
if [ -z "$bin" ]; then
	gopath=$(go env GOPATH)
	bin="${gopath%%:*}/bin"
fi
go install -trimpath .
rc="$bin/authing-dev.tfrc"
go run ./tools/devcli "$bin" >"$rc"

{
	echo "Installed terraform-provider-authing into $bin."
	echo "Wrote $rc, a CLI configuration for Terraform and OpenTofu that uses it:"
	echo
	sed 's/^/    /' "$rc"
	echo
	echo "Point this shell at it (eval \"\$(make -s install)\" does both steps):"
	echo
	echo "    export TF_CLI_CONFIG_FILE=\"$rc\""
	echo
	echo "Then run terraform plan and apply in your configuration, without terraform init:"
	echo "with a development override, Terraform loads the provider from $bin and needs no"
	echo "installation, and terraform init would fail looking authing/authing up in a"
	echo "registry. A configuration with modules: install them with terraform get."
} >&2
printf 'export TF_CLI_CONFIG_FILE=%q\n' "$rc"
