#!/usr/bin/env bash
# The main job on the embedded default, end to end: build the provider and the emulator,
# start the emulator with a sample webhook, apply examples/smoke-test (list the webhooks,
# trigger the first, check the answer), print the stored response, then show a deploy going
# live (a receiver failing its first deliveries) and stop the emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

cli=$(scripts/tool.sh terraform)

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
work=$(mktemp -d)
cleanup() {
	stop_emulator
	rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building the provider"
mkdir -p "$work/plugins"
go build -o "$work/plugins/terraform-provider-authing" .

echo "==> Starting the emulator with one sample webhook"
start_emulator "$work" -seed 1

# Use the provider just built instead of a registry download.
write_cli_config "$work/cli.tfrc" "$work/plugins"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export TF_IN_AUTOMATION=1
# apply runs one example in a folder of its own and prints its stored response.
apply() {
	local example=$1
	mkdir -p "$work/$example"
	cp "examples/$example/main.tf" "$work/$example/main.tf"
	echo "==> $("$cli" version | head -n 1): apply examples/$example against $AUTHING_HOST"
	# The development overrides warning is dropped whole, from its title to the end of its
	# last paragraph (its lines wrap differently from one CLI to the next), and blank lines.
	"$cli" -chdir="$work/$example" apply -auto-approve -input=false -no-color 2>&1 |
		awk '/Warning: Provider development overrides are in effect/ { skip = 1 } skip && /releases\.$/ { skip = 0; next } !skip && !/^[[:space:]]*$/'
	echo "==> The stored response"
	"$cli" -chdir="$work/$example" output -no-color -json response
}

# Authing's documented flow: list the webhooks, take one, trigger it, check the answer.
apply smoke-test

# The whole lifecycle: create a webhook pointed at the emulator's receiver, fire it, check.
export TF_VAR_receiver_url="$AUTHING_HOST/_emulator/receiver/lifecycle"
apply webhook-lifecycle

# A deploy going live: the service behind the webhook is still starting, so its first two
# deliveries fail with HTTP 503 (the emulator's receiver, told so by ?fail_first=2), then
# it answers. The trigger's retry fires again after each known failure, and expect says
# what a live service answers; each attempt is one delivery, and the receiver counts them.
echo "==> A deploy going live: the receiver fails its first 2 deliveries, then answers"
mkdir -p "$work/deploy"
cat >"$work/deploy/main.tf" <<'EOF'
terraform {
  required_providers {
    authing = {
      source = "authing/authing"
    }
  }
}

provider "authing" {}

variable "receiver_url" {
  type = string
}

resource "authing_webhook" "service" {
  name   = "deploy-going-live"
  url    = var.receiver_url
  events = ["test"]
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = authing_webhook.service.webhook_id
  request_body = jsonencode({
    eventName = "test"
    data      = { description = "Is the new release live?" }
  })

  # Live means HTTP 200 with the receiver's acknowledgement.
  expect = {
    status_codes = [200]
    equals       = { "/received" = "true" }
  }
  # Up to five firings, 200 ms apart at first: each one a real delivery.
  retry = {
    attempts  = 5
    min_delay = "200ms"
    max_delay = "1s"
  }
}

output "attempts" {
  value = authing_webhook_trigger.smoke.attempts
}

output "status_code" {
  value = authing_webhook_trigger.smoke.status_code
}
EOF
echo "==> $("$cli" version | head -n 1): apply a trigger with retry and expect against a receiver that is starting"
TF_VAR_receiver_url="$AUTHING_HOST/_emulator/receiver/deploy?fail_first=2" \
	"$cli" -chdir="$work/deploy" apply -auto-approve -input=false -no-color 2>&1 |
	awk '/Warning: Provider development overrides are in effect/ { skip = 1 } skip && /releases\.$/ { skip = 0; next } !skip && !/^[[:space:]]*$/'
echo "==> The receiver's deliveries"
curl -fsS "$AUTHING_HOST/_emulator/receivers/deploy"
echo

echo "==> What the emulator saw"
curl -fsS "$AUTHING_HOST/_emulator/stats" 2>/dev/null || true
echo
