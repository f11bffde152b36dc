# One configuration that creates a webhook, fires it, and checks the answer. Editing the
# webhook changes its updated_at, which is a trigger key, so the smoke test fires again.
#
# Credentials and host come from AUTHING_ACCESS_KEY_ID, AUTHING_ACCESS_KEY_SECRET and
# AUTHING_HOST; `make demo` runs this against the local emulator, whose built-in receiver
# answers with what it received.

terraform {
  required_providers {
    authing = {
      source = "authing/authing"
    }
  }
}

provider "authing" {}

variable "receiver_url" {
  type        = string
  description = "Where the webhook points: your service's endpoint, or the emulator's receiver."
}

resource "authing_webhook" "smoke" {
  name   = "terraform-smoke-test"
  url    = var.receiver_url
  events = ["test", "user:created"]
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = authing_webhook.smoke.webhook_id

  request_body = jsonencode({
    eventName = "test"
    data      = { description = "Smoke test of ${authing_webhook.smoke.name}" }
  })

  triggers = {
    webhook = authing_webhook.smoke.updated_at
  }

  # A firing whose answer lacks "received": true fails the apply and is not recorded, so the
  # next apply fires again.
  expect = {
    equals = { "/received" = "true" }
  }
}

output "webhook_id" {
  value = authing_webhook.smoke.webhook_id
}

output "response" {
  value = jsondecode(authing_webhook_trigger.smoke.response)
}
