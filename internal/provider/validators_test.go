package provider

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// diagText joins the summaries and details of diags, with the attribute path of each.
func diagText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		if p, ok := d.(diag.DiagnosticWithPath); ok {
			b.WriteString(p.Path().String() + ": ")
		}
		b.WriteString(d.Summary() + ": " + d.Detail() + "\n")
	}
	return b.String()
}

// Each string validator refuses bad values with a message that says what to change, at
// the attribute's path, and lets good, null and unknown values through.
func TestStringValidators(t *testing.T) {
	at := path.Root("attr")
	tests := []struct {
		name  string
		v     validator.String
		value string
		want  string // empty: valid
	}{
		{"empty", notBlankValidator, "", `attr: Empty value: attr must not be empty`},
		{"blank", notBlankValidator, "   ", `Empty value`},
		{"padded", notBlankValidator, " abc ", `starts or ends with white space`},
		{"plain", notBlankValidator, "abc", ""},
		{"invalid JSON", jsonObjectValidator, "{", `attr: Invalid request body: attr is not valid JSON`},
		{"array", jsonObjectValidator, "[1, 2]", `is a JSON array`},
		{"string", jsonObjectValidator, `"text"`, `is a JSON string`},
		{"null", jsonObjectValidator, "null", `is JSON null`},
		{"number", jsonObjectValidator, "42", `is a JSON number`},
		{"boolean", jsonObjectValidator, "true", `is a JSON boolean`},
		{"object", jsonObjectValidator, `{"eventName":"test"}`, ""},
		{"regex that does not compile", regexValidator, "a(", `attr: Invalid regular expression: attr does not compile`},
		{"regex", regexValidator, "^deploy-", ""},
		{"host without scheme", hostValidator, "127.0.0.1:8089", `attr: Invalid Authing host: host "127.0.0.1:8089" is not an absolute URL`},
		{"host with path", hostValidator, "http://127.0.0.1:8089/api", `must not have a path`},
		{"host with query", hostValidator, "http://127.0.0.1:8089?x=1", `must not have a query`},
		{"plain http to a public name", hostValidator, "http://api.authing.cn", `only for loopback`},
		{"ftp host", hostValidator, "ftp://api.authing.cn", `use https`},
		{"private deployment", hostValidator, "https://authing.example.com", ""},
		{"relative webhook URL", webhookURLValidator, "/authing", `attr: Invalid webhook URL`},
		{"ftp webhook URL", webhookURLValidator, "ftp://hooks.example.com", `not an absolute http:// or https:// URL`},
		// A refused URL is named without its user information or query, which may hold a token.
		{"ftp webhook URL with a token", webhookURLValidator, "ftp://user:t0k3n@hooks.example.com/in?key=t0k3n#t0k3n", `^attr: Invalid webhook URL: "ftp://hooks.example.com/in" is not an absolute[^0-9]*$`},
		{"webhook URL", webhookURLValidator, "https://hooks.example.com/authing", ""},
		{"event with a dot", eventNameValidator, "user.created", `^attr: Invalid webhook event: "user.created" is not a webhook event name: words are joined by colons, never dots. Did you mean "user:created"\?\n$`},
		{"event in upper case", eventNameValidator, "LOGIN", `^attr: Invalid webhook event: "LOGIN" is not a webhook event name: event names are lower case. Did you mean "login"\?\n$`},
		{"event in title case", eventNameValidator, "User:Created", `^attr: Invalid webhook event: "User:Created" is not a webhook event name: event names are lower case. Did you mean "user:created"\?\n$`},
		{"event with both faults", eventNameValidator, "User.Created", `: event names are lower case; words are joined by colons, never dots. Did you mean "user:created"\?\n$`},
		{"event with a space", eventNameValidator, "user created", `: event names are words of lower-case letters, digits and hyphens, joined by single colons. Did you mean "user:created"\?\n$`},
		{"event in upper case with a space", eventNameValidator, "User Created", `: event names are lower case; event names are words of lower-case letters, digits and hyphens, joined by single colons. Did you mean "user:created"\?\n$`},
		{"event far from any", eventNameValidator, "Zzzzzzzzz", `: event names are lower case.\n$`},
		{"event", eventNameValidator, "user:created", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp validator.StringResponse
			tt.v.ValidateString(t.Context(), validator.StringRequest{Path: at, ConfigValue: types.StringValue(tt.value)}, &resp)
			got := diagText(resp.Diagnostics)
			if tt.want == "" && got != "" {
				t.Fatalf("%q refused: %s", tt.value, got)
			}
			if tt.want != "" && !regexp.MustCompile(`(?s)`+tt.want).MatchString(got) {
				t.Fatalf("%q: got %q, want %s", tt.value, got, tt.want)
			}
			for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
				var resp validator.StringResponse
				tt.v.ValidateString(t.Context(), validator.StringRequest{Path: at, ConfigValue: v}, &resp)
				if resp.Diagnostics.HasError() {
					t.Fatalf("%v refused: %s", v, diagText(resp.Diagnostics))
				}
			}
		})
	}
}

// Request headers are refused by name or value at the header's own path.
func TestHeadersValidator(t *testing.T) {
	tests := []struct {
		name, header, value, want string
	}{
		{"space in the name", "Bad Header", "x", `headers\["Bad Header"\]: Invalid request header: header name "Bad Header" is not a valid HTTP header name`},
		{"colon in the name", "X-A:", "x", `not a valid HTTP header name`},
		{"empty name", "", "x", `not a valid HTTP header name`},
		{"Host", "host", "x", `headers\["host"\]: .*describes the connection`},
		{"Content-Length", "Content-Length", "1", `describes the connection`},
		{"Transfer-Encoding", "Transfer-Encoding", "chunked", `describes the connection`},
		{"Proxy-", "Proxy-Authorization", "x", `describes the connection`},
		{"line break in the value", "X-Ok", "a\nb", `headers\["X-Ok"\]: .*line break`},
		{"NUL in the value", "X-Ok", "a\x00b", `line break or NUL`},
		{"good", "X-Release", "v42", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resp validator.MapResponse
			headersValidator{}.ValidateMap(t.Context(), validator.MapRequest{
				Path:        path.Root("headers"),
				ConfigValue: types.MapValueMust(types.StringType, map[string]attr.Value{tt.header: types.StringValue(tt.value)}),
			}, &resp)
			got := diagText(resp.Diagnostics)
			if tt.want == "" && got != "" {
				t.Fatalf("refused: %s", got)
			}
			if tt.want != "" && !regexp.MustCompile(`(?s)`+tt.want).MatchString(got) {
				t.Fatalf("got %q, want %s", got, tt.want)
			}
		})
	}
}

// Three bad inputs through Terraform, one for each place a check is wired in (a
// resource attribute's validator, the provider block's validator, the provider's
// Configure): each fails with its message, and none reaches the API. The validators
// themselves are tested above.
func TestAccBadInputIsRefusedEarly(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	withProvider := func(changes map[string]string) string {
		return providerBlock(env.providerAttrs(changes)) + `data "authing_webhooks" "all" {}`
	}
	tests := []struct {
		name, config, want string
	}{
		{"header value with a line break", env.config(triggerConfig(id, `  request_headers = { "X-Ok" = "a\nb" }`+"\n")), `Invalid request header.*line break`},
		{"host with a path", withProvider(map[string]string{"host": q(env.emu.URL() + "/api")}), `Invalid Authing host.*must not have a path`},
		{"missing ca_file", withProvider(map[string]string{"ca_file": q("/nonexistent/ca.pem")}), `Could not read the CA file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps:                    []resource.TestStep{{Config: tt.config, ExpectError: regexp.MustCompile(`(?s)` + tt.want)}},
			})
		})
	}
	t.Cleanup(func() {
		if st := env.emu.Stats(); len(st.Requests) != 0 || st.Deliveries != 0 || st.Unrouted != 0 {
			t.Errorf("bad input reached the API: %v, %d deliveries, %d requests off the API's paths", st.Requests, st.Deliveries, st.Unrouted)
		}
	})
}

// The checks are wired to their attributes: the validate calls Terraform makes refuse
// each bad input, before any configure or API call.
func TestValidateCallsRefuseBadInput(t *testing.T) {
	p := newProtocolServer(t)
	trigger := p.schema.ResourceSchemas["authing_webhook_trigger"]
	tests := []struct {
		name string
		call func() []*tfprotov6.Diagnostic
		want string
	}{
		{"empty ca_file", p.validateProvider(map[string]tftypes.Value{"ca_file": str("")}), `ca_file is empty`},
		{"list_concurrency of zero", p.validateProvider(map[string]tftypes.Value{"list_concurrency": tftypes.NewValue(tftypes.Number, 0)}), `between 1 and 32`},
		{"host with a query", p.validateProvider(map[string]tftypes.Value{"host": str("https://api.authing.cn?x=1")}), `must not have a query`},
		{"blank webhook_id", p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("  ")}), `Empty value`},
		{"array body", p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "request_body": str("[1]")}), `is a JSON array`},
		{"forbidden header", p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "request_headers": strMap(map[string]string{"Host": "h"})}), `describes the connection`},
		{"bad timeout", p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "timeouts": timeoutsBlock(t, trigger, map[string]string{"create": "soon"})}), `Time Duration`},
		{"event with a dot", p.validateResource("authing_webhook", map[string]tftypes.Value{
			"name": str("n"), "url": str("https://hooks.example.com"), "events": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("user.created")}),
		}), `Did you mean "user:created"`},
		{"regex that does not compile", p.validateDataSource("authing_webhooks", map[string]tftypes.Value{"name_regex": str("a(")}), `Invalid regular expression`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorText(tt.call()); !regexp.MustCompile(`(?s)` + tt.want).MatchString(got) {
				t.Fatalf("got %q, want %s", got, tt.want)
			}
		})
	}
}

// Several bad headers are reported in name order, so that the same configuration always
// gives the same output.
func TestHeadersValidatorReportsInNameOrder(t *testing.T) {
	elems := map[string]attr.Value{}
	for _, name := range []string{"E e", "B b", "D d", "A a", "C c"} {
		elems[name] = types.StringValue("x")
	}
	var resp validator.MapResponse
	headersValidator{}.ValidateMap(t.Context(), validator.MapRequest{Path: path.Root("h"), ConfigValue: types.MapValueMust(types.StringType, elems)}, &resp)
	var got []string
	for _, d := range resp.Diagnostics {
		if d, ok := d.(diag.DiagnosticWithPath); ok {
			got = append(got, d.Path().String())
		}
	}
	if want := []string{`h["A a"]`, `h["B b"]`, `h["C c"]`, `h["D d"]`, `h["E e"]`}; !slices.Equal(got, want) {
		t.Fatalf("paths %v, want %v", got, want)
	}
}

// secret and secret_wo together are one conflict, reported once, at secret_wo, with what
// to do (a ConflictsWith on each attribute reported it twice).
func TestValidateSecretConflictReportedOnce(t *testing.T) {
	p := newProtocolServer(t)
	resp, err := p.server.ValidateResourceConfig(t.Context(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: "authing_webhook",
		Config: dynamicValue(t, p.schema.ResourceSchemas["authing_webhook"], map[string]tftypes.Value{
			"name": str("n"), "url": str("https://hooks.example.com"),
			"events": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("login")}),
			"secret": str("s1"), "secret_wo": str("s2"),
		}),
		ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "Conflicting webhook secrets: secret and secret_wo are both set. Keep one: secret_wo (write-only, Terraform 1.11 or later, never stored) or secret (kept in state as sensitive).\n"
	if got := errorText(resp.Diagnostics); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if len(resp.Diagnostics) != 1 || !slices.Equal(resp.Diagnostics[0].Attribute.Steps(), tftypes.NewAttributePath().WithAttributeName("secret_wo").Steps()) {
		t.Fatalf("want one diagnostic at secret_wo, got %+v", resp.Diagnostics)
	}
	for _, one := range []string{"secret", "secret_wo"} {
		attrs := map[string]tftypes.Value{
			"name": str("n"), "url": str("https://hooks.example.com"),
			"events": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("login")}),
			one:      str("s1"),
		}
		resp, err := p.server.ValidateResourceConfig(t.Context(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: "authing_webhook", Config: dynamicValue(t, p.schema.ResourceSchemas["authing_webhook"], attrs),
			ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: true},
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := errorText(resp.Diagnostics); got != "" {
			t.Errorf("%s alone refused: %s", one, got)
		}
	}
}

// A request body that is not JSON is refused without quoting any of it, not even the one
// character where it breaks: it may hold a secret. The error says where it breaks, what
// was expected, and to use jsonencode().
func TestBrokenJSONIsRefusedWithoutItsValue(t *testing.T) {
	for value, want := range map[string]string{
		`{"token": "s3cr3t-TOKEN-9999"`:         `at line 1, column 30 (byte 29): the text ends before the JSON does`,
		`{"token": s3cr3t-TOKEN-9999}`:          `at line 1, column 11 (byte 10): expected a JSON value`,
		`{"token": "s3cr3t-TOKEN-9999"}}`:       `at line 1, column 31 (byte 30): unexpected text after the end of the JSON value`,
		`{"token" "s3cr3t-TOKEN-9999"}`:         `at line 1, column 10 (byte 9): expected a colon after an object key`,
		`{"a": 1 "token": "s3cr3t-TOKEN-9999"}`: `at line 1, column 9 (byte 8): expected a comma or a closing brace after an object member`,
		`{s3cr3t: 1}`:                           `at line 1, column 2 (byte 1): expected a double-quoted object key`,
		"{\n  \"a\": [1\n  \"s3cr3t\"]}":        `at line 3, column 3 (byte 14): expected a comma or a closing bracket after an array element`,
		"{\"é☃\": \"s3cr3t\nTOKEN\"}":           `at line 1, column 15 (byte 17): a control character such as a line break inside a string`,
	} {
		diags := jsonObjectValidator.check(path.Root("request_body"), value)
		if len(diags) != 1 {
			t.Fatalf("%q: %d diagnostics", value, len(diags))
		}
		detail := diags[0].Detail()
		if strings.Contains(detail, "s3cr3t") || strings.Contains(detail, "'") {
			t.Errorf("%q: the error quotes the value: %s", value, detail)
		}
		if !strings.Contains(detail, want) || !strings.Contains(detail, "jsonencode()") {
			t.Errorf("%q: got %s\nwant %q and jsonencode()", value, detail, want)
		}
	}
}

// Each bad value of retry is reported once, by its own attribute; the object's own check
// (min_delay at most max_delay) only speaks when the values themselves are good.
func TestBadRetryValuesAreReportedOnce(t *testing.T) {
	p := newProtocolServer(t)
	retryType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"attempts": tftypes.Number, "min_delay": tftypes.String, "max_delay": tftypes.String}}
	retry := func(attempts any, minDelay, maxDelay any) tftypes.Value {
		return tftypes.NewValue(retryType, map[string]tftypes.Value{
			"attempts":  tftypes.NewValue(tftypes.Number, attempts),
			"min_delay": tftypes.NewValue(tftypes.String, minDelay),
			"max_delay": tftypes.NewValue(tftypes.String, maxDelay),
		})
	}
	for _, tt := range []struct {
		name  string
		retry tftypes.Value
		want  []string // the summaries of the errors, in any order
	}{
		{"attempts and a delay bad", retry(0, "soon", nil), []string{"Invalid Attribute Value", "Invalid duration"}},
		{"only the order bad", retry(nil, "1m", "2s"), []string{"Invalid retry delays"}},
		{"the order bad against the default", retry(nil, "45s", nil), []string{"Invalid retry delays"}},
		{"good", retry(3, "100ms", "1s"), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			diags := p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "retry": tt.retry})()
			var got []string
			for _, d := range diags {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					got = append(got, d.Summary)
				}
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Fatalf("errors %q, want %q: %s", got, want, errorText(diags))
			}
			if strings.Contains(tt.name, "default") && !strings.Contains(errorText(diags), "retry.max_delay (unset, so its default, 30s)") {
				t.Fatalf("the error does not say max_delay was unset: %s", errorText(diags))
			}
		})
	}
}

// A request's own Idempotency-Key header leaves the firing without its firing ID: with
// expect.status_codes it is refused (the status could never be read); with retry it is
// a warning (every attempt carries the same key); alone, it is the user's choice.
func TestOwnIdempotencyKeyHeader(t *testing.T) {
	p := newProtocolServer(t)
	headers := strMap(map[string]string{"Idempotency-Key": "mine"})
	retryType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"attempts": tftypes.Number, "min_delay": tftypes.String, "max_delay": tftypes.String}}
	retry := tftypes.NewValue(retryType, map[string]tftypes.Value{
		"attempts": tftypes.NewValue(tftypes.Number, 3), "min_delay": tftypes.NewValue(tftypes.String, nil), "max_delay": tftypes.NewValue(tftypes.String, nil),
	})
	expectType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"status_codes": tftypes.Set{ElementType: tftypes.Number}, "present": tftypes.List{ElementType: tftypes.String}, "equals": tftypes.Map{ElementType: tftypes.String},
	}}
	expect := tftypes.NewValue(expectType, map[string]tftypes.Value{
		"status_codes": tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, []tftypes.Value{tftypes.NewValue(tftypes.Number, 200)}),
		"present":      tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
		"equals":       tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
	})
	diags := p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "request_headers": headers, "expect": expect})()
	if got := errorText(diags); !strings.Contains(got, "Own Idempotency-Key header with expect.status_codes") {
		t.Fatalf("with status_codes: %q", got)
	}
	diags = p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "request_headers": headers, "retry": retry})()
	if got := warnings(diags); errorText(diags) != "" || !strings.Contains(got, "Every retry attempt carries the same Idempotency-Key") {
		t.Fatalf("with retry: errors %q, warnings %q", errorText(diags), got)
	}
	diags = p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "request_headers": headers})()
	if errorText(diags) != "" || warnings(diags) != "" {
		t.Fatalf("alone: %q %q", errorText(diags), warnings(diags))
	}
	// status_codes not known yet may turn out null: nothing to refuse at validate.
	unknownCodes := tftypes.NewValue(expectType, map[string]tftypes.Value{
		"status_codes": tftypes.NewValue(tftypes.Set{ElementType: tftypes.Number}, tftypes.UnknownValue),
		"present":      tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil),
		"equals":       tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
	})
	diags = p.validateResource("authing_webhook_trigger", map[string]tftypes.Value{"webhook_id": str("w"), "request_headers": headers, "expect": unknownCodes})()
	if errorText(diags) != "" {
		t.Fatalf("with status_codes unknown: %q", errorText(diags))
	}
}

// With more than one attempt, a min_delay that is not shorter than the timeout leaves no
// time for a second attempt: refused at validate, against the configured timeout or its
// default; with one attempt the delays are never waited, and pass.
func TestRetryThatCannotFitItsTimeoutIsRefused(t *testing.T) {
	p := newProtocolServer(t)
	trigger := p.schema.ResourceSchemas["authing_webhook_trigger"]
	retryType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"attempts": tftypes.Number, "min_delay": tftypes.String, "max_delay": tftypes.String}}
	retry := func(attempts int, minDelay string) tftypes.Value {
		return tftypes.NewValue(retryType, map[string]tftypes.Value{
			"attempts": tftypes.NewValue(tftypes.Number, attempts), "min_delay": str(minDelay), "max_delay": str("2h"),
		})
	}
	for _, tt := range []struct {
		name   string
		config map[string]tftypes.Value
		want   string // "" when valid
	}{
		{"min_delay as long as the timeout", map[string]tftypes.Value{"retry": retry(3, "5s"), "timeouts": timeoutsBlock(t, trigger, map[string]string{"create": "5s"})},
			`retry.min_delay (5s) is not shorter than timeouts.create (5s), so no attempt after the first could start in time, though retry.attempts is 3`},
		{"min_delay longer than the default timeout", map[string]tftypes.Value{"retry": retry(2, "1h")},
			`retry.min_delay (1h0m0s) is not shorter than timeouts.create, unset, so its default (2m0s)`},
		{"min_delay shorter than the timeout", map[string]tftypes.Value{"retry": retry(3, "4s"), "timeouts": timeoutsBlock(t, trigger, map[string]string{"create": "5s"})}, ""},
		{"one attempt waits for nothing", map[string]tftypes.Value{"retry": retry(1, "1h")}, ""},
		{"the default min_delay", map[string]tftypes.Value{
			"retry": tftypes.NewValue(retryType, map[string]tftypes.Value{
				"attempts": tftypes.NewValue(tftypes.Number, 3), "min_delay": tftypes.NewValue(tftypes.String, nil), "max_delay": tftypes.NewValue(tftypes.String, nil),
			}),
			"timeouts": timeoutsBlock(t, trigger, map[string]string{"create": "1s"}),
		}, `retry.min_delay (unset, so its default, 1s) is not shorter than timeouts.create (1s)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.config["webhook_id"] = str("w")
			got := errorText(p.validateResource("authing_webhook_trigger", tt.config)())
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// A suggestion is the nearest known name within an edit distance of 3; of names equally
// near, the first known one.
func TestSuggestEventDistance(t *testing.T) {
	for _, tt := range []struct {
		name  string
		known []string
		want  string
	}{
		{"xxxin", []string{"login"}, "login"},
		{"xxxxn", []string{"login"}, ""},
		{"ccc", []string{"aaa", "bbb"}, "aaa"},
		{"user.created", []string{"login", "user:created"}, "user:created"},
	} {
		if got := suggestEvent(tt.name, tt.known); got != tt.want {
			t.Errorf("suggestEvent(%q, %q) = %q, want %q", tt.name, tt.known, got, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"kitten", "sitting", 3}, {"", "abc", 3}, {"abc", "", 3}, {"abc", "abd", 1}, {"ab", "abc", 1}, {"abc", "abc", 0}} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
