package authing

import (
	"context"
	"sync"
	"time"
)

// throttle makes every request of a client wait after a 429, so that concurrent workers
// slow down together instead of each hammering the API. Throttling that goes on after a
// hold lengthens the next hold; a success resets it.
type throttle struct {
	mu      sync.Mutex
	until   time.Time
	strikes int
}

// onThrottle records a throttled answer and returns how long to wait. Answers that arrive
// during a hold belong to the same burst and join it.
func (t *throttle) onThrottle(p RetryPolicy, retryAfter time.Duration) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if now.Before(t.until) {
		return t.until.Sub(now)
	}
	t.strikes++
	d := min(retryAfter, p.MaxDelay)
	if retryAfter <= 0 {
		d = min(p.ThrottleDelay<<min(t.strikes-1, 16), p.MaxDelay)
	}
	t.until = now.Add(d)
	return d
}

func (t *throttle) reset() {
	t.mu.Lock()
	t.strikes = 0
	t.mu.Unlock()
}

func (t *throttle) wait(ctx context.Context) error {
	t.mu.Lock()
	d := time.Until(t.until)
	t.mu.Unlock()
	// No hold, or one that is over.
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
