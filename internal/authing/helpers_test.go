package authing

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

const (
	testKeyID  = "pool-under-test"
	testSecret = "sk-test-0123456789abcdef-secret"
)

// fastRetry keeps retry tests quick while exercising the same code.
var fastRetry = RetryPolicy{MaxAttempts: 6, BaseDelay: 5 * time.Millisecond, MaxDelay: 40 * time.Millisecond, ThrottleDelay: 10 * time.Millisecond}

func startEmulator(t testing.TB, opts emulator.Options) *emulator.Server {
	t.Helper()
	if opts.Keys == nil {
		opts.Keys = []emulator.AccessKey{{ID: testKeyID, Secret: testSecret}}
	}
	srv, err := emulator.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func newTestClient(t testing.TB, host string, edit ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{Host: host, AccessKeyID: testKeyID, AccessKeySecret: testSecret, Retry: fastRetry}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// asError unwraps an *Error or fails the test.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %T: %v", err, err)
	}
	return e
}

// fakeAPI answers get-management-token and hands every other route to h.
func fakeAPI(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/get-management-token") {
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"access_token":"x.eyJzY29wZWRfdXNlcnBvb2xfaWQiOiJwIn0.y","expires_in":7200}}`))
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// secretsRead marks the webhooks' secrets as read, for tests of a fake API that does not
// serve get-webhook and are not about masking.
func secretsRead(c *Client, webhookIDs ...string) *Client {
	for _, id := range webhookIDs {
		c.hookSecrets.settled(id)
	}
	return c
}
