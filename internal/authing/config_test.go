package authing

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Normalize is the one place that decides what a usable configuration is.
func TestNormalize(t *testing.T) {
	got, err := Config{Host: "  ", AccessKeyID: " id ", AccessKeySecret: " s ", TenantID: " t "}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != DefaultHost || got.AccessKeyID != "id" || got.AccessKeySecret != " s " || got.TenantID != "t" ||
		got.Version != DevVersion || got.ResponseHeaderTimeout != DefaultResponseHeaderTimeout || got.ListConcurrency != DefaultListConcurrency || got.MaxResponseBytes != defaultMaxResponseBytes || got.Retry != DefaultRetryPolicy {
		t.Fatalf("normalized %+v", got)
	}
	if ua := got.userAgent(); ua != "terraform-provider-authing/dev" {
		t.Fatalf("user agent without a platform: %q", ua)
	}
	kept, err := Config{Host: "HTTPS://authing.example.com/", AccessKeyID: "id", AccessKeySecret: "s", Version: "1.2.3", ListConcurrency: 3}.Normalize()
	if err != nil || kept.Host != "https://authing.example.com" || kept.Version != "1.2.3" || kept.ListConcurrency != 3 {
		t.Fatalf("normalized %+v, %v", kept, err)
	}

	_, err = Config{Host: "http://authing.example.com", AccessKeySecret: "  "}.Normalize()
	var problems *ConfigError
	if !errors.As(err, &problems) || problems.Host == nil || !strings.Contains(problems.Host.Error(), "only for loopback") ||
		!slices.Equal(problems.Missing, []string{"AccessKeyID", "AccessKeySecret"}) {
		t.Fatalf("got %v", err)
	}
	if _, err := New(Config{AccessKeyID: "id"}); !errors.As(err, &problems) || problems.Host != nil || !slices.Equal(problems.Missing, []string{"AccessKeySecret"}) ||
		err.Error() != "invalid client configuration: missing AccessKeySecret" {
		t.Fatalf("New: %v", err)
	}
	if _, err := New(Config{Host: "ftp://authing.example.com", AccessKeyID: "id", AccessKeySecret: "s"}); err == nil ||
		err.Error() != `invalid client configuration: host "ftp://authing.example.com" has scheme "ftp"; use https` {
		t.Fatalf("New with only a bad host: %v", err)
	}
}
