# Fire the webhook after every deploy of the service behind it (Terraform 1.14.1+).
action "authing_webhook_trigger" "smoke" {
  config {
    webhook_id   = var.webhook_id
    request_body = jsonencode({ eventName = "test", data = { release = var.release } })

    # Fail the apply unless the endpoint answered HTTP 200 with {"received": true, ...}.
    # While the service is still starting, fire again up to 5 times: each attempt is a
    # real delivery, and the progress says why and when the next comes.
    expect = {
      status_codes = [200]
      equals       = { "/received" = "true" }
    }
    retry = {
      attempts = 5
    }
  }
}

resource "terraform_data" "deploy" {
  input = var.release

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.authing_webhook_trigger.smoke]
    }
  }
}

variable "webhook_id" {
  type = string
}

variable "release" {
  type = string
}
