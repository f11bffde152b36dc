package provider

import (
	"strconv"
	"strings"
	"testing"

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
