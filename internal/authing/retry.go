package authing

import (
	"context"
	"errors"
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

// refusedAttempts bounds the requests of a call whose connections are refused: a host
// where nothing listens answers at once, and is far more often a wrong host or port than
// a server restarting, so a plan fails in about a second, saying to check host, instead
// of after the whole retry budget. A name that DNS says does not exist is not retried
// at all (readAttempt).
const refusedAttempts = 3

// DefaultRetryPolicy is used when Config.Retry is zero.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 8, BaseDelay: 250 * time.Millisecond, MaxDelay: 10 * time.Second, ThrottleDelay: time.Second}

// backoff returns the wait before retry number n (1 for the first retry): full jitter over
// a capped exponential, or the server's Retry-After when it gave one.
func (p RetryPolicy) backoff(n int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxDelay)
	}
	ceiling := p.BaseDelay << min(n-1, 20)
	// A large BaseDelay can overflow the shift to zero or less; that ceiling, like any
	// past MaxDelay, is MaxDelay.
	if ceiling <= 0 || ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
	}
	// Half fixed, half random: never zero, and concurrent callers spread out. rand.N's
	// bound is exclusive, so the +1 lets the wait reach the ceiling.
	return ceiling/2 + rand.N(ceiling/2+1)
}

// parseRetryAfter reads a Retry-After header given in seconds or as an HTTP date.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		// A negative wait is no wait the server can mean.
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
	// After a wait longer than what is left, no request could be made.
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

// verdict is what one failed attempt means for its call.
type verdict struct {
	// retry: the call may be sent again.
	retry bool
	// wait is how long the server asked to wait first (Retry-After), if it did.
	wait time.Duration
	// outcome: for a call that is not idempotent, whether it may have taken effect.
	outcome Outcome
}

// classify is the one place that decides, from one failed attempt, both whether its call
// is repeated and whether it may have taken effect, so that the two cannot disagree: it
// reads whether the server may have acted on the request and whether asking again could
// help, and a call that is not idempotent is repeated only when the server surely did not
// act (DESIGN.md, promise 3).
func classify(r request, a attempt) verdict {
	acted, transient, wait := readAttempt(a)
	v := verdict{retry: transient && (!r.nonIdempotent || !acted), wait: wait, outcome: NotApplicable}
	if r.nonIdempotent {
		v.outcome = NotProcessed
		switch {
		case acted && endpointFailed(a):
			v.outcome = EndpointFailed
		case acted:
			v.outcome = MayHaveTakenEffect
		}
	}
	return v
}

// endpointFailed reports an API answer saying that the request was processed and the
// third-party endpoint it called failed (statusCode 601-603).
func endpointFailed(a attempt) bool {
	return a.err == nil && a.envErr == nil && IsEndpointFailure(a.env.StatusCode)
}

// readAttempt says whether the server may have acted on a failed attempt, whether the
// same request could succeed later, and how long the server asked to wait.
func readAttempt(a attempt) (acted, transient bool, wait time.Duration) {
	switch {
	case a.err != nil:
		// No answer, or none that could be read. Only a request that never fully left
		// cannot have been processed. Cancellation, a deadline, an oversized answer or a
		// refused certificate would come again.
		final := errors.Is(a.err, context.Canceled) || errors.Is(a.err, context.DeadlineExceeded) ||
			errors.Is(a.err, errTooLarge) || isCertificateError(a.err) || unknownHost(a.err)
		return a.sent, !final, 0
	case isThrottled(a):
		// Throttling happens before any processing.
		return false, true, a.retryAfter
	case a.status >= 500:
		// A server or gateway failure: the request may have been processed on the way.
		return true, true, a.retryAfter
	case a.envErr != nil && a.status >= 300:
		// A redirect or a 4xx page from something that is not the API: refused unprocessed.
		return false, false, 0
	case a.envErr != nil:
		// A success status with a body that is not an API answer: processed or not, unknown.
		return true, true, 0
	case endpointFailed(a):
		// Authing did the work and its call to the webhook's endpoint failed: the request
		// took effect, and sending it again would be a new delivery.
		return true, false, 0
	case a.env.StatusCode >= 500:
		return true, true, 0
	}
	// A business error (statusCode 4xx): the API refused the request.
	return false, false, 0
}
