# Terraform 1.16+: `caller` is the resource whose action_trigger runs the action, so one
# action serves several resources. on_failure = continue makes a failed firing a warning
# and lets the apply go on; halt, the default, fails the apply.
#
# By hand, for one of the callers (quoted, so that the shell keeps the index's quotes):
#
#   terraform apply -invoke=action.authing_webhook_trigger.deployed -target='terraform_data.services["api"]'
action "authing_webhook_trigger" "deployed" {
  config {
    webhook_id   = var.webhook_id
    request_body = jsonencode({ eventName = "test", data = { service = caller.input } })
  }
}

resource "terraform_data" "services" {
  for_each = toset(["api", "worker"])
  input    = each.key

  lifecycle {
    action_trigger {
      events     = [after_create, after_update]
      actions    = [action.authing_webhook_trigger.deployed]
      on_failure = continue
    }
  }
}
