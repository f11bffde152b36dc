data "authing_webhook" "deploy" {
  webhook_id = var.webhook_id # such as "6229ffaxxxxxxxxcade3e3d9"
}

variable "webhook_id" {
  type = string
}

output "deploy_webhook_events" {
  value = data.authing_webhook.deploy.events
}

# Or by name. Names are not unique at Authing: the read fails when no webhook, or more
# than one, has this exact name, naming each one found.
data "authing_webhook" "by_name" {
  name = "deploy-notifications"
}
