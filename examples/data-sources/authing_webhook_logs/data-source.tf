# After a smoke test fires a webhook, check Authing's deliveries since the firing.
resource "authing_webhook_trigger" "smoke" {
  webhook_id   = var.webhook_id
  request_body = jsonencode({ eventName = "test", data = { release = var.release } })
  triggers     = { release = var.release }
}

# Authing may write a delivery's log a moment after the delivery: min_count makes the read
# wait (within timeouts.read) until at least one is there, and fail saying what it saw
# otherwise, so logs[0] needs no guard. Referring to the trigger makes the read wait for
# the firing.
data "authing_webhook_logs" "deploy" {
  webhook_id = authing_webhook_trigger.smoke.webhook_id
  # timestamps are RFC 3339; a minute allows for the two clocks to disagree.
  since     = timeadd(authing_webhook_trigger.smoke.triggered_at, "-1m")
  min_count = 1
  limit     = 20

  timeouts {
    read = "1m"
  }

  lifecycle {
    postcondition {
      condition     = alltrue([for l in self.logs : l.success])
      error_message = "A delivery since the smoke test failed: ${jsonencode([for l in self.logs : { status = l.response_status_code, error = l.error_message } if !l.success])}"
    }
  }
}

# Only the smoke test's own delivery, found by the firing ID it carried in its
# Idempotency-Key header (where Authing logs manual triggers).
data "authing_webhook_logs" "smoke" {
  webhook_id = authing_webhook_trigger.smoke.webhook_id
  firing_id  = authing_webhook_trigger.smoke.id
  min_count  = 1
}

output "latest_delivery_body" {
  value = jsondecode(data.authing_webhook_logs.deploy.logs[0].request_body)
}
