package authing

import (
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

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
