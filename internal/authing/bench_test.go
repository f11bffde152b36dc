package authing

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// BenchmarkListWebhooks lists 5,000 webhooks (100 pages), one page at a time and with
// the default concurrency, with the emulator answering at once and after 30 ms.
func BenchmarkListWebhooks(b *testing.B) {
	for _, latency := range []time.Duration{0, 30 * time.Millisecond} {
		emu := startEmulator(b, emulator.Options{Latency: latency})
		emu.SeedWebhooks("w", 5000)
		for _, workers := range []int{1, DefaultListConcurrency} {
			name := fmt.Sprintf("latency=%v/workers=%d", latency, workers)
			b.Run(name, func(b *testing.B) {
				c := newTestClient(b, emu.URL(), func(c *Config) { c.ListConcurrency = workers; c.Retry = DefaultRetryPolicy })
				if _, err := c.ListWebhooks(b.Context()); err != nil { // fetch the token outside the timing
					b.Fatal(err)
				}
				before := emu.Stats().Requests["list-webhooks"]
				b.ResetTimer()
				for b.Loop() {
					got, err := c.ListWebhooks(b.Context())
					if err != nil || len(got) != 5000 {
						b.Fatalf("%d webhooks, %v", len(got), err)
					}
				}
				b.ReportMetric(float64(emu.Stats().Requests["list-webhooks"]-before)/float64(b.N), "requests/op")
			})
		}
	}
}

// BenchmarkToken100ConcurrentCallers starts a client and has 100 callers need a token at
// once: it measures the single-flight path and reports the tokens fetched per start.
func BenchmarkToken100ConcurrentCallers(b *testing.B) {
	emu := startEmulator(b, emulator.Options{RateLimit: -1})
	before := emu.Stats().TokensIssued
	for b.Loop() {
		c := newTestClient(b, emu.URL())
		var wg sync.WaitGroup
		for range 100 {
			wg.Go(func() {
				if _, err := c.tokens.get(b.Context()); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(emu.Stats().TokensIssued-before)/float64(b.N), "tokens/op")
}

// BenchmarkTokenCached is the cost of a token lookup once it is cached.
func BenchmarkTokenCached(b *testing.B) {
	emu := startEmulator(b, emulator.Options{})
	c := newTestClient(b, emu.URL())
	if _, err := c.tokens.get(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.tokens.get(b.Context()); err != nil {
				b.Error(err)
			}
		}
	})
}
