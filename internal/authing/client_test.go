package authing

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

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
