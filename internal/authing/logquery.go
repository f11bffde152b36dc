package authing

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LogFilter selects deliveries among a webhook's latest logs. Its zero value selects all.
type LogFilter struct {
	// Since keeps deliveries logged at or after this time.
	Since time.Time
	// EventName keeps deliveries of this event.
	EventName string
	// Success keeps deliveries whose success is this, when set.
	Success *bool
	// FiringID keeps the delivery of the firing that carried this ID in FiringIDHeader.
	FiringID string
}

// Match reports whether the filter keeps l.
func (f LogFilter) Match(l WebhookLog) bool {
	return (f.Since.IsZero() || !l.Time.Before(f.Since)) &&
		(f.EventName == "" || l.EventName == f.EventName) &&
		(f.Success == nil || l.Success == *f.Success) &&
		(f.FiringID == "" || l.RequestHeaders[strings.ToLower(FiringIDHeader)] == f.FiringID)
}

// LogsSeen is what WaitForWebhookLogs saw at its last successful read.
type LogsSeen struct {
	// Matched are the deliveries the filter kept, newest first.
	Matched []WebhookLog
	// Read is how many deliveries the last read returned, and Newest the newest one's
	// time (zero when there were none).
	Read   int
	Newest time.Time
	// Reads counts the reads that succeeded.
	Reads int
}

// WaitForWebhookLogs reads a webhook's limit latest deliveries (as GetWebhookLogs does)
// and keeps those the filter matches, reading again, with a growing pause, until at
// least minCount match or ctx ends: Authing may write a delivery's log a moment after
// the delivery. It fails at once for a webhook that does not exist (get-webhook, which
// also gives the secret the logs must not show), since Authing answers the logs of an
// unknown webhook with an empty list. When ctx ends first, it returns what it last saw
// with the last read's error, or with ErrTooFewLogs when the reads succeeded.
func (c *Client) WaitForWebhookLogs(ctx context.Context, webhookID string, limit, minCount int, filter LogFilter) (LogsSeen, error) {
	var seen LogsSeen
	if webhookID == "" || limit < 1 || limit > MaxWebhookLogs || minCount < 0 || minCount > limit {
		return seen, &Error{Operation: "get webhook logs " + webhookID, Err: fmt.Errorf("need a webhook ID, a limit between 1 and %d and a minimum count between 0 and the limit", MaxWebhookLogs)}
	}
	if err := c.webhookExists(ctx, webhookID); err != nil {
		return seen, c.secrets.maskError(err)
	}
	var last error
	enough := c.pollLogs(ctx, webhookID, limit, func(logs []WebhookLog, err error) bool {
		if last = err; err != nil {
			return false
		}
		seen = LogsSeen{Matched: []WebhookLog{}, Read: len(logs), Reads: seen.Reads + 1}
		if len(logs) > 0 {
			seen.Newest = logs[0].Time
		}
		for _, l := range logs {
			if filter.Match(l) {
				seen.Matched = append(seen.Matched, l)
			}
		}
		return len(seen.Matched) >= minCount
	})
	if enough {
		return seen, nil
	}
	if last == nil {
		last = ErrTooFewLogs
	}
	return seen, c.secrets.maskError(last)
}

// ErrTooFewLogs is WaitForWebhookLogs' error when its reads succeeded but fewer
// deliveries than asked for matched before its context ended.
var ErrTooFewLogs = fmt.Errorf("fewer matching deliveries than asked for were logged in time")
