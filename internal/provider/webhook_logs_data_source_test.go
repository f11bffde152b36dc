package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Against a server that lists logs oldest first, in Authing's documented timestamp format
// ("2022-09-20T08:55:00.188+0800"), authing_webhook_logs returns the newest deliveries,
// newest first, with RFC 3339 timestamps that timecmp() accepts in configuration; the
// webhook's secret, which the deliveries carry under two names, is nowhere in the state
// file nor in terraform show -json.
func TestAccWebhookLogs_documentedFormatOldestFirst(t *testing.T) {
	const secret = "whsec-documented"
	env := newTestEnv(t, emulator.Options{PageSize: 4, LogsOldestFirst: true})
	id := env.emu.AddWebhook(emulator.Webhook{Name: "logged", URL: env.emu.ReceiverURL("logged"), Enabled: true, Events: []string{"test"}, Secret: secret})
	logs := "data.authing_webhook_logs.latest"
	rfc3339 := knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$`))
	entry := func(n int) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"request_body": knownvalue.StringExact(fmt.Sprintf(`{"data":{"n":%d},"eventName":"test"}`, n)),
			"timestamp":    rfc3339,
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: env.config(chainedFirings(id, 7) + fmt.Sprintf(`
data "authing_webhook_logs" "latest" {
  webhook_id = %[1]q
  limit      = 5
  depends_on = [authing_webhook_trigger.fire_6]
}

locals {
  logs = data.authing_webhook_logs.latest.logs
}

# What a smoke test asks: is the latest delivery after the others, and recent?
output "latest_after_oldest_read" {
  value = timecmp(local.logs[0].timestamp, local.logs[4].timestamp)
}

output "latest_within_an_hour" {
  value = timecmp(timeadd(local.logs[0].timestamp, "1h"), plantimestamp())
}
`, id)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(logs, tfjsonpath.New("logs"), knownvalue.ListExact([]knownvalue.Check{entry(6), entry(5), entry(4), entry(3), entry(2)})),
				statecheck.ExpectKnownValue(logs, tfjsonpath.New("logs").AtSliceIndex(0).AtMapKey("request_headers"), knownvalue.MapPartial(map[string]knownvalue.Check{
					"accept": knownvalue.StringExact("application/json, text/plain, */*"), "user-agent": knownvalue.StringExact("authing-webhook@2.0"),
				})),
				statecheck.ExpectKnownOutputValue("latest_after_oldest_read", knownvalue.Int64Exact(1)),
				statecheck.ExpectKnownOutputValue("latest_within_an_hour", knownvalue.Int64Exact(1)),
				fact(func() error {
					for _, r := range env.emu.Received() {
						if r.Headers.Get("X-Authing-Token") != secret || r.Headers.Get("X-Authing-Webhook-Secret") != secret {
							return fmt.Errorf("a delivery did not carry the secret under both names: %v", r.Headers)
						}
					}
					return nil
				}),
				expectNotInState(logs, secret),
			},
			// The state file itself, as the framework reads it back.
			Check: func(s *terraform.State) error {
				raw, err := json.Marshal(s)
				if err != nil {
					return err
				}
				if !strings.Contains(string(raw), "authing_webhook_logs") || strings.Contains(string(raw), secret) {
					return fmt.Errorf("the state file holds the secret, or no logs")
				}
				return nil
			},
		}},
	})
}

// chainedFirings fires webhookID n times, one after another (fire_0 to fire_<n-1>), so
// that the order of the deliveries is known.
func chainedFirings(webhookID string, n int) string {
	var b strings.Builder
	for i := range n {
		dependsOn := ""
		if i > 0 {
			dependsOn = fmt.Sprintf("  depends_on   = [authing_webhook_trigger.fire_%d]\n", i-1)
		}
		fmt.Fprintf(&b, "\nresource \"authing_webhook_trigger\" \"fire_%d\" {\n  webhook_id   = %q\n  request_body = jsonencode({ eventName = \"test\", data = { n = %d } })\n%s}\n", i, webhookID, i, dependsOn)
	}
	return b.String()
}

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

// logsAfterFiring is a webhook that the emulator delivers to, a firing, and an
// authing_webhook_logs "after" with extra lines: the example's pattern.
func logsAfterFiring(env *testEnv, webhookID, extra string) string {
	return env.config(fmt.Sprintf(`
resource "authing_webhook_trigger" "smoke" {
  webhook_id   = %[1]q
  request_body = jsonencode({ eventName = "test", data = { release = "r1" } })
}

data "authing_webhook_logs" "after" {
  webhook_id = authing_webhook_trigger.smoke.webhook_id
  since      = timeadd(authing_webhook_trigger.smoke.triggered_at, "-1m")
%[2]s
  timeouts {
    read = "20s"
  }
}
`, webhookID, extra))
}

// Authing may write a delivery's log a moment late: min_count makes the read wait for it,
// and the filters keep the firing's own delivery (found by the firing ID it carried),
// with logs[0] usable in a postcondition without a guard, on every supported CLI.
func TestAccWebhookLogs_minCountWaitsForLaggingLogs(t *testing.T) {
	env := newTestEnv(t, emulator.Options{LogDelay: time.Second, LogsSwapNeighbours: true})
	id := env.emu.AddWebhook(emulator.Webhook{Name: "lagging", URL: env.emu.ReceiverURL("lagging"), Enabled: true, Events: []string{"test"}})
	var firing string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: logsAfterFiring(env, id, `  firing_id  = authing_webhook_trigger.smoke.id
  event_name = "test"
  success    = true
  min_count  = 1

  lifecycle {
    postcondition {
      condition     = jsondecode(self.logs[0].request_body).data.release == "r1"
      error_message = "The firing's delivery is not the one logged."
    }
  }
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("authing_webhook_trigger.smoke", tfjsonpath.New("id"), captureString(&firing)),
				statecheck.ExpectKnownValue("data.authing_webhook_logs.after", tfjsonpath.New("logs"), knownvalue.ListSizeExact(1)),
				statecheck.ExpectKnownValue("data.authing_webhook_logs.after", tfjsonpath.New("logs").AtSliceIndex(0).AtMapKey("request_headers").AtMapKey("idempotency-key"),
					knownvalue.StringFunc(func(v string) error {
						if v != firing || v == "" {
							return fmt.Errorf("idempotency-key %q, want the firing's id %q", v, firing)
						}
						return nil
					})),
			},
		}},
	})
}

// A read that waits in vain fails saying what it saw; filters that match nothing give no
// logs without waiting; an unknown webhook is an error, not an empty list; bad filters
// fail before anything is read.
func TestAccWebhookLogs_filtersAndWhatAFailedWaitSaw(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.AddWebhook(emulator.Webhook{Name: "filtered", URL: env.emu.ReceiverURL("filtered"), Enabled: true, Events: []string{"test"}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: logsAfterFiring(env, id, "  success = false\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.authing_webhook_logs.after", tfjsonpath.New("logs"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config: strings.Replace(logsAfterFiring(env, id, "  event_name = \"user:created\"\n  min_count  = 2\n"), `read = "20s"`, `read = "2s"`, 1),
				// Terraform wraps the detail: any white space stands for a space.
				ExpectError: regexp.MustCompile(strings.ReplaceAll(`(?s)Too few webhook deliveries.*0 of the 1 latest deliveries read matched, and min_count is 2\.`+
					`.*newest delivery read was logged at 20\d\d-.*Filters: since = 20\d\d-[^,]+, event_name = "user:created"\.`+
					`.*raise timeouts.read to wait longer`, " ", `\s+`)),
			},
			{
				Config:      env.config("data \"authing_webhook_logs\" \"gone\" {\n  webhook_id = \"000000000000000000000000\"\n}\n"),
				ExpectError: regexp.MustCompile(`(?s)Could not read webhook logs.*Webhook 000000000000000000000000 does not exist at Authing`),
			},
			{
				Config:      logsAfterFiring(env, id, "  event_name = \"user.created\"\n"),
				ExpectError: regexp.MustCompile(`(?s)Invalid webhook event.*[dD]id you mean "user:created"`),
			},
			{
				Config:      logsAfterFiring(env, id, "  min_count = 30\n"),
				ExpectError: regexp.MustCompile(`(?s)min_count over limit.*min_count is 30, but the read looks at the 20 latest deliveries`),
			},
			{
				Config:      env.config(fmt.Sprintf("data \"authing_webhook_logs\" \"x\" {\n  webhook_id = %q\n  since = \"yesterday\"\n}\n", id)),
				ExpectError: regexp.MustCompile(`(?s)Invalid time.*"yesterday", which is not an RFC 3339 time`),
			},
			{
				// Last, so that the test's final destroy has a valid configuration.
				Config: logsAfterFiring(env, id, ""),
			},
		},
	})
	if n := env.emu.Stats().Requests["get-webhook-logs"]; n == 0 {
		t.Fatal("no logs were read")
	}
}
