package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Against a server that accepts requests and never answers, every kind of read ends at
// its timeout with an error that says so, and the plan-time check of event names falls
// back to the documented list with a warning.
func TestEveryReadOfAStalledServerEndsAtItsTimeout(t *testing.T) {
	w := newWebhookEnv(t)
	const typ = "authing_webhook"
	s := w.schema.ResourceSchemas[typ]
	short := timeoutsBlock(t, s, map[string]string{"read": "200ms"})
	state, private, diags := w.applyWebhook(nil, nil, w.config(map[string]tftypes.Value{"timeouts": short}))
	requireNoErrors(t, diags)
	for _, route := range []string{"get-webhook", "list-webhooks", "get-webhook-event-list", "get-webhook-logs"} {
		w.emu.InjectFault(route, emulator.Fault{Kind: emulator.FaultSlow, Delay: time.Hour})
	}
	readData := func(name string, attrs map[string]tftypes.Value) func() []*tfprotov6.Diagnostic {
		return func() []*tfprotov6.Diagnostic {
			ds := w.schema.DataSourceSchemas[name]
			attrs["timeouts"] = timeoutsBlock(t, ds, map[string]string{"read": "200ms"})
			resp, err := w.server.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{TypeName: name, Config: dynamicValue(t, ds, attrs)})
			if err != nil {
				t.Fatal(err)
			}
			return resp.Diagnostics
		}
	}
	reads := []struct {
		name string
		call func() []*tfprotov6.Diagnostic
		want string
	}{
		{"refresh of authing_webhook", func() []*tfprotov6.Diagnostic {
			resp, err := w.server.ReadResource(t.Context(), &tfprotov6.ReadResourceRequest{TypeName: typ, CurrentState: state, Private: private})
			if err != nil {
				t.Fatal(err)
			}
			return resp.Diagnostics
		}, `Could not read webhook`},
		{"authing_webhooks", readData("authing_webhooks", map[string]tftypes.Value{}), `Could not list webhooks`},
		{"authing_webhook", readData("authing_webhook", map[string]tftypes.Value{"webhook_id": str("6229ffa000000000cade3e3d")}), `Could not read webhook`},
		{"authing_webhook_events", readData("authing_webhook_events", map[string]tftypes.Value{}), `Could not list webhook events`},
		{"authing_webhook_logs", readData("authing_webhook_logs", map[string]tftypes.Value{"webhook_id": str("6229ffa000000000cade3e3d")}), `Could not read webhook logs`},
		{"terraform query", func() []*tfprotov6.Diagnostic {
			ls := w.schema.ListResourceSchemas[typ]
			_, errs := w.listWebhooks(map[string]tftypes.Value{"timeouts": timeoutsBlock(t, ls, map[string]string{"list": "200ms"})}, false, 10)
			return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: errs}}
		}, `Could not list webhooks`},
	}
	for _, tt := range reads {
		t.Run(tt.name, func(t *testing.T) {
			got := errorText(boundedCall(t, tt.call))
			if !regexp.MustCompile(`(?s)` + tt.want + `.*timeout ran out`).MatchString(got) {
				t.Fatalf("got %q, want %s and the timeout named", got, tt.want)
			}
		})
	}
	t.Run("plan-time check of event names", func(t *testing.T) {
		// A provider process of its own: this one has the server's list from the create.
		fresh := newWebhookEnv(t)
		fresh.emu.InjectFault("get-webhook-event-list", emulator.Fault{Kind: emulator.FaultSlow, Delay: time.Hour})
		diags := boundedCall(t, func() []*tfprotov6.Diagnostic {
			return fresh.planWebhook(nil, nil, fresh.config(map[string]tftypes.Value{"timeouts": short})).Diagnostics
		})
		if got := errorText(diags); !regexp.MustCompile(`(?s)^Could not check event names.*timeout ran out`).MatchString(got) {
			t.Fatalf("errors %q", got)
		}
	})
}

// boundedCall runs call and fails the test if it has not returned within 30 seconds, far
// beyond the timeouts under test, so that a call that hangs fails instead of blocking.
func boundedCall(t *testing.T, call func() []*tfprotov6.Diagnostic) []*tfprotov6.Diagnostic {
	t.Helper()
	done := make(chan []*tfprotov6.Diagnostic, 1)
	go func() { done <- call() }()
	select {
	case diags := <-done:
		return diags
	case <-time.After(30 * time.Second):
		t.Fatal("the call did not return")
		return nil
	}
}

// Through Terraform: a data source's timeouts block bounds its read of a stalled server.
func TestAccWebhooksDataSource_stalledServerTimesOut(t *testing.T) {
	env := newTestEnv(t)
	env.emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultSlow, Delay: time.Hour})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      env.config("data \"authing_webhooks\" \"all\" {\n  timeouts {\n    read = \"1s\"\n  }\n}\n"),
			ExpectError: regexp.MustCompile(`(?s)Could not list webhooks.*timeout ran out`),
		}},
	})
}
