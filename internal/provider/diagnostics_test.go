package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

func TestErrorDetailCountsAttemptsOnlyWhenRetried(t *testing.T) {
	one := errorDetail(&authing.Error{Operation: "op", Attempts: 1, Err: errors.New("x")}, noOutcome)
	two := errorDetail(&authing.Error{Operation: "op", Attempts: 2, Err: errors.New("x")}, noOutcome)
	if strings.Contains(one, "Attempts") || !strings.Contains(two, "Attempts:    2") {
		t.Fatalf("one attempt:\n%s\ntwo attempts:\n%s", one, two)
	}
}

// masked hides the client's secrets in every summary and detail, keeping each
// diagnostic's severity and attribute path; a diagnostic without a secret is kept as is.
func TestMaskedHidesSecretsAndKeepsSeverityAndPath(t *testing.T) {
	client, err := authing.New(authing.Config{Host: "http://127.0.0.1:1", AccessKeyID: "id", AccessKeySecret: "sekret-ABCDEFGH"})
	if err != nil {
		t.Fatal(err)
	}
	var in diag.Diagnostics
	in.AddAttributeError(path.Root("a"), "error sekret-ABCDEFGH", "detail sekret-ABCDEFGH")
	in.AddAttributeWarning(path.Root("b"), "warning", "detail sekret-ABCDEFGH")
	in.AddError("plain error sekret-ABCDEFGH", "detail")
	in.AddWarning("plain warning", "nothing secret")
	out := masked(client, in)
	if len(out) != len(in) {
		t.Fatalf("%d diagnostics, want %d", len(out), len(in))
	}
	want := []struct {
		severity        diag.Severity
		path            string
		summary, detail string
	}{
		{diag.SeverityError, "a", "error ***", "detail ***"},
		{diag.SeverityWarning, "b", "warning", "detail ***"},
		{diag.SeverityError, "", "plain error ***", "detail"},
		{diag.SeverityWarning, "", "plain warning", "nothing secret"},
	}
	for i, d := range out {
		p := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			p = wp.Path().String()
		}
		if d.Severity() != want[i].severity || p != want[i].path || d.Summary() != want[i].summary || d.Detail() != want[i].detail {
			t.Errorf("diagnostic %d: %v %q %q %q, want %+v", i, d.Severity(), p, d.Summary(), d.Detail(), want[i])
		}
	}
	if masked(nil, in)[0].Summary() != in[0].Summary() {
		t.Error("without a client, diagnostics must come back as they are")
	}
}

// A value under a credential's name is hidden from 8 characters on.
func TestNamedLikeCredentialFromEightCharacters(t *testing.T) {
	if !namedLikeCredential("Authorization", "12345678") || namedLikeCredential("Authorization", "1234567") || namedLikeCredential("X-Release", "release-2026-12-04") {
		t.Fatal("the rule is: 8 characters or more, under a name like a credential's")
	}
}
