package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

const webhook = "authing_webhook.deploy"

func (e *testEnv) webhookConfig(name, events, extra string) string {
	return e.config(fmt.Sprintf(`
resource "authing_webhook" "deploy" {
  name   = %q
  url    = %q
  events = %s
%s
}
`, name, e.emu.ReceiverURL("deploy"), events, extra))
}

func TestAccWebhook_createUpdateImport(t *testing.T) {
	env := newTestEnv(t)
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: env.webhookConfig("deploy", `["user:created"]`, `  secret = "whsec-one"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("webhook_id"), captureString(&id)),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("content_type"), knownvalue.StringExact("application/json")),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("user:created")})),
					sameID.AddStateValue(webhook, tfjsonpath.New("id")),
				},
			},
			{
				Config: env.webhookConfig("deploy-renamed", `["user:created", "login"]`, `  secret  = "whsec-two"
  enabled = false
  content_type = "application/x-www-form-urlencoded"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(webhook, tfjsonpath.New("updated_at")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(webhook, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("name"), knownvalue.StringExact("deploy-renamed")),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectSensitiveValue(webhook, tfjsonpath.New("secret")),
					env.expectAtEmulator(&id, func(w emulator.Webhook) error {
						events := slices.Sorted(slices.Values(w.Events))
						if w.Name != "deploy-renamed" || w.Enabled || w.Secret != "whsec-two" || w.ContentType != "application/x-www-form-urlencoded" ||
							!slices.Equal(events, []string{"login", "user:created"}) {
							return fmt.Errorf("emulator holds name %q enabled %v secret %q content type %q events %v", w.Name, w.Enabled, w.Secret, w.ContentType, events)
						}
						return nil
					}),
				},
			},
			{
				ResourceName:            webhook,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"secret"},
			},
			{
				Config: env.webhookConfig("deploy-renamed", `["user:created", "login"]`, `  secret  = "whsec-two"
  enabled = false
  content_type = "application/x-www-form-urlencoded"`),
				PlanOnly: true,
			},
		},
	})
}

// Event names are checked at plan time against the server's list; the shape of a name is
// the validator's (TestStringValidators).
func TestAccWebhook_eventNames(t *testing.T) {
	env := newTestEnv(t)
	tests := []struct {
		name, events, want string
	}{
		{"typo, server list", `["user:creatd"]`, `(?s)Unknown webhook event.*"user:creatd" is not a webhook event; did you mean\s+"user:created".*server's\s+list`},
		{"unknown name", `["user:levitated"]`, `(?s)"user:levitated" is not a webhook event`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps:                    []resource.TestStep{{Config: env.webhookConfig("deploy", tt.events, ""), ExpectError: regexp.MustCompile(tt.want)}},
			})
		})
	}
	t.Cleanup(func() {
		if n := len(env.emu.Webhooks()); n != 0 {
			t.Errorf("%d webhooks created from bad configurations", n)
		}
	})
}

// Without credentials the documented list still catches a typo at plan time.
func TestAccWebhook_eventNamesOffline(t *testing.T) {
	clearAuthingEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: providerBlock(nil) + `
resource "authing_webhook" "deploy" {
  name   = "deploy"
  url    = "https://hooks.example.com/authing"
  events = ["user:creatd"]
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)did you mean\s+"user:created".*documented list`),
		}},
	})
}

// One configuration creates a webhook pointed at the emulator's receiver, fires it, checks
// the answer, and fires again whenever the webhook changes.
func TestAccWebhook_createFireAndCheck(t *testing.T) {
	env := newTestEnv(t)
	cfg := func(name string) string {
		return env.config(fmt.Sprintf(`
resource "authing_webhook" "deploy" {
  name   = %q
  url    = %q
  events = ["user:created"]
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = authing_webhook.deploy.webhook_id
  request_body = jsonencode({ eventName = "test", data = { description = "smoke" } })
  triggers     = { webhook = authing_webhook.deploy.updated_at }

  lifecycle {
    postcondition {
      condition     = jsondecode(self.response).received == true && jsondecode(self.response).body.data.description == "smoke"
      error_message = "unexpected answer: ${self.response}"
    }
  }
}
`, name, env.emu.ReceiverURL("smoke")))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg("deploy"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)}},
			{
				Config: cfg("deploy-v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)},
			},
			{
				Config: cfg("deploy-v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)},
			},
		},
	})
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
					counts("create-webhook requests", 1, func() int { return env.emu.Stats().Requests["create-webhook"] }),
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
		return fact(func() error {
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

// fill follows the server for what the configuration manages, and keeps the rest.
func TestFillFollowsTheServerForManagedFields(t *testing.T) {
	rc := func(enabled bool, count types.Int64) types.Object {
		return types.ObjectValueMust(retryConfigAttrTypes, map[string]attr.Value{
			"enabled": types.BoolValue(enabled), "count": count, "delay": types.Int64Null(), "delay_unit": types.StringNull(),
		})
	}
	five := int64(5)
	m := webhookModel{Secret: types.StringValue("whsec-config"), RetryConfig: rc(true, types.Int64Value(3))}
	m.fill(authing.Webhook{WebhookID: "w", Secret: "", RetryConfig: nil})
	if m.Secret.ValueString() != "whsec-config" || !m.RetryConfig.Equal(rc(true, types.Int64Value(3))) {
		t.Fatalf("an answer without secret or retryConfig changed them: %v, %v", m.Secret, m.RetryConfig)
	}
	m.fill(authing.Webhook{WebhookID: "w", Secret: "whsec-server", RetryConfig: &authing.RetryConfig{Enabled: false, Count: &five, DelayUnit: "Hour"}})
	if m.Secret.ValueString() != "whsec-server" || !m.RetryConfig.Equal(rc(false, types.Int64Value(5))) {
		t.Fatalf("the server's values were not followed: %v, %v", m.Secret, m.RetryConfig)
	}
	unmanaged := webhookModel{Secret: types.StringNull(), RetryConfig: types.ObjectNull(retryConfigAttrTypes)}
	unmanaged.fill(authing.Webhook{WebhookID: "w", Secret: "whsec-server", RetryConfig: &authing.RetryConfig{Enabled: true}})
	if !unmanaged.Secret.IsNull() || !unmanaged.RetryConfig.IsNull() {
		t.Fatalf("unmanaged fields were filled: %v, %v", unmanaged.Secret, unmanaged.RetryConfig)
	}
}

// When the server's list of events cannot be read with the configured credentials, the
// plan fails saying why, with no stand-in list; the failure is not kept, so the next plan
// asks the server again, and only the server's list, once read, is kept.
func TestEventListFailureIsAnErrorAndNotKept(t *testing.T) {
	w := newWebhookEnv(t)
	w.emu.InjectFault("get-webhook-event-list", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030, Message: "no permission", Times: 1})
	calls := func() int { return w.emu.Stats().Requests["get-webhook-event-list"] }

	first := w.planWebhook(nil, nil, w.config(nil))
	if got := errorText(first.Diagnostics); !regexp.MustCompile(`(?s)^Could not check event names: .*could not be read with the configured credentials.*statusCode:\s+403.*apiCode:\s+2030`).MatchString(got) {
		t.Fatalf("errors after a failed read: %q", got)
	}
	if got := warnings(first.Diagnostics); got != "" {
		t.Fatalf("warnings after a failed read: %q", got)
	}
	for i, want := range []int{2, 2} {
		next := w.planWebhook(nil, nil, w.config(nil))
		requireNoErrors(t, next.Diagnostics)
		if got := warnings(next.Diagnostics); got != "" {
			t.Fatalf("plan %d: warnings %q", i+2, got)
		}
		if calls() != want {
			t.Fatalf("plan %d: %d reads of the event list, want %d", i+2, calls(), want)
		}
	}
}
