package authing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// For every shape an attempt can take, a call that is not idempotent is never repeated
// when it may have taken effect, and an idempotent call has no outcome.
func TestClassifyNeverRepeatsWhatMayHaveTakenEffect(t *testing.T) {
	errs := []error{nil, io.ErrUnexpectedEOF, context.Canceled, context.DeadlineExceeded, errTooLarge}
	statuses := []int{0, 200, 201, 302, 400, 401, 404, 429, 500, 502, 503, 504}
	bodies := []int{0, 200, 400, 404, 429, 500, 503, 601, 602, 603} // 0: not an API answer
	for _, err := range errs {
		for _, sent := range []bool{false, true} {
			for _, status := range statuses {
				for _, body := range bodies {
					a := attempt{err: err, sent: sent, status: status, retryAfter: time.Second}
					if body == 0 {
						a.envErr = errNotEnvelope{}
					} else {
						a.env.StatusCode = body
					}
					name := fmt.Sprintf("err=%v sent=%v HTTP %d body %d", err, sent, status, body)
					once := classify(request{nonIdempotent: true}, a)
					if IsEndpointFailure(body) && err == nil && status != 429 && once.outcome != EndpointFailed {
						t.Errorf("%s: Authing's word that the endpoint failed is read as %v", name, once.outcome)
					}
					if once.retry && once.outcome != NotProcessed {
						t.Errorf("%s: a non-idempotent call is repeated with outcome %v", name, once.outcome)
					}
					if once.outcome == NotApplicable {
						t.Errorf("%s: a non-idempotent call has no outcome", name)
					}
					idem := classify(request{}, a)
					if idem.outcome != NotApplicable {
						t.Errorf("%s: an idempotent call has outcome %v", name, idem.outcome)
					}
					if once.retry && !idem.retry {
						t.Errorf("%s: a trigger is repeated where a read is not", name)
					}
				}
			}
		}
	}
}

// The table of DESIGN.md's promise 3, one row per kind of failure.
func TestClassify(t *testing.T) {
	cut := errors.New("connection reset")
	tests := []struct {
		name        string
		a           attempt
		readRetried bool
		fireRetried bool
		outcome     Outcome
		wait        time.Duration
	}{
		{"never left", attempt{err: cut}, true, true, NotProcessed, 0},
		{"cut after sending", attempt{err: cut, sent: true}, true, false, MayHaveTakenEffect, 0},
		{"cancelled before sending", attempt{err: context.Canceled}, false, false, NotProcessed, 0},
		{"deadline after sending", attempt{err: context.DeadlineExceeded, sent: true}, false, false, MayHaveTakenEffect, 0},
		{"answer too large", attempt{err: errTooLarge, sent: true, status: 200}, false, false, MayHaveTakenEffect, 0},
		{"HTTP 429", attempt{status: 429, envErr: errNotEnvelope{}, retryAfter: 2 * time.Second}, true, true, NotProcessed, 2 * time.Second},
		{"statusCode 429", attempt{status: 200, env: envelope{StatusCode: 429}}, true, true, NotProcessed, 0},
		{"HTTP 502 page", attempt{status: 502, envErr: errNotEnvelope{}}, true, false, MayHaveTakenEffect, 0},
		{"HTTP 503 with Retry-After", attempt{status: 503, env: envelope{StatusCode: 503}, retryAfter: time.Second}, true, false, MayHaveTakenEffect, time.Second},
		{"statusCode 500", attempt{status: 200, env: envelope{StatusCode: 500}}, true, false, MayHaveTakenEffect, 0},
		{"HTTP 200, not an API answer", attempt{status: 200, envErr: errNotEnvelope{}}, true, false, MayHaveTakenEffect, 0},
		{"HTTP 403 page from a proxy", attempt{status: 403, envErr: errNotEnvelope{}}, false, false, NotProcessed, 0},
		{"redirect", attempt{status: 302, envErr: errNotEnvelope{}}, false, false, NotProcessed, 0},
		{"route miss", attempt{status: 404, env: envelope{StatusCode: 404}}, false, false, NotProcessed, 0},
		{"statusCode 400", attempt{status: 200, env: envelope{StatusCode: 400}}, false, false, NotProcessed, 0},
		{"statusCode 404", attempt{status: 200, env: envelope{StatusCode: 404}}, false, false, NotProcessed, 0},
		{"statusCode 601: the endpoint gave no answer", attempt{status: 200, env: envelope{StatusCode: 601}}, false, false, EndpointFailed, 0},
		{"statusCode 602: the endpoint answered an error", attempt{status: 200, env: envelope{StatusCode: 602}}, false, false, EndpointFailed, 0},
		{"statusCode 603", attempt{status: 200, env: envelope{StatusCode: 603}}, false, false, EndpointFailed, 0},
		{"statusCode 604 is no endpoint failure", attempt{status: 200, env: envelope{StatusCode: 604}}, true, false, MayHaveTakenEffect, 0},
		{"a host name DNS says does not exist", attempt{err: &net.DNSError{Err: "no such host", Name: "api.authing.invalid", IsNotFound: true}}, false, false, NotProcessed, 0},
		{"a DNS server that did not answer", attempt{err: &net.DNSError{Err: "i/o timeout", Name: "api.authing.cn", IsTimeout: true}}, true, true, NotProcessed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read := classify(request{}, tt.a)
			fire := classify(request{nonIdempotent: true}, tt.a)
			if read.retry != tt.readRetried || fire.retry != tt.fireRetried || fire.outcome != tt.outcome || fire.wait != tt.wait {
				t.Fatalf("read retried %v, trigger retried %v, outcome %v, wait %v; want %v, %v, %v, %v",
					read.retry, fire.retry, fire.outcome, fire.wait, tt.readRetried, tt.fireRetried, tt.outcome, tt.wait)
			}
		})
	}
}

// After a 429 without Retry-After, every request waits ThrottleDelay, doubling while the
// throttling goes on (each hold that ended and met another 429), up to MaxDelay; answers
// during a hold join it; a success starts again from ThrottleDelay.
func TestThrottleHoldsDoubleUpToTheCap(t *testing.T) {
	p := RetryPolicy{ThrottleDelay: 100 * time.Millisecond, MaxDelay: 350 * time.Millisecond}
	var th throttle
	endHold := func() { th.mu.Lock(); th.until = time.Time{}; th.mu.Unlock() }
	ms := time.Millisecond
	for i, want := range []time.Duration{100 * ms, 200 * ms, 350 * ms, 350 * ms} {
		if got := th.onThrottle(p, 0); got != want {
			t.Fatalf("strike %d: hold %v, want %v", i+1, got, want)
		}
		endHold()
	}
	if got := th.onThrottle(p, 2*time.Second); got != p.MaxDelay {
		t.Fatalf("Retry-After over the cap: hold %v, want %v", got, p.MaxDelay)
	}
	if joined := th.onThrottle(p, 0); joined <= 0 || joined > p.MaxDelay {
		t.Fatalf("an answer during the hold got %v, want the rest of the hold", joined)
	}
	th.reset()
	endHold()
	if got := th.onThrottle(p, 0); got != p.ThrottleDelay {
		t.Fatalf("after a success: hold %v, want %v", got, p.ThrottleDelay)
	}
}

// wait blocks until the hold ends, and returns at once without a hold or when cancelled.
func TestThrottleWait(t *testing.T) {
	var th throttle
	start := time.Now()
	if err := th.wait(t.Context()); err != nil || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("no hold: %v after %v", err, time.Since(start))
	}
	th.until = time.Now().Add(80 * time.Millisecond)
	if err := th.wait(t.Context()); err != nil || time.Since(start) < 80*time.Millisecond {
		t.Fatalf("a hold of 80ms returned %v after %v", err, time.Since(start))
	}
	th.until = time.Now().Add(time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := th.wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
}

// succeeded is statusCode 200 in an envelope that arrived with a 2xx status, nothing else.
func TestSucceeded(t *testing.T) {
	for _, tt := range []struct {
		a    attempt
		want bool
	}{
		{attempt{status: 200, env: envelope{StatusCode: 200}}, true},
		{attempt{status: 299, env: envelope{StatusCode: 200}}, true},
		{attempt{status: 300, env: envelope{StatusCode: 200}}, false},
		{attempt{status: 199, env: envelope{StatusCode: 200}}, false},
		{attempt{status: 200, env: envelope{StatusCode: 201}}, false},
		{attempt{status: 200, envErr: errNotEnvelope{}}, false},
		{attempt{status: 200, env: envelope{StatusCode: 200}, err: io.ErrUnexpectedEOF}, false},
	} {
		if got := succeeded(tt.a); got != tt.want {
			t.Errorf("succeeded(HTTP %d, statusCode %d, envErr %v, err %v) = %v", tt.a.status, tt.a.env.StatusCode, tt.a.envErr, tt.a.err, got)
		}
	}
}

// backoff is full jitter over a capped exponential: retry n waits between half and all of
// min(BaseDelay * 2^(n-1), MaxDelay), and the server's Retry-After, capped, when it gave one.
func TestBackoffBounds(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 4: 800 * time.Millisecond, 5: time.Second, 60: time.Second} {
		var low, high bool
		for range 400 {
			d := p.backoff(n, 0)
			if d < ceiling/2 || d > ceiling {
				t.Fatalf("retry %d waited %v, outside [%v, %v]", n, d, ceiling/2, ceiling)
			}
			low = low || d < ceiling*3/4
			high = high || d > ceiling*3/4
		}
		if !low || !high {
			t.Fatalf("retry %d: 400 waits did not spread over [%v, %v]", n, ceiling/2, ceiling)
		}
	}
	// No base delay (or one that overflowed) waits like the cap, never zero.
	zero := RetryPolicy{MaxDelay: time.Second}
	if d := zero.backoff(1, 0); d < 500*time.Millisecond || d > time.Second {
		t.Fatalf("a zero BaseDelay waited %v", d)
	}
	if d := p.backoff(3, 300*time.Millisecond); d != 300*time.Millisecond {
		t.Fatalf("Retry-After of 300ms gave %v", d)
	}
	if d := p.backoff(3, 5*time.Second); d != time.Second {
		t.Fatalf("Retry-After over the cap gave %v", d)
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
