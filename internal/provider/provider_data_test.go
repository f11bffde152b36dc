package provider

import (
	"context"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// nullProviderModel is a provider block that sets nothing.
func nullProviderModel() providerModel {
	return providerModel{
		AccessKeyID: types.StringNull(), AccessKeySecret: types.StringNull(), Host: types.StringNull(),
		TenantID: types.StringNull(), CAFile: types.StringNull(), ListConcurrency: types.Int64Null(),
	}
}

// resolve takes what the block leaves unset from the environment, applies the client's
// rules, and says where each problem came from.
func TestResolve(t *testing.T) {
	t.Run("from the environment, with the client's defaults", func(t *testing.T) {
		clearAuthingEnv(t)
		t.Setenv(EnvAccessKeyID, " pool-1 ")
		t.Setenv(EnvAccessKeySecret, "secret")
		d := &providerData{version: "1.2.3", terraformVersion: "1.11.4"}
		var diags diag.Diagnostics
		d.resolve(nullProviderModel(), &diags)
		if diags.HasError() || d.invalid || len(d.missing) != 0 {
			t.Fatalf("diagnostics %s, invalid %v, missing %v", diagText(diags), d.invalid, d.missing)
		}
		want := authing.Config{Host: authing.DefaultHost, AccessKeyID: "pool-1", AccessKeySecret: "secret", Version: "1.2.3", Platform: "terraform 1.11.4"}
		got := d.cfg
		got.Logger, got.ListConcurrency, got.MaxResponseBytes, got.ResponseHeaderTimeout, got.Retry = nil, 0, 0, 0, authing.RetryPolicy{}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("resolved %+v, want %+v", got, want)
		}
	})
	t.Run("the block wins", func(t *testing.T) {
		clearAuthingEnv(t)
		t.Setenv(EnvHost, "https://env.example.com")
		m := nullProviderModel()
		m.Host = types.StringValue("https://block.example.com/")
		d := &providerData{}
		var diags diag.Diagnostics
		d.resolve(m, &diags)
		if d.cfg.Host != "https://block.example.com" {
			t.Fatalf("host %q", d.cfg.Host)
		}
	})
	t.Run("a bad host names its source; missing credentials are named for later", func(t *testing.T) {
		clearAuthingEnv(t)
		t.Setenv(EnvHost, "http://authing.example.com")
		d := &providerData{}
		var diags diag.Diagnostics
		d.resolve(nullProviderModel(), &diags)
		if got := diagText(diags); !regexp.MustCompile(`^host: Invalid Authing host: The host set by the AUTHING_HOST environment variable is not usable: .*only for loopback`).MatchString(got) || !d.invalid {
			t.Fatalf("diagnostics %q, invalid %v", got, d.invalid)
		}
		want := []string{credentialSettings["AccessKeyID"], credentialSettings["AccessKeySecret"]}
		if len(d.missing) != 2 || d.missing[0] != want[0] || d.missing[1] != want[1] || want[0] == "" || want[1] == "" {
			t.Fatalf("missing %q, want %q", d.missing, want)
		}
	})
	t.Run("an unreadable CA file", func(t *testing.T) {
		clearAuthingEnv(t)
		m := nullProviderModel()
		m.CAFile = types.StringValue("/nonexistent/ca.pem")
		d := &providerData{}
		var diags diag.Diagnostics
		d.resolve(m, &diags)
		if got := diagText(diags); !regexp.MustCompile(`^ca_file: Could not read the CA file: The CA file set by the provider's configuration`).MatchString(got) || !d.invalid {
			t.Fatalf("diagnostics %q, invalid %v", got, d.invalid)
		}
	})
}

// Plans that ask for the event list while a read is under way wait for that read instead
// of each making their own.
func TestConcurrentPlansShareOneReadOfTheEventList(t *testing.T) {
	env := newTestEnv(t)
	env.emu.InjectFault("get-webhook-event-list", emulator.Fault{Kind: emulator.FaultSlow, Delay: time.Hour})
	d, reads := eventListReader(t, env)

	results := make(chan diag.Diagnostics, 5)
	ask := func() {
		_, _, diags := d.knownEvents(t.Context(), 2*time.Second)
		results <- diags
	}
	go ask()
	for deadline := time.Now().Add(10 * time.Second); reads() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first read never reached the server")
		}
	}
	for range 4 {
		go ask()
	}
	for range 5 {
		if got := diagText(<-results); !strings.Contains(got, "Could not check event names") {
			t.Fatalf("diagnostics %q", got)
		}
	}
	if n := reads(); n != 1 {
		t.Fatalf("%d reads of the event list, want 1", n)
	}
}

// The read of the event list is shared, so the plan that started it must not end it: that
// plan is cancelled while the read is under way, the read goes on, and the next plan uses
// it instead of reading again.
func TestASharedEventListReadOutlivesItsFirstCaller(t *testing.T) {
	env := newTestEnv(t)
	env.emu.InjectFault("get-webhook-event-list", emulator.Fault{Kind: emulator.FaultSlow, Delay: 300 * time.Millisecond})
	d, reads := eventListReader(t, env)

	first, cancel := context.WithCancel(t.Context())
	done := make(chan diag.Diagnostics, 1)
	go func() {
		_, _, diags := d.knownEvents(first, 10*time.Second)
		done <- diags
	}()
	for deadline := time.Now().Add(10 * time.Second); reads() == 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first read never reached the server")
		}
	}
	cancel()
	if got := diagText(<-done); !strings.Contains(got, "Could not check event names") {
		t.Fatalf("the cancelled plan: diagnostics %q", got)
	}
	names, from, diags := d.knownEvents(t.Context(), 10*time.Second)
	requireNoDiagErrors(t, diags)
	if from != serverEventsSource || len(names) == 0 {
		t.Fatalf("the next plan got %d names from %q", len(names), from)
	}
	if n := reads(); n != 1 {
		t.Fatalf("%d reads of the event list, want 1, the one the cancelled plan started", n)
	}
}

// eventListReader is provider data configured for env's emulator, and a count of the
// event-list reads the emulator has served.
func eventListReader(t *testing.T, env *testEnv) (*providerData, func() int) {
	t.Helper()
	m := nullProviderModel()
	m.Host, m.AccessKeyID, m.AccessKeySecret = types.StringValue(env.emu.URL()), types.StringValue(testKeyID), types.StringValue(testSecret)
	d := &providerData{}
	var diags diag.Diagnostics
	d.resolve(m, &diags)
	requireNoDiagErrors(t, diags)
	return d, func() int { return env.emu.Stats().Requests["get-webhook-event-list"] }
}

func requireNoDiagErrors(t *testing.T, diags diag.Diagnostics) {
	t.Helper()
	if diags.HasError() {
		t.Fatal(diagText(diags))
	}
}
