# After a smoke test fires a webhook, check that Authing's latest real deliveries
# succeeded, and that the latest one came after the firing. depends_on makes the read
# wait for the firing.
resource "authing_webhook_trigger" "smoke" {
  webhook_id   = var.webhook_id
  request_body = jsonencode({ eventName = "test", data = { release = var.release } })
  triggers     = { release = var.release }
}

data "authing_webhook_logs" "deploy" {
  webhook_id = authing_webhook_trigger.smoke.webhook_id
  limit      = 5
  depends_on = [authing_webhook_trigger.smoke]

  lifecycle {
    postcondition {
      condition     = alltrue([for l in self.logs : l.success])
      error_message = "A recent delivery failed: ${jsonencode([for l in self.logs : { status = l.response_status_code, error = l.error_message } if !l.success])}"
    }
    postcondition {
      # timestamps are RFC 3339, so timecmp() compares them with triggered_at. A
      # conditional, not &&, guards the index: Terraform before 1.12 evaluates both sides
      # of &&.
      condition     = length(self.logs) > 0 ? timecmp(self.logs[0].timestamp, timeadd(authing_webhook_trigger.smoke.triggered_at, "-1m")) >= 0 : false
      error_message = "No delivery since the smoke test fired."
    }
  }
}

output "latest_delivery_body" {
  value = try(jsondecode(data.authing_webhook_logs.deploy.logs[0].request_body), null)
}
