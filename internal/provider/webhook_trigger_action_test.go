package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

const actionType = "authing_webhook_trigger"

// actionEnv is a configured provider server and an emulator with one webhook.
type actionEnv struct {
	*protocolServer
	emu       *emulator.Server
	webhookID string
}

func newActionEnv(t *testing.T) *actionEnv {
	env := newTestEnv(t)
	p := newProtocolServer(t)
	p.configure(map[string]tftypes.Value{
		"host": str(env.emu.URL()), "access_key_id": str(testKeyID), "access_key_secret": str(testSecret),
	})
	return &actionEnv{protocolServer: p, emu: env.emu, webhookID: env.emu.SeedWebhooks("smoke", 1)[0]}
}

func (a *actionEnv) config(attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	return dynamicValue(a.t, a.schema.ActionSchemas[actionType].Schema, attrs)
}

// invoke runs the action and returns its progress messages and final diagnostics.
func (a *actionEnv) invoke(attrs map[string]tftypes.Value) ([]string, []*tfprotov6.Diagnostic) {
	a.t.Helper()
	stream, err := a.server.InvokeAction(a.t.Context(), &tfprotov6.InvokeActionRequest{ActionType: actionType, Config: a.config(attrs)})
	if err != nil {
		a.t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	completed := 0
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			completed++
			diags = e.Diagnostics
		}
	}
	if completed != 1 {
		a.t.Fatalf("%d completed events, want 1", completed)
	}
	return progress, diags
}

func TestActionSchema(t *testing.T) {
	p := newProtocolServer(t)
	s, ok := p.schema.ActionSchemas[actionType]
	if !ok {
		t.Fatalf("no action %s in %v", actionType, p.schema.ActionSchemas)
	}
	type flags struct{ required, writeOnly bool }
	got := map[string]flags{}
	for _, attr := range s.Schema.Block.Attributes {
		got[attr.Name] = flags{attr.Required, attr.WriteOnly}
	}
	// request_headers and request_body are write-only, so that they take ephemeral values.
	want := map[string]flags{"webhook_id": {true, false}, "request_headers": {false, true}, "request_body": {false, true}, "expect": {false, false}}
	if !maps.Equal(got, want) {
		t.Fatalf("attributes (required, write-only) %v, want %v", got, want)
	}
	if len(s.Schema.Block.BlockTypes) != 1 || s.Schema.Block.BlockTypes[0].TypeName != "timeouts" {
		t.Fatalf("want a timeouts block, got %v", s.Schema.Block.BlockTypes)
	}
}

// NewServer drops the framework's refusal of configured write-only action values, which
// Terraform 1.14+ sends. This test fails once the framework stops refusing them: then
// NewServer's wrapper can go.
func TestFrameworkStillRefusesWriteOnlyActionValues(t *testing.T) {
	a := newActionEnv(t)
	raw, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	server, ok := raw.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // Actions are not in tfprotov6.ProviderServer yet.
	if !ok {
		t.Fatal("the framework's server does not serve actions")
	}
	cfg := a.config(map[string]tftypes.Value{"webhook_id": str("x"), "request_headers": strMap(map[string]string{"Authorization": "Bearer t"})})
	framework, err := server.ValidateActionConfig(t.Context(), &tfprotov6.ValidateActionConfigRequest{ActionType: actionType, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(framework.Diagnostics, isWriteOnlyRefusal) {
		t.Fatal("the framework now accepts write-only action values: remove the wrapper in NewServer")
	}
	ours, err := a.server.ValidateActionConfig(t.Context(), &tfprotov6.ValidateActionConfigRequest{ActionType: actionType, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, ours.Diagnostics)
}

func TestActionValidateAndPlan(t *testing.T) {
	a := newActionEnv(t)
	tests := []struct {
		name  string
		attrs map[string]tftypes.Value
		want  string
	}{
		{name: "valid", attrs: map[string]tftypes.Value{"webhook_id": str(a.webhookID), "request_body": str(`{"eventName":"test"}`)}},
		{name: "unknown values", attrs: map[string]tftypes.Value{"webhook_id": unknownString, "request_body": unknownString}},
		{name: "empty id", attrs: map[string]tftypes.Value{"webhook_id": str("")}, want: "must not be empty"},
		{name: "array body", attrs: map[string]tftypes.Value{"webhook_id": str("x"), "request_body": str(`[1]`)}, want: "is a JSON array"},
		{name: "null body", attrs: map[string]tftypes.Value{"webhook_id": str("x"), "request_body": str(`null`)}, want: "is JSON null"},
		{name: "invalid JSON", attrs: map[string]tftypes.Value{"webhook_id": str("x"), "request_body": str(`{`)}, want: "JSON"},
		{name: "forbidden header", attrs: map[string]tftypes.Value{"webhook_id": str("x"), "request_headers": strMap(map[string]string{"Host": "h"})}, want: "describes the connection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := a.server.ValidateActionConfig(t.Context(), &tfprotov6.ValidateActionConfigRequest{ActionType: actionType, Config: a.config(tt.attrs)})
			if err != nil {
				t.Fatal(err)
			}
			p, err := a.server.PlanAction(t.Context(), &tfprotov6.PlanActionRequest{ActionType: actionType, Config: a.config(tt.attrs)})
			if err != nil {
				t.Fatal(err)
			}
			for stage, diags := range map[string][]*tfprotov6.Diagnostic{"validate": v.Diagnostics, "plan": p.Diagnostics} {
				got := errorText(diags)
				if tt.want == "" && got != "" {
					t.Fatalf("%s: unexpected error %s", stage, got)
				}
				if stage == "validate" && tt.want != "" && !strings.Contains(got, tt.want) {
					t.Fatalf("%s: got %q, want an error containing %q", stage, got, tt.want)
				}
			}
		})
	}
	if st := a.emu.Stats(); len(st.Requests) != 0 {
		t.Fatalf("validation or planning called the API: %v", st.Requests)
	}
}

func TestActionInvokeFiresOnceAndReportsProgress(t *testing.T) {
	a := newActionEnv(t)
	progress, diags := a.invoke(map[string]tftypes.Value{
		"webhook_id":      str(a.webhookID),
		"request_headers": strMap(map[string]string{"X-Smoke": "1"}),
		"request_body":    str(`{"eventName":"test","data":{"deploy":"v42"}}`),
		"expect":          strMap(map[string]string{"received": "true", "receiver": "smoke-1"}),
	})
	requireNoErrors(t, diags)
	if len(progress) != 2 || progress[0] != "Triggering Authing webhook "+a.webhookID ||
		!strings.HasPrefix(progress[1], "Webhook "+a.webhookID+" answered: {") || !strings.Contains(progress[1], `"deploy":"v42"`) {
		t.Fatalf("progress: %q", progress)
	}
	// expect compares text, so "true" and true both pass it; the answer itself must hold
	// the boolean.
	var answer map[string]any
	if err := json.Unmarshal([]byte(strings.TrimPrefix(progress[1], "Webhook "+a.webhookID+" answered: ")), &answer); err != nil || answer["received"] != true {
		t.Fatalf("the answer's received is %#v (%v), want the JSON boolean true", answer["received"], err)
	}
	if st := a.emu.Stats(); st.Deliveries != 1 || st.Requests["trigger-webhook"] != 1 {
		t.Fatalf("deliveries %d, trigger requests %d; want 1 and 1", st.Deliveries, st.Requests["trigger-webhook"])
	}
}

func TestActionInvokeFailures(t *testing.T) {
	tests := []struct {
		name           string
		fault          *emulator.Fault
		attrs          func(a *actionEnv) map[string]tftypes.Value
		want           *regexp.Regexp
		wantDeliveries int
	}{
		{
			name:  "gateway error after sending",
			fault: &emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502},
			attrs: func(a *actionEnv) map[string]tftypes.Value {
				return map[string]tftypes.Value{"webhook_id": str(a.webhookID)}
			},
			want: regexp.MustCompile(`(?s)Could not trigger webhook.*MAY HAVE FIRED.*HTTP status:\s+502`),
		},
		{
			name: "unknown webhook",
			attrs: func(*actionEnv) map[string]tftypes.Value {
				return map[string]tftypes.Value{"webhook_id": str("000000000000000000000000")}
			},
			want: regexp.MustCompile(`(?s)was not fired.*statusCode:\s+404.*requestId:\s+\w+`),
		},
		{
			name: "answer differs from expect",
			attrs: func(a *actionEnv) map[string]tftypes.Value {
				return map[string]tftypes.Value{"webhook_id": str(a.webhookID), "expect": strMap(map[string]string{"received": "false", "status": "ok"})}
			},
			want:           regexp.MustCompile(`(?s)did not match expect.*key "received" is "true", expected "false".*key "status" is missing`),
			wantDeliveries: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newActionEnv(t)
			if tt.fault != nil {
				a.emu.InjectFault("trigger-webhook", *tt.fault)
			}
			_, diags := a.invoke(tt.attrs(a))
			if got := errorText(diags); !tt.want.MatchString(got) {
				t.Fatalf("got %q, want %s", got, tt.want)
			}
			if st := a.emu.Stats(); st.Deliveries != tt.wantDeliveries || st.Requests["trigger-webhook"] != 1 {
				t.Fatalf("deliveries %d, trigger requests %d; want %d and 1", st.Deliveries, st.Requests["trigger-webhook"], tt.wantDeliveries)
			}
		})
	}
}

func TestActionInvokeWithoutCredentials(t *testing.T) {
	clearAuthingEnv(t)
	env := newTestEnv(t)
	p := newProtocolServer(t)
	p.configure(map[string]tftypes.Value{"host": str(env.emu.URL())})
	a := &actionEnv{protocolServer: p, emu: env.emu, webhookID: env.emu.SeedWebhooks("smoke", 1)[0]}
	_, diags := a.invoke(map[string]tftypes.Value{"webhook_id": str(a.webhookID)})
	if got := errorText(diags); !strings.Contains(got, "Missing Authing credentials") {
		t.Fatalf("got %q", got)
	}
	if len(env.emu.Stats().Requests) != 0 {
		t.Fatal("the API was called without credentials")
	}
}

func TestSummarizeTruncatesAndHidesHeaderValues(t *testing.T) {
	got := summarize(`{"echo":"Bearer hunter2-token","pad":"`+strings.Repeat("x", 500)+`"}`, map[string]string{"Authorization": "Bearer hunter2-token"})
	if strings.Contains(got, "hunter2") || !strings.HasSuffix(got, "… (truncated)") || len([]rune(got)) > progressLimit+20 {
		t.Fatalf("got %q", got)
	}
}

// On Terraform 1.14 and later, an action_trigger fires the action once per event.
func TestAccWebhookTriggerAction_actionTrigger(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("smoke", 1)[0]
	cfg := func(release string) string {
		return env.config(fmt.Sprintf(`
action "authing_webhook_trigger" "smoke" {
  config {
    webhook_id   = %q
    request_body = jsonencode({ eventName = "test", data = { release = %q } })
  }
}

resource "terraform_data" "deploy" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.authing_webhook_trigger.smoke]
    }
  }
}
`, id, release, release))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(actionsMinimum)},
		Steps: []resource.TestStep{
			{Config: cfg("v1"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)}},
			{Config: cfg("v2"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)}},
			{Config: cfg("v2"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)}},
		},
	})
}

// An ephemeral value (here an ephemeral variable) can reach the webhook through the
// action's write-only request_headers, and is stored nowhere.
func TestAccWebhookTriggerAction_ephemeralHeader(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("smoke", 1)[0]
	const token = "ephemeral-token-5f1c9e"
	cfg := env.config(fmt.Sprintf(`
variable "token" {
  type      = string
  ephemeral = true
  default   = %q
}

action "authing_webhook_trigger" "smoke" {
  config {
    webhook_id      = %q
    request_headers = { authorization = "Bearer ${var.token}" }
    request_body    = jsonencode({ eventName = "test", data = { from = "action" } })
  }
}

resource "terraform_data" "deploy" {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.smoke]
    }
  }
}
`, token, id))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(actionsMinimum)},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectDeliveries(1),
				fact(func() error {
					got := env.emu.Received()
					if len(got) != 1 || got[0].Headers.Get("Authorization") != "Bearer "+token {
						return fmt.Errorf("the delivery did not carry the ephemeral header")
					}
					return nil
				}),
				expectNotInState("terraform_data.deploy", token),
			},
		}},
	})
}

func TestSummarizeBoundaries(t *testing.T) {
	if got := summarize(`{"echo":"abcd"}`, map[string]string{"X": "abcd"}); strings.Contains(got, "abcd") {
		t.Fatalf("a four-character header value was not hidden: %q", got)
	}
	if got := summarize(`{"echo":"abc"}`, map[string]string{"X": "abc"}); !strings.Contains(got, "abc") {
		t.Fatalf("a three-character value is too short to hide safely, but was: %q", got)
	}
	exact := strings.Repeat("é", progressLimit)
	if got := summarize(exact, nil); got != exact {
		t.Fatalf("an answer of exactly %d characters was cut", progressLimit)
	}
}

// terraform apply -invoke fires the action once per invocation (Terraform 1.14+).
func TestAccCLI_actionInvoke(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	w := newWorkspace(t, providerBlock(nil)+fmt.Sprintf(`
action "authing_webhook_trigger" "on_demand" {
  config {
    webhook_id = %q
    expect     = { received = "true" }
  }
}
`, id), env.providerEnv()...)
	w.skipBelowTerraform(actionsMinimum.String())
	for i := 1; i <= 2; i++ {
		out, err := w.run("apply", "-auto-approve", "-input=false", "-invoke=action.authing_webhook_trigger.on_demand")
		if err != nil {
			t.Fatalf("invocation %d: %v\n%s", i, err, out)
		}
		if got := env.emu.Stats().Deliveries; got != i {
			t.Fatalf("after %d invocations: %d deliveries", i, got)
		}
	}
}
