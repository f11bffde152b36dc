#!/usr/bin/env bash
# Mutation testing with gremlins (pinned, built once per machine by scripts/tool.sh): it
# changes the code one operator at a time and runs the package's tests against each
# change. A mutant the tests kill is a behaviour they hold; one that lives is a behaviour
# nothing checks. Covers the client (internal/authing) and the provider's unit and
# protocol-level tests (internal/provider without TF_ACC).
#
# Usage: scripts/mutate.sh [package ...]   (default: ./internal/authing ./internal/provider)
# Each package's report is kept in .tools/mutate/<package>.json.
set -euo pipefail
cd "$(dirname "$0")/.."

gremlins=$(scripts/tool.sh gremlins)
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(./internal/authing ./internal/provider)
mkdir -p .tools/mutate
status=0
for pkg in "${packages[@]}"; do
	name=$(basename "$pkg")
	echo "==> gremlins unleash $pkg"
	start=$SECONDS
	# Survivors and timeouts are listed; the summary gives efficacy, killed / (killed +
	# lived), and mutant coverage, the share of mutants some test reaches.
	# -count=1: gremlins times the first, unmutated run to set each mutant's timeout, and a
	# cached test result would make that time (and so every timeout) far too short.
	env -u TF_ACC GOFLAGS=-count=1 "$gremlins" unleash --workers 1 --timeout-coefficient 4 --output-statuses lt \
		--output ".tools/mutate/$name.json" "$pkg" || status=$?
	echo "<== $pkg in $((SECONDS - start))s"
done
exit "$status"
