#!/usr/bin/env bash
# Runs the acceptance tests (TF_ACC=1) against the in-process emulator.
#
#   scripts/testacc.sh            one CLI: TF_ACC_TERRAFORM_PATH, else `terraform` on PATH,
#                                 else Terraform 1.16.4 (scripts/tool.sh terraform-1.16)
#   scripts/testacc.sh --matrix   every CLI of the matrix below (make check)
#
# TESTACC_RUN narrows the tests (a go test -run pattern); TESTACC_TESTS=older runs only
# the tests the older CLIs of the matrix run (older_cli_tests). TESTACC_ARGS adds go test flags
# (-parallel 4, -failfast). The test binary is built once and run for each CLI.
# In the matrix, TESTACC_CLIS names the CLIs to run (default: all of them) and TESTACC_JOBS
# how many CLIs run at once (default 2).
#
# No test may skip on the newest Terraform (the CLI of tools/terraform): every feature of
# the provider is run there, so a skip fails the run. Older CLIs may skip the tests of
# features they lack; their skips are listed. CONTRIBUTING.md says which tests run where.
set -euo pipefail
cd "$(dirname "$0")/.."

# The matrix: scripts/tool.sh names. The first runs every test; the others run the tests
# listed in older_cli_tests.
matrix=(terraform-1.16 terraform-1.5 tofu-1.6 terraform-1.11 tofu)

# The tests whose behaviour depends on the CLI, run on every CLI of the matrix: each
# feature's test on the oldest version promised, and what the CLI itself takes part in
# (protocol, import, write-only values, identity, plan and apply of unknown values, partial
# state, interrupts, logs). A test opts in by adding its name here; names are checked.
older_cli_tests=(
	# Data sources (promised on Terraform 1.5 and OpenTofu 1.6).
	TestAccWebhookDataSource
	TestAccWebhooksDataSource_filters
	TestAccWebhookEventsDataSource
	TestAccWebhookLogs_latestDeliveriesWithoutTheSecret
	# authing_webhook: create, update, import by ID, drift; write-only secrets (1.11+),
	# import blocks by identity (1.12+).
	TestAccWebhook_createUpdateImport
	TestAccWebhook_driftRecreatedUnderBothNotFoundStyles
	TestAccWebhook_writeOnlySecret
	TestAccWebhook_switchToWriteOnlySecret
	TestAccWebhook_identityAndImportBlocks
	# authing_webhook_trigger: firing, re-firing on real changes only, unknown inputs at
	# plan, no state on failure, import refused, on_destroy teardown.
	TestAccWebhookTrigger_listTakeFirstAndTrigger
	TestAccWebhookTrigger_refiresOnlyOnRealChanges
	TestAccWebhookTrigger_unknownInputsAtPlan
	TestAccWebhookTrigger_failureLeavesNoState
	TestAccWebhookTrigger_importIsRefused
	TestAccWebhookTrigger_onDestroy
	# The CLI itself: unknown provider configuration, secrets in TRACE logs and state, an
	# interrupted apply, exactly once under faults.
	TestAccProvider_unknownConfiguration
	TestAccCLI_noSecretsAnywhere
	TestAccCLI_interruptedApply
	TestAccChaos_exactlyOnceUnderFaults
	# A smoke test that decides for itself: expect and retry on the resource, the endpoint's
	# status from the logs, both ways Authing may report a failing endpoint, no retry after
	# MAY HAVE FIRED; and an endpoint's echo of the webhook's secret in no state or output.
	TestAccWebhookTrigger_unmetExpectLeavesNoState
	TestAccWebhookTrigger_statusCodeFromTheLogs
	TestAccWebhookTrigger_retryUntilLive
	TestAccWebhookTrigger_retryNeverAfterMayHaveFired
	TestAccWebhookTrigger_endpointFailureStyles
	TestAccCLI_echoedSecretReachesNoStateNorOutput
	TestAccCLI_brokenJSONNeverPrintsTheValue
	# The documentation: every README and docs/ snippet, each on the CLIs that have what it
	# uses, and the install path from a clone, as written.
	TestAccDocs_snippetsRunAsWritten
	TestAccInstall_documentedPathFromAClone
)

# No upgrade check against the network from `terraform version` and the tests.
export CHECKPOINT_DISABLE=1
# A CLI configuration path that does not exist only makes every command print a warning.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
	unset TF_CLI_CONFIG_FILE
fi

newest=$(awk '$1 == "require" && $2 == "github.com/hashicorp/terraform" {print $3}' tools/terraform/go.mod)
newest=${newest#v}
# Each CLI's full go test -v log is kept in out/testacc/ (the test binary is removed).
logs=out/testacc
rm -rf "$logs"
mkdir -p "$logs"
trap 'rm -f "$logs/provider.test"' EXIT

# The test binary, built once; go test flags in TESTACC_ARGS become its -test. flags.
testbin="$PWD/$logs/provider.test"
go test -c -o "$testbin" ./internal/provider/
args=()
for a in ${TESTACC_ARGS:-}; do
	case "$a" in
	-test.*) args+=("$a") ;;
	-*) args+=("-test.${a#-}") ;;
	*) args+=("$a") ;;
	esac
done

# cli_version PATH prints the CLI's version line ("Terraform v1.5.7", "OpenTofu v1.6.3").
cli_version() {
	"$1" version | sed -n 1p
}

# run_cli NAME PATH PATTERN: runs the tests matching PATTERN with the CLI at PATH and
# writes a summary line to $logs/NAME.summary; returns non-zero when a test failed, or
# when one skipped on the newest Terraform.
run_cli() {
	local name=$1 path=$2 pattern=$3
	local log="$logs/$name.log" version host=registry.terraform.io strict=0 rc=0 start=$SECONDS
	version=$(cli_version "$path")
	case "$version" in
	OpenTofu*) host=registry.opentofu.org ;;
	"Terraform v$newest") strict=1 ;;
	esac
	# -v, so that skipped tests are listed; only failures are printed in full. The
	# TestAccLive_ tests need a server outside the test process: make
	# testacc-live-emulator runs them.
	# It runs in the package's folder, as go test would run it.
	(cd internal/provider && TF_ACC=1 TF_ACC_TERRAFORM_PATH="$path" TF_ACC_PROVIDER_HOST="$host" \
		"$testbin" -test.v -test.count=1 -test.timeout=45m -test.run="$pattern" -test.skip='^TestAccLive_' "${args[@]}") >"$log" 2>&1 || rc=$?
	local took=$((SECONDS - start)) passed skipped skips
	passed=$(grep -c -- '^--- PASS' "$log" || true)
	skipped=$(grep -- '^--- SKIP' "$log" | awk '{print $3}' | tr '\n' ' ' || true)
	skips=$(printf '%s' "$skipped" | wc -w)
	if [ "$rc" -ne 0 ]; then
		{
			echo "==> $version: output of the failed run"
			cat "$log"
		} >"$logs/$name.failure"
	fi
	if [ "$strict" = 1 ] && [ "$skips" -gt 0 ]; then
		echo "testacc: $skips tests skipped on $version, where every test must run: $skipped" >>"$logs/$name.failure"
		rc=1
	fi
	local line
	line=$(printf '%-18s %3d passed, %2d skipped, %s, %4ds' "$version" "$passed" "$skips" "$([ "$rc" -eq 0 ] && echo ok || echo FAILED)" "$took")
	[ "$skips" -gt 0 ] && line+="; skipped: $skipped"
	echo "$line" >"$logs/$name.summary"
	echo "    done: $line"
	return "$rc"
}

# The older CLIs' tests must exist: a renamed test would silently drop out.
all=$(cd internal/provider && "$testbin" -test.list '^TestAcc')
listed=$(grep '^Test' <<<"$all" || true)
for t in "${older_cli_tests[@]}"; do
	if ! grep -qx -- "$t" <<<"$listed"; then
		echo "testacc: scripts/testacc.sh lists $t in older_cli_tests, but there is no such test; rename it there too." >&2
		exit 1
	fi
done
selected=$(cd internal/provider && "$testbin" -test.list "${TESTACC_RUN:-.}")
selected=$(grep '^TestAcc' <<<"$selected" | grep -v '^TestAccLive_' || true)
older=()
for t in "${older_cli_tests[@]}"; do
	grep -qx -- "$t" <<<"$selected" && older+=("$t")
done

older_pattern="^($(IFS='|'; echo "${older[*]}"))\$"

if [ "${1:-}" != --matrix ]; then
	path=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}
	if [ -z "$path" ]; then
		echo "testacc: terraform is not on PATH and TF_ACC_TERRAFORM_PATH is unset; using Terraform $newest (scripts/tool.sh terraform-1.16)." >&2
		path=$(scripts/tool.sh terraform-1.16)
	fi
	pattern=${TESTACC_RUN:-.}
	if [ "${TESTACC_TESTS:-all}" = older ]; then
		if [ ${#older[@]} -eq 0 ]; then
			echo "testacc: none of the tests TESTACC_RUN selects is in older_cli_tests." >&2
			exit 1
		fi
		pattern=$older_pattern
	fi
	echo "==> Acceptance tests with $(cli_version "$path") ($path): $pattern"
	status=0
	run_cli cli "$path" "$pattern" || status=$?
	[ -e "$logs/cli.failure" ] && cat "$logs/cli.failure"
	grep -E -- '^(PASS|FAIL|--- FAIL)' "$logs/cli.log" || true
	exit "$status"
fi

clis=("${matrix[@]}")
if [ -n "${TESTACC_CLIS:-}" ]; then
	read -r -a clis <<<"$TESTACC_CLIS"
fi
names=() paths=() patterns=()
for name in "${clis[@]}"; do
	if [ "$name" = "${matrix[0]}" ]; then
		pattern=${TESTACC_RUN:-.}
	elif [ ${#older[@]} -eq 0 ]; then
		echo "==> $name: none of the tests TESTACC_RUN selects runs on the older CLIs; skipped."
		continue
	else
		pattern=$older_pattern
	fi
	start=$SECONDS
	path=$(scripts/tool.sh "$name")
	echo "==> $name: $path ($((SECONDS - start))s to find or build)"
	names+=("$name") paths+=("$path") patterns+=("$pattern")
done

jobs=${TESTACC_JOBS:-2}
status=0
running=0
start=$SECONDS
for i in "${!names[@]}"; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || status=1
		running=$((running - 1))
	fi
	echo "==> Acceptance tests with $(cli_version "${paths[$i]}"): ${patterns[$i]}"
	run_cli "${names[$i]}" "${paths[$i]}" "${patterns[$i]}" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n || status=1
	running=$((running - 1))
done

for name in "${names[@]}"; do
	[ -e "$logs/$name.failure" ] && cat "$logs/$name.failure"
done
echo "==> Acceptance test matrix ($((SECONDS - start))s, $jobs CLIs at a time)"
for name in "${names[@]}"; do
	printf '    %s\n' "$(cat "$logs/$name.summary")"
done
exit "$status"
