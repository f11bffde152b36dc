# request_headers and request_body are write-only, so they take ephemeral values: the token
# reaches the webhook's endpoint and is stored in no plan and no state (Terraform 1.14.1+).
# Fire it from an action_trigger: `terraform apply -invoke` sends ephemeral values as null
# (Terraform 1.16.4), so for -invoke give the token a `sensitive` variable instead.
variable "smoke_token" {
  type      = string
  ephemeral = true
}

action "authing_webhook_trigger" "authenticated_smoke" {
  config {
    webhook_id      = var.webhook_id
    request_headers = { authorization = "Bearer ${var.smoke_token}" }
  }
}

resource "terraform_data" "release" {
  input = var.release

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.authing_webhook_trigger.authenticated_smoke]
    }
  }
}
