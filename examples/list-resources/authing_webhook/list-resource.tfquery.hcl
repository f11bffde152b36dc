# Find the webhooks that call the login event, and generate their configuration:
#   terraform query -generate-config-out=webhooks.tf
# The generated resources and import blocks, applied as they are, import every webhook
# found and change nothing.
list "authing_webhook" "login" {
  provider         = authing
  include_resource = true
  limit            = 100

  config {
    event = "login"
  }
}
