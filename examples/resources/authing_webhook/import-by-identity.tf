# Terraform 1.12+ and OpenTofu 1.12+: an import block that names the webhook by its
# identity, and the configuration it is imported into. The first apply imports the webhook
# and then brings it in line with the configuration.
import {
  to = authing_webhook.deploy
  identity = {
    webhook_id = var.webhook_id # such as "6229ffaxxxxxxxxcade3e3d9"
  }
}

resource "authing_webhook" "deploy" {
  name   = "deploy-notifications"
  url    = "https://hooks.example.com/authing"
  events = ["user:created", "user:deleted", "login"]
}
