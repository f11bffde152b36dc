package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Every bad input is refused with a clear error before anything reaches the API: no
// panic, no state, no firing.
func TestAccBadInputIsRefusedEarly(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	trigger := func(attrs string) string {
		return env.config(fmt.Sprintf("resource \"authing_webhook_trigger\" \"bad\" {\n%s\n}\n", attrs))
	}
	withID := func(attrs string) string { return trigger(fmt.Sprintf("  webhook_id = %q\n%s", id, attrs)) }
	// Every provider case points at the emulator (its host cases at the emulator's address
	// made invalid), so that a request that slipped past validation would be counted below.
	emuHost := strings.TrimPrefix(env.emu.URL(), "http://")
	provider := func(attrs string) string {
		return fmt.Sprintf("provider \"authing\" {\n  access_key_id = %q\n  access_key_secret = %q\n%s\n}\ndata \"authing_webhooks\" \"all\" {}\n", testKeyID, testSecret, attrs)
	}
	atEmulator := func(attrs string) string { return provider(fmt.Sprintf("  host = %q\n%s", env.emu.URL(), attrs)) }
	tests := []struct {
		name, config, want string
	}{
		{"empty webhook_id", trigger(`webhook_id = ""`), `Empty value.*webhook_id must not be empty`},
		{"blank webhook_id", trigger(`webhook_id = "   "`), `Empty value`},
		{"padded webhook_id", trigger(`webhook_id = " abc "`), `starts or ends with white space`},
		{"missing webhook_id", trigger(`triggers = {}`), `"webhook_id" is required`},
		{"invalid JSON body", withID(`request_body = "{"`), `Invalid JSON String Value|is not valid JSON`},
		{"array body", withID(`request_body = jsonencode([1, 2])`), `is a JSON array`},
		{"string body", withID(`request_body = jsonencode("text")`), `is a JSON string`},
		{"null body", withID(`request_body = "null"`), `is JSON null`},
		{"number body", withID(`request_body = "42"`), `is a JSON number`},
		{"boolean body", withID(`request_body = "true"`), `is a JSON boolean`},
		{"header with space", withID(`request_headers = { "Bad Header" = "x" }`), `not a valid HTTP header name`},
		{"header with colon", withID(`request_headers = { "X-A:" = "x" }`), `not a valid HTTP header name`},
		{"empty header name", withID(`request_headers = { "" = "x" }`), `not a valid HTTP header name`},
		{"Host header", withID(`request_headers = { host = "x" }`), `describes the connection`},
		{"Content-Length header", withID(`request_headers = { "Content-Length" = "1" }`), `describes the connection`},
		{"Transfer-Encoding header", withID(`request_headers = { "Transfer-Encoding" = "chunked" }`), `describes the connection`},
		{"Proxy header", withID(`request_headers = { "Proxy-Authorization" = "x" }`), `describes the connection`},
		{"header value with newline", withID(`request_headers = { "X-Ok" = "a\nb" }`), `line break`},
		{"bad timeout", withID("timeouts {\n    create = \"soon\"\n  }"), `Invalid Attribute Value Time Duration`},
		{"regex that does not compile", env.config(`data "authing_webhooks" "x" { name_regex = "a(" }`), `Invalid regular expression`},
		{"host without scheme", provider(fmt.Sprintf("host = %q", emuHost)), `not an absolute URL`},
		{"host with path", provider(fmt.Sprintf("host = %q", env.emu.URL()+"/api")), `must not have a path`},
		{"host with query", provider(fmt.Sprintf("host = %q", env.emu.URL()+"?x=1")), `must not have a query`},
		// The one case that cannot name the emulator: its point is a host that is not loopback.
		{"plain http to a public name", provider(`host = "http://api.authing.cn"`), `only for\s+loopback`},
		{"list_concurrency of zero", atEmulator(`list_concurrency = 0`), `between 1 and 32`},
		{"empty ca_file", atEmulator(`ca_file = ""`), `ca_file is empty`},
		{"missing ca_file", atEmulator(`ca_file = "/nonexistent/ca.pem"`), `Could not read the CA file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config:      tt.config,
					ExpectError: regexp.MustCompile(`(?s)` + tt.want),
				}},
			})
		})
	}
	t.Cleanup(func() {
		if st := env.emu.Stats(); len(st.Requests) != 0 || st.Deliveries != 0 || st.Unrouted != 0 {
			t.Errorf("bad input reached the API: %v, %d deliveries, %d requests off the API's paths", st.Requests, st.Deliveries, st.Unrouted)
		}
	})
}
