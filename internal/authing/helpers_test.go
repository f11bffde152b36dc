package authing

import (
	"errors"
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
