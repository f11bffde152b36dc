package authing

import (
	"context"
	"slices"
	"strings"
	"time"
)

// FiringIDHeader is the request header that carries a firing's unique ID to the webhook's
// endpoint, so that a receiver can de-duplicate and correlate deliveries, and so that a
// firing whose answer was lost can be found in Authing's delivery logs. Its name is the
// IETF HTTP API working group's draft name for an idempotency key.
const FiringIDHeader = "Idempotency-Key"

// settleLogs is how many of a webhook's latest deliveries a search for a firing reads.
const settleLogs = 100

// settlePoll bounds the wait between two reads of the logs while a search goes on.
var settlePoll = struct{ first, max time.Duration }{first: 250 * time.Millisecond, max: 2 * time.Second}

// CreateClockSkew is how far the machine's clock and Authing's may disagree when a lost
// create is looked for by its createdAt.
const CreateClockSkew = 5 * time.Minute

// Delivery is one delivery of a webhook found in its logs.
type Delivery struct {
	// Response is what the endpoint answered (responseBody) in canonical JSON, "null"
	// when the log has none, masked like TriggerResult.Response.
	Response string
	// At is the delivery's time.
	At time.Time
	// Success is the log's success: the endpoint was reached and answered 2xx. When it is
	// false, StatusCode (0 when no answer came) and ErrorMessage say what happened.
	Success      bool
	StatusCode   int
	ErrorMessage string
}

// DeliverySearch is the result of FindDelivery.
type DeliverySearch struct {
	// Found is true when a delivery carried the firing's ID; Delivery is then that one.
	Found    bool
	Delivery Delivery
	// Reads counts the reads of the logs that succeeded, and Err is the last failed read's
	// error, if any: a search with no successful read could not look at all.
	Reads int
	Err   error
}

// FindDelivery looks in a webhook's latest delivery logs for the delivery whose request
// carried firingID in FiringIDHeader, reading them again until it is found or ctx ends.
// Not finding it never means the webhook did not fire: whether Authing logs manual
// triggers, and how soon, is not documented.
func (c *Client) FindDelivery(ctx context.Context, webhookID, firingID string) DeliverySearch {
	return c.findLogged(ctx, webhookID, func(l WebhookLog) bool {
		return l.RequestHeaders[strings.ToLower(FiringIDHeader)] == firingID
	})
}

// findLogged reads a webhook's latest delivery logs until one of them matches or ctx
// ends, and returns that delivery: the one search loop behind FindDelivery and FindReplay.
func (c *Client) findLogged(ctx context.Context, webhookID string, match func(WebhookLog) bool) DeliverySearch {
	var s DeliverySearch
	c.pollLogs(ctx, webhookID, settleLogs, func(logs []WebhookLog, err error) bool {
		if err != nil {
			s.Err = c.secrets.maskError(err)
			return false
		}
		s.Reads++
		for _, l := range logs {
			if match(l) {
				s.Found, s.Err = true, nil
				s.Delivery = Delivery{Response: "null", At: l.Time, Success: l.Success, StatusCode: l.ResponseStatusCode, ErrorMessage: l.ErrorMessage}
				// An absent or unreadable body is recorded as null, like an answer without
				// data.response.
				if canon, err := CanonicalJSON(l.ResponseBody); err == nil {
					s.Delivery.Response = string(canon)
				}
				return true
			}
		}
		return false
	})
	return s
}

// pollLogs reads a webhook's limit latest logs, and again after a pause that doubles up
// to settlePoll.max, until done, given each read's logs or error, returns true, or ctx
// ends. It reports whether done returned true.
func (c *Client) pollLogs(ctx context.Context, webhookID string, limit int, done func([]WebhookLog, error) bool) bool {
	for wait := settlePoll.first; ; wait = min(2*wait, settlePoll.max) {
		if done(c.webhookLogs(ctx, webhookID, limit)) {
			return true
		}
		if !sleep(ctx, wait) {
			return false
		}
	}
}

// FindCreated returns the webhooks that a create of in, begun at since, may have made:
// those whose every field matches in and whose createdAt is no earlier than since less
// CreateClockSkew. Which of them someone already holds is the caller's to know.
func (c *Client) FindCreated(ctx context.Context, in WebhookInput, since time.Time) ([]Webhook, error) {
	all, err := c.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	var found []Webhook
	for _, w := range all {
		// The client gives createdAt as RFC 3339 when it could read it, as sent otherwise.
		created, err := time.Parse(time.RFC3339Nano, w.CreatedAt)
		if err != nil || created.Before(since.Add(-CreateClockSkew)) {
			continue
		}
		if in.matches(w) {
			found = append(found, w)
		}
	}
	return found, nil
}

// matches reports whether a webhook has every field that in sets.
func (in WebhookInput) matches(w Webhook) bool {
	eq := func(want *string, got string) bool { return want == nil || *want == got }
	switch {
	case !eq(in.Name, w.Name), !eq(in.URL, w.URL), !eq(in.ContentType, w.ContentType):
		return false
	case in.Enabled != nil && *in.Enabled != w.Enabled:
		return false
	case in.Secret != nil && w.Secret != "" && *in.Secret != w.Secret:
		return false
	case in.Events != nil && !sameSet(*in.Events, w.Events):
		return false
	}
	if rc := in.RetryConfig; rc != nil && w.RetryConfig != nil {
		got := w.RetryConfig
		intEq := func(want, got *int64) bool { return want == nil || (got != nil && *want == *got) }
		if rc.Enabled != got.Enabled || !intEq(rc.Count, got.Count) || !intEq(rc.Delay, got.Delay) ||
			(rc.DelayUnit != "" && rc.DelayUnit != got.DelayUnit) {
			return false
		}
	}
	return true
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
