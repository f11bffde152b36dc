# Every webhook of the user pool.
data "authing_webhooks" "all" {}

# Enabled webhooks whose name starts with "deploy-" and that receive user:created.
data "authing_webhooks" "deploy" {
  name_regex = "^deploy-"
  enabled    = true
  event      = "user:created"
}

output "deploy_webhook_ids" {
  value = data.authing_webhooks.deploy.ids
}
