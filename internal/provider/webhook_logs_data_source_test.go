package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// A smoke test reads the latest deliveries: newest first, bodies as JSON, no secret.
func TestAccWebhookLogs_latestDeliveriesWithoutTheSecret(t *testing.T) {
	for _, oldestFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("server lists oldest first: %v", oldestFirst), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{PageSize: 4, LogsOldestFirst: oldestFirst})
			id := env.emu.AddWebhook(emulator.Webhook{Name: "logged", URL: env.emu.ReceiverURL("logged"), Enabled: true, Events: []string{"test"}, Secret: "whsec-logged"})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: env.config(fmt.Sprintf(`
resource "authing_webhook_trigger" "fire" {
  count           = 6
  webhook_id      = %[1]q
  request_headers = { x-release = "r${count.index}" }
  request_body    = jsonencode({ eventName = "test", data = { n = count.index } })
}

data "authing_webhook_logs" "latest" {
  webhook_id = %[1]q
  limit      = 5
  depends_on = [authing_webhook_trigger.fire]
}
`, id)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.authing_webhook_logs.latest", tfjsonpath.New("logs"), knownvalue.ListSizeExact(5)),
						statecheck.ExpectKnownValue("data.authing_webhook_logs.latest", tfjsonpath.New("logs").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"event_name":           knownvalue.StringExact("test"),
							"success":              knownvalue.Bool(true),
							"response_status_code": knownvalue.Int64Exact(200),
							"error_message":        knownvalue.StringExact(""),
						})),
						statecheck.ExpectKnownValue("data.authing_webhook_logs.latest", tfjsonpath.New("logs").AtSliceIndex(0).AtMapKey("request_headers"),
							knownvalue.MapPartial(map[string]knownvalue.Check{"user-agent": knownvalue.StringExact("authing-webhook@2.0")})),
						fact(func() error {
							// The emulator logged the secret header; the data source must drop it.
							if !slices.ContainsFunc(env.emu.Received(), func(r emulator.ReceivedRequest) bool {
								return r.Headers.Get("X-Authing-Webhook-Secret") == "whsec-logged"
							}) {
								return fmt.Errorf("the deliveries did not carry the secret")
							}
							return nil
						}),
						expectNotInState("data.authing_webhook_logs.latest", "whsec-logged"),
					},
				}},
			})
		})
	}
}
