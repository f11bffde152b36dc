package authing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// TestTriggerFiresExactlyOnceOrSaysItMayHave injects every fault on trigger-webhook and
// checks the three facts that make firing safe: how many deliveries the emulator made,
// how many requests the client sent, and what the error says about the outcome.
func TestTriggerFiresExactlyOnceOrSaysItMayHave(t *testing.T) {
	tests := []struct {
		name           string
		fault          emulator.Fault
		timeout        time.Duration
		wantOutcome    Outcome // NotApplicable: success
		wantDeliveries int
		wantRequests   int
		wantTokens     int
	}{
		{name: "429 is retried", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 429, Times: 2}, wantDeliveries: 1, wantRequests: 3, wantTokens: 1},
		{name: "business 429 is retried", fault: emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 429, Times: 1}, wantDeliveries: 1, wantRequests: 2, wantTokens: 1},
		{name: "expired token is renewed", fault: emulator.Fault{Kind: emulator.FaultExpireToken, Times: 1}, wantDeliveries: 1, wantRequests: 2, wantTokens: 2},
		{name: "500", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 500}, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "502 html", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502}, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "503", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503}, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "504 empty", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 504}, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "cut connection", fault: emulator.Fault{Kind: emulator.FaultDisconnect}, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "malformed json", fault: emulator.Fault{Kind: emulator.FaultMalformedJSON}, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "slow beyond timeout", fault: emulator.Fault{Kind: emulator.FaultSlow, Delay: 5 * time.Second}, timeout: 300 * time.Millisecond, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "business 500", fault: emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 500, APICode: 5000}, wantOutcome: MayHaveTakenEffect, wantRequests: 1, wantTokens: 1},
		{name: "business 403", fault: emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030}, wantOutcome: NotProcessed, wantRequests: 1, wantTokens: 1},
		{name: "business 404", fault: emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 404, APICode: 2004}, wantOutcome: NotProcessed, wantRequests: 1, wantTokens: 1},
		{name: "502 after delivery", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true}, wantOutcome: MayHaveTakenEffect, wantDeliveries: 1, wantRequests: 1, wantTokens: 1},
		{name: "cut after delivery", fault: emulator.Fault{Kind: emulator.FaultDisconnect, AfterProcessing: true}, wantOutcome: MayHaveTakenEffect, wantDeliveries: 1, wantRequests: 1, wantTokens: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu := startEmulator(t, emulator.Options{})
			id := emu.SeedWebhooks("w", 1)[0]
			emu.InjectFault("trigger-webhook", tt.fault)
			c := newTestClient(t, emu.URL())
			ctx := t.Context()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			res, err := c.TriggerWebhook(ctx, TriggerInput{WebhookID: id})
			st := emu.Stats()
			if tt.wantOutcome == NotApplicable {
				if err != nil || !strings.Contains(res.Response, `"received":true`) {
					t.Fatalf("got %q, %v; want success", res.Response, err)
				}
			} else {
				e := asError(t, err)
				if e.Outcome != tt.wantOutcome {
					t.Fatalf("outcome %v, want %v (%v)", e.Outcome, tt.wantOutcome, err)
				}
				if strings.Contains(err.Error(), "invalid character") {
					t.Fatalf("error leaks a JSON decoder message: %v", err)
				}
			}
			if st.Deliveries != tt.wantDeliveries || st.Requests["trigger-webhook"] != tt.wantRequests || st.TokensIssued != tt.wantTokens {
				t.Fatalf("deliveries %d, trigger requests %d, tokens %d; want %d, %d, %d",
					st.Deliveries, st.Requests["trigger-webhook"], st.TokensIssued, tt.wantDeliveries, tt.wantRequests, tt.wantTokens)
			}
		})
	}
}

// refuseFirst fails the first n trigger requests before writing anything, as a refused
// connection does.
type refuseFirst struct {
	mu   sync.Mutex
	n    int
	next http.RoundTripper
}

func (r *refuseFirst) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	refuse := strings.HasSuffix(req.URL.Path, "/trigger-webhook") && r.n > 0
	if refuse {
		r.n--
	}
	r.mu.Unlock()
	if refuse {
		return nil, errors.New("dial tcp: connect: connection refused")
	}
	return r.next.RoundTrip(req)
}

func TestTriggerIsRetriedWhenNothingWasSent(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL(), func(c *Config) { c.Transport = &refuseFirst{n: 2, next: http.DefaultTransport} })
	if _, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: id}); err != nil {
		t.Fatal(err)
	}
	if st := emu.Stats(); st.Deliveries != 1 || st.Requests["trigger-webhook"] != 1 {
		t.Fatalf("deliveries %d, requests reaching the server %d; want 1 and 1", st.Deliveries, st.Requests["trigger-webhook"])
	}
}

func TestTriggerCancelledStopsPromptlyAndFiresNothingNew(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	id := emu.SeedWebhooks("w", 1)[0]
	emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultSlow, Delay: 30 * time.Second})
	c := newTestClient(t, emu.URL())
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.TriggerWebhook(ctx, TriggerInput{WebhookID: id})
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for emu.Stats().Requests["trigger-webhook"] == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the trigger request never reached the emulator")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	start := time.Now()
	select {
	case err := <-done:
		e := asError(t, err)
		if e.Outcome != MayHaveTakenEffect || !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v (outcome %v)", err, e.Outcome)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the client kept waiting after cancellation")
	}
	if took := time.Since(start); took > time.Second {
		t.Fatalf("took %v to stop", took)
	}
	if d := emu.Stats().Deliveries; d != 0 {
		t.Fatalf("deliveries %d after cancellation, want 0", d)
	}
}

func TestTriggerSendsTheRequest(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL())
	res, err := c.TriggerWebhook(t.Context(), TriggerInput{
		WebhookID:      id,
		RequestHeaders: map[string]string{"X-Smoke": "1"},
		RequestBody:    []byte(`{"eventName":"test","data":{"b":2,"a":"<&>"}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"body":{"data":{"a":"<&>","b":2},"eventName":"test"},"contentType":"application/json","method":"POST","received":true,"receiver":"w-1","secretMatched":false}`
	// The echoed headers are the delivery's, which other tests pin; this one pins the rest.
	rest := regexp.MustCompile(`"headers":\{[^}]*\},`).ReplaceAllString(res.Response, "")
	if rest != want || !strings.Contains(res.Response, `"x-smoke":"1"`) {
		t.Fatalf("response\n got %s\nwant %s with the headers", res.Response, want)
	}
	got := emu.Received()
	if len(got) != 1 || got[0].Headers.Get("X-Smoke") != "1" {
		t.Fatalf("receiver got %+v", got)
	}
}

func TestTriggerRejectsBadInputWithoutSending(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL())
	for name, in := range map[string]TriggerInput{
		"empty id":    {WebhookID: " "},
		"array body":  {WebhookID: "x", RequestBody: []byte(`[1]`)},
		"null body":   {WebhookID: "x", RequestBody: []byte(`null`)},
		"string body": {WebhookID: "x", RequestBody: []byte(`"s"`)},
		"bad json":    {WebhookID: "x", RequestBody: []byte(`{`)},
	} {
		_, err := c.TriggerWebhook(t.Context(), in)
		if e := asError(t, err); e.Outcome != NotProcessed {
			t.Errorf("%s: outcome %v", name, e.Outcome)
		}
	}
	if n := len(emu.Stats().Requests); n != 0 {
		t.Fatalf("bad input reached the API: %v", emu.Stats().Requests)
	}
}

func TestConcurrentTriggersShareOneToken(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	ids := emu.SeedWebhooks("w", 200)
	c := newTestClient(t, emu.URL())
	sem := make(chan struct{}, 20)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []error
	for _, id := range ids {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if _, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: id}); err != nil {
				mu.Lock()
				failures = append(failures, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(failures) > 0 {
		t.Fatal(failures[0])
	}
	st := emu.Stats()
	if st.TokensIssued != 1 || st.Deliveries != 200 || len(st.DeliveriesByWebhook) != 200 {
		t.Fatalf("tokens %d, deliveries %d to %d webhooks; want 1, 200, 200", st.TokensIssued, st.Deliveries, len(st.DeliveriesByWebhook))
	}
}

func TestTriggerAnswerWithUnexpectedDataIsAFiring(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/get-management-token") {
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"access_token":"a.b.c","expires_in":7200}}`))
			return
		}
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"statusCode":200,"requestId":"r9","data":"fired, but data is not an object"}`))
	}))
	t.Cleanup(srv.Close)
	_, err := secretsRead(newTestClient(t, srv.URL), "w").TriggerWebhook(t.Context(), TriggerInput{WebhookID: "w"})
	e := asError(t, err)
	if e.Outcome != MayHaveTakenEffect || e.RequestID != "r9" || !strings.Contains(err.Error(), "unexpected shape") {
		t.Fatalf("outcome %v: %v", e.Outcome, err)
	}
}

// A trigger sends only the fields it has, and an answer without data.response is stored as
// JSON null.
func TestTriggerSendsOnlyWhatItHas(t *testing.T) {
	var body string
	host := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		_, _ = w.Write([]byte(`{"statusCode":200,"data":{}}`))
	})
	res, err := secretsRead(newTestClient(t, host), "w1").TriggerWebhook(t.Context(), TriggerInput{WebhookID: "w1", RequestHeaders: map[string]string{}})
	if err != nil || res.Response != "null" {
		t.Fatalf("got %q, %v; want null", res.Response, err)
	}
	if body != `{"webhookId":"w1"}` {
		t.Fatalf("sent %s", body)
	}
}

// Authing's codes for a third-party endpoint that failed (601-603) are a known outcome:
// the webhook fired and its endpoint failed. The call is not repeated, and the error
// carries the code and Authing's message, masked of the webhook's secret.
func TestTriggerEndpointFailureIsAKnownOutcome(t *testing.T) {
	for _, code := range []int{601, 602, 603} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			var triggers int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case strings.HasSuffix(r.URL.Path, "/get-management-token"):
					_, _ = io.WriteString(w, `{"statusCode":200,"data":{"access_token":"tok","expires_in":7200}}`)
				case strings.HasSuffix(r.URL.Path, "/get-webhook"):
					_, _ = io.WriteString(w, `{"statusCode":200,"data":{"webhookId":"w1","name":"n","url":"https://example.com/h","contentType":"application/json","enabled":true,"secret":"whsec-7f3a9c2e","createdAt":"2022-07-03T02:20:30.000Z","updatedAt":"2022-07-03T02:20:30.000Z"}}`)
				case strings.HasSuffix(r.URL.Path, "/trigger-webhook"):
					triggers++
					fmt.Fprintf(w, `{"statusCode":%d,"message":"EndpointResponseError: Request failed with status code 503 (sent whsec-7f3a9c2e)","requestId":"req-1"}`, code)
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			c := newTestClient(t, srv.URL)
			_, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: "w1"})
			e := asError(t, err)
			if e.Outcome != EndpointFailed || e.StatusCode != code || !strings.Contains(e.Message, "status code 503") || strings.Contains(err.Error(), "whsec-7f3a9c2e") || e.RequestID != "req-1" {
				t.Fatalf("got %+v", e)
			}
			if triggers != 1 {
				t.Fatalf("%d trigger requests, want 1", triggers)
			}
		})
	}
}
