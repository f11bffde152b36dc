package authing

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func TestTokenIsFetchedOnceForConcurrentCallers(t *testing.T) {
	emu := startEmulator(t, emulator.Options{Latency: 20 * time.Millisecond, RateLimit: -1})
	c := newTestClient(t, emu.URL())
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			if _, err := c.ListWebhooks(t.Context()); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := emu.Stats().TokensIssued; got != 1 {
		t.Fatalf("tokens issued: %d, want 1", got)
	}
}

func TestRefusedTokenIsReplacedOnce(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	log := &recordingLogger{}
	c := newTestClient(t, emu.URL(), func(c *Config) { c.Logger = log })
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.ExpireTokens()
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := emu.Stats()
	if st.TokensIssued != 2 || st.Requests["list-webhooks"] != 3 {
		t.Fatalf("tokens %d, list requests %d; want 2 and 3", st.TokensIssued, st.Requests["list-webhooks"])
	}
	// The refusal is worth a warning; ordinary requests are debug lines.
	var warnings int
	for _, l := range log.lines {
		if strings.HasPrefix(l, "WARN ") {
			warnings++
		}
	}
	if warnings != 1 || !slices.ContainsFunc(log.lines, func(l string) bool { return strings.HasPrefix(l, "WARN Authing token refused") }) {
		t.Fatalf("%d warnings in %q", warnings, log.lines)
	}
}

func TestAuthFailureIsRetriedOnlyOnce(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL())
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 401, APICode: 1002, Message: "token expired"})
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	st := emu.Stats()
	if e.StatusCode != 401 || st.Requests["list-webhooks"] != 2 || st.TokensIssued != 2 {
		t.Fatalf("error %v; list requests %d, tokens %d; want 401, 2, 2", e, st.Requests["list-webhooks"], st.TokensIssued)
	}
}

func TestWrongCredentials(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL(), func(c *Config) { c.AccessKeySecret = "wrong-secret-value" })
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	if e.StatusCode != 401 || !strings.Contains(e.Operation, "get management token") || e.RequestID == "" {
		t.Fatalf("got %+v", e)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Fatalf("error shows the secret: %v", err)
	}
	if emu.Stats().Requests["get-management-token"] != 1 {
		t.Fatal("wrong credentials must not be retried")
	}
}

// A 429 with a Retry-After wait is TestRetryAfterIsHonoured: "Retry-After: 0" would be the
// plain 429 case again.
func TestReadsRideOutTransientFaults(t *testing.T) {
	faults := map[string]emulator.Fault{
		"429":            {Kind: emulator.FaultHTTPStatus, Status: 429},
		"500":            {Kind: emulator.FaultHTTPStatus, Status: 500},
		"502 html":       {Kind: emulator.FaultHTTPStatus, Status: 502},
		"503":            {Kind: emulator.FaultHTTPStatus, Status: 503},
		"504 empty":      {Kind: emulator.FaultHTTPStatus, Status: 504},
		"cut connection": {Kind: emulator.FaultDisconnect},
		"malformed json": {Kind: emulator.FaultMalformedJSON},
		"business 500":   {Kind: emulator.FaultBusinessError, StatusCode: 500},
		"business 429":   {Kind: emulator.FaultBusinessError, StatusCode: 429},
	}
	for name, f := range faults {
		for _, route := range []string{"list-webhooks", "get-management-token"} {
			t.Run(name+"/"+route, func(t *testing.T) {
				emu := startEmulator(t, emulator.Options{})
				emu.SeedWebhooks("w", 3)
				f.Times = 2
				emu.InjectFault(route, f)
				c := newTestClient(t, emu.URL())
				got, err := c.ListWebhooks(t.Context())
				if err != nil || len(got) != 3 {
					t.Fatalf("got %d webhooks, err %v", len(got), err)
				}
				if n := emu.Stats().Requests[route]; n != 3 {
					t.Fatalf("%s requests: %d, want 3 (two faults, one success)", route, n)
				}
			})
		}
	}
}

func TestReadsFailClearlyWhenFaultsOutlastRetries(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502})
	c := newTestClient(t, emu.URL())
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	msg := err.Error()
	if e.HTTPStatus != 502 || e.Attempts != fastRetry.MaxAttempts || !strings.Contains(msg, "not an Authing API response") || strings.Contains(msg, "invalid character") {
		t.Fatalf("got %q (attempts %d)", msg, e.Attempts)
	}
}

func TestReadRetriesStopAtTheDeadline(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503})
	c := newTestClient(t, emu.URL(), func(c *Config) {
		// The first backoff (0.5 to 1 s) cannot fit in the 300 ms left.
		c.Retry = RetryPolicy{MaxAttempts: 100, BaseDelay: time.Second, MaxDelay: 2 * time.Second}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err := c.ListWebhooks(ctx)
	e := asError(t, err)
	if e.HTTPStatus != 503 || e.Attempts != 1 {
		t.Fatalf("want the last real error (HTTP 503) after one attempt, got %v (%d attempts)", err, e.Attempts)
	}
	if ctx.Err() != nil {
		t.Fatal("the client waited until the deadline instead of failing when no retry could fit")
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL(), func(c *Config) { c.Retry.MaxDelay = 5 * time.Second })
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 429, RetryAfter: "1", Times: 1})
	start := time.Now()
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("retried after %v, before the server's Retry-After of 1s", waited)
	}
}

func TestThrottlingSlowsAllWorkersDown(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: 20})
	emu.SeedWebhooks("w", 50*30)
	c := newTestClient(t, emu.URL(), func(c *Config) {
		c.Retry = DefaultRetryPolicy
	})
	got, err := c.ListWebhooks(t.Context())
	if err != nil || len(got) != 1500 {
		t.Fatalf("got %d webhooks, err %v", len(got), err)
	}
	// 30 pages at 20 requests a second take two one-second windows. A 429 holds every
	// worker, so each window sees at most the 8 requests already in flight refused.
	if n := emu.Stats().Requests["list-webhooks"]; n > 30+2*DefaultListConcurrency {
		t.Fatalf("%d list requests for 30 pages: the workers hammered a throttled API", n)
	}
}

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
}
