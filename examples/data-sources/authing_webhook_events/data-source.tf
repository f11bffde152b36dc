data "authing_webhook_events" "all" {}

# Subscribe a webhook to every user event the server knows.
resource "authing_webhook" "users" {
  name   = "user-events"
  url    = "https://hooks.example.com/authing/users"
  events = [for name in data.authing_webhook_events.all.names : name if startswith(name, "user:")]
}
