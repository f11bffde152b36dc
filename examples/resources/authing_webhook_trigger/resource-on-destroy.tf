# A deploy notice on create and a teardown notice on destroy. Changing the release replaces
# the resource: the old release's teardown fires first, then the new release's deploy.
# Works with OpenTofu and every Terraform version.
resource "authing_webhook_trigger" "release" {
  webhook_id   = var.webhook_id
  request_body = jsonencode({ eventName = "test", data = { stage = "deploy", release = var.release } })
  triggers     = { release = var.release }

  on_destroy = {
    request_body = jsonencode({ eventName = "test", data = { stage = "teardown", release = var.release } })
  }
}
