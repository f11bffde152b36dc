package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// Small rules that the acceptance tests reach only through Terraform, held here too so
// that make mutate (which runs these tests, not the acceptance suite) sees them.

func TestErrorDetailCountsAttemptsOnlyWhenRetried(t *testing.T) {
	one := errorDetail(&authing.Error{Operation: "op", Attempts: 1, Err: errors.New("x")}, noOutcome)
	two := errorDetail(&authing.Error{Operation: "op", Attempts: 2, Err: errors.New("x")}, noOutcome)
	if strings.Contains(one, "Attempts") || !strings.Contains(two, "Attempts:    2") {
		t.Fatalf("one attempt:\n%s\ntwo attempts:\n%s", one, two)
	}
}

func TestUserAgent(t *testing.T) {
	if got := userAgent("1.2.3", ""); got != "terraform-provider-authing/1.2.3" {
		t.Fatalf("without Terraform: %q", got)
	}
	if got := userAgent("1.2.3", "1.11.4"); got != "terraform-provider-authing/1.2.3 (terraform 1.11.4)" {
		t.Fatalf("with Terraform: %q", got)
	}
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

// fill follows the server for what the configuration manages, and keeps the rest.
func TestFillFollowsTheServerForManagedFields(t *testing.T) {
	rc := func(enabled bool, count types.Int64) types.Object {
		return types.ObjectValueMust(retryConfigAttrTypes, map[string]attr.Value{
			"enabled": types.BoolValue(enabled), "count": count, "delay": types.Int64Null(), "delay_unit": types.StringNull(),
		})
	}
	five := int64(5)
	m := webhookModel{Secret: types.StringValue("whsec-config"), RetryConfig: rc(true, types.Int64Value(3))}
	m.fill(authing.Webhook{WebhookID: "w", Secret: "", RetryConfig: nil})
	if m.Secret.ValueString() != "whsec-config" || !m.RetryConfig.Equal(rc(true, types.Int64Value(3))) {
		t.Fatalf("an answer without secret or retryConfig changed them: %v, %v", m.Secret, m.RetryConfig)
	}
	m.fill(authing.Webhook{WebhookID: "w", Secret: "whsec-server", RetryConfig: &authing.RetryConfig{Enabled: false, Count: &five, DelayUnit: "Hour"}})
	if m.Secret.ValueString() != "whsec-server" || !m.RetryConfig.Equal(rc(false, types.Int64Value(5))) {
		t.Fatalf("the server's values were not followed: %v, %v", m.Secret, m.RetryConfig)
	}
	unmanaged := webhookModel{Secret: types.StringNull(), RetryConfig: types.ObjectNull(retryConfigAttrTypes)}
	unmanaged.fill(authing.Webhook{WebhookID: "w", Secret: "whsec-server", RetryConfig: &authing.RetryConfig{Enabled: true}})
	if !unmanaged.Secret.IsNull() || !unmanaged.RetryConfig.IsNull() {
		t.Fatalf("unmanaged fields were filled: %v, %v", unmanaged.Secret, unmanaged.RetryConfig)
	}
}

func TestSummarizeBoundaries(t *testing.T) {
	if got := summarize(`{"echo":"abcd"}`, []string{"abcd"}); strings.Contains(got, "abcd") {
		t.Fatalf("a four-character header value was not hidden: %q", got)
	}
	if got := summarize(`{"echo":"abc"}`, []string{"abc"}); !strings.Contains(got, "abc") {
		t.Fatalf("a three-character value is too short to hide safely, but was: %q", got)
	}
	if got := summarize(`{"echo":"Bearer tok-1234"}`, []string{"tok-1234", "Bearer tok-1234"}); got != `{"echo":"***"}` {
		t.Fatalf("a value holding another was not hidden whole: %q", got)
	}
	exact := strings.Repeat("é", progressLimit)
	if got := summarize(exact, nil); got != exact {
		t.Fatalf("an answer of exactly %d characters was cut", progressLimit)
	}
}
