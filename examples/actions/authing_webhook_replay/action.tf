# After every deploy, deliver again the real events that failed while the service was
# down (Terraform 1.14.1+). Each failed delivery is replayed once, whatever the number of
# applies: a later invocation finds its replay in Authing's delivery logs and skips it.
action "authing_webhook_replay" "after_deploy" {
  config {
    webhook_id  = var.webhook_id
    since       = var.deploy_started_at
    event_names = ["user:created", "user:updated"]
    max         = 50
  }
}

resource "terraform_data" "deploy" {
  input = var.release

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.authing_webhook_replay.after_deploy]
    }
  }
}

variable "webhook_id" {
  type = string
}

variable "release" {
  type = string
}

# When the deploy began, in RFC 3339, such as the output of `date -u +%FT%TZ` taken by
# the pipeline before it starts the deploy.
variable "deploy_started_at" {
  type = string
}
