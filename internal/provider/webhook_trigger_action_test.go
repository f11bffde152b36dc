package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authing/terraform-provider-authing/internal/authing"
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
	want := map[string]flags{"webhook_id": {true, false}, "request_headers": {false, true}, "request_body": {false, true}, "expect": {false, false}, "retry": {false, false}}
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
		"expect":          expectValue(nil, nil, map[string]string{"/received": "true", "/receiver": "smoke-1"}),
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

// Each combination of the optional inputs as Terraform can send them, set or null, fires
// once with exactly what was sent; a header whose value is null, which is how
// `terraform apply -invoke` sends an ephemeral one, fires nothing and says why.
func TestActionInvokeEveryInputCombination(t *testing.T) {
	stringMap := tftypes.Map{ElementType: tftypes.String}
	headers := map[string]tftypes.Value{
		"null":       tftypes.NewValue(stringMap, nil),
		"empty":      tftypes.NewValue(stringMap, map[string]tftypes.Value{}),
		"set":        strMap(map[string]string{"X-Combo": "header-value"}),
		"null value": tftypes.NewValue(stringMap, map[string]tftypes.Value{"X-Combo": tftypes.NewValue(tftypes.String, nil), "X-Other": str("o")}),
	}
	bodies := map[string]tftypes.Value{
		"null": tftypes.NewValue(tftypes.String, nil),
		"set":  str(`{"eventName":"test","data":{"combo":"body-value"}}`),
	}
	for hName, h := range headers {
		for bName, b := range bodies {
			t.Run("headers "+hName+", body "+bName, func(t *testing.T) {
				a := newActionEnv(t)
				attrs := map[string]tftypes.Value{"webhook_id": str(a.webhookID), "request_headers": h, "request_body": b}
				_, diags := a.invoke(attrs)
				st := a.emu.Stats()
				if hName == "null value" {
					if got := errorText(diags); !strings.Contains(got, `Request header "X-Combo" has no value, so the webhook was not fired`) {
						t.Fatalf("got %q", got)
					}
					if st.Requests["trigger-webhook"] != 0 {
						t.Fatal("a request with a header without its value reached the API")
					}
					return
				}
				requireNoErrors(t, diags)
				got := a.emu.Received()
				if st.Deliveries != 1 || len(got) != 1 {
					t.Fatalf("%d deliveries, want 1", st.Deliveries)
				}
				if want := map[string]string{"set": "header-value"}[hName]; got[0].Headers.Get("X-Combo") != want {
					t.Fatalf("header %q, want %q", got[0].Headers.Get("X-Combo"), want)
				}
				wantBody := map[string]string{"set": `"combo":"body-value"`, "null": "A test event from the Authing emulator"}[bName]
				if !strings.Contains(got[0].Body, wantBody) {
					t.Fatalf("body %s, want it to hold %s", got[0].Body, wantBody)
				}
			})
		}
	}
}

// A null header value written in the configuration is refused at validate time; an
// unknown one waits for its value.
func TestActionValidateHeaderWithoutValue(t *testing.T) {
	a := newActionEnv(t)
	stringMap := tftypes.Map{ElementType: tftypes.String}
	for name, v := range map[string]tftypes.Value{
		"null":    tftypes.NewValue(tftypes.String, nil),
		"unknown": unknownString,
	} {
		cfg := a.config(map[string]tftypes.Value{"webhook_id": str(a.webhookID), "request_headers": tftypes.NewValue(stringMap, map[string]tftypes.Value{"X-Combo": v})})
		resp, err := a.server.ValidateActionConfig(t.Context(), &tfprotov6.ValidateActionConfigRequest{ActionType: actionType, Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		if got, refused := errorText(resp.Diagnostics), name == "null"; strings.Contains(got, "has no value") != refused {
			t.Fatalf("%s header value: got %q, want refused %v", name, got, refused)
		}
	}
}

func TestActionInvokeFailures(t *testing.T) {
	tests := []struct {
		name           string
		fault          *emulator.Fault
		attrs          func(a *actionEnv) map[string]tftypes.Value
		want           *regexp.Regexp
		wantDeliveries int
		// wantTriggers is how many trigger-webhook requests are sent: none for a webhook
		// that get-webhook (read for its secret) says does not exist.
		wantTriggers int
	}{
		{
			// The answer is lost, so the provider looks for the firing in the delivery logs
			// until the invoke timeout ends; a short one keeps the test from waiting out
			// the default settle window.
			name:  "gateway error after sending",
			fault: &emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502},
			attrs: func(a *actionEnv) map[string]tftypes.Value {
				return map[string]tftypes.Value{
					"webhook_id": str(a.webhookID),
					"timeouts":   timeoutsBlock(a.t, a.schema.ActionSchemas[actionType].Schema, map[string]string{"invoke": "2s"}),
				}
			},
			want:         regexp.MustCompile(`(?s)Could not trigger webhook.*MAY HAVE FIRED.*HTTP status:\s+502.*read the webhook's latest delivery logs \d+ times over \S+ and found no delivery`),
			wantTriggers: 1,
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
				return map[string]tftypes.Value{"webhook_id": str(a.webhookID), "expect": expectValue(nil, []string{"/body/data/version"}, map[string]string{"/received": "false", "/status": "ok"})}
			},
			want:           regexp.MustCompile(`(?s)Webhook fired, but did not meet expect.*fired once.*firing ID [0-9a-f]{32}.*present "/body/data/version": expected to exist in the answer; it is missing.*equals "/received": expected "false"; got "true".*equals "/status": expected "ok"; it is missing.*on_failure = continue`),
			wantDeliveries: 1,
			wantTriggers:   1,
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
			if st := a.emu.Stats(); st.Deliveries != tt.wantDeliveries || st.Requests["trigger-webhook"] != tt.wantTriggers {
				t.Fatalf("deliveries %d, trigger requests %d; want %d and %d", st.Deliveries, st.Requests["trigger-webhook"], tt.wantDeliveries, tt.wantTriggers)
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

func TestSummarizeTruncates(t *testing.T) {
	hide := echoMasker(nil, authing.TriggerInput{RequestHeaders: map[string]string{"Authorization": "Bearer hunter2-token"}})
	got := summarize(hide(`{"echo":"Bearer hunter2-token","pad":"` + strings.Repeat("x", 500) + `"}`))
	if strings.Contains(got, "hunter2") || !strings.HasSuffix(got, "… (truncated)") || len([]rune(got)) > progressLimit+20 {
		t.Fatalf("got %q", got)
	}
	exact := strings.Repeat("é", progressLimit)
	if got := summarize(exact); got != exact {
		t.Fatalf("an answer of exactly %d characters was cut", progressLimit)
	}
}

// The action hides a write-only value from an echoed answer by where it came from and what
// it looks like: common values ("application/json", "true", "test", short ones) stay
// readable, values that may be secrets are hidden at any depth and as JSON escapes them,
// whole when one holds another.
func TestEchoMaskKeepsCommonValuesAndHidesSecrets(t *testing.T) {
	in := authing.TriggerInput{
		RequestHeaders: map[string]string{
			"x-kind": "application/json", "x-flag": "true", "x-event": "user:created",
			"Authorization": "Bearer hunter2-token", "x-api-key": "abcdefgh", "x-short": "Ab3",
		},
		RequestBody: []byte(`{"eventName":"test","data":{"token":"tok-\"quoted\"-1","list":["deep-Secret-9"],"n":12345,"note":"hello world, a plain note"}}`),
	}
	hide := echoMasker(nil, in)
	answer := `{"contentType":"application/json","received":true,"eventName":"test","headers":{"x-kind":"application/json","x-flag":"true","x-event":"user:created","authorization":"Bearer hunter2-token","x-api-key":"abcdefgh","x-short":"Ab3"},` +
		`"body":{"eventName":"test","data":{"token":"tok-\"quoted\"-1","list":["deep-Secret-9"],"n":12345,"note":"hello world, a plain note"}},"asText":` + strconv.Quote(`{"t":"tok-\"quoted\"-1"}`) + `}`
	got := hide(answer)
	for _, kept := range []string{`"contentType":"application/json"`, `"received":true`, `"eventName":"test"`, `"x-flag":"true"`, `"x-event":"user:created"`, `"x-short":"Ab3"`, `12345`, `hello world, a plain note`} {
		if !strings.Contains(got, kept) {
			t.Errorf("%s was hidden: %s", kept, got)
		}
	}
	for _, secret := range []string{"hunter2", "Bearer", "abcdefgh", "quoted", "deep-Secret"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q is in %s", secret, got)
		}
	}
}

// An echo of the request shows the headers a user sent in the progress line and in the
// text of a failing expect, except those that may be secrets.
func TestActionProgressShowsCommonHeaderValues(t *testing.T) {
	a := newActionEnv(t)
	progress, diags := a.invoke(map[string]tftypes.Value{
		"webhook_id":      str(a.webhookID),
		"request_headers": strMap(map[string]string{"x-kind": "application/json", "x-flag": "true", "authorization": "Bearer hunter2-token-77"}),
		"request_body":    str(`{"eventName":"deploy.finished","token":"s3cr3t-TOKEN-9999"}`),
		"expect":          expectValue(nil, nil, map[string]string{"/method": "GET"}),
	})
	got := errorText(diags)
	all := strings.Join(progress, "\n") + "\n" + got
	for _, kept := range []string{`"x-kind":"application/json"`, `"x-flag":"true"`, `"eventName":"deploy.finished"`, `equals "/method": expected "GET"; got "POST"`} {
		if !strings.Contains(all, kept) {
			t.Errorf("%s is not shown in:\n%s", kept, all)
		}
	}
	if !strings.Contains(got, `"x-kind":"application/json"`) {
		t.Errorf("the failing expect does not show the answer:\n%s", got)
	}
	for _, secret := range []string{"hunter2", "s3cr3t", testSecret} {
		if strings.Contains(all, secret) {
			t.Errorf("%q is shown:\n%s", secret, all)
		}
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

// actionInput is how one of the action's optional inputs is given.
type actionInput int

const (
	inputUnset actionInput = iota
	inputPlain
	inputSensitive
	inputEphemeral
)

var actionInputs = []actionInput{inputUnset, inputPlain, inputSensitive, inputEphemeral}

func (i actionInput) String() string {
	return [...]string{"unset", "plain", "sensitive", "ephemeral"}[i]
}

// The values of the combinations' sensitive and ephemeral variables, which must reach the
// webhook and neither the state nor the CLI's output.
const (
	comboSensitive = "sensitive-combo-value-7e2a90"
	comboEphemeral = "ephemeral-combo-value-4b8d1f"
)

// actionCombo is one combination of the action's optional inputs, fired at a webhook of
// its own so that each delivery can be told apart.
type actionCombo struct {
	name          string
	headers, body actionInput
	webhookID     string
}

// newActionCombos adds a webhook for each of the sixteen combinations of request_headers
// and request_body, each unset, plain, sensitive or ephemeral.
func newActionCombos(emu *emulator.Server) []actionCombo {
	var combos []actionCombo
	for _, h := range actionInputs {
		for _, b := range actionInputs {
			name := fmt.Sprintf("headers_%s_body_%s", h, b)
			id := emu.AddWebhook(emulator.Webhook{Name: name, URL: emu.ReceiverURL(name), Enabled: true, Events: []string{"user:created"}})
			combos = append(combos, actionCombo{name: name, headers: h, body: b, webhookID: id})
		}
	}
	return combos
}

// actionCombosConfig declares the variables and one action per combination.
func actionCombosConfig(combos []actionCombo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nvariable \"sensitive\" {\n  type      = string\n  sensitive = true\n  default   = %q\n}\n", comboSensitive)
	fmt.Fprintf(&b, "\nvariable \"ephemeral\" {\n  type      = string\n  ephemeral = true\n  default   = %q\n}\n", comboEphemeral)
	for _, c := range combos {
		fmt.Fprintf(&b, "\naction \"authing_webhook_trigger\" %q {\n  config {\n    webhook_id = %q\n", c.name, c.webhookID)
		if c.headers != inputUnset {
			fmt.Fprintf(&b, "    request_headers = { x-combo = %s }\n", c.expr(c.headers))
		}
		if c.body != inputUnset {
			fmt.Fprintf(&b, "    request_body = jsonencode({ eventName = \"test\", data = { combo = %s } })\n", c.expr(c.body))
		}
		b.WriteString("  }\n}\n")
	}
	return b.String()
}

// expr is the HCL expression of an input given as i.
func (c actionCombo) expr(i actionInput) string {
	switch i {
	case inputSensitive:
		return "var.sensitive"
	case inputEphemeral:
		return "var.ephemeral"
	}
	return fmt.Sprintf("%q", c.name)
}

// want is the header and body value the webhook must receive for an input, "" when unset.
func (c actionCombo) want(i actionInput) string {
	switch i {
	case inputUnset:
		return ""
	case inputSensitive:
		return comboSensitive
	case inputEphemeral:
		return comboEphemeral
	}
	return c.name
}

// checkComboDeliveries checks that each combination was delivered as arrives says: not at
// all when fired is false, else exactly once with the inputs it returns.
func checkComboDeliveries(emu *emulator.Server, combos []actionCombo, arrives func(actionCombo) (c actionCombo, fired bool)) error {
	byPath := map[string][]emulator.ReceivedRequest{}
	for _, r := range emu.Received() {
		byPath[r.Path] = append(byPath[r.Path], r)
	}
	var problems []string
	for _, configured := range combos {
		got := byPath["/_emulator/receiver/"+configured.name]
		c, fired := arrives(configured)
		if want := map[bool]int{false: 0, true: 1}[fired]; len(got) != want {
			problems = append(problems, fmt.Sprintf("%s: %d deliveries, want %d", c.name, len(got), want))
			continue
		}
		if !fired {
			continue
		}
		if h := got[0].Headers.Get("X-Combo"); h != c.want(c.headers) {
			problems = append(problems, fmt.Sprintf("%s: header x-combo %q, want %q", c.name, h, c.want(c.headers)))
		}
		var body struct {
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal([]byte(got[0].Body), &body); err != nil {
			problems = append(problems, fmt.Sprintf("%s: body %q: %v", c.name, got[0].Body, err))
			continue
		}
		if combo, _ := body.Data["combo"].(string); combo != c.want(c.body) || (c.body == inputUnset) != (body.Data["description"] != nil) {
			problems = append(problems, fmt.Sprintf("%s: body %s, want data.combo %q (Authing's own test event when unset)", c.name, got[0].Body, c.want(c.body)))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// Every combination of request_headers and request_body, each unset, plain, sensitive or
// ephemeral, fires once from an action_trigger with what it configured, and leaves no
// trace in state.
func TestAccWebhookTriggerAction_everyInputCombinationFromActionTrigger(t *testing.T) {
	env := newTestEnv(t)
	combos := newActionCombos(env.emu)
	cfg := actionCombosConfig(combos)
	for _, c := range combos {
		cfg += fmt.Sprintf(`
resource "terraform_data" %[1]q {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.%[1]s]
    }
  }
}
`, c.name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(actionsMinimum)},
		Steps: []resource.TestStep{{
			Config: env.config(cfg),
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectDeliveries(len(combos)),
				fact(func() error {
					return checkComboDeliveries(env.emu, combos, func(c actionCombo) (actionCombo, bool) { return c, true })
				}),
				expectNotInState("terraform_data."+combos[0].name, comboEphemeral),
				expectNotInState("terraform_data."+combos[0].name, comboSensitive),
			},
		}},
	})
}

// terraform116 is the first Terraform with before_destroy and after_destroy events,
// on_failure, caller, -invoke with -target, and lifecycle { destroy = false }.
var terraform116 = goversion.Must(goversion.NewVersion("1.16.0"))

// stageBody is a request body that deliveries() reads back as "stage/release".
func stageBody(stage, release string) string {
	return fmt.Sprintf("jsonencode({ eventName = \"test\", data = { stage = %q, release = %s } })", stage, release)
}

// before_destroy and after_destroy fire once each, with their own body, around the
// resource's own teardown firing; an apply that changes nothing fires none of them.
func TestAccWebhookTriggerAction_destroyEvents(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("release", 1)[0]
	cfg := env.config(fmt.Sprintf(`
action "authing_webhook_trigger" "before" {
  config {
    webhook_id   = %[1]q
    request_body = %[2]s
  }
}

action "authing_webhook_trigger" "after" {
  config {
    webhook_id   = %[1]q
    request_body = %[3]s
  }
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = %[1]q
  request_body = %[4]s
  on_destroy = {
    request_body = %[5]s
  }

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.authing_webhook_trigger.before]
    }
    action_trigger {
      events  = [after_destroy]
      actions = [action.authing_webhook_trigger.after]
    }
  }
}
`, id, stageBody("before_destroy", `"r1"`), stageBody("after_destroy", `"r1"`), stageBody("deploy", `"r1"`), stageBody("teardown", `"r1"`)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(terraform116)},
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{expectDeliveryOrder(env, "deploy/r1")}},
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{expectDeliveryOrder(env, "deploy/r1")}},
		},
		CheckDestroy: func(*terraform.State) error {
			return deliveriesAre(env, "deploy/r1", "before_destroy/r1", "teardown/r1", "after_destroy/r1")
		},
	})
}

// onFailureConfig is a resource whose after_create action fails (its webhook does not
// exist), with the given on_failure line, and a second resource that needs the first.
func onFailureConfig(onFailure string) string {
	return fmt.Sprintf(`
provider "authing" {}

action "authing_webhook_trigger" "missing" {
  config {
    webhook_id = "000000000000000000000000"
  }
}

resource "terraform_data" "deploy" {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.missing]
      %s
    }
  }
}

resource "terraform_data" "next" {
  input = terraform_data.deploy.output
}
`, onFailure)
}

// on_failure = continue turns the action's error into a warning and the apply goes on;
// halt, the default, fails the apply with the provider's error and goes no further.
func TestAccCLI_actionOnFailure(t *testing.T) {
	for _, tt := range []struct {
		name, line string
		fails      bool
	}{
		{"continue", "on_failure = continue", false},
		{"halt", "on_failure = halt", true},
		{"default", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			w := newWorkspace(t, onFailureConfig(tt.line), env.providerEnv()...)
			w.skipBelowTerraform(terraform116.String())
			out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
			severity := map[bool]string{false: "Warning", true: "Error"}[tt.fails]
			if (err != nil) != tt.fails || !regexp.MustCompile(`(?s)`+severity+`: Could not trigger webhook.*Webhook 000000000000000000000000 does not exist at Authing`).MatchString(out) {
				t.Fatalf("want the provider's error as a %s and the apply failing %v; got %v:\n%s", severity, tt.fails, err, out)
			}
			if got, want := stateResources(t, w.state(), "terraform_data"), map[bool]int{false: 2, true: 1}[tt.fails]; got != want {
				t.Fatalf("%d terraform_data in state, want %d:\n%s", got, want, out)
			}
			// The webhook's secret is read before the firing (to mask the answer), which
			// tells that the webhook does not exist: nothing is sent.
			if st := env.emu.Stats(); st.Requests["get-webhook"] != 1 || st.Requests["trigger-webhook"] != 0 || st.Deliveries != 0 {
				t.Fatalf("get-webhook requests %d, trigger requests %d, deliveries %d; want 1, 0 and 0", st.Requests["get-webhook"], st.Requests["trigger-webhook"], st.Deliveries)
			}
		})
	}
}

// An action's configuration can use caller, the calling resource's attributes; with
// -invoke, -target names the calling resource whose attributes it gets.
func TestAccCLI_actionCallerAndInvokeWithTarget(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("release", 1)[0]
	w := newWorkspace(t, fmt.Sprintf(`
provider "authing" {}

action "authing_webhook_trigger" "deploy" {
  config {
    webhook_id   = %q
    request_body = %s
  }
}

resource "terraform_data" "alpha" {
  input = "alpha"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.deploy]
    }
  }
}

resource "terraform_data" "beta" {
  input = "beta"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.deploy]
    }
  }
}
`, id, stageBody("deploy", "caller.input")), env.providerEnv()...)
	w.skipBelowTerraform(terraform116.String())
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := deliveries(env)
	slices.Sort(got)
	if want := []string{"deploy/alpha", "deploy/beta"}; !slices.Equal(got, want) {
		t.Fatalf("deliveries %v, want %v", got, want)
	}
	for _, target := range []string{"beta", "alpha"} {
		out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color",
			"-invoke=action.authing_webhook_trigger.deploy", "-target=terraform_data."+target)
		if err != nil {
			t.Fatalf("-target=terraform_data.%s: %v\n%s", target, err, out)
		}
		if all := deliveries(env); all[len(all)-1] != "deploy/"+target {
			t.Fatalf("-target=terraform_data.%s: deliveries %v", target, all)
		}
	}
	if n := env.emu.Stats().Deliveries; n != 4 {
		t.Fatalf("%d deliveries, want 4: each -invoke fires once, for its target only", n)
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
    expect = {
      equals = { "/received" = "true" }
    }
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

// terraform apply -invoke fires each combination of request_headers and request_body, each
// unset, plain, sensitive or ephemeral, once with what it configured, except where Terraform
// drops ephemeral values: -invoke invokes the action with the plan's copy of its
// configuration, where they are null (Terraform 1.16.4). A header without its value is
// refused and nothing fires; an ephemeral body arrives as no body, indistinguishable from
// unset, so Authing sends its own test event. This test fails when Terraform starts
// passing ephemeral values to -invoke, so that the documentation can say so.
func TestAccCLI_actionInvokeEveryInputCombination(t *testing.T) {
	env := newTestEnv(t)
	combos := newActionCombos(env.emu)
	w := newWorkspace(t, "provider \"authing\" {}\n"+actionCombosConfig(combos), env.providerEnv()...)
	w.skipBelowTerraform(actionsMinimum.String())
	arrives := func(c actionCombo) (actionCombo, bool) {
		if c.body == inputEphemeral {
			c.body = inputUnset
		}
		return c, c.headers != inputEphemeral
	}
	deliveries := 0
	for _, c := range combos {
		out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.authing_webhook_trigger."+c.name)
		if strings.Contains(out, comboEphemeral) || strings.Contains(out, comboSensitive) {
			t.Errorf("%s: a sensitive or ephemeral value is in the CLI's output", c.name)
		}
		if _, fired := arrives(c); fired {
			deliveries++
			if err != nil {
				t.Errorf("%s: %v\n%s", c.name, err, out)
			}
		} else if err == nil || !strings.Contains(out, `Request header "x-combo" has no value, so the webhook was not fired`) {
			t.Errorf("%s: want the error for a header without a value, got %v\n%s", c.name, err, out)
		}
		if got := env.emu.Stats().Deliveries; got != deliveries {
			t.Errorf("after invoking %s: %d deliveries, want %d", c.name, got, deliveries)
		}
	}
	if err := checkComboDeliveries(env.emu, combos, arrives); err != nil {
		t.Error(err)
	}
}

// expectValue is an expect object for the action's protocol tests; nil leaves a field null.
func expectValue(codes []int, present []string, equals map[string]string) tftypes.Value {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"status_codes": tftypes.Set{ElementType: tftypes.Number},
		"present":      tftypes.List{ElementType: tftypes.String},
		"equals":       tftypes.Map{ElementType: tftypes.String},
	}}
	vals := map[string]tftypes.Value{
		"status_codes": tftypes.NewValue(typ.AttributeTypes["status_codes"], nil),
		"present":      tftypes.NewValue(typ.AttributeTypes["present"], nil),
		"equals":       tftypes.NewValue(typ.AttributeTypes["equals"], nil),
	}
	if codes != nil {
		var elems []tftypes.Value
		for _, c := range codes {
			elems = append(elems, tftypes.NewValue(tftypes.Number, c))
		}
		vals["status_codes"] = tftypes.NewValue(typ.AttributeTypes["status_codes"], elems)
	}
	if present != nil {
		var elems []tftypes.Value
		for _, p := range present {
			elems = append(elems, str(p))
		}
		vals["present"] = tftypes.NewValue(typ.AttributeTypes["present"], elems)
	}
	if equals != nil {
		vals["equals"] = strMap(equals)
	}
	return tftypes.NewValue(typ, vals)
}

// retryValue is a retry object for the action's protocol tests.
func retryValue(attempts int, minDelay, maxDelay string) tftypes.Value {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"attempts": tftypes.Number, "min_delay": tftypes.String, "max_delay": tftypes.String,
	}}
	return tftypes.NewValue(typ, map[string]tftypes.Value{
		"attempts": tftypes.NewValue(tftypes.Number, attempts), "min_delay": str(minDelay), "max_delay": str(maxDelay),
	})
}

// The action reports each attempt in its progress, with the status it read and the wait,
// and its final answer with the status and the attempt that met expect.
func TestActionReportsEachAttempt(t *testing.T) {
	a := newActionEnv(t)
	recv := &flakyReceiver{failFirst: 2, failStatus: 503}
	srv := httptest.NewServer(recv)
	t.Cleanup(srv.Close)
	id := a.emu.AddWebhook(emulator.Webhook{Name: "deploy", URL: srv.URL, Enabled: true, Events: []string{"test"}})
	progress, diags := a.invoke(map[string]tftypes.Value{
		"webhook_id": str(id),
		"expect":     expectValue([]int{200}, []string{"/data/version"}, nil),
		"retry":      retryValue(4, "10ms", "15ms"),
	})
	requireNoErrors(t, diags)
	want := []string{
		"Triggering Authing webhook " + id,
		"attempt 1 of 4: the endpoint answered 503; next in 10ms",
		"attempt 2 of 4: the endpoint answered 503; next in 15ms",
		"Webhook " + id + ` answered (status 200, attempt 3 of 4): {"data":{"ready":true,"version":"v2"}}`,
	}
	if !slices.Equal(progress, want) {
		t.Fatalf("progress %q, want %q", progress, want)
	}
	if n := len(recv.deliveries()); n != 3 {
		t.Fatalf("%d deliveries, want 3", n)
	}
}
