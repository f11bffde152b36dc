package authing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// request is one API call.
type request struct {
	op     string
	method string
	path   string // the API path after /api/v3/, such as "list-webhooks"
	query  url.Values
	body   any
	// nonIdempotent marks a call that takes effect each time it is processed (a trigger
	// fires, a create creates): it is retried only when the request surely was not
	// processed, and its errors carry an Outcome (see classify).
	nonIdempotent bool
	// anonymous calls send no token (the token call itself).
	anonymous bool
}

// attempt is what one HTTP exchange gave.
type attempt struct {
	status     int
	header     http.Header
	body       []byte
	env        envelope
	envErr     error
	err        error
	sent       bool // the whole request was written, so the server may have processed it
	retryAfter time.Duration
}

// do runs r until it succeeds, fails for good, or its retries or context run out, and
// decodes the answer's data into out.
func (c *Client) do(ctx context.Context, r request, out any) error {
	var payload []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return &Error{Operation: r.op, Err: err, Outcome: unprocessed(r)}
		}
		payload = b
	}
	authRetried := false
	for n := 1; ; n++ {
		var tok *token
		if !r.anonymous {
			t, err := c.tokens.get(ctx)
			if err != nil {
				return c.tokenError(r, err, n)
			}
			tok = t
		}
		if err := c.throttle.wait(ctx); err != nil {
			return &Error{Operation: r.op, Attempts: n - 1, Outcome: unprocessed(r), Err: err}
		}
		a := c.send(ctx, r, payload, tok, n)
		if succeeded(a) {
			c.throttle.reset()
			if refused(a.env.Data) {
				e := c.failure(r, a, n)
				e.Err = errors.New("data.success: false in the answer: Authing did not do what was asked")
				e.Outcome = unprocessed(r)
				return e
			}
			if out == nil || len(a.env.Data) == 0 || string(a.env.Data) == "null" {
				return nil
			}
			if err := json.Unmarshal(a.env.Data, out); err != nil {
				e := c.failure(r, a, n)
				e.Err = fmt.Errorf("the answer's data has an unexpected shape: %w", err)
				if r.nonIdempotent {
					e.Outcome = MayHaveTakenEffect // Authing said it succeeded.
				}
				return e
			}
			return nil
		}
		e := c.failure(r, a, n)
		if isAuthFailure(a) && tok != nil && !authRetried {
			// The cached token was refused (revoked, or expired early): the API
			// answered before doing anything, so fetch a new token and retry once.
			authRetried = true
			c.tokens.invalidate(tok)
			c.log(ctx, levelWarn, "Authing token refused; fetching a new one and retrying once", map[string]any{"operation": r.op})
			continue
		}
		v := classify(r, a)
		if !v.retry || n >= c.cfg.Retry.MaxAttempts || (connectionRefused(a.err) && n >= refusedAttempts) {
			return e
		}
		d := c.cfg.Retry.backoff(n, v.wait)
		if isThrottled(a) {
			d = c.throttle.onThrottle(c.cfg.Retry, a.retryAfter)
		}
		c.log(ctx, levelDebug, "Retrying Authing API call", map[string]any{"operation": r.op, "attempt": n, "wait_ms": d.Milliseconds(), "reason": e.Error()})
		if !sleep(ctx, d) {
			return e
		}
	}
}

// isAuthFailure reports an answer that refused the token.
func isAuthFailure(a attempt) bool {
	if a.err != nil {
		return false
	}
	return a.status == http.StatusUnauthorized || (a.envErr == nil && a.env.StatusCode == 401)
}

// succeeded reports an answer the API counts as success: statusCode 200 in the body, with
// any 2xx HTTP status.
func succeeded(a attempt) bool {
	return a.err == nil && a.envErr == nil && a.status >= 200 && a.status < 300 && a.env.StatusCode == 200
}

// refused reports an answer whose data says {"success": false}: the Node SDK 4.x types
// delete-webhook's answer (and other calls' answers) as IsSuccessRespDto, and such an
// answer means that nothing was done, under a statusCode of 200.
func refused(data json.RawMessage) bool {
	var flag struct {
		Success json.RawMessage `json:"success"`
	}
	return len(data) > 0 && data[0] == '{' && json.Unmarshal(data, &flag) == nil && string(flag.Success) == "false"
}

// isThrottled reports an answer that asks the client to slow down.
func isThrottled(a attempt) bool {
	return a.err == nil && (a.status == http.StatusTooManyRequests || (a.envErr == nil && a.env.StatusCode == 429))
}

// failure turns an attempt into an Error with every known fact, secrets removed.
func (c *Client) failure(r request, a attempt, n int) *Error {
	e := &Error{Operation: r.op, HTTPStatus: a.status, Attempts: n, Err: a.err}
	if a.err == nil && a.envErr == nil {
		e.StatusCode = a.env.StatusCode
		e.APICode = a.env.APICode
		e.Message = c.redact(a.env.Message)
		e.RequestID = a.env.RequestID
	}
	if a.err == nil && a.envErr != nil {
		e.Err = errors.New(c.redact(a.envErr.Error()))
	}
	if a.err == nil && a.status >= 300 && a.status < 400 {
		e.Err = fmt.Errorf("the server answered with a redirect to %q, which the provider does not follow; set host to the final URL", redirectHost(a.header.Get("Location")))
	}
	if e.StatusCode == 0 && e.Err == nil && a.status != http.StatusOK {
		e.Err = fmt.Errorf("unexpected HTTP status %d", a.status)
	}
	if a.err == nil && a.status == http.StatusNotFound {
		e.Err = fmt.Errorf("HTTP 404: the server has no route /api/v3/%s; check that host is the base URL of the Authing API", r.path)
	}
	e.NotFound = a.err == nil && a.envErr == nil && a.status == http.StatusOK && a.env.StatusCode == 404
	e.Outcome = classify(r, a).outcome
	return e
}

// answerError is a failure of a call whose answer was a success (HTTP 200, statusCode
// 200) holding something the client cannot use: a listing whose pages do not add up, a
// create without an ID, an answer about another webhook.
func answerError(op string, err error) *Error {
	return &Error{Operation: op, HTTPStatus: http.StatusOK, StatusCode: 200, Err: err}
}

// unprocessed is the outcome of a call that the server surely did not process: for a
// call that is not idempotent NotProcessed, for any other NotApplicable, since repeating
// it is harmless either way.
func unprocessed(r request) Outcome {
	if r.nonIdempotent {
		return NotProcessed
	}
	return NotApplicable
}

// tokenError reports a failure to get a token as a failure of the call that needed it.
func (c *Client) tokenError(r request, err error, n int) error {
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		cp.Operation = r.op + ": " + e.Operation
		cp.Outcome = unprocessed(r)
		return &cp
	}
	return &Error{Operation: r.op, Attempts: n - 1, Outcome: unprocessed(r), Err: err}
}
