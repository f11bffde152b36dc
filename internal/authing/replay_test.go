package authing

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// replayLogs serves get-webhook-logs from a list held oldest first, in the order and page
// size asked, and counts the pages served.
type replayLogs struct {
	mu          sync.Mutex
	logs        []map[string]any // oldest first
	oldestFirst bool
	pageSize    int
	pages       int
	// onPage runs after each page is served, with the lock held.
	onPage func(s *replayLogs)
	// missing makes get-webhook answer that the webhook does not exist.
	missing bool
}

func (s *replayLogs) handler(t *testing.T) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/get-webhook") && s.missing:
			_, _ = w.Write([]byte(`{"statusCode":404,"message":"no such webhook"}`))
		case strings.HasSuffix(r.URL.Path, "/get-webhook"):
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"webhookId":"w1","name":"n","url":"https://example.com/h","contentType":"application/json","enabled":true,"createdAt":"2022-07-03T02:20:30.000Z","updatedAt":"2022-07-03T02:20:30.000Z"}}`))
		case strings.HasSuffix(r.URL.Path, "/get-webhook-logs"):
			var req struct{ Page, Limit int }
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
				t.Error(err)
				return
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			size := min(req.Limit, s.pageSize)
			list := []map[string]any{}
			for i := (req.Page - 1) * size; i < len(s.logs) && i < req.Page*size; i++ {
				j := len(s.logs) - 1 - i
				if s.oldestFirst {
					j = i
				}
				list = append(list, s.logs[j])
			}
			s.pages++
			b, _ := json.Marshal(map[string]any{"statusCode": 200, "data": map[string]any{"totalCount": len(s.logs), "list": list}})
			_, _ = w.Write(b)
			if s.onPage != nil {
				s.onPage(s)
			}
		default:
			t.Errorf("unexpected request %s", r.URL.Path)
		}
	}
}

var logBase = time.Date(2026, 12, 4, 2, 0, 0, 0, time.UTC)

// wire is a logged user:created delivery as the API sends it, at minute minute after logBase.
func wire(minute int, success bool, body any, headers map[string]string) map[string]any {
	if headers == nil {
		headers = map[string]string{}
	}
	return map[string]any{
		"webhookId": "w1", "eventName": "user:created", "requestBody": body, "requestHeaders": headers,
		"responseStatusCode": map[bool]int{true: 200, false: 503}[success], "success": success,
		"timestamp": logBase.Add(time.Duration(minute) * time.Minute).In(time.FixedZone("", 8*3600)).Format("2006-01-02T15:04:05.000-0700"),
	}
}

func minutes(ls []ReplayLog) []int {
	out := make([]int, len(ls))
	for i, l := range ls {
		out[i] = int(l.Time.Sub(logBase) / time.Minute)
	}
	return out
}

// A window is read from the latest delivery back to since, and no further, in either
// order the server may list the logs; the result is oldest first.
func TestDeliveriesSinceReadsBackToSinceOnly(t *testing.T) {
	for _, oldestFirst := range []bool{false, true} {
		t.Run(fmt.Sprintf("oldestFirst=%v", oldestFirst), func(t *testing.T) {
			s := &replayLogs{oldestFirst: oldestFirst, pageSize: 50}
			for i := range 230 {
				s.logs = append(s.logs, wire(i, i%2 == 0, map[string]any{"n": i}, nil))
			}
			c := newTestClient(t, fakeAPI(t, s.handler(t)))
			got, pages, err := c.DeliveriesSince(t.Context(), "w1", logBase.Add(160*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			want := make([]int, 0, 70)
			for i := 160; i < 230; i++ {
				want = append(want, i)
			}
			if !slices.Equal(minutes(got), want) {
				t.Fatalf("minutes %v, want %v", minutes(got), want)
			}
			// 70 entries from the end, and those within LogDisorder before them: two pages
			// of 50 hold them for a server that lists newest first; three for one that lists
			// oldest first (its last page holds 30, and the pages are read by 50 from the
			// end), plus its first page.
			if limit := map[bool]int{false: 2, true: 4}[oldestFirst]; pages > limit || s.pages != pages {
				t.Fatalf("read %d pages (server served %d), want at most %d", pages, s.pages, limit)
			}
		})
	}
}

func TestDeliveriesSinceIsBounded(t *testing.T) {
	s := &replayLogs{pageSize: 50}
	for i := range MaxReplayScan + 100 {
		s.logs = append(s.logs, wire(i, false, map[string]any{"n": i}, nil))
	}
	c := newTestClient(t, fakeAPI(t, s.handler(t)))
	_, _, err := c.DeliveriesSince(t.Context(), "w1", logBase)
	if err == nil || !strings.Contains(err.Error(), "more than 2000 deliveries") {
		t.Fatalf("want the bound named, got %v", err)
	}
	if s.pages > MaxReplayScan/50+1 {
		t.Fatalf("served %d pages, more than the bound needs", s.pages)
	}
}

// A delivery logged while the pages are read shifts a newest-first list by one: the entry
// seen at the end of one page comes again at the start of the next, and is kept once.
// (Where the window reaches the list's oldest end, the entries shifted past the count
// first read are left for the next invocation: they are the oldest, so no replay of one
// that was read can be among them.)
func TestDeliveriesSinceKeepsAShiftedEntryOnce(t *testing.T) {
	s := &replayLogs{pageSize: 50}
	for i := range 120 {
		s.logs = append(s.logs, wire(i, false, map[string]any{"n": i}, nil))
	}
	next := 120
	s.onPage = func(s *replayLogs) {
		s.logs = append(s.logs, wire(next, false, map[string]any{"n": next}, nil))
		next++
	}
	c := newTestClient(t, fakeAPI(t, s.handler(t)))
	got, _, err := c.DeliveriesSince(t.Context(), "w1", logBase.Add(30*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ms := minutes(got)
	if len(slices.Compact(slices.Clone(ms))) != len(ms) || ms[0] != 30 || ms[89] != 119 {
		t.Fatalf("minutes %v: want 30..119 (and later ones) each once", ms)
	}
}

func logAt(minute int, event string, success bool, body string, key string) ReplayLog {
	h := map[string]string{"user-agent": "authing-webhook@2.0"}
	if key != "" {
		h["idempotency-key"] = key
	}
	return ReplayLog{WebhookLog: WebhookLog{WebhookID: "w1", EventName: event, Success: success, RequestBody: json.RawMessage(body), RequestHeaders: h,
		Time: logBase.Add(time.Duration(minute) * time.Minute), Timestamp: logBase.Add(time.Duration(minute) * time.Minute).Format(time.RFC3339)}}
}

func TestPlanReplayPicksFailedRealEventsOnce(t *testing.T) {
	firstKey := ReplayKey("w1", logBase.Add(10*time.Minute), "user:created", []byte(`{"a":1}`))
	thirdKey := ReplayKey("w1", logBase.Add(14*time.Minute), "user:updated", []byte(`{"c":3}`))
	masked := logAt(19, "user:created", false, `{"token":"***"}`, "")
	masked.BodyMasked = true
	logs := []ReplayLog{
		logAt(5, "user:created", false, `{"early":1}`, ""),                              // before since
		logAt(10, "user:created", false, `{"a": 1}`, ""),                                // replayed below
		logAt(11, "test", false, `{"eventName":"test"}`, ""),                            // the console's test
		logAt(12, "user:created", false, `{"x":1}`, "0123456789abcdef0123456789abcdef"), // a firing
		logAt(13, "user:deleted", false, `{"b":2}`, ""),                                 // filtered out
		logAt(14, "user:updated", false, `{"c":3}`, ""),                                 // failed replay below
		logAt(15, "user:updated", false, `{"c":3}`, ""),                                 // Authing's retry of it
		logAt(16, "user:created", false, `{"d":4}`, ""),                                 // delivered later by Authing
		logAt(17, "user:created", true, `{"d":4}`, ""),
		logAt(18, "user:created", false, `[1]`, ""), // no object body
		masked, // a body that carried a known secret
		logAt(20, "user:created", true, `{"a":1}`, firstKey),  // the first's replay
		logAt(21, "user:updated", false, `{"c":3}`, thirdKey), // a failed replay
		logAt(40, "user:created", false, `{"late":1}`, ""),    // after until
	}
	plan := PlanReplay("w1", logs, logBase.Add(10*time.Minute), logBase.Add(30*time.Minute), []string{"user:created", "user:updated"})
	var got []string
	for _, o := range plan.Originals {
		got = append(got, fmt.Sprintf("%s %s replayed=%v attempts=%d repeats=%d problem=%v", o.Log.EventName, o.Body, !o.ReplayedAt.IsZero(), len(o.Attempts), o.Repeats, o.Problem != ""))
	}
	want := []string{
		`user:created {"a":1} replayed=true attempts=0 repeats=0 problem=false`,
		`user:updated {"c":3} replayed=false attempts=1 repeats=1 problem=false`,
		`user:created  replayed=false attempts=0 repeats=0 problem=true`,
		`user:created  replayed=false attempts=0 repeats=0 problem=true`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("originals\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if plan.Originals[1].Key != thirdKey {
		t.Fatalf("key %s, want %s", plan.Originals[1].Key, thirdKey)
	}
	if want := (ReplaySkips{Tests: 1, Firings: 1, Replays: 1, OtherEvents: 1, Redelivered: 1}); plan.Skipped != want {
		t.Fatalf("skipped %+v, want %+v", plan.Skipped, want)
	}
}

// A replay made when the window began later, once the original's first failure had left
// it, covers the original all the same: the same event and body delivered by a replay.
func TestPlanReplayKnowsAReplayMadeFromALaterWindow(t *testing.T) {
	later := ReplayKey("w1", logBase.Add(12*time.Minute), "user:created", []byte(`{"a":1}`))
	logs := []ReplayLog{
		logAt(10, "user:created", false, `{"a":1}`, ""),
		logAt(12, "user:created", false, `{"a":1}`, ""),
		logAt(20, "user:created", true, `{"a":1}`, later),
	}
	plan := PlanReplay("w1", logs, logBase, time.Time{}, nil)
	if len(plan.Originals) != 1 || plan.Originals[0].ReplayedAt.IsZero() {
		t.Fatalf("originals %+v: want one, already replayed", plan.Originals)
	}
}

func TestReplayKeyIsTheSameForTheSameDelivery(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 2, 11, 123e6, time.FixedZone("", 8*3600))
	k := ReplayKey("w1", at, "user:created", []byte(`{"a":1}`))
	if !regexp.MustCompile(`^replay-[0-9a-f]{32}$`).MatchString(k) {
		t.Fatalf("key %q", k)
	}
	if k2 := ReplayKey("w1", at.UTC(), "user:created", []byte(`{"a":1}`)); k2 != k {
		t.Fatalf("the same instant in another zone gives %s, want %s", k2, k)
	}
	for name, other := range map[string]string{
		"webhook": ReplayKey("w2", at, "user:created", []byte(`{"a":1}`)),
		"time":    ReplayKey("w1", at.Add(time.Millisecond), "user:created", []byte(`{"a":1}`)),
		"event":   ReplayKey("w1", at, "user:updated", []byte(`{"a":1}`)),
		"body":    ReplayKey("w1", at, "user:created", []byte(`{"a":2}`)),
	} {
		if other == k {
			t.Errorf("another %s gives the same key", name)
		}
	}
}

func TestReplayHeadersLeaveAuthingsOwnOut(t *testing.T) {
	got := ReplayHeaders(map[string]string{
		"user-agent": "authing-webhook@2.0", "accept": "*/*", "content-type": "application/json", "content-length": "12",
		"x-authing-userpool-id": "p", "x-authing-token": "s", "X-Authing-Webhook-Secret": "s", "idempotency-key": "k",
		"host": "h", "proxy-authorization": "x", "bad name": "v", "x-line": "a\nb",
		"x-trace-id": "abc", "X-Tenant": "t1",
	})
	want := map[string]string{"X-Trace-Id": "abc", "X-Tenant": "t1"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("headers %v, want %v", got, want)
	}
}

// FindReplay finds the replay just made, not an earlier failed one with the same key.
func TestFindReplayLooksPastEarlierAttempts(t *testing.T) {
	s := &replayLogs{pageSize: 50}
	s.logs = append(s.logs, wire(1, false, map[string]any{"a": 1}, map[string]string{"Idempotency-Key": "replay-k"}))
	c := newTestClient(t, fakeAPI(t, s.handler(t)))
	earlier := []time.Time{logBase.Add(time.Minute)}
	s.onPage = func(s *replayLogs) {
		if s.pages == 2 {
			s.logs = append(s.logs, wire(2, true, map[string]any{"a": 1}, map[string]string{"Idempotency-Key": "replay-k"}))
		}
	}
	got := c.FindReplay(t.Context(), "w1", "replay-k", earlier)
	if !got.Found || !got.Delivery.Success || got.Reads < 2 {
		t.Fatalf("search %+v: want the later, successful delivery", got)
	}
}

// A logged body that carries a secret the client knows is handed out masked, and marked so
// that it is never replayed as if it were the body logged.
func TestDeliveriesSinceMarksAMaskedBody(t *testing.T) {
	s := &replayLogs{pageSize: 50}
	s.logs = append(s.logs, wire(1, false, map[string]any{"leak": testSecret}, nil), wire(2, false, map[string]any{"n": 2}, nil))
	c := newTestClient(t, fakeAPI(t, s.handler(t)))
	got, _, err := c.DeliveriesSince(t.Context(), "w1", logBase)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !got[0].BodyMasked || got[1].BodyMasked || strings.Contains(string(got[0].RequestBody), testSecret) {
		t.Fatalf("got %+v", got)
	}
}

// A webhook that does not exist is an error, never an empty window.
func TestDeliveriesSinceOfAnUnknownWebhookIsNotFound(t *testing.T) {
	s := &replayLogs{pageSize: 50, missing: true}
	c := newTestClient(t, fakeAPI(t, s.handler(t)))
	_, _, err := c.DeliveriesSince(t.Context(), "w1", logBase)
	if !IsNotFound(err) || s.pages != 0 {
		t.Fatalf("got %v after %d pages; want not found before any page", err, s.pages)
	}
}
