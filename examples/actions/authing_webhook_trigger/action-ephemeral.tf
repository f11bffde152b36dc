# request_headers and request_body are write-only, so they take ephemeral values: the token
# reaches the webhook's endpoint and is stored in no plan and no state (Terraform 1.14+).
variable "smoke_token" {
  type      = string
  ephemeral = true
}

action "authing_webhook_trigger" "authenticated_smoke" {
  config {
    webhook_id      = var.webhook_id
    request_headers = { authorization = "Bearer ${var.smoke_token}" }
  }
}
