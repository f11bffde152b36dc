#!/usr/bin/env bash
# `make bench`: the performance figures of MEASUREMENTS.md.
#   1. API calls: asserted by ordinary tests (make test / make testacc), summarised here.
#   2. Listing 5,000 webhooks at 30 ms latency, concurrent vs one page at a time.
#   3. Apply of 100 authing_webhook_trigger resources vs a do-nothing provider with the
#      same schema (tools/applybench/baseline), alternating, medians of pairwise ratios.
#   4. Peak RSS of the provider process while listing 5,000 webhooks.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
	unset TF_CLI_CONFIG_FILE
fi
cli=$(scripts/tool.sh terraform)

echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3)"
echo
echo "==> Go benchmarks (client against the in-process emulator)"
out=$(go test -run '^$' -bench . -benchtime "${BENCHTIME:-5x}" ./internal/authing/)
echo "$out" | grep -E '^Benchmark'
seq=$(echo "$out" | awk '/latency=30ms\/workers=1-/ {print $3}')
par=$(echo "$out" | awk '/latency=30ms\/workers=8-/ {print $3}')
awk -v s="$seq" -v p="$par" 'BEGIN { printf "Listing 5,000 webhooks at 30 ms latency: %.2f s one page at a time, %.2f s concurrent: %.1fx faster (target >= 5x)\n", s/1e9, p/1e9, s/p }'
echo
echo "==> Apply overhead and memory ($("$cli" version | head -n 1))"
go run ./tools/applybench -cli "$cli" -reps "${REPS:-5}"
echo
echo "API call counts are asserted by tests, not timed: one token per provider process"
echo "(TestTokenIsFetchedOnceForConcurrentCallers, TestAccCLI_parallelApplyOfManyTriggers),"
echo "ceil(W/50) list requests (TestListWebhooksCostsOneRequestPerPageInOrder), and no call"
echo "for a plan of an unchanged configuration (TestAccWebhookTrigger_unchangedPlanMakesNoAPICall)."
