# A complete smoke test, in the order of Authing's own documentation: list the user
# pool's webhooks, take one, trigger it, and check what its endpoint answered.
#
# Credentials and host come from AUTHING_ACCESS_KEY_ID, AUTHING_ACCESS_KEY_SECRET and
# AUTHING_HOST; `make demo` runs this against the local emulator.

terraform {
  required_providers {
    authing = {
      source = "authing/authing"
    }
  }
}

provider "authing" {}

variable "webhook_name_regex" {
  type        = string
  default     = "^sample-"
  description = "Which webhooks to consider; the first match is triggered."
}

variable "release" {
  type        = string
  default     = "v1"
  description = "Change it to fire the smoke test again."
}

data "authing_webhooks" "candidates" {
  name_regex = var.webhook_name_regex
  enabled    = true
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = data.authing_webhooks.candidates.ids[0]

  request_body = jsonencode({
    eventName = "test"
    data      = { description = "Smoke test for release ${var.release}" }
  })

  triggers = {
    release = var.release
  }

  lifecycle {
    precondition {
      condition     = length(data.authing_webhooks.candidates.ids) > 0
      error_message = "No enabled webhook matches ${var.webhook_name_regex}."
    }
  }

  # A firing whose answer lacks "received": true fails the apply and is not recorded, so the
  # next apply fires again.
  expect = {
    equals = { "/received" = "true" }
  }
}

output "webhook" {
  value = {
    id   = data.authing_webhooks.candidates.webhooks[0].webhook_id
    name = data.authing_webhooks.candidates.webhooks[0].name
    url  = data.authing_webhooks.candidates.webhooks[0].url
  }
}

output "response" {
  description = "What the webhook's endpoint answered."
  value       = jsondecode(authing_webhook_trigger.smoke.response)
}
