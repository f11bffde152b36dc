package authing

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Every failed answer reads as what it is.
func TestFailureDescribesTheAnswer(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	r := request{op: "get webhook w1", path: "get-webhook"}
	loc := http.Header{"Location": {"https://elsewhere.example.com/login"}}
	for _, tt := range []struct {
		name string
		a    attempt
		want string
		not  string
	}{
		{"redirect", attempt{status: 302, header: loc, envErr: errNotEnvelope{}}, `redirect to "https://elsewhere.example.com"`, ""},
		{"first redirect status", attempt{status: 300, header: loc, envErr: errNotEnvelope{}}, "redirect", ""},
		{"last redirect status", attempt{status: 399, header: loc, envErr: errNotEnvelope{}}, "redirect", ""},
		{"not a redirect", attempt{status: 400, header: loc, envErr: errNotEnvelope{}}, "not an Authing API response", "redirect"},
		{"route miss", attempt{status: 404, env: envelope{StatusCode: 404, Message: "Cannot GET /api/v3/get-webhook"}}, "no route /api/v3/get-webhook", ""},
		{"empty success status", attempt{status: 204}, "unexpected HTTP status 204", ""},
		{"business error", attempt{status: 200, env: envelope{StatusCode: 400, Message: "bad"}}, "statusCode 400", "unexpected HTTP status"},
		{"transport error", attempt{err: errors.New("connection reset")}, "connection reset", "unexpected HTTP status"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := c.failure(r, tt.a, 1).Error()
			if !strings.Contains(got, tt.want) || (tt.not != "" && strings.Contains(got, tt.not)) {
				t.Fatalf("got %q, want %q and not %q", got, tt.want, tt.not)
			}
		})
	}
}

// A redirect without a usable Location names no host.
func TestRedirectHost(t *testing.T) {
	for loc, want := range map[string]string{
		"https://a.example.com/x?y=1": "https://a.example.com",
		"/relative/path":              "another path",
		"::not a url":                 "another path",
	} {
		if got := redirectHost(loc); got != want {
			t.Errorf("redirectHost(%q) = %q, want %q", loc, got, want)
		}
	}
}

// The size limit refuses only what is over it.
func TestReadLimitedAtTheLimit(t *testing.T) {
	if b, err := readLimited(bytes.NewReader(make([]byte, 10)), 10); err != nil || len(b) != 10 {
		t.Fatalf("exactly the limit: %d bytes, %v", len(b), err)
	}
	if _, err := readLimited(bytes.NewReader(make([]byte, 11)), 10); !errors.Is(err, errTooLarge) {
		t.Fatalf("one byte over: %v", err)
	}
}

// A zero RetryPolicy means the default one, which retries.
func TestZeroRetryPolicyMeansTheDefault(t *testing.T) {
	c, err := New(Config{Host: "http://127.0.0.1:1", AccessKeyID: "k", AccessKeySecret: "s"})
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.Retry != DefaultRetryPolicy || c.cfg.ListConcurrency != DefaultListConcurrency || c.cfg.MaxResponseBytes != defaultMaxResponseBytes {
		t.Fatalf("defaults: %+v", c.cfg)
	}
	c, err = New(Config{Host: "http://127.0.0.1:1", AccessKeyID: "k", AccessKeySecret: "s", Retry: RetryPolicy{MaxAttempts: 1}, ListConcurrency: 1, MaxResponseBytes: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c.cfg.Retry.MaxAttempts != 1 || c.cfg.ListConcurrency != 1 || c.cfg.MaxResponseBytes != 1 {
		t.Fatalf("explicit settings were replaced: %+v", c.cfg)
	}
}

// Error renders exactly the facts it has.
func TestErrorText(t *testing.T) {
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{Operation: "list webhooks"}, "list webhooks failed"},
		{Error{Operation: "op", HTTPStatus: 200, StatusCode: 404, APICode: 2004, RequestID: "r1", Attempts: 2, Message: "gone"},
			"op failed (HTTP status 200, statusCode 404, apiCode 2004, requestId r1, after 2 attempts): gone"},
		{Error{Operation: "op", Attempts: 1, Err: errors.New("reset")}, "op failed: reset"},
		{Error{Operation: "op", Message: "m", Err: errors.New("cause")}, "op failed: m: cause"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// A host where nothing listens refuses at once: the call gives up after refusedAttempts
// requests, not the whole retry budget, and says the host could not be reached.
func TestRefusedConnectionsFailFastAndSayTheHostIsUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := "http://" + l.Addr().String()
	_ = l.Close()
	c := newTestClient(t, host, func(cfg *Config) {
		cfg.Retry = RetryPolicy{MaxAttempts: 8, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, ThrottleDelay: time.Millisecond}
	})
	_, err = c.ListWebhooks(t.Context())
	e := asError(t, err)
	if !IsUnreachable(err) || IsCredentialsRefused(err) || e.Attempts != refusedAttempts {
		t.Fatalf("unreachable %v, credentials refused %v, %d attempts (want %d): %v", IsUnreachable(err), IsCredentialsRefused(err), e.Attempts, refusedAttempts, err)
	}
}

// An access key that Authing refuses is told from any other failure, so that the error can
// say to check the credentials; a throttled or failing token request is not.
func TestRefusedAccessKeyIsToldApart(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	_, err := newTestClient(t, emu.URL(), func(cfg *Config) { cfg.AccessKeySecret = "wrong-secret" }).ListWebhooks(t.Context())
	if !IsCredentialsRefused(err) || IsUnreachable(err) {
		t.Fatalf("credentials refused %v, unreachable %v: %v", IsCredentialsRefused(err), IsUnreachable(err), err)
	}
	emu.InjectFault("get-management-token", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503, Times: 100})
	_, err = newTestClient(t, emu.URL()).ListWebhooks(t.Context())
	if err == nil || IsCredentialsRefused(err) {
		t.Fatalf("a failing token route read as refused credentials: %v", err)
	}
}
