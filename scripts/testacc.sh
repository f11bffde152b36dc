#!/usr/bin/env bash
# Runs the acceptance tests (TF_ACC=1) once per Terraform CLI available:
#   - Terraform: TF_ACC_TERRAFORM_PATH, or `terraform` on PATH;
#   - OpenTofu: built from the Go module proxy by scripts/tool.sh (skip with AUTHING_SKIP_TOFU=1).
# With no terraform at all, OpenTofu alone runs the suite, so a machine with only Go can
# run everything.
set -euo pipefail
cd "$(dirname "$0")/.."

# A CLI configuration path that does not exist only makes every command print a warning.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
	unset TF_CLI_CONFIG_FILE
fi

run=${TESTACC_RUN:-.}
names=()
paths=()

terraform_path=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}
if [ -n "$terraform_path" ]; then
	names+=(terraform)
	paths+=("$terraform_path")
else
	echo "testacc: terraform is not on PATH (and TF_ACC_TERRAFORM_PATH is unset); running the acceptance tests with OpenTofu only." >&2
fi
if [ "${AUTHING_SKIP_TOFU:-}" != 1 ]; then
	names+=(tofu)
	paths+=("$(scripts/tool.sh tofu)")
fi
if [ ${#names[@]} -eq 0 ]; then
	echo "testacc: no Terraform CLI to run the acceptance tests with: put terraform on PATH, or unset AUTHING_SKIP_TOFU to use OpenTofu." >&2
	exit 1
fi

for i in "${!names[@]}"; do
	name=${names[$i]}
	path=${paths[$i]}
	echo "==> Acceptance tests with $("$path" version | head -n 1) ($path)"
	host=registry.terraform.io
	[ "$name" = tofu ] && host=registry.opentofu.org
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$path" TF_ACC_PROVIDER_HOST="$host" \
		go test -count=1 -timeout 45m -run "$run" ./internal/provider/ ${TESTACC_ARGS:-}
done
