#!/usr/bin/env bash
# Runs the acceptance tests in live mode (internal/provider/live_test.go) against the Authing
# named by AUTHING_HOST, AUTHING_ACCESS_KEY_ID and AUTHING_ACCESS_KEY_SECRET, delivering to
# AUTHING_LIVE_RECEIVER_URL when it is set. It sweeps leftover test webhooks first, writes
# the report to AUTHING_LIVE_REPORT (default out/live-report.md), and ends with how many
# tests ran and skipped, and why.
#
# With CI=true it runs only when asked by name: AUTHING_LIVE=1.
# The Terraform CLI is TF_ACC_TERRAFORM_PATH, or terraform on PATH, or else OpenTofu.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for name in AUTHING_HOST AUTHING_ACCESS_KEY_ID AUTHING_ACCESS_KEY_SECRET; do
	[ -n "${!name:-}" ] || missing+=("$name")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "testacc-live: live mode needs AUTHING_HOST, AUTHING_ACCESS_KEY_ID and AUTHING_ACCESS_KEY_SECRET; not set: ${missing[*]}" >&2
	exit 2
fi
if [ "${CI:-}" = true ] && [ "${AUTHING_LIVE:-}" != 1 ]; then
	echo "testacc-live: CI=true, and live mode runs in CI only when asked by name: set AUTHING_LIVE=1" >&2
	exit 2
fi
export AUTHING_LIVE=1

# A CLI configuration path that does not exist only makes every command print a warning.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
	unset TF_CLI_CONFIG_FILE
fi
cli=${TF_ACC_TERRAFORM_PATH:-$(command -v terraform || true)}
provider_host=registry.terraform.io
if [ -z "$cli" ]; then
	echo "testacc-live: terraform is not on PATH (and TF_ACC_TERRAFORM_PATH is unset); using OpenTofu." >&2
	cli=$(scripts/tool.sh tofu)
	provider_host=registry.opentofu.org
fi

report=${AUTHING_LIVE_REPORT:-out/live-report.md}
mkdir -p "$(dirname "$report")"
report="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
rm -f "$report"
log="$(dirname "$report")/live-test.log"

echo "==> Sweeping leftover test webhooks"
if ! sweep=$(go test -count=1 -v ./internal/provider/ -sweep=all 2>&1); then
	echo "$sweep" >&2
	echo "testacc-live: the sweep failed; no test ran" >&2
	exit 1
fi
grep -o 'swept .*' <<<"$sweep" || true

echo "==> Live acceptance tests with $("$cli" version | head -n 1) ($cli)"
status=0
TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" TF_ACC_PROVIDER_HOST="$provider_host" AUTHING_LIVE_REPORT="$report" \
	go test -count=1 -v -timeout 30m -parallel 2 -run "${TESTACC_RUN:-.}" ./internal/provider/ >"$log" 2>&1 || status=$?
grep -E '^(--- FAIL|FAIL|ok|panic)|^\s+--- FAIL|_test\.go:[0-9]+: ' "$log" | grep -v 'live mode: \|needs Terraform\|below minimum\|a live-mode test' || true

# Top-level tests: ran, skipped (a test whose every subtest skipped counts as skipped) and why.
awk '
/^=== (RUN|CONT|NAME|PAUSE) / { cur = $3; next }
/^ *[A-Za-z0-9_]+\.go:[0-9]+: / { line = $0; sub(/^ *[A-Za-z0-9_]+\.go:[0-9]+: /, "", line); msg[cur] = line; next }
/^--- (PASS|FAIL|SKIP): / { t = $3; if (!(t in st)) names[++n] = t; st[t] = $2; why[t] = msg[t]; next }
/^ +--- (PASS|FAIL|SKIP): / { split($3, p, "/"); subs[p[1]]++; if ($2 == "SKIP:") { skips[p[1]]++; if (!(p[1] in subwhy)) subwhy[p[1]] = msg[$3] }; next }
END {
	for (i = 1; i <= n; i++) {
		t = names[i]; s = st[t]
		if (s == "PASS:" && subs[t] > 0 && skips[t] == subs[t]) { s = "SKIP:"; why[t] = subwhy[t] }
		if (s == "PASS:") ran++
		else if (s == "SKIP:") { skipped++; reasons[why[t]]++ }
		else failed++
	}
	printf "==> Live mode: %d tests ran, %d skipped, %d failed\n", ran, skipped, failed
	fflush()
	for (r in reasons) printf "    %3d skipped: %s\n", reasons[r], r | "sort -rn"
	close("sort -rn")
}' "$log"
if [ -s "$report" ]; then
	echo "==> Report: $report"
	cat "$report"
fi
exit "$status"
