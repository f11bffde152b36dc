#!/usr/bin/env bash
# Runs the stages of `make check` (the make targets given as arguments) one after the
# other, stops at the first that fails, and prints how long each took, also on failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

stages=("$@")
took=() result=()
status=0
total=$SECONDS
for stage in "${stages[@]}"; do
	if [ "$status" -ne 0 ]; then
		took+=("-") result+=("not run")
		continue
	fi
	echo "==> make $stage"
	start=$SECONDS
	if make --no-print-directory "$stage"; then
		result+=(ok)
	else
		result+=(FAILED)
		status=1
	fi
	took+=("$((SECONDS - start))s")
done

echo
echo "==> make check: the time each stage took"
printf '    %-24s %8s  %s\n' stage took result
for i in "${!stages[@]}"; do
	printf '    %-24s %8s  %s\n' "${stages[$i]}" "${took[$i]}" "${result[$i]}"
done
printf '    %-24s %8s  %s\n' total "$(((SECONDS - total) / 60))m$(((SECONDS - total) % 60))s" "$([ "$status" -eq 0 ] && echo ok || echo FAILED)"
exit "$status"
