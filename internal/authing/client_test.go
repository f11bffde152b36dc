package authing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func TestListWebhooksCostsOneRequestPerPageInOrder(t *testing.T) {
	for _, total := range []int{0, 1, 50, 51, 120, 1001} {
		t.Run(fmt.Sprint(total), func(t *testing.T) {
			emu := startEmulator(t, emulator.Options{RateLimit: -1})
			want := emu.SeedWebhooks("w", total)
			c := newTestClient(t, emu.URL())
			got, err := c.ListWebhooks(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("listed %d webhooks, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].WebhookID != want[i] {
					t.Fatalf("webhook %d is %s, want %s: order lost", i, got[i].WebhookID, want[i])
				}
			}
			pages := max(1, (total+pageLimit-1)/pageLimit)
			st := emu.Stats()
			if st.Requests["list-webhooks"] != pages || st.TokensIssued != 1 {
				t.Fatalf("list requests %d, tokens %d; want %d and 1", st.Requests["list-webhooks"], st.TokensIssued, pages)
			}
		})
	}
}

func TestListWebhooksSequentialWithConcurrencyOne(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	want := emu.SeedWebhooks("w", 260)
	c := newTestClient(t, emu.URL(), func(c *Config) { c.ListConcurrency = 1 })
	got, err := c.ListWebhooks(t.Context())
	if err != nil || len(got) != len(want) || got[259].WebhookID != want[259] {
		t.Fatalf("got %d webhooks, err %v", len(got), err)
	}
}

func TestListWebhooksFailsWhenOnePageFails(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	emu.SeedWebhooks("w", 400)
	c := newTestClient(t, emu.URL())
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2010, Message: "forbidden", Times: 1})
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	if e.StatusCode != 403 || e.APICode != 2010 || e.RequestID == "" {
		t.Fatalf("got %+v", e)
	}
	// A later page's failure is reported as itself, not as the cancellation it causes.
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2011, Message: "forbidden", Skip: 1})
	_, err = c.ListWebhooks(t.Context())
	if e := asError(t, err); e.APICode != 2011 || errors.Is(err, context.Canceled) {
		t.Fatalf("a later page's failure: %v", err)
	}
}

func TestTokenIsFetchedOnceForConcurrentCallers(t *testing.T) {
	emu := startEmulator(t, emulator.Options{Latency: 20 * time.Millisecond, RateLimit: -1})
	c := newTestClient(t, emu.URL())
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for range 100 {
		wg.Go(func() {
			if _, err := c.ListWebhooks(t.Context()); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := emu.Stats().TokensIssued; got != 1 {
		t.Fatalf("tokens issued: %d, want 1", got)
	}
}

func TestRefusedTokenIsReplacedOnce(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	log := &recordingLogger{}
	c := newTestClient(t, emu.URL(), func(c *Config) { c.Logger = log })
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.ExpireTokens()
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	st := emu.Stats()
	if st.TokensIssued != 2 || st.Requests["list-webhooks"] != 3 {
		t.Fatalf("tokens %d, list requests %d; want 2 and 3", st.TokensIssued, st.Requests["list-webhooks"])
	}
	// The refusal is worth a warning; ordinary requests are debug lines.
	var warnings int
	for _, l := range log.lines {
		if strings.HasPrefix(l, "WARN ") {
			warnings++
		}
	}
	if warnings != 1 || !slices.ContainsFunc(log.lines, func(l string) bool { return strings.HasPrefix(l, "WARN Authing token refused") }) {
		t.Fatalf("%d warnings in %q", warnings, log.lines)
	}
}

func TestAuthFailureIsRetriedOnlyOnce(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL())
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 401, APICode: 1002, Message: "token expired"})
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	st := emu.Stats()
	if e.StatusCode != 401 || st.Requests["list-webhooks"] != 2 || st.TokensIssued != 2 {
		t.Fatalf("error %v; list requests %d, tokens %d; want 401, 2, 2", e, st.Requests["list-webhooks"], st.TokensIssued)
	}
}

func TestWrongCredentials(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL(), func(c *Config) { c.AccessKeySecret = "wrong-secret-value" })
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	if e.StatusCode != 401 || !strings.Contains(e.Operation, "get management token") || e.RequestID == "" {
		t.Fatalf("got %+v", e)
	}
	if strings.Contains(err.Error(), "wrong-secret-value") {
		t.Fatalf("error shows the secret: %v", err)
	}
	if emu.Stats().Requests["get-management-token"] != 1 {
		t.Fatal("wrong credentials must not be retried")
	}
}

// A 429 with a Retry-After wait is TestRetryAfterIsHonoured: "Retry-After: 0" would be the
// plain 429 case again.
func TestReadsRideOutTransientFaults(t *testing.T) {
	faults := map[string]emulator.Fault{
		"429":            {Kind: emulator.FaultHTTPStatus, Status: 429},
		"500":            {Kind: emulator.FaultHTTPStatus, Status: 500},
		"502 html":       {Kind: emulator.FaultHTTPStatus, Status: 502},
		"503":            {Kind: emulator.FaultHTTPStatus, Status: 503},
		"504 empty":      {Kind: emulator.FaultHTTPStatus, Status: 504},
		"cut connection": {Kind: emulator.FaultDisconnect},
		"malformed json": {Kind: emulator.FaultMalformedJSON},
		"business 500":   {Kind: emulator.FaultBusinessError, StatusCode: 500},
		"business 429":   {Kind: emulator.FaultBusinessError, StatusCode: 429},
	}
	for name, f := range faults {
		for _, route := range []string{"list-webhooks", "get-management-token"} {
			t.Run(name+"/"+route, func(t *testing.T) {
				emu := startEmulator(t, emulator.Options{})
				emu.SeedWebhooks("w", 3)
				f.Times = 2
				emu.InjectFault(route, f)
				c := newTestClient(t, emu.URL())
				got, err := c.ListWebhooks(t.Context())
				if err != nil || len(got) != 3 {
					t.Fatalf("got %d webhooks, err %v", len(got), err)
				}
				if n := emu.Stats().Requests[route]; n != 3 {
					t.Fatalf("%s requests: %d, want 3 (two faults, one success)", route, n)
				}
			})
		}
	}
}

func TestReadsFailClearlyWhenFaultsOutlastRetries(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502})
	c := newTestClient(t, emu.URL())
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	msg := err.Error()
	if e.HTTPStatus != 502 || e.Attempts != fastRetry.MaxAttempts || !strings.Contains(msg, "not an Authing API response") || strings.Contains(msg, "invalid character") {
		t.Fatalf("got %q (attempts %d)", msg, e.Attempts)
	}
}

func TestReadRetriesStopAtTheDeadline(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503})
	c := newTestClient(t, emu.URL(), func(c *Config) {
		// The first backoff (0.5 to 1 s) cannot fit in the 300 ms left.
		c.Retry = RetryPolicy{MaxAttempts: 100, BaseDelay: time.Second, MaxDelay: 2 * time.Second}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err := c.ListWebhooks(ctx)
	e := asError(t, err)
	if e.HTTPStatus != 503 || e.Attempts != 1 {
		t.Fatalf("want the last real error (HTTP 503) after one attempt, got %v (%d attempts)", err, e.Attempts)
	}
	if ctx.Err() != nil {
		t.Fatal("the client waited until the deadline instead of failing when no retry could fit")
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL(), func(c *Config) { c.Retry.MaxDelay = 5 * time.Second })
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 429, RetryAfter: "1", Times: 1})
	start := time.Now()
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Fatalf("retried after %v, before the server's Retry-After of 1s", waited)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"": 0, "3": 3 * time.Second, "-1": 0, "soon": 0,
		now.Add(7 * time.Second).Format(http.TimeFormat): 7 * time.Second,
		now.Add(-time.Hour).Format(http.TimeFormat):      0,
	} {
		h := http.Header{}
		if in != "" {
			h.Set("Retry-After", in)
		}
		if got := parseRetryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: got %v, want %v", in, got, want)
		}
	}
}

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
		{name: "500", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 500}, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "502 html", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502}, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "503", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503}, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "504 empty", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 504}, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "cut connection", fault: emulator.Fault{Kind: emulator.FaultDisconnect}, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "malformed json", fault: emulator.Fault{Kind: emulator.FaultMalformedJSON}, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "slow beyond timeout", fault: emulator.Fault{Kind: emulator.FaultSlow, Delay: 5 * time.Second}, timeout: 300 * time.Millisecond, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "business 500", fault: emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 500, APICode: 5000}, wantOutcome: MayHaveFired, wantRequests: 1, wantTokens: 1},
		{name: "business 403", fault: emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030}, wantOutcome: NotFired, wantRequests: 1, wantTokens: 1},
		{name: "business 404", fault: emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 404, APICode: 2004}, wantOutcome: NotFired, wantRequests: 1, wantTokens: 1},
		{name: "502 after delivery", fault: emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true}, wantOutcome: MayHaveFired, wantDeliveries: 1, wantRequests: 1, wantTokens: 1},
		{name: "cut after delivery", fault: emulator.Fault{Kind: emulator.FaultDisconnect, AfterProcessing: true}, wantOutcome: MayHaveFired, wantDeliveries: 1, wantRequests: 1, wantTokens: 1},
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
		if e.Outcome != MayHaveFired || !errors.Is(err, context.Canceled) {
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
		if e := asError(t, err); e.Outcome != NotFired {
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

func TestThrottlingSlowsAllWorkersDown(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: 20})
	emu.SeedWebhooks("w", 50*30)
	c := newTestClient(t, emu.URL(), func(c *Config) {
		c.Retry = DefaultRetryPolicy
	})
	got, err := c.ListWebhooks(t.Context())
	if err != nil || len(got) != 1500 {
		t.Fatalf("got %d webhooks, err %v", len(got), err)
	}
	// 30 pages at 20 requests a second take two one-second windows. A 429 holds every
	// worker, so each window sees at most the 8 requests already in flight refused.
	if n := emu.Stats().Requests["list-webhooks"]; n > 30+2*DefaultListConcurrency {
		t.Fatalf("%d list requests for 30 pages: the workers hammered a throttled API", n)
	}
}

func TestImplausibleTotalCountIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/get-management-token") {
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"access_token":"a.b.c","expires_in":7200}}`))
			return
		}
		_, _ = w.Write([]byte(`{"statusCode":200,"data":{"totalCount":1000000000000,"list":[]}}`))
	}))
	t.Cleanup(srv.Close)
	_, err := newTestClient(t, srv.URL).ListWebhooks(t.Context())
	if err == nil || !strings.Contains(err.Error(), "more than the 1000000 the provider lists") {
		t.Fatalf("got %v", err)
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
	_, err := newTestClient(t, srv.URL).TriggerWebhook(t.Context(), TriggerInput{WebhookID: "w"})
	e := asError(t, err)
	if e.Outcome != MayHaveFired || e.RequestID != "r9" || !strings.Contains(err.Error(), "unexpected shape") {
		t.Fatalf("outcome %v: %v", e.Outcome, err)
	}
}
