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

  timeouts {
    create = "1m"
  }

  lifecycle {
    postcondition {
      condition     = jsondecode(self.response).received == true
      error_message = "The webhook endpoint did not acknowledge the smoke test: ${self.response}"
    }
  }
}
