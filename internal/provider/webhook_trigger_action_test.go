package provider

import (
	"encoding/json"
	"maps"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
			want:         regexp.MustCompile(`(?s)Webhook may have fired; its outcome is unknown.*MAY HAVE FIRED.*HTTP status:\s+502.*read the webhook's latest delivery logs \d+ times over \S+ and found no delivery`),
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

// An own Idempotency-Key header with expect.status_codes is refused at plan too, where an
// ephemeral header (unknown at validate) is first known.
func TestActionPlanRefusesOwnIdempotencyKeyWithStatusCodes(t *testing.T) {
	a := newActionEnv(t)
	expectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"status_codes": tftypes.Set{ElementType: tftypes.Number}, "present": tftypes.List{ElementType: tftypes.String}, "equals": tftypes.Map{ElementType: tftypes.String},
	}}
	attrs := map[string]tftypes.Value{
		"webhook_id":      str(a.webhookID),
		"request_headers": strMap(map[string]string{"Idempotency-Key": "mine"}),
		"expect": tftypes.NewValue(expectType, map[string]tftypes.Value{
			"status_codes": tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, []tftypes.Value{tftypes.NewValue(tftypes.Number, 200)}),
			"present":      tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
			"equals":       tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
		}),
	}
	p, err := a.server.PlanAction(t.Context(), &tfprotov6.PlanActionRequest{ActionType: actionType, Config: a.config(attrs)})
	if err != nil {
		t.Fatal(err)
	}
	if got := errorText(p.Diagnostics); !strings.Contains(got, "Own Idempotency-Key header with expect.status_codes") {
		t.Fatalf("plan: %q", got)
	}
}
