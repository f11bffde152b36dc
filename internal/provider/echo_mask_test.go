package provider

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/emulator"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

func TestSummarizeTruncates(t *testing.T) {
	hide := echoMasker(nil, authing.TriggerInput{RequestHeaders: map[string]string{"Authorization": "Bearer hunter2-token"}})
	got := summarize(hide(`{"echo":"Bearer hunter2-token","pad":"` + strings.Repeat("x", 500) + `"}`))
	if strings.Contains(got, "hunter2") || !strings.HasSuffix(got, "… (truncated)") || len([]rune(got)) > progressLimit+20 {
		t.Fatalf("got %q", got)
	}
	exact := strings.Repeat("é", progressLimit)
	if got := summarize(exact); got != exact {
		t.Fatalf("an answer of exactly %d characters was cut", progressLimit)
	}
}

// The action hides a write-only value from an echoed answer by where it came from and what
// it looks like: common values ("application/json", "true", "test", short ones) stay
// readable, values that may be secrets are hidden at any depth and as JSON escapes them,
// whole when one holds another.
func TestEchoMaskKeepsCommonValuesAndHidesSecrets(t *testing.T) {
	in := authing.TriggerInput{
		RequestHeaders: map[string]string{
			"x-kind": "application/json", "x-flag": "true", "x-event": "user:created",
			"Authorization": "Bearer hunter2-token", "x-api-key": "abcdefgh", "x-short": "Ab3",
		},
		RequestBody: []byte(`{"eventName":"test","data":{"token":"tok-\"quoted\"-1","list":["deep-Secret-9"],"n":12345,"note":"hello world, a plain note"}}`),
	}
	hide := echoMasker(nil, in)
	answer := `{"contentType":"application/json","received":true,"eventName":"test","headers":{"x-kind":"application/json","x-flag":"true","x-event":"user:created","authorization":"Bearer hunter2-token","x-api-key":"abcdefgh","x-short":"Ab3"},` +
		`"body":{"eventName":"test","data":{"token":"tok-\"quoted\"-1","list":["deep-Secret-9"],"n":12345,"note":"hello world, a plain note"}},"asText":` + strconv.Quote(`{"t":"tok-\"quoted\"-1"}`) + `}`
	got := hide(answer)
	for _, kept := range []string{`"contentType":"application/json"`, `"received":true`, `"eventName":"test"`, `"x-flag":"true"`, `"x-event":"user:created"`, `"x-short":"Ab3"`, `12345`, `hello world, a plain note`} {
		if !strings.Contains(got, kept) {
			t.Errorf("%s was hidden: %s", kept, got)
		}
	}
	for _, secret := range []string{"hunter2", "Bearer", "abcdefgh", "quoted", "deep-Secret"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q is in %s", secret, got)
		}
	}
}

// The response a trigger records hides the request's values under credential names when
// the endpoint echoes them (they would reach state and plans unmarked sensitive), and
// keeps the user's other values, which expect may compare.
func TestRecordedResponseHidesEchoedCredentials(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.AddWebhook(emulator.Webhook{Name: "echo", URL: secretEchoEndpoint(t), Enabled: true, Events: []string{"test"}, ContentType: "application/json"})
	d, _ := eventListReader(t, env)
	inputs := firingInputs{
		webhookID:      types.StringValue(id),
		requestHeaders: types.MapValueMust(types.StringType, map[string]attr.Value{"Authorization": types.StringValue("Bearer tok-5ecret-ABC123"), "X-Release": types.StringValue("release-2026-12-04")}),
		requestBody:    types.StringNull(), expect: types.ObjectNull(nil), retry: types.ObjectNull(nil),
	}
	var diags diag.Diagnostics
	run, call, ok := d.openFiring(t.Context(), inputs, fixedTimeout(30*time.Second), triggerOutcome, &diags)
	defer call.cancel()
	if !ok {
		t.Fatal(diagText(diags))
	}
	got, diags := run.run(call.ctx)
	requireNoDiagErrors(t, diags)
	if strings.Contains(got.response, "tok-5ecret") || !strings.Contains(got.response, `"Authorization":["***"]`) {
		t.Fatalf("the recorded response shows the Authorization header: %s", got.response)
	}
	if !strings.Contains(got.response, "release-2026-12-04") {
		t.Fatalf("the recorded response lost a value that is not a credential: %s", got.response)
	}
}

// Plain words have no run of more than 24 letters without a space: a longer run is a
// random string, such as a lower-case token.
func TestPlainWordsEndAtTwentyFiveLetters(t *testing.T) {
	for v, want := range map[string]bool{
		strings.Repeat("a", 24):                     true,
		strings.Repeat("a", 25):                     false,
		"application/" + strings.Repeat("x", 24):    true,
		strings.Repeat("a", 30) + " and more words": true,
		"hello-World":                               false,
		"v2":                                        false,
	} {
		if got := plainWords(v); got != want {
			t.Errorf("plainWords(%q) = %t, want %t", v, got, want)
		}
	}
}
