package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// The provider against servers that behave in each way Authing's documentation allows
// (DESIGN.md, "What Authing documents, and where it is silent").

// A server that serves 10 webhooks a page whatever limit asks: every webhook is listed,
// in the API's order.
func TestAccWebhooks_everyWebhookListedWhenPagesAreSmall(t *testing.T) {
	for _, w := range []int{0, 1, 9, 10, 11, 123} {
		t.Run(fmt.Sprintf("%d webhooks", w), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{PageSize: 10})
			ids := env.emu.SeedWebhooks("w", w)
			want := make([]knownvalue.Check, len(ids))
			for i, id := range ids {
				want[i] = knownvalue.StringExact(id)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: env.config(`data "authing_webhooks" "all" {}`),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("ids"), knownvalue.ListExact(want)),
						statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("webhooks"), knownvalue.ListSizeExact(w)),
					},
				}},
			})
		})
	}
}

// A webhook deleted outside Terraform is planned for creation again, whether the server
// says so with statusCode 404 or with data null, and no empty ID reaches the state.
func TestAccWebhook_driftRecreatedUnderBothNotFoundStyles(t *testing.T) {
	for _, style := range []emulator.NotFoundStyle{emulator.NotFoundBusiness404, emulator.NotFoundNullData} {
		t.Run(string(style), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{NotFound: style})
			var id string
			cfg := env.webhookConfig("deploy", `["user:created"]`, "")
			newID := statecheck.CompareValue(compare.ValuesDiffer())
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(webhook, tfjsonpath.New("id"), captureString(&id)),
							newID.AddStateValue(webhook, tfjsonpath.New("id")),
						},
					},
					{
						PreConfig: func() { env.emu.RemoveWebhook(id) },
						Config:    cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionCreate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							newID.AddStateValue(webhook, tfjsonpath.New("id")),
							statecheck.ExpectKnownValue(webhook, tfjsonpath.New("webhook_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
							env.expectWebhookCount(1),
						},
					},
				},
			})
		})
	}
}

// A server or proxy without the get-webhook route answers HTTP 404 "Cannot GET": that is
// an error, not a deletion. The state is kept and nothing is created; once the route is
// back, the plan is empty.
func TestAccWebhook_routeMissIsAnErrorNotADeletion(t *testing.T) {
	env := newTestEnv(t)
	cfg := env.webhookConfig("deploy", `["user:created"]`, "")
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(webhook, tfjsonpath.New("id"))}},
			{
				PreConfig:   func() { env.emu.SetRouteMissing("get-webhook", true) },
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Could not read webhook.*HTTP status:\s+404.*no route\s+/api/v3/get-webhook`),
			},
			{
				PreConfig: func() { env.emu.SetRouteMissing("get-webhook", false) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(webhook, tfjsonpath.New("id")),
					env.expectWebhookCount(1),
					countCheck{what: "create-webhook requests", want: 1, got: func() int { return env.emu.Stats().Requests["create-webhook"] }},
				},
			},
		},
	})
}

// Importing a webhook that does not exist fails under both not-found styles, and so does
// the authing_webhook data source: neither writes an empty ID.
func TestAccWebhook_unknownIDIsRefusedOnImportAndRead(t *testing.T) {
	for _, style := range []emulator.NotFoundStyle{emulator.NotFoundBusiness404, emulator.NotFoundNullData} {
		t.Run(string(style), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{NotFound: style})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{
					{
						Config:        env.webhookConfig("deploy", `["user:created"]`, ""),
						ResourceName:  webhook,
						ImportState:   true,
						ImportStateId: "6229ffa000000000cade3e3d",
						ExpectError:   regexp.MustCompile(`(?i)non-existent|does not exist|no longer exists`),
					},
					{
						Config:      env.config(`data "authing_webhook" "one" { webhook_id = "6229ffa000000000cade3e3d" }`),
						ExpectError: regexp.MustCompile(`(?s)Could not read webhook.*Webhook 6229ffa000000000cade3e3d does not exist`),
					},
				},
			})
			if n := len(env.emu.Webhooks()); n != 0 {
				t.Fatalf("%d webhooks created", n)
			}
		})
	}
}

// retry_config is sent when set, follows the server where configured, and when removed
// is not sent, so Authing keeps its own.
func TestAccWebhook_retryConfig(t *testing.T) {
	env := newTestEnv(t)
	var id string
	withRetry := env.webhookConfig("deploy", `["user:created"]`, `  retry_config = {
    enabled    = true
    count      = 3
    delay_unit = "Minute"
  }`)
	atEmulator := func(want string) statecheck.StateCheck {
		return stateFunc(func() error {
			w, ok := env.emu.Webhook(id)
			if !ok {
				return fmt.Errorf("webhook %s does not exist", id)
			}
			got := "nil"
			if rc := w.RetryConfig; rc != nil {
				got = fmt.Sprintf("enabled=%v count=%d delay=%v unit=%s", rc.Enabled, *rc.Count, rc.Delay, rc.DelayUnit)
			}
			if got != want {
				return fmt.Errorf("emulator holds retryConfig %s, want %s", got, want)
			}
			return nil
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: env.webhookConfig("deploy", `["user:created"]`, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("id"), captureString(&id)),
					atEmulator("nil"),
				},
			},
			{
				Config: withRetry,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("retry_config"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"enabled": knownvalue.Bool(true), "count": knownvalue.Int64Exact(3), "delay": knownvalue.Null(), "delay_unit": knownvalue.StringExact("Minute"),
					})),
					atEmulator("enabled=true count=3 delay=<nil> unit=Minute"),
				},
			},
			{
				Config:      env.webhookConfig("deploy", `["user:created"]`, `  retry_config = { enabled = true, delay_unit = "Week" }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)retry_config.delay_unit value must be one of:.*"Second"\s+"Minute"\s+"Hour"\s+"Day"`),
			},
			{
				Config:            env.webhookConfig("deploy", `["user:created"]`, ""),
				ConfigStateChecks: []statecheck.StateCheck{atEmulator("enabled=true count=3 delay=<nil> unit=Minute")},
			},
		},
	})
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
						stateFunc(func() error {
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

// expectWebhookCount checks how many webhooks the emulator holds.
func (e *testEnv) expectWebhookCount(want int) statecheck.StateCheck {
	return countCheck{what: "webhooks at the emulator", want: want, got: func() int { return len(e.emu.Webhooks()) }}
}

// expectNotInState fails when secret appears anywhere in the state, which must hold
// address (a resource, or a data source with its "data." prefix).
func expectNotInState(address, secret string) statecheck.StateCheck {
	return notInState{address: address, secret: secret}
}

type notInState struct{ address, secret string }

func (n notInState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	switch {
	case err != nil:
		resp.Error = err
	case !strings.Contains(string(raw), strings.TrimPrefix(n.address, "data.")):
		resp.Error = fmt.Errorf("%s is not in the state", n.address)
	case strings.Contains(string(raw), n.secret):
		resp.Error = fmt.Errorf("the webhook secret is in the state")
	}
}
