# Fire on demand, without changing anything else:
#
#   terraform apply -invoke=action.authing_webhook_trigger.on_demand
action "authing_webhook_trigger" "on_demand" {
  config {
    webhook_id = var.webhook_id

    timeouts {
      invoke = "30s"
    }
  }
}
