package provider

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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

// config prepends a provider block that points at the emulator.
func (e *testEnv) config(body string) string {
	return fmt.Sprintf(`
provider "authing" {
  host              = %q
  access_key_id     = %q
  access_key_secret = %q
}
`, e.emu.URL(), testKeyID, testSecret) + body
}

// triggerConfig is an authing_webhook_trigger "smoke" for webhookID, with extra lines of
// HCL inside the block.
func triggerConfig(webhookID, extra string) string {
	return fmt.Sprintf("\nresource \"authing_webhook_trigger\" \"smoke\" {\n  webhook_id = %q\n%s}\n", webhookID, extra)
}

// expectDeliveries checks how many requests the emulator delivered to webhook URLs.
func (e *testEnv) expectDeliveries(want int) statecheck.StateCheck {
	return countCheck{what: "deliveries", want: want, got: func() int { return e.emu.Stats().Deliveries }}
}

// countCheck compares a counter with what it should be, as a state or plan check.
type countCheck struct {
	what string
	want int
	got  func() int
}

func (c countCheck) err() error {
	if got := c.got(); got != c.want {
		return fmt.Errorf("%s: got %d, want %d", c.what, got, c.want)
	}
	return nil
}

func (c countCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.err()
}

func (c countCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.err()
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

// snapshot is a state check that records the current count.
func (a *apiCalls) snapshot() statecheck.StateCheck {
	return snapshotCheck{a: a}
}

type snapshotCheck struct{ a *apiCalls }

func (s snapshotCheck) CheckState(context.Context, statecheck.CheckStateRequest, *statecheck.CheckStateResponse) {
	s.a.mu.Lock()
	s.a.base = s.a.total()
	s.a.mu.Unlock()
}

// none is a plan check that fails if any API call happened since the snapshot.
func (a *apiCalls) none() plancheck.PlanCheck {
	return countCheck{what: "API calls since the last apply", want: 0, got: func() int {
		a.mu.Lock()
		defer a.mu.Unlock()
		return a.total() - a.base
	}}
}

// clearAuthingEnv unsets the provider's environment variables for one test, so that a
// developer's own settings cannot change what it sees.
func clearAuthingEnv(t *testing.T) {
	for _, name := range []string{EnvAccessKeyID, EnvAccessKeySecret, EnvHost, EnvTenantID, EnvCAFile} {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
}

// stateFunc is a state check made of a function, for facts outside the state.
type stateFunc func() error

func (f stateFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}
