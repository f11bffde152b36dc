package provider

import (
	"crypto/tls"
	"encoding/pem"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Without credentials, a configuration that needs no API call validates and plans.
func TestAccProvider_noCredentialsNeededWithoutAuthingObjects(t *testing.T) {
	clearAuthingEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: providerBlock(nil) + `
resource "terraform_data" "unrelated" {
  input = "ok"
}
`,
		}},
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	clearAuthingEnv(t)
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(map[string]string{"host": q(env.emu.URL())}) + `data "authing_webhooks" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Missing Authing credentials.*access_key_id \(or the\s+AUTHING_ACCESS_KEY_ID.*access_key_secret \(or\s+the\s+AUTHING_ACCESS_KEY_SECRET`),
			},
			{
				Config:      providerBlock(map[string]string{"host": q(env.emu.URL()), "access_key_id": q("some-id")}) + triggerConfig("abc", ""),
				ExpectError: regexp.MustCompile(`(?s)Missing Authing credentials.*access_key_secret`),
			},
		},
	})
	if n := env.emu.Stats().Deliveries; n != 0 {
		t.Fatalf("%d deliveries without credentials", n)
	}
}

func TestAccProvider_environmentAndPrecedence(t *testing.T) {
	clearAuthingEnv(t)
	env := newTestEnv(t)
	env.emu.SeedWebhooks("hook", 3)
	check := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { t.Setenv(EnvHost, "http://authing.example.com") },
				Config:      `data "authing_webhooks" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Authing host.*AUTHING_HOST.*only for\s+loopback`),
			},
			{
				PreConfig: func() {
					t.Setenv(EnvHost, env.emu.URL())
					t.Setenv(EnvAccessKeyID, testKeyID)
					t.Setenv(EnvAccessKeySecret, testSecret)
				},
				Config:            `data "authing_webhooks" "all" {}`,
				ConfigStateChecks: check,
			},
			{
				// The provider block wins over the environment.
				PreConfig: func() {
					t.Setenv(EnvHost, "http://127.0.0.1:1")
					t.Setenv(EnvAccessKeySecret, "wrong-secret")
				},
				Config:            env.config(`data "authing_webhooks" "all" {}`),
				ConfigStateChecks: check,
			},
		},
	})
}

// A provider block whose values come from another resource does not crash: resources
// that need no API call at plan time plan and apply; a data source says what is wrong.
func TestAccProvider_unknownConfiguration(t *testing.T) {
	clearAuthingEnv(t)
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	provider := fmt.Sprintf(`
resource "terraform_data" "endpoint" {
  input = %q
}
`, env.emu.URL()) + providerBlock(env.providerAttrs(map[string]string{"host": "terraform_data.endpoint.output"}))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: provider + `
data "authing_webhooks" "all" {}
`,
				ExpectError: regexp.MustCompile(`(?s)Provider configuration not known yet.*host`),
			},
			{
				Config:            provider + triggerConfig(id, ""),
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
			},
		},
	})
}

func TestAccProvider_wrongCredentials(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      providerBlock(env.providerAttrs(map[string]string{"access_key_secret": q("not-the-secret")})) + `data "authing_webhooks" "all" {}`,
			ExpectError: regexp.MustCompile(`(?s)Could not list webhooks.*get management token.*statusCode:\s+401.*requestId.*Authing refused the access key\.\s+Check access_key_id`),
		}},
	})
}

// A provider configuration with unknown values defers the data sources when Terraform
// allows deferral, and only then.
func TestConfigureDefersOnlyUnknownConfigurations(t *testing.T) {
	unknownHost := map[string]tftypes.Value{"host": unknownString}
	for _, tt := range []struct {
		name     string
		attrs    map[string]tftypes.Value
		allowed  bool
		deferred bool
	}{
		{"unknown, deferral allowed", unknownHost, true, true},
		{"unknown, deferral not allowed", unknownHost, false, false},
		{"known", map[string]tftypes.Value{"host": str("http://127.0.0.1:1")}, true, false},
	} {
		p := newProtocolServer(t)
		if _, err := p.server.ConfigureProvider(t.Context(), &tfprotov6.ConfigureProviderRequest{
			TerraformVersion:   "1.14.0",
			Config:             dynamicValue(t, p.schema.Provider, tt.attrs),
			ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: tt.allowed},
		}); err != nil {
			t.Fatal(err)
		}
		resp, err := p.server.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{
			TypeName:           "authing_webhooks",
			Config:             dynamicValue(t, p.schema.DataSourceSchemas["authing_webhooks"], nil),
			ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: tt.allowed},
		})
		if err != nil {
			t.Fatal(err)
		}
		if (resp.Deferred != nil) != tt.deferred {
			t.Errorf("%s: deferred %v, want %v", tt.name, resp.Deferred, tt.deferred)
		}
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
	cfg := func(caFile string) string {
		attrs := map[string]string{"host": q(srv.URL), "access_key_id": q(testKeyID), "access_key_secret": q(testSecret)}
		if caFile != "" {
			attrs["ca_file"] = q(caFile)
		}
		return providerBlock(attrs) + `data "authing_webhooks" "all" {}`
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg(""), ExpectError: regexp.MustCompile(`(?s)Could not list webhooks.*certificate`)},
			{Config: cfg(caFile)},
		},
	})
}

// With TF_LOG=TRACE, no secret appears in the log, the CLI's output or the state.
func TestAccCLI_noSecretsAnywhere(t *testing.T) {
	for _, via := range []string{"environment", "provider block"} {
		t.Run(via, func(t *testing.T) { testNoSecretsAnywhere(t, via == "provider block") })
	}
}

// testNoSecretsAnywhere gives the secret through the environment, or through a sensitive
// variable in the provider block.
func testNoSecretsAnywhere(t *testing.T, inBlock bool) {
	env := newTestEnv(t)
	const signingSecret = "whsec-9f8e7d6c5b4a-signing"
	id := env.emu.AddWebhook(emulator.Webhook{Name: "signed", URL: env.emu.ReceiverURL("signed"), Enabled: true, Events: []string{"user:created"}, Secret: signingSecret})
	logPath := filepath.Join(t.TempDir(), "trace.log")
	provider, credentials := providerBlock(nil), env.providerEnv()
	if inBlock {
		provider = "variable \"secret\" {\n  type      = string\n  sensitive = true\n}\n\n" +
			providerBlock(env.providerAttrs(map[string]string{"access_key_secret": "var.secret"}))
		credentials = []string{"TF_VAR_secret=" + testSecret}
	}
	w := newWorkspace(t, provider+fmt.Sprintf(`
data "authing_webhooks" "all" {}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = %q
}

output "webhooks" {
  value = data.authing_webhooks.all.webhooks
}
`, id), append(credentials, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)...)

	var outputs []string
	for _, args := range [][]string{
		{"apply", "-auto-approve", "-input=false"},
		{"plan", "-input=false"},
		{"output", "-json"},
		{"show", "-json"},
	} {
		out, err := w.run(args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		outputs = append(outputs, out)
	}
	// A failing call too: wrong credentials and a refused trigger.
	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "refused"})
	w.env = append(w.env, "AUTHING_ACCESS_KEY_SECRET=wrong-"+testSecret, "TF_VAR_secret=wrong-"+testSecret)
	out, err := w.run("apply", "-auto-approve", "-input=false", "-replace=authing_webhook_trigger.smoke")
	if err == nil || !strings.Contains(out, "401") {
		t.Fatalf("want a credentials error, got %v:\n%s", err, out)
	}
	outputs = append(outputs, out)

	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	if !strings.Contains(log, "Authing API request") || !strings.Contains(log, "trigger-webhook") {
		t.Fatal("the trace log holds no provider request lines, so it proves nothing")
	}
	texts := map[string]string{"trace log": log, "state": w.state()}
	for i, o := range outputs {
		texts[fmt.Sprintf("CLI output %d", i)] = o
	}
	secrets := append([]string{testSecret, signingSecret}, env.emu.IssuedTokens()...)
	if len(secrets) < 3 {
		t.Fatal("no token was issued, so the token check proves nothing")
	}
	for where, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("a secret (%.6s...) appears in the %s", s, where)
			}
		}
	}
}

// terraform validate needs no credentials, whatever the configuration holds.
func TestAccCLI_validateWithoutCredentials(t *testing.T) {
	w := newWorkspace(t, providerBlock(nil)+`
data "authing_webhooks" "all" {}

resource "authing_webhook" "deploy" {
  name   = "deploy"
  url    = "https://hooks.example.com/authing"
  events = ["user:created"]
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = authing_webhook.deploy.webhook_id
  request_body = jsonencode({ eventName = "test" })
}
`)
	out, err := w.run("validate", "-no-color")
	if err != nil || !strings.Contains(out, "The configuration is valid") {
		t.Fatalf("validate without credentials: %v\n%s", err, out)
	}
}

// Every Configure keeps the provider's data, accepts none (validate), and reports a
// provider data of another type instead of dropping it.
func TestConfigureReportsAnUnexpectedType(t *testing.T) {
	p := &AuthingProvider{}
	configures := map[string]func(data any) diag.Diagnostics{}
	for _, f := range p.Resources(t.Context()) {
		r, ok := f().(fwresource.ResourceWithConfigure)
		if !ok {
			t.Fatalf("%T has no Configure", r)
		}
		configures[fmt.Sprintf("%T", r)] = func(data any) diag.Diagnostics {
			var resp fwresource.ConfigureResponse
			r.Configure(t.Context(), fwresource.ConfigureRequest{ProviderData: data}, &resp)
			return resp.Diagnostics
		}
	}
	for _, f := range p.DataSources(t.Context()) {
		d, ok := f().(datasource.DataSourceWithConfigure)
		if !ok {
			t.Fatalf("%T has no Configure", d)
		}
		configures[fmt.Sprintf("%T", d)] = func(data any) diag.Diagnostics {
			var resp datasource.ConfigureResponse
			d.Configure(t.Context(), datasource.ConfigureRequest{ProviderData: data}, &resp)
			return resp.Diagnostics
		}
	}
	for _, f := range p.Actions(t.Context()) {
		a, ok := f().(action.ActionWithConfigure)
		if !ok {
			t.Fatalf("%T has no Configure", a)
		}
		configures[fmt.Sprintf("%T", a)] = func(data any) diag.Diagnostics {
			var resp action.ConfigureResponse
			a.Configure(t.Context(), action.ConfigureRequest{ProviderData: data}, &resp)
			return resp.Diagnostics
		}
	}
	for _, f := range p.ListResources(t.Context()) {
		l, ok := f().(list.ListResourceWithConfigure)
		if !ok {
			t.Fatalf("%T has no Configure", l)
		}
		configures[fmt.Sprintf("%T", l)] = func(data any) diag.Diagnostics {
			var resp fwresource.ConfigureResponse
			l.Configure(t.Context(), fwresource.ConfigureRequest{ProviderData: data}, &resp)
			return resp.Diagnostics
		}
	}
	if len(configures) != 9 {
		t.Fatalf("%d types with Configure, want 9", len(configures))
	}
	for name, configure := range configures {
		if diags := configure(nil); diags.HasError() {
			t.Errorf("%s: no provider data: %s", name, diagText(diags))
		}
		if diags := configure(&providerData{}); diags.HasError() {
			t.Errorf("%s: provider data: %s", name, diagText(diags))
		}
		if got := diagText(configure("not provider data")); !strings.Contains(got, "Unexpected Configure Type: Expected *provider.providerData, got: string.") {
			t.Errorf("%s: a string as provider data gave %q", name, got)
		}
	}
}

// A build without a version reports itself as the client's development version.
func TestProviderVersion(t *testing.T) {
	for version, want := range map[string]string{"": authing.DevVersion, "1.2.3": "1.2.3"} {
		var resp provider.MetadataResponse
		New(version)().Metadata(t.Context(), provider.MetadataRequest{}, &resp)
		if resp.Version != want {
			t.Errorf("New(%q): version %q, want %q", version, resp.Version, want)
		}
	}
}

// A plan of a new authing_webhook fails when credentials are present but refused, or the
// host cannot be reached, saying what to check, and in about a second for a refused
// connection; only a plan without credentials checks the events against the documented
// list.
func TestAccCLI_wrongCredentialsFailThePlan(t *testing.T) {
	env := newTestEnv(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	_ = l.Close()
	config := providerBlock(nil) + `
resource "authing_webhook" "deploy" {
  name   = "deploy"
  url    = "https://hooks.example.com/authing"
  events = ["user:created"]
}
`
	// Terraform wraps a diagnostic's lines: any white space stands for a space.
	wrapped := func(s string) *regexp.Regexp {
		return regexp.MustCompile(strings.ReplaceAll(regexp.QuoteMeta(s), " ", `\s+`))
	}
	for name, tt := range map[string]struct {
		env  []string
		want []*regexp.Regexp
	}{
		"wrong secret": {
			env:  []string{"AUTHING_HOST=" + env.emu.URL(), "AUTHING_ACCESS_KEY_ID=" + testKeyID, "AUTHING_ACCESS_KEY_SECRET=not-the-secret"},
			want: []*regexp.Regexp{wrapped("Could not check event names"), wrapped("Authing refused the access key. Check access_key_id and access_key_secret")},
		},
		"closed port": {
			env:  []string{"AUTHING_HOST=" + closed, "AUTHING_ACCESS_KEY_ID=" + testKeyID, "AUTHING_ACCESS_KEY_SECRET=" + testSecret},
			want: []*regexp.Regexp{wrapped("Could not check event names"), wrapped("Check host (or the AUTHING_HOST environment variable)")},
		},
	} {
		t.Run(name, func(t *testing.T) {
			w := newWorkspace(t, config, tt.env...)
			start := time.Now()
			out, err := w.run("plan", "-no-color", "-input=false")
			took := time.Since(start)
			if err == nil || strings.Contains(out, "1 to add") {
				t.Fatalf("the plan passed: %v\n%s", err, out)
			}
			for _, re := range tt.want {
				if !re.MatchString(out) {
					t.Fatalf("no %q in:\n%s", re, out)
				}
			}
			if strings.Contains(out, "not-the-secret") {
				t.Fatal("the output shows the access key secret")
			}
			t.Logf("the plan failed in %s", took.Round(time.Millisecond))
		})
	}
	t.Run("no credentials", func(t *testing.T) {
		w := newWorkspace(t, config, "AUTHING_HOST="+closed)
		if out, err := w.run("plan", "-no-color", "-input=false"); err != nil || !strings.Contains(out, "1 to add") || strings.Contains(out, "Could not check") {
			t.Fatalf("a plan without credentials: %v\n%s", err, out)
		}
	})
}
