package authing

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// What Authing's own documents show (the OpenAPI document's examples, the SDKs' types),
// and what the client does with each. Each test pins a row of DESIGN.md's "What Authing
// documents, and where it is silent".

// logServer answers get-webhook-logs from a list of entries held in the server's order,
// page by page as asked, reporting total as totalCount (len(entries) when negative).
func logServer(t *testing.T, total int, entries []map[string]any) (host string, requests *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	host = fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/get-webhook") {
			// The webhook exists: a logs read asks first.
			_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": 200, "data": map[string]any{"webhookId": r.URL.Query().Get("webhookId")}})
			return
		}
		if !strings.HasSuffix(r.URL.Path, "/get-webhook-logs") {
			_, _ = w.Write([]byte(`{"statusCode":404,"message":"no such route"}`))
			return
		}
		n.Add(1)
		var body struct{ Page, Limit int }
		_ = json.NewDecoder(r.Body).Decode(&body)
		from := min((body.Page-1)*body.Limit, len(entries))
		list := entries[from:min(from+body.Limit, len(entries))]
		count := total
		if count < 0 {
			count = len(entries)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": 200, "message": "ok", "data": map[string]any{"totalCount": count, "list": list}})
	})
	return host, &n
}

// documentedLog is a log entry in Authing's documented shape (the OpenAPI example of
// WebhookLogDto), delivery n at the given timestamp.
func documentedLog(n int, timestamp any) map[string]any {
	return map[string]any{
		"webhookId": "6229ffaxxxxxxxxcade3e3d9", "eventName": "user:created",
		"requestBody":        map[string]any{"eventName": "test", "data": map[string]any{"n": n}},
		"requestHeaders":     map[string]any{"eventName": "test", "data": map[string]any{"description": "A test from authing"}},
		"responseStatusCode": 200,
		"responseHeaders": map[string]any{
			"Accept": "application/json, text/plain, */*", "user-agent": "authing-webhook@2.0",
			"x-authing-token": "a", "x-authing-webhook-secret": "a",
		},
		"responseBody": map[string]any{"success": true},
		"timestamp":    timestamp,
		"success":      true,
	}
}

// deliveryNumbers are the n of each log's request body, in the order returned.
func deliveryNumbers(t *testing.T, logs []WebhookLog) []int {
	t.Helper()
	out := make([]int, len(logs))
	for i, l := range logs {
		var body struct{ Data struct{ N int } }
		if err := json.Unmarshal(l.RequestBody, &body); err != nil {
			t.Fatal(err)
		}
		out[i] = body.Data.N
	}
	return out
}

// A server that lists logs oldest first, in Authing's documented timestamp format
// ("2022-09-20T08:55:00.188+0800", an offset without a colon): the latest deliveries
// still come back, newest first. The same holds for a server that lists newest first.
func TestLogOrderIsReadFromTheDocumentedTimestampFormat(t *testing.T) {
	const n = 12
	stamp := func(i int) string { return fmt.Sprintf("2022-09-20T08:%02d:00.188+0800", 10+i) }
	for _, oldestFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("oldest first %v", oldestFirst), func(t *testing.T) {
			entries := make([]map[string]any, n)
			for i := range n {
				j := n - 1 - i
				if oldestFirst {
					j = i
				}
				entries[i] = documentedLog(j, stamp(j))
			}
			host, _ := logServer(t, -1, entries)
			logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "6229ffaxxxxxxxxcade3e3d9", 5)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(deliveryNumbers(t, logs)); got != "[11 10 9 8 7]" {
				t.Fatalf("deliveries %s, want the five latest, newest first: [11 10 9 8 7]", got)
			}
		})
	}
}

// With an absurd totalCount from a server that lists oldest first, a logs read fails as
// a listing does, without a panic and without allocating by the count.
func TestLogsReadNeverAllocatesByTheReportedCount(t *testing.T) {
	for _, total := range []int{1 << 62, 1_000_000_000, 1_000_001} {
		t.Run(fmt.Sprint(total), func(t *testing.T) {
			entries := make([]map[string]any, 50)
			for i := range entries {
				entries[i] = documentedLog(i, fmt.Sprintf("2022-09-20T00:%02d:00.188Z", i))
			}
			host, requests := logServer(t, total, entries)
			c := newTestClient(t, host)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := c.GetWebhookLogs(t.Context(), "w", 20)
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "more than the 1000000 the provider lists") {
				t.Fatalf("got %v, want a refusal of the count", err)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
				t.Fatalf("the read allocated %d MiB", grew>>20)
			}
			if n := requests.Load(); n != 1 {
				t.Fatalf("%d log requests, want 1", n)
			}
		})
	}
}

// list-webhooks answering data: null (or data without totalCount) says nothing about how
// many webhooks there are: it is an error, never an empty pool. totalCount 0 with no list
// is an empty pool.
func TestListingWithoutTotalCountIsNotAnEmptyPool(t *testing.T) {
	for name, tt := range map[string]struct {
		data string
		want string
	}{
		"data null":           {`null`, "no totalCount"},
		"no data":             {``, "no totalCount"},
		"data without counts": {`{"list":[]}`, "no totalCount"},
		"totalCount 0":        {`{"totalCount":0}`, ""},
		"totalCount 2, none":  {`{"totalCount":2,"list":null}`, "first page held none"},
	} {
		t.Run(name, func(t *testing.T) {
			host := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				if strings.HasSuffix(r.URL.Path, "/get-webhook") {
					_, _ = w.Write([]byte(`{"statusCode":200,"data":{"webhookId":"w"}}`))
					return
				}
				body := `{"statusCode":200,"message":"ok"`
				if tt.data != "" {
					body += `,"data":` + tt.data
				}
				_, _ = w.Write([]byte(body + "}"))
			})
			c := secretsRead(newTestClient(t, host), "w")
			got, err := c.ListWebhooks(t.Context())
			if tt.want == "" {
				if err != nil || len(got) != 0 {
					t.Fatalf("got %d webhooks, %v; want an empty pool", len(got), err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %d webhooks, %v; want an error saying %q", len(got), err, tt.want)
			}
			logs, err := c.GetWebhookLogs(t.Context(), "w", 5)
			if tt.want == "" {
				if err != nil || len(logs) != 0 {
					t.Fatalf("logs: got %d, %v; want none", len(logs), err)
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("logs: got %d, %v; want an error saying %q", len(logs), err, tt.want)
			}
		})
	}
}

// delete-webhook answering data.success false (the Node SDK 4.x types the answer as
// IsSuccessRespDto) deleted nothing: the call fails naming the webhook and Authing's
// answer. No data, or success true, is a deletion.
func TestDeleteThatAuthingRefusesFails(t *testing.T) {
	for name, tt := range map[string]struct {
		data    string
		refused bool
	}{
		"success false": {`,"data":{"success":false}`, true},
		"success true":  {`,"data":{"success":true}`, false},
		"no data":       {``, false},
		"data null":     {`,"data":null`, false},
	} {
		t.Run(name, func(t *testing.T) {
			host := fakeAPI(t, func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(`{"statusCode":200,"message":"操作成功","requestId":"r-del"` + tt.data + `}`))
			})
			err := newTestClient(t, host).DeleteWebhook(t.Context(), "6229ffaxxxxxxxxcade3e3d9")
			if !tt.refused {
				if err != nil {
					t.Fatalf("got %v, want a deletion", err)
				}
				return
			}
			if err == nil {
				t.Fatal("a delete answered with success false was taken as done")
			}
			for _, want := range []string{"delete webhook 6229ffaxxxxxxxxcade3e3d9", "success: false", "requestId r-del", "操作成功"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not say %q", err, want)
				}
			}
		})
	}
}

// Authing's documented log example carries the webhook's secret under both
// x-authing-token and x-authing-webhook-secret, in responseHeaders. Neither reaches the
// caller, in any letter case, from either header map; nor does any header whose value is
// a secret the client knows.
func TestLogsCarryNoSecretHeader(t *testing.T) {
	entry := documentedLog(1, "2022-09-20T08:55:00.188+0800")
	entry["requestHeaders"] = map[string]any{
		"X-Authing-Token": "whsec-doc", "X-AUTHING-WEBHOOK-SECRET": "whsec-doc", "x-echo": testSecret, "x-release": "r1",
	}
	entry["responseHeaders"] = map[string]any{
		"Accept": "application/json, text/plain, */*", "user-agent": "authing-webhook@2.0",
		"x-authing-token": "a", "x-authing-webhook-secret": "a", "X-Authing-Token": "whsec-doc",
	}
	host, _ := logServer(t, -1, []map[string]any{entry})
	logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
	if err != nil || len(logs) != 1 {
		t.Fatalf("%d logs, %v", len(logs), err)
	}
	raw, _ := json.Marshal(logs)
	for _, secret := range []string{"whsec-doc", `"a"`, testSecret, "x-authing-token", "x-authing-webhook-secret"} {
		if strings.Contains(strings.ToLower(string(raw)), strings.ToLower(secret)) {
			t.Errorf("the logs hold %s: %s", secret, raw)
		}
	}
	for _, kept := range []string{"x-release", "authing-webhook@2.0", "application/json, text/plain, */*"} {
		if !strings.Contains(string(raw), kept) {
			t.Errorf("the logs lost %s: %s", kept, raw)
		}
	}
}

// Every timestamp Authing may send is read: ISO 8601 with Z, +08:00 or +0800 and any
// fraction of a second (the OpenAPI document shows "2022-07-03T02:20:30.000Z" for
// webhooks and "2022-09-20T08:55:00.188+0800" for logs), and epoch milliseconds as a
// number or a string. The text is RFC 3339, as sent when it already was.
func TestTimestampsInEveryFormAuthingMaySend(t *testing.T) {
	instant := time.Date(2022, 9, 20, 0, 55, 0, 188_000_000, time.UTC)
	for raw, want := range map[string]string{
		`"2022-09-20T08:55:00.188+0800"`:     "2022-09-20T08:55:00.188+08:00",
		`"2022-09-20T08:55:00.188+08:00"`:    "2022-09-20T08:55:00.188+08:00",
		`"2022-09-20T08:55:00.188+08"`:       "2022-09-20T08:55:00.188+08:00",
		`"2022-09-20T00:55:00.188Z"`:         "2022-09-20T00:55:00.188Z",
		`"2022-09-20T00:55:00.188000000Z"`:   "2022-09-20T00:55:00.188000000Z",
		`"2022-09-20 00:55:00.188z"`:         "2022-09-20T00:55:00.188Z",
		`"2022-09-19T21:55:00.1880-0300"`:    "2022-09-19T21:55:00.1880-03:00",
		`1663635300188`:                      "2022-09-20T00:55:00.188Z",
		`"1663635300188"`:                    "2022-09-20T00:55:00.188Z",
		`1.663635300188e12`:                  "2022-09-20T00:55:00.188Z",
		` "2022-09-20T08:55:00.188+0800" `:   "2022-09-20T08:55:00.188+08:00",
		`"  2022-09-20T08:55:00.188+0800\t"`: "2022-09-20T08:55:00.188+08:00",
	} {
		got, text, ok := parseTimestamp(json.RawMessage(raw))
		if !ok || !got.Equal(instant) || text != want {
			t.Errorf("%s: %v %q %v; want %v %q", raw, got, text, ok, instant, want)
		}
		if _, err := time.Parse(time.RFC3339, text); err != nil {
			t.Errorf("%s: %q is not RFC 3339: %v", raw, text, err)
		}
	}
	for _, raw := range []string{`"2022-09-20T08:55:00.188"`, `"yesterday"`, `""`, `null`, `true`, `{}`, `1.5`, `"2022-09-20"`, `"2022-13-40T08:55:00Z"`} {
		if got, text, ok := parseTimestamp(json.RawMessage(raw)); ok {
			t.Errorf("%s was read as %v (%q)", raw, got, text)
		}
	}
}

// A webhook's createdAt and updatedAt come out as RFC 3339 in whichever form they came.
func TestWebhookTimesAreRFC3339(t *testing.T) {
	var w Webhook
	if err := json.Unmarshal([]byte(`{"webhookId":"w","createdAt":1656814830000,"updatedAt":"2022-07-03T10:20:30.000+0800"}`), &w); err != nil {
		t.Fatal(err)
	}
	if w.WebhookID != "w" || w.CreatedAt != "2022-07-03T02:20:30.000Z" || w.UpdatedAt != "2022-07-03T10:20:30.000+08:00" {
		t.Fatalf("%+v", w)
	}
	if err := json.Unmarshal([]byte(`{"webhookId":"w","createdAt":"2022-07-03T02:20:30.000Z","updatedAt":"soon"}`), &w); err != nil {
		t.Fatal(err)
	}
	if w.CreatedAt != "2022-07-03T02:20:30.000Z" || w.UpdatedAt != "soon" {
		t.Fatalf("%+v", w)
	}
}

// Where the timestamps cannot tell the order, the read never guesses: the first page's
// equal ends make it read the last page, and unreadable ends fail the read, saying why.
func TestLogOrderIsNeverGuessed(t *testing.T) {
	oldestFirst := func(stamp func(i int) any) []map[string]any {
		entries := make([]map[string]any, 12)
		for i := range entries {
			entries[i] = documentedLog(i, stamp(i))
		}
		return entries
	}
	t.Run("first page within one millisecond", func(t *testing.T) {
		host, requests := logServer(t, -1, oldestFirst(func(i int) any {
			return fmt.Sprintf("2022-09-20T08:%02d:00.188+0800", 10+i/5)
		}))
		logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(deliveryNumbers(t, logs)); got != "[11 10 9 8 7]" || requests.Load() != 3 {
			t.Fatalf("deliveries %s in %d requests, want [11 10 9 8 7] in 3 (page 1, then the last two)", got, requests.Load())
		}
	})
	for name, stamp := range map[string]func(int) any{
		"no zone":    func(i int) any { return fmt.Sprintf("2022-09-20T08:%02d:00.188", 10+i) },
		"not a time": func(int) any { return "recently" },
		"null":       func(int) any { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			host, _ := logServer(t, -1, oldestFirst(stamp))
			logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
			if err == nil || !strings.Contains(err.Error(), "cannot tell which end of the list is the newest") {
				t.Fatalf("got %d logs, %v", len(logs), err)
			}
		})
	}
	t.Run("out of order", func(t *testing.T) {
		entries := oldestFirst(func(i int) any { return fmt.Sprintf("2022-09-20T08:%02d:00.188+0800", 10+i) })
		entries[9]["timestamp"] = "2022-09-20T09:30:00.000+0800"
		host, _ := logServer(t, -1, entries)
		_, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
		if err == nil || !strings.Contains(err.Error(), "not in time order (2022-09-20T09:30:00.000+08:00 comes after 2022-09-20T08:20:00.188+08:00)") {
			t.Fatalf("got %v", err)
		}
	})
}

// A header whose value is the webhook's own secret is dropped under any name, as are the
// secret headers; other values that are not strings keep their JSON text.
func TestLogsDropTheWebhooksSecretUnderAnyName(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	id := emu.AddWebhook(emulator.Webhook{Name: "s", URL: emu.ReceiverURL("s"), Enabled: true, Events: []string{"test"}, Secret: "whsec-copied"})
	c := newTestClient(t, emu.URL())
	if _, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: id, RequestHeaders: map[string]string{"x-copy": "whsec-copied", "x-kept": "k"}}); err != nil {
		t.Fatal(err)
	}
	logs, err := c.GetWebhookLogs(t.Context(), id, 1)
	if err != nil || len(logs) != 1 {
		t.Fatalf("%d logs, %v", len(logs), err)
	}
	if _, ok := logs[0].RequestHeaders["x-copy"]; ok || logs[0].RequestHeaders["x-kept"] != "k" {
		t.Fatalf("request headers %v: want x-copy dropped and x-kept kept", logs[0].RequestHeaders)
	}

	entry := documentedLog(1, "2022-09-20T08:55:00.188+0800")
	entry["requestHeaders"] = map[string]any{"x-num": 42, "x-list": []string{"a", "b"}}
	host, _ := logServer(t, -1, []map[string]any{entry})
	logs, err = newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 1)
	if err != nil || logs[0].RequestHeaders["x-num"] != "42" || logs[0].RequestHeaders["x-list"] != `["a","b"]` {
		t.Fatalf("headers %v, %v", logs[0].RequestHeaders, err)
	}
}

// Two entries are enough to tell the order: an oldest-first server's two logs come back
// newest first.
func TestTwoLogsOldestFirstComeBackNewestFirst(t *testing.T) {
	host, _ := logServer(t, -1, []map[string]any{documentedLog(0, "2022-09-20T08:55:00.188+0800"), documentedLog(1, "2022-09-20T08:56:00.188+0800")})
	logs, err := newTestClient(t, host).GetWebhookLogs(t.Context(), "w", 5)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(deliveryNumbers(t, logs)); got != "[1 0]" {
		t.Fatalf("deliveries %s, want [1 0]", got)
	}
}
