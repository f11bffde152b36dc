package provider

import (
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

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
					countCheck{what: "deliveries after the failed apply", want: 0, got: func() int { return env.emu.Stats().Deliveries }},
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

// A private deployment with a certificate from a private CA works only with ca_file.
func TestAccProvider_caFile(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Keys: []emulator.AccessKey{{ID: testKeyID, Secret: testSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(emu.Handler())
	srv.Config.ErrorLog = nil
	srv.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := func(extra string) string {
		return fmt.Sprintf(`
provider "authing" {
  host              = %q
  access_key_id     = %q
  access_key_secret = %q
%s
}

data "authing_webhooks" "all" {}
`, srv.URL, testKeyID, testSecret, extra)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg(""), ExpectError: regexp.MustCompile(`(?s)Could not list webhooks.*certificate`)},
			{Config: cfg(fmt.Sprintf("  ca_file = %q", caFile))},
		},
	})
}
