package authing

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func TestCertificatesAreVerified(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Keys: []emulator.AccessKey{{ID: testKeyID, Secret: testSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(emu.Handler())
	t.Cleanup(srv.Close)

	c := newTestClient(t, srv.URL)
	_, err = c.ListWebhooks(t.Context())
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("a self-signed server was accepted without its CA: %v", err)
	}
	if e := asError(t, err); e.Attempts != 1 {
		t.Fatalf("a refused certificate was tried %d times; it cannot change between attempts", e.Attempts)
	}

	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	c = newTestClient(t, srv.URL, func(c *Config) { c.CAPEM = ca })
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatalf("with its CA supplied: %v", err)
	}

	if _, err := New(Config{Host: srv.URL, AccessKeyID: "a", AccessKeySecret: "b", CAPEM: []byte("not pem")}); err == nil {
		t.Fatal("a CA file without certificates was accepted")
	}
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { elsewhere.Add(1) }))
	t.Cleanup(other.Close)
	emu := startEmulator(t, emulator.Options{})
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/get-management-token") {
			emu.Handler().ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(proxy.Close)
	c := newTestClient(t, proxy.URL)
	_, err := c.ListWebhooks(t.Context())
	if err == nil || !strings.Contains(err.Error(), "redirect") {
		t.Fatalf("got %v", err)
	}
	_, err = c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: "x"})
	if e := asError(t, err); e.Outcome != NotProcessed {
		t.Fatalf("a redirected trigger is not processed, want NotProcessed: %v", err)
	}
	if elsewhere.Load() != 0 {
		t.Fatal("the client followed a redirect to another host")
	}
}

func TestHugeAnswersAreRefusedWithinBoundedMemory(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	id := emu.SeedWebhooks("w", 1)[0]
	emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHugeBody, Size: 100 << 20, AfterProcessing: true})
	c := newTestClient(t, emu.URL())
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: id})
	runtime.ReadMemStats(&after)
	e := asError(t, err)
	if !strings.Contains(err.Error(), "larger than") || e.Outcome != MayHaveTakenEffect || e.Attempts != 1 {
		t.Fatalf("got %v (outcome %v)", err, e.Outcome)
	}
	// Reading the whole answer would allocate at least its 100 MiB (twice that as the
	// buffer grows); stopping at the 16 MiB limit stays well below, emulator included.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 96<<20 {
		t.Fatalf("reading a 100 MiB answer allocated %d MiB", grew>>20)
	}
}

func TestRequestHeaders(t *testing.T) {
	emu := startEmulator(t, emulator.Options{Keys: []emulator.AccessKey{{ID: testKeyID, Secret: testSecret, UserPoolID: "pool-from-claim"}}})
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		emu.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, func(c *Config) { c.TenantID = "tenant-7"; c.Platform = "terraform 1.11.4"; c.Version = "1.2.3" })
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Fatalf("saw %d requests", len(seen))
	}
	tokenReq, listReq := seen[0], seen[1]
	if tokenReq.Get("Authorization") != "" || tokenReq.Get("Content-Type") != "application/json" {
		t.Fatalf("token request headers: %v", tokenReq)
	}
	if !strings.HasPrefix(listReq.Get("Authorization"), "Bearer ey") || listReq.Get("X-Authing-Userpool-Id") != "pool-from-claim" ||
		listReq.Get("X-Authing-App-Tenant-Id") != "tenant-7" || listReq.Get("User-Agent") != "terraform-provider-authing/1.2.3 (terraform 1.11.4)" || listReq.Get("X-Authing-Sdk-Version") != "terraform-provider-authing:1.2.3" {
		t.Fatalf("list request headers: %v", listReq)
	}
}

// recordingLogger keeps every log line as text.
type recordingLogger struct {
	mu    sync.Mutex
	lines []string
}

func (l *recordingLogger) record(msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf("%s %v", msg, fields))
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.record(msg, fields)
}
func (l *recordingLogger) Warn(_ context.Context, msg string, fields map[string]any) {
	l.record("WARN "+msg, fields)
}

func TestSecretsStayOutOfLogsAndErrors(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	id := emu.SeedWebhooks("w", 1)[0]
	log := &recordingLogger{}
	// A server that quotes the caller's credentials back in its error message.
	var token atomic.Value
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/trigger-webhook") {
			tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			token.Store(tok)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"statusCode":403,"message":"token ` + tok + ` with secret ` + testSecret + ` refused","requestId":"r1"}`))
			return
		}
		emu.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(echo.Close)
	c := newTestClient(t, echo.URL, func(c *Config) { c.Logger = log })
	_, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: id})
	if err == nil {
		t.Fatal("want an error")
	}
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 503, Times: 1})
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	tok, _ := token.Load().(string)
	if len(tok) < 20 {
		t.Fatalf("the test did not capture the token (%q)", tok)
	}
	texts := append([]string{err.Error()}, log.lines...)
	if len(log.lines) < 4 {
		t.Fatalf("expected request logs, got %v", log.lines)
	}
	// TF_LOG=DEBUG shows, for each request: method, path, status, duration, requestId, sizes.
	found := false
	for _, l := range log.lines {
		if strings.Contains(l, "Authing API request map[") && strings.Contains(l, "method:GET") && strings.Contains(l, "path:/api/v3/list-webhooks") &&
			strings.Contains(l, "status:200") && strings.Contains(l, "duration_ms:") && strings.Contains(l, "request_id:") &&
			strings.Contains(l, "request_bytes:") && strings.Contains(l, "response_bytes:") {
			found = true
		}
	}
	if !found {
		t.Fatalf("no request line has method, path, status, duration, requestId and sizes: %q", log.lines)
	}
	for _, text := range texts {
		if strings.Contains(text, testSecret) || strings.Contains(text, tok) {
			t.Fatalf("a secret leaked into: %s", text)
		}
	}
	if !strings.Contains(err.Error(), "***") {
		t.Fatalf("the echoed secret was not masked: %v", err)
	}
}

// A server that accepts requests and never answers does not hold a call without a
// deadline: each attempt ends after the response-header timeout, a read is retried, and
// a trigger is not, and says it may have fired.
func TestServerThatNeverAnswersIsBounded(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	stop := make(chan struct{})
	host := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	t.Cleanup(func() { close(stop) })
	c := secretsRead(newTestClient(t, host, func(c *Config) { c.ResponseHeaderTimeout = 50 * time.Millisecond }), "w")
	calls := map[string]func(ctx context.Context) error{
		"list-webhooks": func(ctx context.Context) error { _, err := c.ListWebhooks(ctx); return err },
		"get-webhook":   func(ctx context.Context) error { _, err := c.GetWebhook(ctx, "w"); return err },
		"trigger-webhook": func(ctx context.Context) error {
			_, err := c.TriggerWebhook(ctx, TriggerInput{WebhookID: "w"})
			return err
		},
	}
	for route, call := range calls {
		t.Run(route, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { done <- call(context.Background()) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the call did not return")
			}
			e := asError(t, err)
			mu.Lock()
			n := hits["/api/v3/"+route]
			mu.Unlock()
			want, outcome := fastRetry.MaxAttempts, NotApplicable
			if route == "trigger-webhook" {
				want, outcome = 1, MayHaveTakenEffect
			}
			if !errors.Is(err, errNoAnswer) || errors.Is(err, context.DeadlineExceeded) || n != want || e.Attempts != want || e.Outcome != outcome {
				t.Fatalf("%d requests, error %v (outcome %v); want %d and outcome %v", n, err, e.Outcome, want, outcome)
			}
		})
	}
}
