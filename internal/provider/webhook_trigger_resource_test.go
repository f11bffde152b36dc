package provider

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

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
				ExpectError: regexp.MustCompile(`(?s)Could not trigger webhook.*MAY HAVE FIRED.*HTTP status:\s+502.*read\s+the\s+webhook's\s+latest\s+delivery\s+logs\s+\d+\s+times`),
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
				first.ExpectError = regexp.MustCompile(`(?s)Could not trigger webhook.*` + tt.want)
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

// 200 trigger resources with -parallelism=20: one token, 200 deliveries, 200 states.
func TestAccCLI_parallelApplyOfManyTriggers(t *testing.T) {
	env := newTestEnv(t)
	ids := env.emu.SeedWebhooks("hook", 200)
	list := `"` + strings.Join(ids, `", "`) + `"`
	w := newWorkspace(t, providerBlock(nil)+fmt.Sprintf(`
locals {
  ids = [%s]
}

resource "authing_webhook_trigger" "smoke" {
  count      = length(local.ids)
  webhook_id = local.ids[count.index]
  triggers   = { index = count.index }
}
`, list), env.providerEnv()...)
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-parallelism=20"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	st := env.emu.Stats()
	if st.TokensIssued != 1 || st.Deliveries != 200 || len(st.DeliveriesByWebhook) != 200 {
		t.Fatalf("tokens %d, deliveries %d to %d webhooks; want 1, 200, 200", st.TokensIssued, st.Deliveries, len(st.DeliveriesByWebhook))
	}
	if n := stateResources(t, w.state(), "authing_webhook_trigger"); n != 200 {
		t.Fatalf("%d resources in state, want 200", n)
	}
	// A plan of the unchanged configuration starts a provider but calls nothing.
	before := env.emu.Stats()
	if out, err := w.run("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan is not empty or failed: %v\n%s", err, out)
	}
	if after := env.emu.Stats(); fmt.Sprint(after.Requests) != fmt.Sprint(before.Requests) {
		t.Fatalf("a plan of an unchanged configuration called the API: %v -> %v", before.Requests, after.Requests)
	}
}

// Ctrl-C during an apply stops waiting promptly, fires nothing more, and leaves state
// that matches the deliveries made.
func TestAccCLI_interruptedApply(t *testing.T) {
	env := newTestEnv(t)
	ids := env.emu.SeedWebhooks("hook", 4)
	// Two firings hang before Authing processes them; the other two complete.
	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultSlow, Delay: 2 * time.Minute, Times: 2})
	w := newWorkspace(t, providerBlock(nil)+fmt.Sprintf(`
resource "authing_webhook_trigger" "smoke" {
  for_each   = toset([%q, %q, %q, %q])
  webhook_id = each.key
}
`, ids[0], ids[1], ids[2], ids[3]), env.providerEnv()...)
	cmd, printed, wait := w.start("apply", "-auto-approve", "-input=false", "-parallelism=4")
	// The interrupt comes once the CLI has recorded the two firings that completed: a
	// delivery the emulator counts may not have reached the CLI yet, on a busy machine.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st := env.emu.Stats()
		if st.Requests["trigger-webhook"] == 4 && st.Deliveries == 2 && strings.Count(printed(), "Creation complete") == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the apply never reached its four firings: %+v\n%s", st, printed())
		}
		time.Sleep(20 * time.Millisecond)
	}
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	out, err := wait()
	took := time.Since(interrupted)
	if err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", out)
	}
	if took > 30*time.Second {
		t.Fatalf("the apply took %v to stop after the interrupt", took)
	}
	if !strings.Contains(out, "MAY HAVE FIRED") {
		t.Fatalf("the error does not say the interrupted firings may have fired:\n%s", out)
	}
	st := env.emu.Stats()
	if st.Deliveries != 2 || st.Requests["trigger-webhook"] != 4 {
		t.Fatalf("after the interrupt: %d deliveries, %d trigger requests; want 2 and 4", st.Deliveries, st.Requests["trigger-webhook"])
	}
	if n := stateResources(t, w.state(), "authing_webhook_trigger"); n != st.Deliveries {
		t.Fatalf("%d firings in state but %d deliveries", n, st.Deliveries)
	}
}

// The token expires between plan and apply, and again in the middle of an apply of many
// resources: every firing still happens exactly once.
func TestAccCLI_tokenExpiresBetweenPlanAndApplyAndMidApply(t *testing.T) {
	env := newTestEnv(t)
	env.emu.SeedWebhooks("hook", 50)
	w := newWorkspace(t, providerBlock(nil)+`
data "authing_webhooks" "all" {}

resource "authing_webhook_trigger" "smoke" {
  count      = 50
  webhook_id = data.authing_webhooks.all.ids[count.index]
}
`, env.providerEnv()...)
	if out, err := w.run("plan", "-input=false", "-out=tfplan"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	env.emu.ExpireTokens()
	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultExpireToken, Skip: 25, Times: 1})
	if out, err := w.run("apply", "-input=false", "-parallelism=10", "tfplan"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	st := env.emu.Stats()
	if st.Deliveries != 50 || len(st.DeliveriesByWebhook) != 50 {
		t.Fatalf("%d deliveries to %d webhooks, want 50 and 50", st.Deliveries, len(st.DeliveriesByWebhook))
	}
	// One token for the plan, one for the apply, one after the mid-apply expiry.
	if st.TokensIssued != 3 {
		t.Fatalf("%d tokens issued, want 3", st.TokensIssued)
	}
	if n := stateResources(t, w.state(), "authing_webhook_trigger"); n != 50 {
		t.Fatalf("%d firings in state, want 50", n)
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
