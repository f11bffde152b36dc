# Plan-only, with a mocked provider: no API and no credentials, so it runs anywhere.
# override_during = plan needs Terraform 1.11 or later.

mock_provider "authing" {
  mock_data "authing_webhooks" {
    defaults = {
      ids = ["mock-webhook-id"]
    }
  }
}

run "plans_one_firing_of_the_named_webhook" {
  command = plan

  variables {
    webhook_name = "deploy-notifications"
    release      = "v9"
  }

  override_resource {
    target          = authing_webhook_trigger.smoke
    override_during = plan
    values = {
      response = "{\"received\":true}"
    }
  }

  assert {
    condition     = authing_webhook_trigger.smoke.webhook_id == "mock-webhook-id"
    error_message = "The firing does not target the webhook the data source found."
  }

  assert {
    condition     = jsondecode(authing_webhook_trigger.smoke.request_body).data.release == "v9"
    error_message = "The request body does not carry the release."
  }

  assert {
    condition     = output.response.received
    error_message = "The overridden answer does not reach the output."
  }
}
