resource "authing_webhook" "deploy" {
  name         = "deploy-notifications"
  url          = "https://hooks.example.com/authing"
  events       = ["user:created", "user:deleted", "login"]
  content_type = "application/json"
  enabled      = true

  # Write-only (Terraform 1.11+): sent to Authing, never stored. Bump the version to rotate.
  secret_wo         = var.webhook_signing_secret
  secret_wo_version = 1

  # Optional: unset, nothing is sent and Authing keeps its own retry setting.
  retry_config = {
    enabled    = true
    count      = 3
    delay      = 1
    delay_unit = "Minute"
  }
}

variable "webhook_signing_secret" {
  type      = string
  sensitive = true
}
