data "authing_webhook" "deploy" {
  webhook_id = "6229ffaxxxxxxxxcade3e3d9"
}

output "deploy_webhook_events" {
  value = data.authing_webhook.deploy.events
}
