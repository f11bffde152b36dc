# A module that smoke-tests a webhook after a deploy: it finds the webhook by name, fires it
# with the release, and reads back Authing's latest deliveries. tests/ is its
# `terraform test` suite: against the local emulator (emulator.tftest.hcl) and with a
# mocked provider (mocked.tftest.hcl). See the guide "Testing your modules against the emulator".

terraform {
  required_version = ">= 1.7"

  required_providers {
    authing = {
      source = "authing/authing"
    }
  }
}

variable "webhook_name" {
  type        = string
  description = "Name of the webhook to fire; exactly one webhook must have it."
}

variable "release" {
  type        = string
  description = "The release being smoke-tested; a new release fires again."
}

data "authing_webhooks" "target" {
  name = var.webhook_name
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = one(data.authing_webhooks.target.ids)
  request_body = jsonencode({ eventName = "test", data = { release = var.release } })
  triggers     = { release = var.release }

  lifecycle {
    precondition {
      condition     = length(data.authing_webhooks.target.ids) == 1
      error_message = "Expected exactly one webhook named ${var.webhook_name}, found ${length(data.authing_webhooks.target.ids)}."
    }
  }
}

data "authing_webhook_logs" "recent" {
  webhook_id = authing_webhook_trigger.smoke.webhook_id
  limit      = 5
  depends_on = [authing_webhook_trigger.smoke]
}

output "response" {
  description = "What the webhook's endpoint answered."
  value       = jsondecode(authing_webhook_trigger.smoke.response)
}

output "deliveries" {
  description = "The webhook's latest deliveries, newest first."
  value       = data.authing_webhook_logs.recent.logs
}
