package emulator

import (
	"net/http"
	"strings"
	"testing"
)

// A real event reaches the webhook's URL with the documented body and Authing's own
// headers (no Idempotency-Key), and is logged with that body and those headers.
func TestEmitEventDeliversTheRealEventBody(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "svc", URL: s.ReceiverURL("svc"), Enabled: true, Events: []string{"user:created", "user:updated"}, Secret: "whsec-events"})
	if err := s.EmitEvent(id, "user:created", map[string]any{"id": "u1", "email": "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	got := s.Received()
	if len(got) != 1 || got[0].Body != `{"data":{"email":"a@example.com","id":"u1"},"eventName":"user:created"}` ||
		got[0].Headers.Get("User-Agent") != webhookUserAgent || got[0].Headers.Get("X-Authing-Token") != "whsec-events" ||
		got[0].Headers.Get("X-Authing-Userpool-Id") != keyID || got[0].Headers.Get("Idempotency-Key") != "" {
		t.Fatalf("received %+v", got)
	}
	l := deliveryLogs(t, s, tok, id)
	if len(l) != 1 || l[0].EventName != "user:created" || compact(l[0].RequestBody) != `{"data":{"email":"a@example.com","id":"u1"},"eventName":"user:created"}` ||
		!l[0].Success || l[0].RequestHeaders["user-agent"] != webhookUserAgent || l[0].RequestHeaders["x-authing-webhook-secret"] != "whsec-events" {
		t.Fatalf("logs %+v", l)
	}
}

// While the receiver is down, emitted events fail and their logs keep each request body,
// so that they can be replayed; once it is back, events are delivered again.
func TestEventsEmittedWhileTheReceiverIsDownAreLoggedWithTheirBodies(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "svc", URL: s.ReceiverURL("svc"), Enabled: true, Events: []string{"user:created"}})
	if err := s.SetReceiver("svc", ReceiverBehavior{Down: true}); err != nil {
		t.Fatal(err)
	}
	users := []string{"u1", "u2", "u3", "u4", "u5"}
	for _, u := range users {
		if err := s.EmitEvent(id, "user:created", map[string]any{"id": u}); err != nil {
			t.Fatalf("a failed delivery is no error of EmitEvent: %v", err)
		}
	}
	s.ResetReceiver("svc")
	if err := s.EmitEvent(id, "user:created", map[string]any{"id": "u6"}); err != nil {
		t.Fatal(err)
	}
	logs := deliveryLogs(t, s, tok, id)
	if len(logs) != 6 || !logs[0].Success || compact(logs[0].RequestBody) != `{"data":{"id":"u6"},"eventName":"user:created"}` {
		t.Fatalf("logs %+v", logs)
	}
	for i, u := range users {
		l := logs[len(logs)-1-i]
		if l.Success || l.ResponseStatusCode != 0 || l.ErrorMessage == "" || l.EventName != "user:created" ||
			compact(l.RequestBody) != `{"data":{"id":"`+u+`"},"eventName":"user:created"}` {
			t.Fatalf("failed event %d: %+v", i, l)
		}
	}
}

// An event Authing would not send is refused, and nothing is delivered.
func TestEmitEventRefusesWhatAuthingWouldNotSend(t *testing.T) {
	s := start(t, Options{})
	on := s.AddWebhook(Webhook{Name: "on", URL: s.ReceiverURL("on"), Enabled: true, Events: []string{"user:created"}})
	off := s.AddWebhook(Webhook{Name: "off", URL: s.ReceiverURL("off"), Enabled: false, Events: []string{"user:created"}})
	for _, tt := range []struct{ id, event, want string }{
		{"nope", "user:created", "does not exist"},
		{on, "user.created", "not an Authing event"},
		{on, "", "name the event"},
		{on, "user:deleted", "does not subscribe"},
		{off, "user:created", "disabled"},
	} {
		if err := s.EmitEvent(tt.id, tt.event, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("%s %q: %v, want %q", tt.id, tt.event, err, tt.want)
		}
	}
	if n := s.Stats().Deliveries; n != 0 {
		t.Fatalf("refused events delivered %d times", n)
	}
}

// POST /_emulator/events emits over HTTP, with optional headers, and says what came of it.
func TestEventsRoute(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "svc", URL: s.ReceiverURL("svc?status=500"), Enabled: true, Events: []string{"user:updated"}})
	route := s.URL() + "/_emulator/events"
	code, out := control(t, http.MethodPost, route, `{"webhookId":"`+id+`","eventName":"user:updated","data":{"id":"u1"},"requestHeaders":{"Idempotency-Key":"k1"}}`)
	if code != 200 || out["success"] != false || out["responseStatusCode"] != 500.0 || out["errorMessage"] != "Request failed with status code 500" {
		t.Fatalf("POST: %d %v", code, out)
	}
	if got := s.Received(); len(got) != 1 || got[0].Headers.Get("Idempotency-Key") != "k1" || got[0].Body != `{"data":{"id":"u1"},"eventName":"user:updated"}` {
		t.Fatalf("received %+v", got)
	}
	if l := deliveryLogs(t, s, tok, id); len(l) != 1 || l[0].Success || l[0].RequestHeaders["idempotency-key"] != "k1" {
		t.Fatalf("logs %+v", l)
	}
	for _, body := range []string{`{"webhookId":"` + id + `","eventName":"user:created"}`, `{"webhook":"x"}`, `[]`} {
		if code, out := control(t, http.MethodPost, route, body); code != 400 || out["message"] == "" {
			t.Fatalf("POST %s: %d %v", body, code, out)
		}
	}
	if code, _ := control(t, http.MethodGet, route, ""); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %d", code)
	}
}
