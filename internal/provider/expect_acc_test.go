package provider

import (
	"fmt"
	"net/http/httptest"
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

// flakyWebhook is a webhook at the emulator whose endpoint is recv.
func flakyWebhook(t *testing.T, env *testEnv, recv *flakyReceiver) string {
	t.Helper()
	srv := httptest.NewServer(recv)
	t.Cleanup(srv.Close)
	return env.emu.AddWebhook(emulator.Webhook{Name: "deploy", URL: srv.URL + "/hook", Enabled: true, Events: []string{"test"}, ContentType: "application/json"})
}

// A firing whose answer fails expect leaves no state. Once the endpoint is fixed, the same
// configuration fires again and is recorded, with no -replace.
func TestAccWebhookTrigger_unmetExpectLeavesNoState(t *testing.T) {
	env := newTestEnv(t)
	recv := &flakyReceiver{body: `{"data":{"version":"v1"}}`}
	id := flakyWebhook(t, env, recv)
	cfg := env.config(triggerConfig(id, `  expect = {
    present = ["/data/version"]
    equals  = { "/data/version" = "v2" }
  }
`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: wrapped(`(?s)Webhook fired, but did not meet expect.*fired once.*firing ID [0-9a-f]{32}.*equals "/data/version": expected "v2"; got "v1".*no\s+-replace needed`),
			},
			{
				PreConfig: func() { recv.mu.Lock(); recv.body = `{"data":{"version":"v2"}}`; recv.mu.Unlock() },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("attempts"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("status_code"), knownvalue.Null()),
					counts("deliveries", 2, func() int { return len(recv.deliveries()) }),
					counts("reads of the logs", 0, func() int { return env.emu.Stats().Requests["get-webhook-logs"] }),
				},
			},
		},
	})
}

// status_code is read from the delivery's log entry: 200 and 204 pass expect, 500 fails it
// and leaves no state.
func TestAccWebhookTrigger_statusCodeFromTheLogs(t *testing.T) {
	for _, tt := range []struct {
		status int
		pass   bool
	}{{200, true}, {204, true}, {500, false}} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			env := newTestEnv(t)
			id := env.emu.AddWebhook(emulator.Webhook{Name: "status", URL: env.emu.ReceiverURL("status") + fmt.Sprintf("?status=%d", tt.status), Enabled: true, Events: []string{"test"}})
			step := resource.TestStep{
				Config: env.config(triggerConfig(id, "  expect = {\n    status_codes = [200, 204]\n  }\n")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("status_code"), knownvalue.Int64Exact(int64(tt.status))),
					env.expectDeliveries(1),
				},
			}
			if !tt.pass {
				step.ConfigStateChecks = nil
				step.ExpectError = wrapped(`(?s)Webhook fired, but did not meet expect.*firing ID [0-9a-f]{32}.*status_codes: expected one of 200, 204; the endpoint answered 500 \(Authing answered statusCode 602.*Authing's delivery logs show it failed: the endpoint answered 500`)
			}
			resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6Factories, Steps: []resource.TestStep{step}})
			if !tt.pass && env.emu.Stats().Deliveries != 1 {
				t.Fatalf("%d deliveries, want 1", env.emu.Stats().Deliveries)
			}
		})
	}
}

// A receiver that fails its first three deliveries passes with retry: four firings, the
// last recorded. Changing retry afterwards fires nothing; tightening expect to what the
// recorded firing met fires nothing; an expect it does not meet fires again.
func TestAccWebhookTrigger_retryUntilLive(t *testing.T) {
	env := newTestEnv(t)
	recv := &flakyReceiver{failFirst: 3, failStatus: 503}
	id := flakyWebhook(t, env, recv)
	cfg := func(expect, retry string) string {
		return env.config(triggerConfig(id, "  expect = {\n"+expect+"  }\n  retry = {\n"+retry+"  }\n"))
	}
	codes := "    status_codes = [200]\n"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	delivered := func(n int) fact { return counts("deliveries", n, func() int { return len(recv.deliveries()) }) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: cfg(codes, "    attempts  = 5\n    min_delay = \"100ms\"\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("attempts"), knownvalue.Int64Exact(4)),
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("status_code"), knownvalue.Int64Exact(200)),
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if ids := recv.deliveries(); len(ids) != 4 || ids[3] != v {
							return fmt.Errorf("id %s, deliveries %v: want the fourth", v, ids)
						}
						return nil
					})),
					sameID.AddStateValue(trigger, tfjsonpath.New("id")),
					delivered(4),
				},
			},
			{
				Config:           cfg(codes, "    attempts  = 10\n    min_delay = \"200ms\"\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("attempts"), knownvalue.Int64Exact(4)),
					sameID.AddStateValue(trigger, tfjsonpath.New("id")), delivered(4),
				},
			},
			{
				Config:            cfg(codes+"    equals = { \"/data/version\" = \"v2\" }\n", "    attempts  = 10\n    min_delay = \"200ms\"\n"),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionUpdate)}},
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(trigger, tfjsonpath.New("id")), delivered(4)},
			},
			{
				Config:           cfg(codes+"    equals = { \"/data/ready\" = \"true\", \"/data/version\" = \"v3\" }\n", "    attempts  = 2\n    min_delay = \"100ms\"\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionReplace)}},
				ExpectError:      wrapped(`(?s)fired 2 times.*equals "/data/version": expected "v3"; got "v2".*All 2 attempts`),
			},
		},
	})
}

// Authing's two ways of reporting an endpoint that failed are both failed firings that
// retry fires again after: statusCode 602 (codes) and statusCode 200 relaying the
// endpoint's error answer, which only the logged status shows (relay).
func TestAccWebhookTrigger_endpointFailureStyles(t *testing.T) {
	t.Run("codes", func(t *testing.T) {
		env := newTestEnv(t, emulator.Options{EndpointFailure: emulator.EndpointFailureCodes})
		recv := &flakyReceiver{failFirst: 1, failStatus: 503}
		id := flakyWebhook(t, env, recv)
		down := env.emu.AddWebhook(emulator.Webhook{Name: "down", URL: env.emu.ReceiverURL("down") + "?down=1", Enabled: true, Events: []string{"test"}})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories,
			Steps: []resource.TestStep{
				{
					Config:      env.config(triggerConfig(id, "")),
					ExpectError: wrapped(`(?s)Webhook fired, but its delivery failed.*fired once, and Authing reported each delivery as failed.*Authing answered statusCode 602`),
				},
				{
					// A refused connection: 601, the same known outcome, never MAY HAVE FIRED.
					Config:      env.config(triggerConfig(down, "")),
					ExpectError: wrapped(`(?s)Webhook fired, but its delivery failed.*fired once.*Authing answered statusCode 601`),
				},
				{
					PreConfig: func() {
						recv.mu.Lock()
						recv.failFirst = 2
						recv.mu.Unlock()
					},
					Config: env.config(triggerConfig(id, "  retry = {\n    attempts  = 3\n    min_delay = \"100ms\"\n  }\n")),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(trigger, tfjsonpath.New("attempts"), knownvalue.Int64Exact(2)),
						statecheck.ExpectKnownValue(trigger, tfjsonpath.New("status_code"), knownvalue.Null()),
						counts("deliveries", 3, func() int { return len(recv.deliveries()) }),
					},
				},
			},
		})
	})
	t.Run("relay", func(t *testing.T) {
		env := newTestEnv(t, emulator.Options{EndpointFailure: emulator.EndpointFailureRelay})
		recv := &flakyReceiver{failFirst: 2, failStatus: 502}
		id := flakyWebhook(t, env, recv)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories,
			Steps: []resource.TestStep{{
				Config: env.config(triggerConfig(id, "  expect = {\n    status_codes = [200]\n  }\n  retry = {\n    attempts  = 3\n    min_delay = \"100ms\"\n  }\n")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("attempts"), knownvalue.Int64Exact(3)),
					statecheck.ExpectKnownValue(trigger, tfjsonpath.New("status_code"), knownvalue.Int64Exact(200)),
					counts("deliveries", 3, func() int { return len(recv.deliveries()) }),
				},
			}},
		})
	})
}

// With retry set, a lost answer (a 502 after the work) that the logs cannot settle fires
// exactly once and fails with MAY HAVE FIRED; one that the logs settle is judged like any
// other answer, and fails expect when the logged status does.
func TestAccWebhookTrigger_retryNeverAfterMayHaveFired(t *testing.T) {
	retry := "  retry = {\n    attempts  = 5\n    min_delay = \"100ms\"\n  }\n  timeouts {\n    create = \"4s\"\n  }\n"
	t.Run("unsettled", func(t *testing.T) {
		env := newTestEnv(t)
		recv := &flakyReceiver{}
		id := flakyWebhook(t, env, recv)
		env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
		env.emu.InjectFault("get-webhook-logs", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "forbidden"})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories,
			Steps: []resource.TestStep{{
				Config:      env.config(triggerConfig(id, "  expect = {\n    present = [\"/data\"]\n  }\n"+retry)),
				ExpectError: wrapped(`(?s)Webhook may have fired; its outcome is unknown.*MAY HAVE FIRED.*Firing ID:\s+[0-9a-f]{32}`),
			}},
		})
		if n, calls := len(recv.deliveries()), env.emu.Stats().Requests["trigger-webhook"]; n != 1 || calls != 1 {
			t.Fatalf("%d deliveries, %d trigger calls; want 1 and 1", n, calls)
		}
	})
	t.Run("settled", func(t *testing.T) {
		env := newTestEnv(t)
		id := env.emu.AddWebhook(emulator.Webhook{Name: "status", URL: env.emu.ReceiverURL("down") + "?status=500", Enabled: true, Events: []string{"test"}})
		env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6Factories,
			Steps: []resource.TestStep{{
				Config:      env.config(triggerConfig(id, "  expect = {\n    status_codes = [200]\n  }\n  retry = {\n    attempts  = 2\n    min_delay = \"100ms\"\n  }\n")),
				ExpectError: wrapped(`(?s)Webhook fired, but did not meet expect.*fired 2 times.*the endpoint answered 500.*the endpoint answered 500`),
			}},
		})
		if n := env.emu.Stats().Deliveries; n != 2 {
			t.Fatalf("%d deliveries, want 2", n)
		}
	})
}

// Bad expect and retry values are refused at validate time, before anything is sent.
func TestAccWebhookTrigger_badExpectAndRetryRefused(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	var steps []resource.TestStep
	for extra, want := range map[string]string{
		"  expect = {\n    present = [\"data/version\"]\n  }\n":                                                 `Invalid JSON Pointer.*does not start with "/"`,
		"  expect = {\n    equals = { \"/a~2\" = \"x\" }\n  }\n":                                                `Invalid JSON Pointer.*not followed by 0 or 1`,
		"  expect = {\n    status_codes = [99]\n  }\n":                                                          `between 100 and 599`,
		"  retry = {\n    attempts = 101\n  }\n":                                                                `between 1 and 100`,
		"  request_headers = { \"idempotency-key\" = \"mine\" }\n  expect = {\n    status_codes = [200]\n  }\n": `Own Idempotency-Key header with expect\.status_codes.*Remove the header`,
		"  retry = {\n    min_delay = \"soon\"\n  }\n":                                                          `"soon" is not a duration`,
		"  retry = {\n    min_delay = \"1m\"\n    max_delay = \"2s\"\n  }\n":                                    `min_delay \(1m0s\) is longer than retry.max_delay \(2s`,
	} {
		steps = append(steps, resource.TestStep{Config: env.config(triggerConfig(id, extra)), PlanOnly: true, ExpectError: wrapped(`(?s)` + want)})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6Factories, Steps: steps})
	if n := env.emu.Stats().Requests["trigger-webhook"]; n != 0 {
		t.Fatalf("%d trigger calls for bad input", n)
	}
}

// An action whose answer fails expect fails the apply, or warns under on_failure =
// continue; retry reports each attempt in the action's progress.
func TestAccCLI_actionExpectAndRetry(t *testing.T) {
	env := newTestEnv(t)
	// The first delivery (strict's) and the second (smoke's first attempt) fail.
	recv := &flakyReceiver{failFirst: 2, failStatus: 503}
	id := flakyWebhook(t, env, recv)
	w := newWorkspace(t, providerBlock(nil)+fmt.Sprintf(`
action "authing_webhook_trigger" "smoke" {
  config {
    webhook_id = %q
    expect = {
      status_codes = [200]
      equals       = { "/data/version" = "v2" }
    }
    retry = {
      attempts  = 3
      min_delay = "100ms"
    }
  }
}

action "authing_webhook_trigger" "strict" {
  config {
    webhook_id = %q
    expect = {
      equals = { "/data/version" = "v9" }
    }
  }
}

resource "terraform_data" "deploy" {
  input = "v2"
  lifecycle {
    action_trigger {
      events     = [after_create]
      actions    = [action.authing_webhook_trigger.strict]
      on_failure = continue
    }
  }
}
`, id, id), env.providerEnv()...)
	w.skipBelowTerraform(terraform116.String())
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil || !regexp.MustCompile(`(?s)Warning: Webhook fired, but did not meet expect.*equals "/data/version": expected "v9"`).MatchString(out) {
		t.Fatalf("on_failure = continue: want a warning and a successful apply; got %v\n%s", err, out)
	}
	out, err = w.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.authing_webhook_trigger.smoke")
	if err != nil || !strings.Contains(out, "attempt 1 of 3: the endpoint answered 503; next in 100ms") || !strings.Contains(out, "answered (status 200, attempt 2 of 3)") {
		t.Fatalf("the retried invocation: %v\n%s", err, out)
	}
	if n := len(recv.deliveries()); n != 3 {
		t.Fatalf("%d deliveries, want 3", n)
	}
}

// wrapped compiles a pattern of an error that Terraform may wrap: each space matches any
// run of white space.
func wrapped(pattern string) *regexp.Regexp {
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}

// What the trigger's page says of a postcondition: when it fails, Terraform keeps the
// firing in state, so once the endpoint is fixed the next apply does not fire again and
// fails on the stored answer; -replace fires again. expect has neither problem.
func TestAccCLI_failedPostconditionKeepsTheFiring(t *testing.T) {
	env := newTestEnv(t)
	notReady := `{"ready":false}`
	if err := env.emu.SetReceiver("post", emulator.ReceiverBehavior{Body: &notReady}); err != nil {
		t.Fatal(err)
	}
	id := env.emu.AddWebhook(emulator.Webhook{Name: "post", URL: env.emu.ReceiverURL("post"), Enabled: true, Events: []string{"test"}})
	w := newWorkspace(t, providerBlock(nil)+triggerConfig(id, `  lifecycle {
    postcondition {
      condition     = try(jsondecode(self.response).ready, false) == true
      error_message = "Not ready: ${self.response}"
    }
  }
`), env.providerEnv()...)
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err == nil || !strings.Contains(out, "Not ready") {
		t.Fatalf("the first apply: %v\n%s", err, out)
	}
	if n := stateResourcesIfAny(t, w, "authing_webhook_trigger"); n != 1 {
		t.Fatalf("%d firings in state after a failed postcondition; the page says Terraform keeps it", n)
	}
	ready := `{"ready":true}`
	if err := env.emu.SetReceiver("post", emulator.ReceiverBehavior{Body: &ready}); err != nil {
		t.Fatal(err)
	}
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err == nil || !strings.Contains(out, "Not ready") {
		t.Fatalf("the apply after the fix: %v\n%s", err, out)
	}
	if n := env.emu.ReceiverDeliveries("post"); n != 1 {
		t.Fatalf("%d deliveries after the second apply, want 1: it fires nothing", n)
	}
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color", "-replace=authing_webhook_trigger.smoke"); err != nil {
		t.Fatalf("apply -replace: %v\n%s", err, out)
	}
	if n := env.emu.ReceiverDeliveries("post"); n != 2 {
		t.Fatalf("%d deliveries after -replace, want 2", n)
	}
}
