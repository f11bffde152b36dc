# After a smoke test fires a webhook, check that Authing's latest real deliveries
# succeeded. depends_on makes the read wait for the firing.
data "authing_webhook_logs" "deploy" {
  webhook_id = authing_webhook_trigger.smoke.webhook_id
  limit      = 5
  depends_on = [authing_webhook_trigger.smoke]

  lifecycle {
    postcondition {
      condition     = alltrue([for l in self.logs : l.success])
      error_message = "A recent delivery failed: ${jsonencode([for l in self.logs : { status = l.response_status_code, error = l.error_message } if !l.success])}"
    }
  }
}

output "latest_delivery_body" {
  value = jsondecode(data.authing_webhook_logs.deploy.logs[0].request_body)
}
