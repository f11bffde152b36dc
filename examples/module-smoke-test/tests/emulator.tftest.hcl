# Runs against the local emulator (or a real user pool): start
# `authing-emulator -seed 1`, which creates the webhook sample-1 pointed at its echoing
# receiver, and set AUTHING_HOST, AUTHING_ACCESS_KEY_ID and AUTHING_ACCESS_KEY_SECRET.

variables {
  webhook_name = "sample-1"
}

run "fires_the_webhook_once" {
  command = apply

  variables {
    release = "v1"
  }

  assert {
    condition     = output.response.received == true
    error_message = "The endpoint did not acknowledge the smoke test: ${jsonencode(output.response)}"
  }

  # The emulator's receiver echoes the body it got.
  assert {
    condition     = output.response.body.data.release == "v1"
    error_message = "The endpoint did not receive release v1: ${jsonencode(output.response)}"
  }

  assert {
    condition     = jsondecode(output.deliveries[0].request_body).data.release == "v1" && output.deliveries[0].success
    error_message = "Want the latest delivery to be v1's, and successful: ${jsonencode(output.deliveries)}"
  }
}

run "a_new_release_fires_again" {
  command = apply

  variables {
    release = "v2"
  }

  assert {
    condition     = [for d in slice(output.deliveries, 0, 2) : jsondecode(d.request_body).data.release] == ["v2", "v1"]
    error_message = "Want the deliveries of v2 then v1, newest first: ${jsonencode(output.deliveries)}"
  }

  assert {
    condition     = alltrue([for d in slice(output.deliveries, 0, 2) : d.success && d.response_status_code == 200])
    error_message = "A delivery failed: ${jsonencode(output.deliveries)}"
  }
}

run "a_missing_webhook_fails_the_precondition" {
  command = plan

  variables {
    webhook_name = "no-such-webhook"
    release      = "v3"
  }

  expect_failures = [authing_webhook_trigger.smoke]
}
