package authing

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Logs come newest first whether the server lists them newest or oldest first, and
// whatever page size it serves.
func TestWebhookLogsAreTheLatestNewestFirst(t *testing.T) {
	for _, oldestFirst := range []bool{false, true} {
		for _, served := range []int{0, 7, 2} {
			t.Run(fmt.Sprintf("oldest first %v, served %d", oldestFirst, served), func(t *testing.T) {
				emu := startEmulator(t, emulator.Options{PageSize: served, LogsOldestFirst: oldestFirst, RateLimit: -1})
				id := emu.SeedWebhooks("w", 1)[0]
				c := newTestClient(t, emu.URL())
				for i := range 30 {
					body := fmt.Sprintf(`{"eventName":"test","data":{"n":%d}}`, i)
					if _, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: id, RequestBody: []byte(body)}); err != nil {
						t.Fatal(err)
					}
				}
				before := emu.Stats().Requests["get-webhook-logs"]
				logs, err := c.GetWebhookLogs(t.Context(), id, 20)
				if err != nil {
					t.Fatal(err)
				}
				if len(logs) != 20 {
					t.Fatalf("%d logs, want 20", len(logs))
				}
				for i, l := range logs {
					var body struct{ Data struct{ N int } }
					if err := json.Unmarshal(l.RequestBody, &body); err != nil || body.Data.N != 29-i {
						t.Fatalf("log %d is delivery %d (%v), want %d", i, body.Data.N, err, 29-i)
					}
				}
				calls := emu.Stats().Requests["get-webhook-logs"] - before
				size := served
				if size == 0 {
					size = 20 // the first page asks for the limit
				}
				// Newest first: the pages holding entries 0..19; oldest first: page 1
				// (to learn the order), then those holding entries 10..29.
				want := (20 + size - 1) / size
				if oldestFirst {
					// Page 1, then the pages holding entries 10..29, page 1 counted once.
					want = 1 + (29/size - 10/size + 1)
					if 10/size == 0 {
						want--
					}
				}
				if calls != want {
					t.Fatalf("%d log requests, want %d", calls, want)
				}
			})
		}
	}
}

// The limit is 1 to MaxWebhookLogs; anything else is refused before a request.
func TestWebhookLogsLimit(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL())
	for _, limit := range []int{1, MaxWebhookLogs} {
		if _, err := c.GetWebhookLogs(t.Context(), id, limit); err != nil {
			t.Fatalf("limit %d: %v", limit, err)
		}
	}
	before := emu.Stats().Requests["get-webhook-logs"]
	for _, limit := range []int{0, MaxWebhookLogs + 1} {
		if _, err := c.GetWebhookLogs(t.Context(), id, limit); err == nil {
			t.Fatalf("limit %d was accepted", limit)
		}
	}
	if _, err := c.GetWebhookLogs(t.Context(), "", 5); err == nil {
		t.Fatal("an empty webhook ID was accepted")
	}
	if n := emu.Stats().Requests["get-webhook-logs"] - before; n != 0 {
		t.Fatalf("refused calls sent %d requests", n)
	}
}
