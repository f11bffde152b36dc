package provider

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
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

const trigger = "authing_webhook_trigger.smoke"

// responseHas checks that the stored response is JSON with the given top-level values.
func responseHas(want map[string]any) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error {
		var got map[string]any
		if err := json.Unmarshal([]byte(v), &got); err != nil {
			return fmt.Errorf("response is not a JSON object: %w", err)
		}
		for k, w := range want {
			// Compare as JSON values: true and "true" differ, as do 1 and "1".
			wantJSON, err := json.Marshal(w)
			if err != nil {
				return err
			}
			var norm any
			if err := json.Unmarshal(wantJSON, &norm); err != nil {
				return err
			}
			if g, ok := got[k]; !ok || !reflect.DeepEqual(g, norm) {
				return fmt.Errorf("response[%q] = %#v, want %#v (response %s)", k, got[k], norm, v)
			}
		}
		return nil
	})
}

// The flow of Authing's own documentation: list the webhooks, take the first, trigger it,
// keep the answer.
func TestAccWebhookTrigger_listTakeFirstAndTrigger(t *testing.T) {
	env := newTestEnv(t)
	env.emu.SeedWebhooks("deploy-hook", 2)
	cfg := env.config(`
data "authing_webhooks" "all" {}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = data.authing_webhooks.all.ids[0]
  request_body = jsonencode({ eventName = "test", data = { description = "smoke test" } })
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(trigger, tfjsonpath.New("response")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("response"), responseHas(map[string]any{"received": true, "receiver": "deploy-hook-1"})),
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("triggered_at"), knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
					env.expectDeliveries(1),
				},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
			},
		},
	})
}

// Every input change fires again, a formatting change does not, and each firing is one
// delivery at the emulator.
func TestAccWebhookTrigger_refiresOnlyOnRealChanges(t *testing.T) {
	env := newTestEnv(t)
	ids := env.emu.SeedWebhooks("hook", 2)
	resourceCfg := func(webhook, body, extra string) string {
		return env.config(fmt.Sprintf(`
resource "authing_webhook_trigger" "smoke" {
  webhook_id   = %q
  request_body = %s
%s
}
`, webhook, body, extra))
	}
	bodyA := `jsonencode({ eventName = "test", data = { a = 1, b = "x" } })`
	bodyAReformatted := "<<EOT\n  {\"data\": {\"b\": \"x\",\n    \"a\": 1}, \"eventName\": \"test\"}\nEOT"
	bodyB := `jsonencode({ eventName = "test", data = { a = 2, b = "x" } })`
	sameID := statecheck.CompareValue(compare.ValuesSame())
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	replace := func(deliveries int, cfg string) resource.TestStep {
		return resource.TestStep{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionReplace),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectDeliveries(deliveries),
				newID.AddStateValue(trigger, tfjsonpath.New("id")),
			},
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: resourceCfg(ids[0], bodyA, `  triggers = { release = "1" }`),
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectDeliveries(1),
					sameID.AddStateValue(trigger, tfjsonpath.New("id")),
					newID.AddStateValue(trigger, tfjsonpath.New("id")),
				},
			},
			{
				// Same meaning, other formatting and key order: nothing to do.
				Config: resourceCfg(ids[0], bodyAReformatted, `  triggers = { release = "1" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectDeliveries(1),
					sameID.AddStateValue(trigger, tfjsonpath.New("id")),
				},
			},
			replace(2, resourceCfg(ids[0], bodyA, `  triggers = { release = "2" }`)),
			replace(3, resourceCfg(ids[0], bodyB, `  triggers = { release = "2" }`)),
			replace(4, resourceCfg(ids[0], bodyB, `  triggers = { release = "2", extra = "k" }`)),
			replace(5, resourceCfg(ids[0], bodyB, `  triggers = { release = "2", extra = "k" }
  request_headers = { "X-Smoke" = "yes" }`)),
			replace(6, resourceCfg(ids[1], bodyB, `  triggers = { release = "2", extra = "k" }
  request_headers = { "X-Smoke" = "yes" }`)),
			replace(7, resourceCfg(ids[1], "null", `  triggers = { release = "2", extra = "k" }
  request_headers = { "X-Smoke" = "yes" }`)),
		},
	})
}

// After an apply, a plan of the same configuration is empty and calls nothing.
func TestAccWebhookTrigger_unchangedPlanMakesNoAPICall(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	calls := &apiCalls{emu: env.emu}
	cfg := env.config(triggerConfig(id, "  triggers = { release = \"1\" }\n"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1), calls.snapshot()}},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					calls.none(),
				}},
			},
			{Config: cfg, PlanOnly: true},
			{
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{calls.none()}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
			},
		},
	})
}

// A failed firing writes no state, so the next apply fires.
func TestAccWebhookTrigger_failureLeavesNoState(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	// The 502's answer is lost, so the logs are searched for the firing until the create
	// timeout ends: a short one keeps the test from waiting out the 20 s settle window.
	cfg := env.config(triggerConfig(id, "  timeouts {\n    create = \"4s\"\n  }\n"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, Times: 1})
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)Webhook may have fired; its outcome is unknown.*MAY HAVE FIRED.*HTTP status:\s+502.*read\s+the\s+webhook's\s+latest\s+delivery\s+logs\s+\d+\s+times`),
			},
			{
				PreConfig: func() {
					env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030, Message: "no permission", Times: 1})
				},
				Config:      cfg,
				ExpectError: regexp.MustCompile(`(?s)was not fired.*statusCode:\s+403.*apiCode:\s+2030.*message:\s+no permission.*requestId:\s+[0-9a-f]+`),
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
			},
		},
	})
}

func TestAccWebhookTrigger_unknownWebhook(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      env.config(triggerConfig("000000000000000000000000", "")),
			ExpectError: regexp.MustCompile(`(?s)was not fired.*statusCode:\s+404.*requestId:\s+[0-9a-f]+`),
		}},
	})
}

// A webhook_id that is known only at apply plans cleanly, with the response unknown.
func TestAccWebhookTrigger_unknownInputsAtPlan(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
resource "terraform_data" "deploy" {
  input = %q
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = terraform_data.deploy.output
  request_body = jsonencode({ eventName = "test", deploy = terraform_data.deploy.id })
  triggers     = { deploy = terraform_data.deploy.id }
}
`, id)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectUnknownValue(trigger, tfjsonpath.New("webhook_id")),
				plancheck.ExpectUnknownValue(trigger, tfjsonpath.New("request_body")),
				plancheck.ExpectUnknownValue(trigger, tfjsonpath.New("response")),
			}},
			ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
		}},
	})
}

func TestAccWebhookTrigger_importIsRefused(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	cfg := env.config(triggerConfig(id, ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg},
			{Config: cfg, ResourceName: trigger, ImportState: true, ImportStateId: "anything", ExpectError: regexp.MustCompile(`Import not supported`)},
		},
	})
}

// Values unknown at plan are checked before the call at apply: nothing is sent.
func TestAccWebhookTrigger_badInputKnownOnlyAtApply(t *testing.T) {
	for name, tt := range map[string]struct{ input, attr, want string }{
		"array body":         {input: `"[1, 2]"`, attr: "request_body = terraform_data.late.output", want: `is a JSON array`},
		"header with a line": {input: `"a\nb"`, attr: `request_headers = { "X-Late" = terraform_data.late.output }`, want: `line break`},
	} {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t)
			id := env.emu.SeedWebhooks("hook", 1)[0]
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: env.config(fmt.Sprintf(`
resource "terraform_data" "late" {
  input = %s
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = %q
  %s
}
`, tt.input, id, tt.attr)),
					ExpectError: regexp.MustCompile(`(?s)Invalid request.*` + tt.want),
				}},
			})
			if st := env.emu.Stats(); st.Requests["trigger-webhook"] != 0 {
				t.Fatalf("the bad input reached the API: %v", st.Requests)
			}
		})
	}
}

// For every fault on trigger-webhook, the firings recorded in state match the deliveries
// the emulator made: a failed apply records nothing and delivered nothing, and the next
// apply fires exactly once. Faults Authing answers before processing are retried.
func TestAccWebhookTrigger_exactlyOnceUnderFaults(t *testing.T) {
	tests := []struct {
		name    string
		fault   emulator.Fault
		want    string // empty: the first apply succeeds after retries
		timeout string
	}{
		{"429 without Retry-After", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 429, Times: 2}, "", ""},
		{"429 with Retry-After", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 429, RetryAfter: "1", Times: 1}, "", ""},
		{"expired token", emulator.Fault{Kind: emulator.FaultExpireToken, Times: 1}, "", ""},
		{"500", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 500, Times: 1}, `MAY HAVE FIRED.*HTTP status:\s+500`, ""},
		{"502 HTML", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, Times: 1}, `MAY HAVE FIRED.*not an Authing API response`, ""},
		{"503", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503, Times: 1}, `MAY HAVE FIRED.*HTTP status:\s+503`, ""},
		{"504", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 504, Times: 1}, `MAY HAVE FIRED.*HTTP status:\s+504`, ""},
		{"cut connection", emulator.Fault{Kind: emulator.FaultDisconnect, Times: 1}, `MAY HAVE FIRED.*EOF`, ""},
		{"malformed JSON", emulator.Fault{Kind: emulator.FaultMalformedJSON, Times: 1}, `MAY HAVE FIRED.*not an Authing API response`, ""},
		{"business 500", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 500, APICode: 5000, Times: 1}, `MAY HAVE FIRED.*statusCode:\s+500.*requestId:`, ""},
		{"business 403", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030, Times: 1}, `was not fired.*statusCode:\s+403.*apiCode:\s+2030.*requestId:`, ""},
		{"business 404", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 404, APICode: 2004, Times: 1}, `was not fired.*statusCode:\s+404.*requestId:`, ""},
		{"slower than the timeout", emulator.Fault{Kind: emulator.FaultSlow, Delay: 30e9, Times: 1}, `MAY HAVE FIRED.*timeout ran out`, "2s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			id := env.emu.SeedWebhooks("hook", 1)[0]
			if tt.timeout == "" {
				tt.timeout = "30s"
			}
			cfg := env.config(triggerConfig(id, fmt.Sprintf("  timeouts {\n    create = %q\n  }\n", tt.timeout)))
			first := resource.TestStep{
				PreConfig:         func() { env.emu.InjectFault("trigger-webhook", tt.fault) },
				Config:            cfg,
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
			}
			next := resource.TestStep{
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionNoop)}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
			}
			if tt.want != "" {
				first.ConfigStateChecks = nil
				// The headline agrees with the detail: refused, or may have fired.
				headline := "Could not trigger webhook"
				if strings.HasPrefix(tt.want, "MAY HAVE FIRED") {
					headline = "Webhook may have fired; its outcome is unknown"
				}
				first.ExpectError = regexp.MustCompile(`(?s)` + headline + `.*` + tt.want)
				// Nothing recorded and nothing delivered: the next apply creates, once.
				next.ConfigPlanChecks.PreApply = []plancheck.PlanCheck{
					counts("deliveries after the failed apply", 0, func() int { return env.emu.Stats().Deliveries }),
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionCreate),
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps:                    []resource.TestStep{first, next},
			})
		})
	}
}

// An empty map and no map are the same set of keys: going from one to the other, in
// triggers or request_headers, updates the state in place and fires nothing.
func TestAccWebhookTrigger_emptyMapIsNoMap(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	sameID := statecheck.CompareValue(compare.ValuesSame())
	inPlace := func(extra string) resource.TestStep {
		return resource.TestStep{
			Config: env.config(triggerConfig(id, extra)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionUpdate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1), sameID.AddStateValue(trigger, tfjsonpath.New("id"))},
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:            env.config(triggerConfig(id, "")),
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1), sameID.AddStateValue(trigger, tfjsonpath.New("id"))},
			},
			inPlace("  triggers = {}\n"),
			inPlace("  triggers = {}\n  request_headers = {}\n"),
			inPlace(""),
			{
				// A key is a change: it fires again.
				Config: env.config(triggerConfig(id, "  triggers = { release = \"1\" }\n")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)},
			},
		},
	})
}
