# Terraform 1.16+: notify the webhook before a service is torn down, and again after.
# A destroy-time action's configuration must be known at plan time and cannot hold
# ephemeral values (Terraform keeps it in the plan to run at destroy), and its
# action_trigger cannot have a condition.
action "authing_webhook_trigger" "teardown" {
  config {
    webhook_id   = var.webhook_id
    request_body = jsonencode({ eventName = "test", data = { stage = "teardown", release = var.release } })
  }
}

resource "terraform_data" "service" {
  input = var.release

  lifecycle {
    action_trigger {
      events  = [before_destroy, after_destroy]
      actions = [action.authing_webhook_trigger.teardown]
    }
  }
}
