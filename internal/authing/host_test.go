package authing

import (
	"strings"
	"testing"
)

func TestParseHost(t *testing.T) {
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "https://api.authing.cn", want: "https://api.authing.cn"},
		{in: "https://api.authing.cn/", want: "https://api.authing.cn"},
		{in: "HTTPS://authing.example.com:8443", want: "https://authing.example.com:8443"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{in: "http://127.9.9.9", want: "http://127.9.9.9"},
		{in: "http://localhost:1234/", want: "http://localhost:1234"},
		{in: "http://[::1]:99", want: "http://[::1]:99"},
		{in: "", wantErr: "empty"},
		{in: "   ", wantErr: "empty"},
		{in: "api.authing.cn", wantErr: "not an absolute URL"},
		{in: "//api.authing.cn", wantErr: "not an absolute URL"},
		{in: "http://api.authing.cn", wantErr: "only for loopback"},
		{in: "http://10.0.0.1", wantErr: "only for loopback"},
		{in: "http://localhost.example.com", wantErr: "only for loopback"},
		{in: "ftp://api.authing.cn", wantErr: `scheme "ftp"`},
		{in: "https://api.authing.cn/api/v3", wantErr: "must not have a path"},
		{in: "https://api.authing.cn?x=1", wantErr: "query"},
		{in: "https://api.authing.cn#frag", wantErr: "fragment"},
		{in: "https://user:pw@api.authing.cn", wantErr: "user information"},
		{in: "https://", wantErr: "not an absolute URL"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseHost(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseHost(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "pw@") {
					t.Fatalf("error quotes the password: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseHost(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// A host that cannot be used is named in the error without what may be a credential: user
// information (with or without a scheme) and a query or fragment.
func TestParseHostErrorsHideCredentials(t *testing.T) {
	for _, host := range []string{
		"admin:hunter2-secret@authing.example.com",
		"//admin:hunter2-secret@authing.example.com",
		"https://admin:hunter2-secret@authing.example.com",
		"https://hunter2-token@authing.example.com",
		"https://authing.example.com?token=hunter2-secret",
		"https://authing.example.com/#hunter2-secret",
		"authing.example.com?token=hunter2-secret",
	} {
		_, err := ParseHost(host)
		if err == nil {
			t.Fatalf("ParseHost(%q) accepted it", host)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseHost(%q): the error shows the credential: %v", host, err)
		}
		if !strings.Contains(err.Error(), "authing.example.com") {
			t.Errorf("ParseHost(%q): the error does not name the host: %v", host, err)
		}
	}
	// What is kept around the markers, so that the user still sees which host was meant.
	for raw, want := range map[string]string{
		"admin:pw@authing.example.com":            "***@authing.example.com",
		"//admin:pw@authing.example.com":          "//***@authing.example.com",
		"https://a@b:pw@authing.example.com:8443": "https://***@authing.example.com:8443",
		"authing.example.com?token=x@y#z":         "authing.example.com?***",
		"https://authing.example.com#frag":        "https://authing.example.com#***",
		"@authing.example.com":                    "***@authing.example.com",
		"#token":                                  "#***",
		"https://authing.example.com":             "https://authing.example.com",
	} {
		if got := hostForErrors(raw); got != want {
			t.Errorf("hostForErrors(%q) = %q, want %q", raw, got, want)
		}
	}
}
