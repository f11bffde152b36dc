package provider

import "testing"

func TestUserAgent(t *testing.T) {
	if got := userAgent("1.2.3", ""); got != "terraform-provider-authing/1.2.3" {
		t.Fatalf("without Terraform: %q", got)
	}
	if got := userAgent("1.2.3", "1.11.4"); got != "terraform-provider-authing/1.2.3 (terraform 1.11.4)" {
		t.Fatalf("with Terraform: %q", got)
	}
}
