# Terraform 1.12+ and OpenTofu 1.12+: an import block that names the webhook by its identity.
import {
  to = authing_webhook.deploy
  identity = {
    webhook_id = "6229ffaxxxxxxxxcade3e3d9"
  }
}
