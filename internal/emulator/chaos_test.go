package emulator

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// A fault on AllRoutes hits every route, the token route included, before or after the
// route's work.
func TestFaultsOnAllRoutes(t *testing.T) {
	s := start(t, Options{RateLimit: -1})
	tok := token(t, s)
	id := s.SeedWebhooks("w", 1)[0]
	s.InjectFault(AllRoutes, Fault{Kind: FaultBusinessError, StatusCode: 503})
	for _, target := range []struct{ method, verb, body string }{
		{http.MethodPost, "get-management-token", `{"accessKeyId":"` + keyID + `","accessKeySecret":"` + secret + `"}`},
		{http.MethodGet, "list-webhooks", ""},
		{http.MethodPost, "get-webhook-logs", `{"webhookId":"` + id + `"}`},
		{http.MethodPost, "trigger-webhook", `{"webhookId":"` + id + `"}`},
	} {
		if a := send(t, target.method, s.URL()+"/api/v3/"+target.verb, authed(tok), target.body); a.StatusCode != 503 {
			t.Errorf("%s: statusCode %d, want the injected 503", target.verb, a.StatusCode)
		}
	}
	if st := s.Stats(); st.Deliveries != 0 {
		t.Fatalf("a fault before processing delivered %d times", st.Deliveries)
	}

	s2 := start(t, Options{RateLimit: -1})
	tok2 := token(t, s2)
	id2 := s2.SeedWebhooks("w", 1)[0]
	s2.InjectFault(AllRoutes, Fault{Kind: FaultBusinessError, StatusCode: 500, AfterProcessing: true, Times: 1})
	if a := send(t, http.MethodPost, s2.URL()+"/api/v3/trigger-webhook", authed(tok2), `{"webhookId":"`+id2+`"}`); a.StatusCode != 500 {
		t.Fatalf("statusCode %d, want the injected 500", a.StatusCode)
	}
	if st := s2.Stats(); st.Deliveries != 1 {
		t.Fatalf("a fault after processing: %d deliveries, want 1", st.Deliveries)
	}
}

// The same FaultSeed hits the same requests.
func TestFaultSeedReplays(t *testing.T) {
	schedule := func(seed uint64) string {
		s := start(t, Options{RateLimit: -1, FaultSeed: seed})
		tok := token(t, s)
		s.InjectFault("list-webhooks", Fault{Kind: FaultBusinessError, StatusCode: 500, Rate: 0.5})
		var b []byte
		for range 64 {
			if send(t, http.MethodGet, s.URL()+"/api/v3/list-webhooks", authed(tok), "").StatusCode == 500 {
				b = append(b, 'x')
			} else {
				b = append(b, '.')
			}
		}
		return string(b)
	}
	a, b, c := schedule(7), schedule(7), schedule(8)
	if a != b {
		t.Fatalf("seed 7 gave two schedules:\n%s\n%s", a, b)
	}
	if a == c {
		t.Fatalf("seeds 7 and 8 gave the same schedule %s", a)
	}
}

// With LogDelay, a delivery reaches the logs only after the delay.
func TestLogDelay(t *testing.T) {
	const delay = 300 * time.Millisecond
	s := start(t, Options{RateLimit: -1, LogDelay: delay})
	tok := token(t, s)
	id := s.SeedWebhooks("w", 1)[0]
	count := func() int {
		a := send(t, http.MethodPost, s.URL()+"/api/v3/get-webhook-logs", authed(tok), `{"webhookId":"`+id+`"}`)
		var page struct {
			TotalCount int `json:"totalCount"`
		}
		if a.StatusCode != 200 || json.Unmarshal(a.Data, &page) != nil {
			t.Fatalf("logs: %+v", a)
		}
		return page.TotalCount
	}
	fired := time.Now()
	if a := send(t, http.MethodPost, s.URL()+"/api/v3/trigger-webhook", authed(tok), `{"webhookId":"`+id+`"}`); a.StatusCode != 200 {
		t.Fatalf("trigger: %+v", a)
	}
	if n := count(); n != 0 && time.Since(fired) < delay {
		t.Fatalf("the delivery was logged before the delay: %d entries", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for count() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the delivery never reached the logs (delay %s)", delay)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if waited := time.Since(fired); waited < delay {
		t.Fatalf("logged after %s, before the %s delay", waited, delay)
	}
}
