# See what would be replayed, without sending anything:
#
#   terraform apply -invoke=action.authing_webhook_replay.look
#
# Each failed delivery is listed with the Idempotency-Key its replay would carry.
action "authing_webhook_replay" "look" {
  config {
    webhook_id = var.webhook_id
    since      = var.deploy_started_at
    dry_run    = true
  }
}
