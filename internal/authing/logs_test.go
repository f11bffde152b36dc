package authing

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Logs come newest first whether the server lists them newest or oldest first, in time
// order or with neighbours swapped (concurrent deliveries logged in the order they
// finished), and whatever page size it serves.
func TestWebhookLogsAreTheLatestNewestFirst(t *testing.T) {
	for _, swapped := range []bool{false, true} {
		for _, oldestFirst := range []bool{false, true} {
			for _, served := range []int{0, 7, 2} {
				t.Run(fmt.Sprintf("oldest first %v, swapped %v, served %d", oldestFirst, swapped, served), func(t *testing.T) {
					emu := startEmulator(t, emulator.Options{PageSize: served, LogsOldestFirst: oldestFirst, LogsSwapNeighbours: swapped, RateLimit: -1})
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
					// The 30 deliveries are milliseconds apart, within LogDisorder: their
					// order cannot be told from the list's ends, so the whole list is read,
					// each page once, and sorted.
					if want := (30 + size - 1) / size; calls != want {
						t.Fatalf("%d log requests, want %d", calls, want)
					}
				})
			}
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

// A list the first page holds whole is sorted as it is, in one request, even when its
// ends cannot tell the order.
func TestAListOnOnePageIsReadOnce(t *testing.T) {
	host, requests := logServer(t, -1, listed(5, 0, false, true))
	logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
	if err != nil || len(logs) != 5 {
		t.Fatalf("got %d logs, %v; want 5", len(logs), err)
	}
	if n := requests.Load(); n != 1 {
		t.Fatalf("%d log requests, want 1", n)
	}
}

// listed is n logs, delivery i at base plus i*step, in the server's order: newest or
// oldest first, with each pair of neighbours swapped when swapped.
func listed(n int, step time.Duration, oldestFirst, swapped bool) []map[string]any {
	base := time.Date(2022, 9, 20, 8, 0, 0, 188e6, time.FixedZone("", 8*3600))
	entries := make([]map[string]any, n)
	for i := range n {
		k := i
		if swapped && k^1 < n {
			k ^= 1
		}
		j := n - 1 - k
		if oldestFirst {
			j = k
		}
		entries[i] = documentedLog(j, base.Add(time.Duration(j)*step).Format("2006-01-02T15:04:05.000-0700"))
	}
	return entries
}

// Neighbours listed the other way round, a second apart, are sorted into time order, and
// the read goes on past the latest asked for until no log left unread can be newer:
// the oldest read, plus LogDisorder, is older than the last one returned.
func TestLogsSlightlyOutOfOrderAreSortedAndTheLatestAreSure(t *testing.T) {
	for _, oldestFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("oldest first %v", oldestFirst), func(t *testing.T) {
			host, requests := logServer(t, -1, listed(60, time.Second, oldestFirst, true))
			logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(deliveryNumbers(t, logs)); got != "[59 58 57 56 55]" {
				t.Fatalf("deliveries %s, want [59 58 57 56 55]", got)
			}
			// Pages of 5. The first page's ends are 4 s apart, within LogDisorder, so the
			// last page is read to tell the order. Then the pages from the newest end
			// down to a log more than LogDisorder older than delivery 55 (49 or older):
			// three pages, one of them already read.
			const want = 4
			if n := requests.Load(); n != want {
				t.Fatalf("%d log requests, want %d", n, want)
			}
		})
	}
}

// The read fails, rather than return logs that may not be the latest, when the order
// truly cannot be told: the list's ends within LogDisorder of each other and too many
// logs to read them all, or no log within maxLogsRead far enough back to be sure.
func TestLogOrderTooCloseToTellFailsTheRead(t *testing.T) {
	t.Run("a burst too long to read whole", func(t *testing.T) {
		host, _ := logServer(t, -1, listed(maxLogsRead+1, 0, false, false))
		logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
		if err == nil || !strings.Contains(err.Error(), "cannot tell which end of the list is the newest: the timestamps of its two ends are within 5s of each other, and its 401 logs are more than the 400") {
			t.Fatalf("got %d logs, %v", len(logs), err)
		}
	})
	t.Run("a burst exactly as long as the read is read whole", func(t *testing.T) {
		host, _ := logServer(t, -1, listed(maxLogsRead, 0, false, false))
		logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
		if err != nil || len(logs) != 5 {
			t.Fatalf("got %d logs, %v; want 5", len(logs), err)
		}
	})
	t.Run("a burst at the newest end longer than the read", func(t *testing.T) {
		entries := listed(maxLogsRead+100, time.Millisecond, false, false)
		for i := range 100 {
			entries[maxLogsRead+i]["timestamp"] = fmt.Sprintf("2022-09-19T08:%02d:00.000+0800", 59-i%60)
		}
		host, requests := logServer(t, -1, entries)
		logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 50)
		if err == nil || !strings.Contains(err.Error(), "cannot tell which are the 50 latest logs: the 400 read from the newest end are all within 5s of the 50-th latest, so one of the 100 logs not read may be newer") {
			t.Fatalf("got %d logs, %v", len(logs), err)
		}
		if n := requests.Load(); n != 9 {
			t.Fatalf("%d log requests, want 9: the first page, the last, then the rest of the first 400", n)
		}
	})
}

// Times exactly LogDisorder apart are within it: a first page whose ends are 5 s apart
// against the list's order does not tell the order (the last page tells), and a log 5 s
// newer than one listed before it is tolerated. The list is newest first, or oldest first.
func TestExactlyLogDisorderApartIsWithinIt(t *testing.T) {
	base := time.Date(2022, 9, 20, 8, 0, 0, 0, time.FixedZone("", 8*3600))
	at := func(n int, d time.Duration) map[string]any {
		return documentedLog(n, base.Add(d).Format("2006-01-02T15:04:05.000-0700"))
	}
	for _, oldestFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("oldest first %v", oldestFirst), func(t *testing.T) {
			var entries []map[string]any
			if !oldestFirst {
				for i := range 6 { // page 1: the latest, 0 to 5 s, the older listed first
					entries = append(entries, at(100+i, time.Duration(i)*time.Second))
				}
				for i := range 24 { // pages 2 to 5: an hour older, newest first
					entries = append(entries, at(23-i, -time.Hour-time.Duration(i)*time.Second))
				}
			} else {
				for i := range 6 { // page 1: the oldest, 5 to 0 s, the newer listed first
					entries = append(entries, at(5-i, time.Duration(5-i)*time.Second))
				}
				for i := range 24 { // pages 2 to 5: an hour newer, oldest first
					entries = append(entries, at(100+i, time.Hour+time.Duration(i)*time.Second))
				}
			}
			host, requests := logServer(t, -1, entries)
			logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 6)
			if err != nil {
				t.Fatal(err)
			}
			want := "[105 104 103 102 101 100]"
			if oldestFirst {
				want = "[123 122 121 120 119 118]"
			}
			if got := fmt.Sprint(deliveryNumbers(t, logs)); got != want {
				t.Fatalf("deliveries %s, want %s", got, want)
			}
			if n := requests.Load(); n != 3 {
				t.Fatalf("%d log requests, want 3: the first page, the last to tell the order, one more to be sure", n)
			}
		})
	}
}

// A last page that comes back empty (the list shrank while it was read) fails the read,
// saying so, rather than tell the order from nothing.
func TestAnEmptyLastPageFailsTheRead(t *testing.T) {
	host, _ := logServer(t, 10, listed(5, 0, false, false))
	logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
	if err == nil || !strings.Contains(err.Error(), "expected 10 of the 10 logs (totalCount) but the pages held 5") {
		t.Fatalf("got %d logs, %v", len(logs), err)
	}
}
