#!/usr/bin/env bash
# Runs the acceptance tests (TF_ACC=1) once per Terraform CLI, one after the other:
#   - terraform: TF_ACC_TERRAFORM_PATH, or `terraform` on PATH (the oldest line promised);
#     skipped, and said so, when there is none;
#   - terraform-1.16: Terraform 1.16.4 built without remote-state backends by
#     scripts/tool.sh (skip with AUTHING_SKIP_TERRAFORM_116=1); no test may skip on it, so
#     every feature of the provider is run;
#   - tofu: OpenTofu, built by scripts/tool.sh (skip with AUTHING_SKIP_TOFU=1).
# Each run's wall time is printed. TESTACC_RUN narrows the tests, TESTACC_ARGS adds flags.
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
	echo "testacc: terraform is not on PATH (and TF_ACC_TERRAFORM_PATH is unset); running with Terraform 1.16.4 and OpenTofu only." >&2
fi
if [ "${AUTHING_SKIP_TERRAFORM_116:-}" != 1 ]; then
	names+=(terraform-1.16)
	paths+=("$(scripts/tool.sh terraform-1.16)")
fi
if [ "${AUTHING_SKIP_TOFU:-}" != 1 ]; then
	names+=(tofu)
	paths+=("$(scripts/tool.sh tofu)")
fi
if [ ${#names[@]} -eq 0 ]; then
	echo "testacc: no Terraform CLI to run the acceptance tests with: unset AUTHING_SKIP_TERRAFORM_116 or AUTHING_SKIP_TOFU." >&2
	exit 1
fi

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
summary=()
status=0
for i in "${!names[@]}"; do
	name=${names[$i]}
	path=${paths[$i]}
	version=$("$path" version | head -n 1)
	echo "==> Acceptance tests with $version ($path)"
	host=registry.terraform.io
	[ "$name" = tofu ] && host=registry.opentofu.org
	log="$logs/$name.log"
	start=$SECONDS
	rc=0
	# -v, so that skipped tests are listed; only failures are printed in full. The
	# TestAccLive_ tests need a server outside the test process: make testacc-live-emulator
	# runs them, on Terraform 1.16.4.
	TF_ACC=1 TF_ACC_TERRAFORM_PATH="$path" TF_ACC_PROVIDER_HOST="$host" \
		go test -v -count=1 -timeout 45m -run "$run" -skip '^TestAccLive_' ./internal/provider/ ${TESTACC_ARGS:-} >"$log" 2>&1 || rc=$?
	took=$((SECONDS - start))
	if [ "$rc" -ne 0 ]; then
		cat "$log"
		status=1
	fi
	passed=$(grep -c -- '^--- PASS' "$log" || true)
	skipped=$(grep -- '^--- SKIP' "$log" | awk '{print $3}' || true)
	skips=$(printf '%s' "$skipped" | grep -c . || true)
	grep -E -- '^(ok|FAIL|--- FAIL)' "$log" || true
	if [ "$name" = terraform-1.16 ] && [ "$skips" -gt 0 ]; then
		echo "testacc: $skips tests skipped on $version, where every test must run:" $skipped >&2
		status=1
	fi
	summary+=("$version: $passed passed, $skips skipped, exit $rc, ${took}s")
done

echo "==> Acceptance tests"
printf '    %s\n' "${summary[@]}"
exit "$status"
