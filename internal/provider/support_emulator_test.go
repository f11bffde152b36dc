package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

const (
	testKeyID  = "pool-acceptance"
	testSecret = "sk-acceptance-7f3a9c2e1b"
)

// actionsMinimum is the first Terraform whose actions tests can trust: 1.14.0 ran after_*
// action triggers before the resource had finished applying.
var actionsMinimum = goversion.Must(goversion.NewVersion("1.14.1"))

// protoV6Factories serves the provider in-process to the Terraform CLI.
var protoV6Factories = map[string]func() (tfprotov6.ProviderServer, error){
	"authing": NewServer("test"),
}

// testEnv is one emulator and the provider configuration that points at it.
type testEnv struct {
	emu *emulator.Server
}

// newTestEnv starts an emulator; opts, when given, sets how it behaves where Authing's
// documentation is silent (page size served, not-found style, missing routes).
func newTestEnv(t *testing.T, opts ...emulator.Options) *testEnv {
	t.Helper()
	skipIfLive(t)
	var o emulator.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	o.Keys = []emulator.AccessKey{{ID: testKeyID, Secret: testSecret}}
	emu, err := emulator.Start(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	return &testEnv{emu: emu}
}

// providerBlock is the provider block, written the one way every test writes it. attrs
// maps each attribute set to its HCL expression (q quotes a string); with none, the
// block is empty and the environment supplies everything.
func providerBlock(attrs map[string]string) string {
	if len(attrs) == 0 {
		return "provider \"authing\" {}\n"
	}
	var b strings.Builder
	b.WriteString("provider \"authing\" {\n")
	for _, name := range sortedKeys(attrs) {
		fmt.Fprintf(&b, "  %s = %s\n", name, attrs[name])
	}
	b.WriteString("}\n")
	return b.String()
}

// q is s as an HCL string literal.
func q(s string) string { return strconv.Quote(s) }

// providerAttrs point the provider at the emulator with the test key, changed by
// changes: an attribute set to "" is left out.
func (e *testEnv) providerAttrs(changes map[string]string) map[string]string {
	attrs := map[string]string{"host": q(e.emu.URL()), "access_key_id": q(testKeyID), "access_key_secret": q(testSecret)}
	maps.Copy(attrs, changes)
	maps.DeleteFunc(attrs, func(_, v string) bool { return v == "" })
	return attrs
}

// config prepends a provider block that points at the emulator.
func (e *testEnv) config(body string) string {
	return providerBlock(e.providerAttrs(nil)) + body
}

// triggerConfig is an authing_webhook_trigger "smoke" for webhookID, with extra lines of
// HCL inside the block.
func triggerConfig(webhookID, extra string) string {
	return fmt.Sprintf("\nresource \"authing_webhook_trigger\" \"smoke\" {\n  webhook_id = %q\n%s}\n", webhookID, extra)
}

// fact checks something outside Terraform (the emulator's counters, what it holds or
// received) as a state check or a plan check.
type fact func() error

func (f fact) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

func (f fact) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// counts is the fact that a counter is want.
func counts(what string, want int, got func() int) fact {
	return func() error {
		if n := got(); n != want {
			return fmt.Errorf("%s: got %d, want %d", what, n, want)
		}
		return nil
	}
}

// expectDeliveries checks how many requests the emulator delivered to webhook URLs.
func (e *testEnv) expectDeliveries(want int) fact {
	return counts("deliveries", want, func() int { return e.emu.Stats().Deliveries })
}

// expectWebhookCount checks how many webhooks the emulator holds.
func (e *testEnv) expectWebhookCount(want int) fact {
	return counts("webhooks at the emulator", want, func() int { return len(e.emu.Webhooks()) })
}

// expectAtEmulator checks the webhook as the emulator holds it.
func (e *testEnv) expectAtEmulator(id *string, check func(emulator.Webhook) error) fact {
	return func() error {
		w, ok := e.emu.Webhook(*id)
		if !ok {
			return fmt.Errorf("webhook %s does not exist at the emulator", *id)
		}
		return check(w)
	}
}

// apiCalls snapshots the emulator's request count, to prove later that nothing called it.
type apiCalls struct {
	mu   sync.Mutex
	base int
	emu  *emulator.Server
}

func (a *apiCalls) total() int {
	n := 0
	for _, v := range a.emu.Stats().Requests {
		n += v
	}
	return n
}

// snapshot records the current count.
func (a *apiCalls) snapshot() fact {
	return func() error {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.base = a.total()
		return nil
	}
}

// none fails if any API call happened since the snapshot.
func (a *apiCalls) none() fact {
	return counts("API calls since the last apply", 0, func() int {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.total() - a.base
	})
}

// captureString is a state check value that remembers what it saw.
func captureString(dst *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error { *dst = v; return nil })
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

// clearAuthingEnv unsets the provider's environment variables for one test, so that a
// developer's own settings cannot change what it sees.
func clearAuthingEnv(t *testing.T) {
	for _, name := range []string{EnvAccessKeyID, EnvAccessKeySecret, EnvHost, EnvTenantID, EnvCAFile} {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
}
