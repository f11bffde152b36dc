package authing

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// fire triggers a webhook of the emulator with a firing ID, straight through the API.
func fireWithID(t *testing.T, c *Client, webhookID, firingID string) {
	t.Helper()
	if _, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: webhookID, RequestHeaders: map[string]string{FiringIDHeader: firingID}}); err != nil {
		t.Fatal(err)
	}
}

func TestFindDeliveryFindsTheFiringByItsID(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1, LogsOldestFirst: true})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL())
	fireWithID(t, c, id, "firing-a")
	fireWithID(t, c, id, "firing-b")
	fireWithID(t, c, id, "firing-c")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	s := c.FindDelivery(ctx, id, "firing-b")
	if !s.Found || s.Reads != 1 || s.Err != nil {
		t.Fatalf("search: %+v", s)
	}
	var answer map[string]any
	if err := json.Unmarshal([]byte(s.Delivery.Response), &answer); err != nil || answer["received"] != true {
		t.Fatalf("the logged response %q is not the receiver's answer", s.Delivery.Response)
	}
	if s.Delivery.At.IsZero() || time.Since(s.Delivery.At) > time.Minute {
		t.Fatalf("delivery time %v", s.Delivery.At)
	}
}

func TestFindDeliveryWaitsForLogsThatLag(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1, LogDelay: 600 * time.Millisecond})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL())
	fireWithID(t, c, id, "late")
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s := c.FindDelivery(ctx, id, "late")
	if !s.Found || s.Reads < 2 {
		t.Fatalf("a delivery logged late was not found by reading again: %+v", s)
	}
}

// Not found is not "did not fire": the search ends with the context and says how often
// it looked.
func TestFindDeliveryEndsWithTheContext(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL())
	fireWithID(t, c, id, "other")
	ctx, cancel := context.WithTimeout(t.Context(), 1200*time.Millisecond)
	defer cancel()
	start := time.Now()
	s := c.FindDelivery(ctx, id, "missing")
	if s.Found || s.Err != nil || s.Reads < 2 {
		t.Fatalf("search: %+v", s)
	}
	if took := time.Since(start); took > 1500*time.Millisecond {
		t.Fatalf("the search outlived its context: %s", took)
	}
	if got := emu.Stats().Requests["trigger-webhook"]; got != 1 {
		t.Fatalf("a search fired the webhook: %d triggers", got)
	}
}

func TestFindDeliveryReportsUnreadableLogs(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL())
	fireWithID(t, c, id, "x")
	emu.InjectFault("get-webhook-logs", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "forbidden"})
	ctx, cancel := context.WithTimeout(t.Context(), 600*time.Millisecond)
	defer cancel()
	s := c.FindDelivery(ctx, id, "x")
	if s.Found || s.Reads != 0 || s.Err == nil || !strings.Contains(s.Err.Error(), "forbidden") {
		t.Fatalf("search: %+v", s)
	}
}

func listServer(t *testing.T, webhooks []Webhook) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "get-management-token") {
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"access_token":"x.eyJzY29wZWRfdXNlcnBvb2xfaWQiOiJwIn0.y","expires_in":7200}}`))
			return
		}
		b, _ := json.Marshal(map[string]any{"statusCode": 200, "data": map[string]any{"totalCount": len(webhooks), "list": webhooks}})
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return newTestClient(t, srv.URL)
}

func TestFindCreatedMatchesEveryConfiguredFieldSinceTheAttempt(t *testing.T) {
	since := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) string { return since.Add(d).Format("2006-01-02T15:04:05.000Z") }
	str := func(s string) *string { return &s }
	yes, no := true, false
	three := int64(3)
	events := []string{"user:created", "login"}
	in := WebhookInput{Name: str("n"), URL: str("https://h/x"), Events: &events, ContentType: str("application/json"), Enabled: &yes, Secret: str("s"),
		RetryConfig: &RetryConfig{Enabled: true, Count: &three, DelayUnit: "Second"}}
	good := Webhook{WebhookID: "good", Name: "n", URL: "https://h/x", Events: []string{"login", "user:created"}, ContentType: "application/json",
		Enabled: true, Secret: "s", RetryConfig: &RetryConfig{Enabled: true, Count: &three, DelayUnit: "Second"}, CreatedAt: at(time.Second)}
	variant := func(id string, edit func(*Webhook)) Webhook {
		w := good
		w.WebhookID = id
		edit(&w)
		return w
	}
	four := int64(4)
	webhooks := []Webhook{
		good,
		variant("skewed", func(w *Webhook) { w.CreatedAt = at(-CreateClockSkew + time.Second) }),
		variant("old", func(w *Webhook) { w.CreatedAt = at(-CreateClockSkew - time.Second) }),
		variant("offset", func(w *Webhook) {
			w.CreatedAt = since.In(time.FixedZone("", 8*3600)).Add(2 * time.Second).Format("2006-01-02T15:04:05.000-0700")
		}),
		variant("unreadable-time", func(w *Webhook) { w.CreatedAt = "soon" }),
		variant("name", func(w *Webhook) { w.Name = "m" }),
		variant("url", func(w *Webhook) { w.URL = "https://h/y" }),
		variant("events", func(w *Webhook) { w.Events = []string{"login"} }),
		variant("content-type", func(w *Webhook) { w.ContentType = "application/x-www-form-urlencoded" }),
		variant("enabled", func(w *Webhook) { w.Enabled = no }),
		variant("secret", func(w *Webhook) { w.Secret = "t" }),
		variant("no-secret-shown", func(w *Webhook) { w.Secret = "" }),
		variant("retry-count", func(w *Webhook) { w.RetryConfig = &RetryConfig{Enabled: true, Count: &four, DelayUnit: "Second"} }),
		variant("retry-enabled", func(w *Webhook) { w.RetryConfig = &RetryConfig{Enabled: false, Count: &three, DelayUnit: "Second"} }),
		variant("retry-unit", func(w *Webhook) { w.RetryConfig = &RetryConfig{Enabled: true, Count: &three, DelayUnit: "Minute"} }),
	}
	c := listServer(t, webhooks)
	found, err := c.FindCreated(t.Context(), in, since)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, w := range found {
		ids = append(ids, w.WebhookID)
	}
	if got, want := strings.Join(ids, ","), "good,skewed,offset,no-secret-shown"; got != want {
		t.Fatalf("matched %s, want %s", got, want)
	}
}
