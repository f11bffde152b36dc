package authing

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func TestTokenIsRefreshedAheadOfExpiry(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var clock atomic.Pointer[time.Time]
	clock.Store(&now)
	var fetches atomic.Int32
	release := make(chan struct{})
	s := &tokenSource{
		now: func() time.Time { return *clock.Load() },
		fetch: func(context.Context) (*token, error) {
			n := fetches.Add(1)
			if n > 1 {
				<-release
			}
			return newToken(fmt.Sprintf("tok-%d", n), 7200, *clock.Load(), "pool"), nil
		},
	}
	first, err := s.get(t.Context())
	if err != nil || first.value != "tok-1" {
		t.Fatal(first, err)
	}
	// Before the refresh point: cached.
	later := now.Add(6000 * time.Second)
	clock.Store(&later)
	if got, _ := s.get(t.Context()); got != first || fetches.Load() != 1 {
		t.Fatal("refreshed too early")
	}
	// Past the refresh point (5 minutes before expiry) but before expiry: the old token
	// is served at once while one refresh runs.
	refresh := now.Add(7200*time.Second - 4*time.Minute)
	clock.Store(&refresh)
	for range 10 {
		if got, _ := s.get(t.Context()); got != first {
			t.Fatal("a caller waited for the refresh although the token was still valid")
		}
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, _ := s.get(t.Context())
		if got.value == "tok-2" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the refresh never landed")
		}
		time.Sleep(time.Millisecond)
	}
	if n := fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2", n)
	}
}

func TestUserPoolComesFromTheClaim(t *testing.T) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"scoped_userpool_id":"pool-x"}`))
	if got := newToken("h."+payload+".s", 60, time.Now(), "key-id").userPoolID; got != "pool-x" {
		t.Fatalf("got %q", got)
	}
	if got := newToken("opaque", 60, time.Now(), "key-id").userPoolID; got != "key-id" {
		t.Fatalf("without the claim, want the access key ID; got %q", got)
	}
}

// A token is refreshed a fifth of its lifetime (5 minutes at most) before it expires; an
// answer without a usable expires_in is taken as the documented 7200 seconds.
func TestNewTokenLifetime(t *testing.T) {
	sent := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		expiresIn       int
		expires, margin time.Duration
	}{
		{60, time.Minute, 12 * time.Second},
		{7200, 2 * time.Hour, 5 * time.Minute},
		{0, 2 * time.Hour, 5 * time.Minute},
		{-5, 2 * time.Hour, 5 * time.Minute},
	} {
		tok := newToken("x.e30.y", tt.expiresIn, sent, "pool")
		if !tok.expiresAt.Equal(sent.Add(tt.expires)) || !tok.refreshAt.Equal(sent.Add(tt.expires-tt.margin)) || tok.userPoolID != "pool" {
			t.Errorf("expires_in %d: expires %v, refresh %v, pool %q", tt.expiresIn, tok.expiresAt.Sub(sent), tok.expiresAt.Sub(tok.refreshAt), tok.userPoolID)
		}
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
