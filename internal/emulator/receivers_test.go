package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// statuses are the logged statuses of a webhook's deliveries, oldest first.
func statuses(t *testing.T, s *Server, tok, id string) []int {
	t.Helper()
	logs := deliveryLogs(t, s, tok, id)
	out := make([]int, len(logs))
	for i, l := range logs {
		out[len(logs)-1-i] = l.ResponseStatusCode
	}
	return out
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A receiver told to fail its first deliveries fails exactly those, then succeeds; its
// count holds every delivery.
func TestReceiverFailsItsFirstDeliveriesThenSucceeds(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "ready", URL: s.ReceiverURL("ready"), Enabled: true})
	if err := s.SetReceiver("ready", ReceiverBehavior{FailFirst: 3}); err != nil {
		t.Fatal(err)
	}
	var codes []int
	for range 5 {
		codes = append(codes, trigger(t, s, tok, id).StatusCode)
	}
	if want := []int{602, 602, 602, 200, 200}; !sameInts(codes, want) {
		t.Fatalf("statusCodes %v, want %v", codes, want)
	}
	if got, want := statuses(t, s, tok, id), []int{503, 503, 503, 200, 200}; !sameInts(got, want) {
		t.Fatalf("logged statuses %v, want %v", got, want)
	}
	if n := s.ReceiverDeliveries("ready"); n != 5 {
		t.Fatalf("ReceiverDeliveries %d, want 5", n)
	}
	// Setting a behaviour again counts its failures afresh; the deliveries go on counting.
	if err := s.SetReceiver("ready", ReceiverBehavior{FailFirst: 1, FailStatus: 502}); err != nil {
		t.Fatal(err)
	}
	if a, b := trigger(t, s, tok, id), trigger(t, s, tok, id); a.StatusCode != 602 || !strings.Contains(a.Message, "502") || b.StatusCode != 200 {
		t.Fatalf("after a new behaviour: %+v then %+v", a, b)
	}
	if n := s.ReceiverDeliveries("ready"); n != 7 {
		t.Fatalf("ReceiverDeliveries %d, want 7", n)
	}
	s.ResetReceiver("ready")
	if n := s.ReceiverDeliveries("ready"); n != 0 {
		t.Fatalf("ReceiverDeliveries after a reset %d", n)
	}
}

// Concurrent deliveries to a receiver failing its first N: exactly N fail.
func TestReceiverCountsConcurrentDeliveriesExactly(t *testing.T) {
	s := start(t, Options{RateLimit: -1})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "busy", URL: s.ReceiverURL("busy"), Enabled: true})
	if err := s.SetReceiver("busy", ReceiverBehavior{FailFirst: 7}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	failed := 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if a := trigger(t, s, tok, id); a.StatusCode == 602 {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if failed != 7 || s.ReceiverDeliveries("busy") != 20 {
		t.Fatalf("%d failed, %d delivered; want 7 of 20", failed, s.ReceiverDeliveries("busy"))
	}
}

// FailFor fails deliveries for a while from the first one, whatever their number.
func TestReceiverFailsForAWhile(t *testing.T) {
	st := &receiverState{behavior: ReceiverBehavior{FailFor: time.Minute, FailStatus: 502}}
	t0 := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		at   time.Duration
		want int
	}{{0, 502}, {time.Second, 502}, {59 * time.Second, 502}, {time.Minute, 200}, {2 * time.Minute, 200}} {
		if a := st.next(t0.Add(step.at)); a.cut || a.status != step.want {
			t.Fatalf("at %s: %+v, want %d", step.at, a, step.want)
		}
	}
	// Over HTTP, a short window: a delivery fails at once, one succeeds once it is over.
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "window", URL: s.ReceiverURL("window?fail_for=300ms"), Enabled: true})
	began := time.Now()
	if a := trigger(t, s, tok, id); a.StatusCode != 602 {
		t.Fatalf("first delivery: %+v", a)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		a := trigger(t, s, tok, id)
		if a.StatusCode == 200 {
			if since := time.Since(began); since < 300*time.Millisecond {
				t.Fatalf("succeeded %s after the first delivery, inside the window", since)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the receiver never recovered")
		}
		time.Sleep(50 * time.Millisecond) // the poll's interval
	}
}

// A receiver that is down cuts every connection without an answer: the log shows no
// status, and Received records the request with Status 0. A failing delivery with
// FailStatus -1 is cut too.
func TestReceiverDownCutsTheConnection(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "down", URL: s.ReceiverURL("down"), Enabled: true})
	if err := s.SetReceiver("down", ReceiverBehavior{Down: true}); err != nil {
		t.Fatal(err)
	}
	if a := trigger(t, s, tok, id); a.StatusCode != 601 {
		t.Fatalf("%+v", a)
	}
	got := s.Received()
	if len(got) != 1 || got[0].Status != 0 || !strings.Contains(got[0].Body, `"n":1`) {
		t.Fatalf("received %+v", got)
	}
	flaky := s.AddWebhook(Webhook{Name: "flaky", URL: s.ReceiverURL("flaky?fail_first=1&fail_status=-1"), Enabled: true})
	if a, b := trigger(t, s, tok, flaky), trigger(t, s, tok, flaky); a.StatusCode != 601 || b.StatusCode != 200 {
		t.Fatalf("cut then answered: %+v then %+v", a, b)
	}
	if got := s.Received(); len(got) != 3 || got[1].Status != 0 || got[2].Status != 200 {
		t.Fatalf("received %+v", got)
	}
}

// A delivery cut on a connection is never sent again by the emulator itself, even with
// an Idempotency-Key (which makes Go's transport resend on a reused connection).
func TestCutDeliveryIsSentOnce(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	up := s.AddWebhook(Webhook{Name: "up", URL: s.ReceiverURL("up"), Enabled: true})
	down := s.AddWebhook(Webhook{Name: "down", URL: s.ReceiverURL("down?down=1"), Enabled: true})
	for range 3 {
		for _, id := range []string{up, down} {
			send(t, "POST", s.URL()+"/api/v3/trigger-webhook", authed(tok), `{"webhookId":"`+id+`","requestHeaders":{"Idempotency-Key":"k-`+id+`"}}`)
		}
	}
	if n := s.ReceiverDeliveries("down"); n != 3 {
		t.Fatalf("3 triggers of a down receiver reached it %d times", n)
	}
}

// A receiver answers a given status and body, in the content type its text suggests.
func TestReceiverAnswersAGivenStatusAndBody(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	for _, tt := range []struct {
		body, contentType string
	}{
		{`{"version":"2.1.0"}`, "application/json"},
		{"<html>starting</html>", "text/html"},
		{"ok", "text/plain"},
	} {
		name := "given-" + tt.contentType[strings.Index(tt.contentType, "/")+1:]
		body := tt.body
		if err := s.SetReceiver(name, ReceiverBehavior{Status: 202, Body: &body}); err != nil {
			t.Fatal(err)
		}
		id := s.AddWebhook(Webhook{Name: name, URL: s.ReceiverURL(name), Enabled: true})
		if a := trigger(t, s, tok, id); a.StatusCode != 200 {
			t.Fatalf("%s: %+v", name, a)
		}
		l := deliveryLogs(t, s, tok, id)[0]
		if l.ResponseStatusCode != 202 || !strings.HasPrefix(l.ResponseHeaders["content-type"], tt.contentType) || !strings.Contains(string(l.ResponseBody), "2.1.0") && tt.contentType == "application/json" {
			t.Fatalf("%s: log %+v", name, l)
		}
	}
	if err := s.SetReceiver("x", ReceiverBehavior{Status: 42}); err == nil {
		t.Fatal("status 42 was accepted")
	}
	if err := s.SetReceiver("x", ReceiverBehavior{FailStatus: -2}); err == nil {
		t.Fatal("fail_status -2 was accepted")
	}
}

// Behaviours declared in the URL's query are counted per path and query.
func TestReceiverBehaviourFromTheURL(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	a := s.AddWebhook(Webhook{Name: "a", URL: s.ReceiverURL("svc?fail_first=2&fail_status=500"), Enabled: true})
	b := s.AddWebhook(Webhook{Name: "b", URL: s.ReceiverURL("svc?fail_status=500&fail_first=1"), Enabled: true})
	var got []int
	for _, id := range []string{a, b, a, b, a} {
		got = append(got, trigger(t, s, tok, id).StatusCode)
	}
	if want := []int{602, 602, 602, 200, 200}; !sameInts(got, want) {
		t.Fatalf("statusCodes %v, want %v", got, want)
	}
	if n, m, all := s.ReceiverDeliveries("svc?fail_first=2&fail_status=500"), s.ReceiverDeliveries("svc?fail_first=1&fail_status=500"), s.ReceiverDeliveries("svc"); n != 3 || m != 2 || all != 5 {
		t.Fatalf("counts %d, %d, %d", n, m, all)
	}
	if st := s.Stats().ReceiverDeliveries; st["svc?fail_first=2&fail_status=500"] != 3 || st["svc?fail_first=1&fail_status=500"] != 2 {
		t.Fatalf("stats %v", st)
	}
	// A reset forgets what the query's behaviours have seen: the first deliveries fail again.
	s.ResetReceiver("svc")
	if r := trigger(t, s, tok, b); r.StatusCode != 602 || s.ReceiverDeliveries("svc") != 1 {
		t.Fatalf("after a reset: %+v, %d deliveries", r, s.ReceiverDeliveries("svc"))
	}
	bad := s.AddWebhook(Webhook{Name: "bad", URL: s.ReceiverURL("bad?fail_first=three"), Enabled: true})
	if r := trigger(t, s, tok, bad); r.StatusCode != 602 || !strings.Contains(r.Message, "400") {
		t.Fatalf("a bad query: %+v", r)
	}
	if l := deliveryLogs(t, s, tok, bad); !strings.Contains(string(l[0].ResponseBody), "fail_first must be a whole number") {
		t.Fatalf("a bad query's answer: %s", l[0].ResponseBody)
	}
}

func control(t *testing.T, method, target, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// The control route sets, shows and resets a receiver's behaviour over HTTP.
func TestReceiverControlRoute(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "svc", URL: s.ReceiverURL("svc"), Enabled: true})
	route := s.URL() + "/_emulator/receivers/svc"
	if code, out := control(t, http.MethodPut, route, `{"fail_first":2,"fail_status":502,"status":201,"delay":"1ms"}`); code != 200 || out["deliveries"] != 0.0 {
		t.Fatalf("PUT: %d %v", code, out)
	}
	var got []int
	for range 3 {
		trigger(t, s, tok, id)
	}
	got = statuses(t, s, tok, id)
	if want := []int{502, 502, 201}; !sameInts(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	code, out := control(t, http.MethodGet, route, "")
	if behavior, _ := out["behavior"].(map[string]any); code != 200 || out["deliveries"] != 3.0 || behavior["fail_first"] != 2.0 || behavior["delay"] != "1ms" {
		t.Fatalf("GET: %d %v", code, out)
	}
	if code, out := control(t, http.MethodPut, route, `{"down":true}`); code != 200 {
		t.Fatalf("PUT down: %d %v", code, out)
	}
	if a := trigger(t, s, tok, id); a.StatusCode != 601 {
		t.Fatalf("down: %+v", a)
	}
	if code, out := control(t, http.MethodDelete, route, ""); code != 200 || out["deliveries"] != 0.0 || out["behavior"] != nil {
		t.Fatalf("DELETE: %d %v", code, out)
	}
	if a := trigger(t, s, tok, id); a.StatusCode != 200 {
		t.Fatalf("after a reset: %+v", a)
	}
	for _, body := range []string{`{"fail_first":"x"}`, `{"fail_frist":2}`, `{"fail_for":"soon"}`, `{"status":1000}`, `not json`} {
		if code, out := control(t, http.MethodPut, route, body); code != 400 || !strings.Contains(fmt.Sprint(out["message"]), "fail_first") {
			t.Fatalf("PUT %s: %d %v", body, code, out)
		}
	}
	if code, _ := control(t, http.MethodPost, route, "{}"); code != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", code)
	}
}
