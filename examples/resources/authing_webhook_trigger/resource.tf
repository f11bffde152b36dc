variable "release" {
  type        = string
  description = "The release being deployed; a new value fires the smoke test again."
}

# By name: fails when no webhook, or more than one, has this name.
data "authing_webhook" "deploy" {
  name = "deploy-notifications"
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = data.authing_webhook.deploy.webhook_id

  request_headers = {
    "X-Smoke-Test" = "terraform"
  }

  request_body = jsonencode({
    eventName = "test"
    data      = { description = "Smoke test after deploying ${var.release}" }
  })

  # Any change here fires the webhook again.
  triggers = {
    release = var.release
  }

  # The smoke test passes when the endpoint answers HTTP 200 with {"received": true, ...}.
  # A firing that does not is not recorded, so the next apply fires again.
  expect = {
    status_codes = [200]
    equals       = { "/received" = "true" }
  }

  # While the service is still starting, fire again: up to 5 firings, 1s, 2s, 4s... apart.
  # Each attempt is a real delivery.
  retry = {
    attempts = 5
  }

  timeouts {
    create = "2m"
  }
}
