package authing

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy bounds the retries of a call. The caller's context deadline bounds them too:
// a retry whose wait would pass the deadline is not made.
type RetryPolicy struct {
	// MaxAttempts is the most requests one call sends, the first included.
	MaxAttempts int
	// BaseDelay is the first backoff; each retry doubles it up to MaxDelay.
	BaseDelay time.Duration
	// MaxDelay caps one backoff, and a server's Retry-After.
	MaxDelay time.Duration
	// ThrottleDelay is the first hold after an HTTP 429 without Retry-After; it doubles
	// while throttling goes on. The API's limits are per second, so shorter holds would
	// only meet more 429s.
	ThrottleDelay time.Duration
}

// DefaultRetryPolicy is used when Config.Retry is zero.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 8, BaseDelay: 250 * time.Millisecond, MaxDelay: 10 * time.Second, ThrottleDelay: time.Second}

// backoff returns the wait before retry number n (1 for the first retry): full jitter over
// a capped exponential, or the server's Retry-After when it gave one.
func (p RetryPolicy) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxDelay)
	}
	ceiling := p.BaseDelay << min(n-1, 20)
	if ceiling <= 0 || ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
	}
	// Half fixed, half random: never zero, and concurrent callers spread out.
	return ceiling/2 + rand.N(ceiling/2+1)
}

// parseRetryAfter reads a Retry-After header given in seconds or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// sleep waits for d or until ctx ends. It refuses up front a wait that would outlast the
// context's deadline, so a caller fails at once with the last real error instead of
// failing later with a bare "context deadline exceeded".
func sleep(ctx context.Context, d time.Duration) bool {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
