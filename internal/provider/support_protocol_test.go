package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// protocolServer drives the provider over the plugin protocol, as Terraform does, for
// features the Terraform on the test machine may not have.
type protocolServer struct {
	t      *testing.T
	server tfprotov6.ProviderServerWithActions //nolint:staticcheck // Actions are not in tfprotov6.ProviderServer yet.
	schema *tfprotov6.GetProviderSchemaResponse
}

func newProtocolServer(t *testing.T) *protocolServer {
	t.Helper()
	base, err := NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	server, ok := base.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // As above.
	if !ok {
		t.Fatalf("the provider server (%T) does not serve actions", base)
	}
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrors(t, resp.Diagnostics)
	return &protocolServer{t: t, server: server, schema: resp}
}

// configure sends the provider configuration; unset attributes are null.
func (p *protocolServer) configure(attrs map[string]tftypes.Value) {
	p.t.Helper()
	resp, err := p.server.ConfigureProvider(p.t.Context(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config:           dynamicValue(p.t, p.schema.Provider, attrs),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	requireNoErrors(p.t, resp.Diagnostics)
}

// dynamicValue builds a configuration object for a schema, with null for what attrs lacks.
func dynamicValue(t *testing.T, s *tfprotov6.Schema, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	typ, ok := s.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %T is not an object", s.ValueType())
	}
	vals := map[string]tftypes.Value{}
	for name, attrType := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
			continue
		}
		vals[name] = tftypes.NewValue(attrType, nil)
	}
	for name := range attrs {
		if _, ok := typ.AttributeTypes[name]; !ok {
			t.Fatalf("attribute %q is not in the schema", name)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func requireNoErrors(t *testing.T, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("unexpected error: %s: %s", d.Summary, d.Detail)
		}
	}
}

// errorText joins the error diagnostics, or is empty when there are none.
func errorText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.WriteString(d.Summary + ": " + d.Detail + "\n")
		}
	}
	return b.String()
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

func strMap(m map[string]string) tftypes.Value {
	vals := map[string]tftypes.Value{}
	for k, v := range m {
		vals[k] = str(v)
	}
	return tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, vals)
}

var unknownString = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)

// validateProvider returns a call of ValidateProviderConfig with attrs.
func (p *protocolServer) validateProvider(attrs map[string]tftypes.Value) func() []*tfprotov6.Diagnostic {
	return func() []*tfprotov6.Diagnostic {
		resp, err := p.server.ValidateProviderConfig(p.t.Context(), &tfprotov6.ValidateProviderConfigRequest{Config: dynamicValue(p.t, p.schema.Provider, attrs)})
		if err != nil {
			p.t.Fatal(err)
		}
		return resp.Diagnostics
	}
}

// validateResource returns a call of ValidateResourceConfig for typ with attrs.
func (p *protocolServer) validateResource(typ string, attrs map[string]tftypes.Value) func() []*tfprotov6.Diagnostic {
	return func() []*tfprotov6.Diagnostic {
		resp, err := p.server.ValidateResourceConfig(p.t.Context(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: typ, Config: dynamicValue(p.t, p.schema.ResourceSchemas[typ], attrs),
		})
		if err != nil {
			p.t.Fatal(err)
		}
		return resp.Diagnostics
	}
}

// validateDataSource returns a call of ValidateDataResourceConfig for typ with attrs.
func (p *protocolServer) validateDataSource(typ string, attrs map[string]tftypes.Value) func() []*tfprotov6.Diagnostic {
	return func() []*tfprotov6.Diagnostic {
		resp, err := p.server.ValidateDataResourceConfig(p.t.Context(), &tfprotov6.ValidateDataResourceConfigRequest{
			TypeName: typ, Config: dynamicValue(p.t, p.schema.DataSourceSchemas[typ], attrs),
		})
		if err != nil {
			p.t.Fatal(err)
		}
		return resp.Diagnostics
	}
}

// planWebhook calls PlanResourceChange for authing_webhook from prior (nil for a create)
// to config, with
// the proposed state Terraform would send: the configuration, with the prior value of
// each computed attribute the configuration leaves null, and no write-only value.
func (p *protocolServer) planWebhook(prior *tfprotov6.DynamicValue, priorPrivate []byte, config map[string]tftypes.Value) *tfprotov6.PlanResourceChangeResponse {
	p.t.Helper()
	const typ = "authing_webhook"
	s := p.schema.ResourceSchemas[typ]
	var priorAttrs map[string]tftypes.Value
	priorState := prior
	if prior != nil {
		priorAttrs = p.object(prior, s, false)
	} else {
		dv, err := tfprotov6.NewDynamicValue(s.ValueType(), tftypes.NewValue(s.ValueType(), nil))
		if err != nil {
			p.t.Fatal(err)
		}
		priorState = &dv
	}
	proposed := map[string]tftypes.Value{}
	for name, v := range config {
		proposed[name] = v
	}
	for _, a := range s.Block.Attributes {
		if a.WriteOnly {
			delete(proposed, a.Name)
			continue
		}
		if _, set := config[a.Name]; !set && a.Computed && priorAttrs != nil {
			proposed[a.Name] = priorAttrs[a.Name]
		}
	}
	resp, err := p.server.PlanResourceChange(p.t.Context(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typ, PriorState: priorState, PriorPrivate: priorPrivate,
		ProposedNewState: dynamicValue(p.t, s, proposed), Config: dynamicValue(p.t, s, config),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// applyWebhook plans authing_webhook from prior (nil for a create) to config and applies
// the plan, as terraform apply does. It returns the new state and private state, and
// every diagnostic of both calls.
func (p *protocolServer) applyWebhook(prior *tfprotov6.DynamicValue, priorPrivate []byte, config map[string]tftypes.Value) (*tfprotov6.DynamicValue, []byte, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	const typ = "authing_webhook"
	s := p.schema.ResourceSchemas[typ]
	planned := p.planWebhook(prior, priorPrivate, config)
	if errorText(planned.Diagnostics) != "" {
		return prior, priorPrivate, planned.Diagnostics
	}
	if prior == nil {
		dv, err := tfprotov6.NewDynamicValue(s.ValueType(), tftypes.NewValue(s.ValueType(), nil))
		if err != nil {
			p.t.Fatal(err)
		}
		prior = &dv
	}
	resp, err := p.server.ApplyResourceChange(p.t.Context(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typ, PriorState: prior, PlannedState: planned.PlannedState, PlannedPrivate: planned.PlannedPrivate,
		Config: dynamicValue(p.t, s, config),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.NewState, resp.Private, append(planned.Diagnostics, resp.Diagnostics...)
}

// timeoutsBlock is the value of a schema's timeouts block; timeouts left out are null.
func timeoutsBlock(t *testing.T, s *tfprotov6.Schema, values map[string]string) tftypes.Value {
	t.Helper()
	obj, ok := s.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("schema type %T is not an object", s.ValueType())
	}
	typ, ok := obj.AttributeTypes["timeouts"].(tftypes.Object)
	if !ok {
		t.Fatal("the schema has no timeouts block")
	}
	vals := map[string]tftypes.Value{}
	for attr := range typ.AttributeTypes {
		vals[attr] = tftypes.NewValue(tftypes.String, nil)
		if v, ok := values[attr]; ok {
			vals[attr] = str(v)
		}
	}
	return tftypes.NewValue(typ, vals)
}

// webhookEnv is a configured provider server and an emulator, for authing_webhook at the
// protocol level.
type webhookEnv struct {
	*protocolServer
	emu *emulator.Server
}

func newWebhookEnv(t *testing.T) *webhookEnv {
	env := newTestEnv(t)
	p := newProtocolServer(t)
	p.configure(map[string]tftypes.Value{"host": str(env.emu.URL()), "access_key_id": str(testKeyID), "access_key_secret": str(testSecret)})
	return &webhookEnv{protocolServer: p, emu: env.emu}
}

// config is an authing_webhook configuration with extra attributes.
func (w *webhookEnv) config(extra map[string]tftypes.Value) map[string]tftypes.Value {
	attrs := map[string]tftypes.Value{
		"name": str("deploy"), "url": str(w.emu.ReceiverURL("deploy")),
		"events": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("user:created")}),
	}
	for k, v := range extra {
		attrs[k] = v
	}
	return attrs
}

// secretAt is the signing secret the emulator holds for the webhook in state.
func (w *webhookEnv) secretAt(state *tfprotov6.DynamicValue) string {
	w.t.Helper()
	id := asString(w.t, w.object(state, w.schema.ResourceSchemas["authing_webhook"], false)["id"])
	hook, ok := w.emu.Webhook(id)
	if !ok {
		w.t.Fatalf("webhook %s does not exist at the emulator", id)
	}
	return hook.Secret
}

// warnings joins the warning diagnostics.
func warnings(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			b.WriteString(d.Summary + ": " + d.Detail + "\n")
		}
	}
	return b.String()
}

// replayEnv is a configured provider server and an emulator with one webhook, whose
// receiver "svc" can be taken down and brought back.
type replayEnv struct {
	*protocolServer
	emu       *emulator.Server
	webhookID string
	start     time.Time
	events    int
}

func newReplayEnv(t *testing.T, opts ...emulator.Options) *replayEnv {
	t.Helper()
	env := newTestEnv(t, opts...)
	p := newProtocolServer(t)
	p.configure(map[string]tftypes.Value{
		"host": str(env.emu.URL()), "access_key_id": str(testKeyID), "access_key_secret": str(testSecret),
	})
	id := env.emu.AddWebhook(emulator.Webhook{Name: "svc", URL: env.emu.ReceiverURL("svc"), Enabled: true, Events: []string{"user:created", "user:updated"}})
	return &replayEnv{protocolServer: p, emu: env.emu, webhookID: id, start: time.Now().Add(-time.Second)}
}

// since is the window's start as the action takes it: a moment before the test began.
func (r *replayEnv) since() tftypes.Value { return str(r.start.UTC().Format(time.RFC3339)) }

// down makes every delivery to the receiver fail; up brings it back.
func (r *replayEnv) down() { r.setReceiver(emulator.ReceiverBehavior{Down: true}) }
func (r *replayEnv) up()   { r.setReceiver(emulator.ReceiverBehavior{}) }

func (r *replayEnv) setReceiver(b emulator.ReceiverBehavior) {
	r.t.Helper()
	if err := r.emu.SetReceiver("svc", b); err != nil {
		r.t.Fatal(err)
	}
}

// emit sends n real events of the given name, numbered on from the last ones, and
// returns their numbers.
func (r *replayEnv) emit(event string, n int) []int {
	r.t.Helper()
	var out []int
	for range n {
		r.events++
		if err := r.emu.EmitEvent(r.webhookID, event, map[string]any{"n": r.events, "email": fmt.Sprintf("user%d@example.com", r.events)}); err != nil {
			r.t.Fatal(err)
		}
		out = append(out, r.events)
	}
	return out
}

func (r *replayEnv) invoke(attrs map[string]tftypes.Value) ([]string, []*tfprotov6.Diagnostic) {
	r.t.Helper()
	cfg := dynamicValue(r.t, r.schema.ActionSchemas[replayActionType].Schema, attrs)
	stream, err := r.server.InvokeAction(r.t.Context(), &tfprotov6.InvokeActionRequest{ActionType: replayActionType, Config: cfg})
	if err != nil {
		r.t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			diags = e.Diagnostics
		}
	}
	return progress, diags
}

// attrs is the action's configuration for this env's webhook and window, with extra.
func (r *replayEnv) attrs(extra map[string]tftypes.Value) map[string]tftypes.Value {
	a := map[string]tftypes.Value{"webhook_id": str(r.webhookID), "since": r.since()}
	for k, v := range extra {
		a[k] = v
	}
	return a
}
