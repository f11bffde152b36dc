package authing

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// MaxWebhookLogs is the most delivery logs GetWebhookLogs returns.
const MaxWebhookLogs = 200

// WebhookLog is one delivery of a webhook, as get-webhook-logs reports it. Bodies and
// headers are kept as the JSON the API sent; RequestHeaders can hold the webhook's secret
// (x-authing-webhook-secret), so treat them as sensitive.
type WebhookLog struct {
	WebhookID          string          `json:"webhookId"`
	EventName          string          `json:"eventName"`
	RequestBody        json.RawMessage `json:"requestBody"`
	RequestHeaders     json.RawMessage `json:"requestHeaders"`
	ResponseStatusCode int             `json:"responseStatusCode"`
	ResponseHeaders    json.RawMessage `json:"responseHeaders"`
	ResponseBody       json.RawMessage `json:"responseBody"`
	// Timestamp is the API's timestamp: a string as sent, or a number of milliseconds
	// since the epoch rendered as RFC 3339.
	Timestamp    logTime `json:"timestamp"`
	Success      bool    `json:"success"`
	ErrorMessage string  `json:"errorMessage"`
}

type logPage struct {
	TotalCount int          `json:"totalCount"`
	List       []WebhookLog `json:"list"`
}

// GetWebhookLogs returns up to limit (1 to MaxWebhookLogs) of a webhook's latest
// deliveries, newest first.
//
// The documentation says neither in which order the API lists logs nor whether it serves
// the limit asked. The first page tells both: its size is the page size served, and its
// timestamps, when they rise, show an oldest-first server, for which the latest entries
// are on the last pages. Those pages are then fetched concurrently, like a listing.
func (c *Client) GetWebhookLogs(ctx context.Context, webhookID string, limit int) ([]WebhookLog, error) {
	op := "get webhook logs " + webhookID
	if webhookID == "" || limit < 1 || limit > MaxWebhookLogs {
		return nil, &Error{Operation: op, Err: fmt.Errorf("need a webhook ID and a limit between 1 and %d", MaxWebhookLogs)}
	}
	first, err := c.logPage(ctx, webhookID, 1, min(limit, pageLimit))
	if err != nil {
		return nil, err
	}
	want := min(limit, first.TotalCount)
	if _, err := planPages(op, want, len(first.List)); err != nil || want == 0 {
		return []WebhookLog{}, err
	}
	served := len(first.List)
	// Indices (from 0, in the server's order) of the entries wanted.
	from, to := 0, want
	oldestFirst := ascending(first.List)
	if oldestFirst {
		from, to = first.TotalCount-want, first.TotalCount
	}
	// The pages holding them; page 1 is already here. (A lower lo would change nothing:
	// page 1 is never fetched again, and entries outside from..to are skipped below.)
	lo, hi := from/served+1, (to+served-1)/served
	// Each worker fills its own pages[page], as ListWebhooks does; no lock is needed.
	pages := make([][]WebhookLog, hi+1)
	pages[1] = first.List
	err = c.fetchPages(ctx, pageRange(max(lo, 2), hi), func(ctx context.Context, page int) error {
		p, err := c.logPage(ctx, webhookID, page, min(served, pageLimit))
		pages[page] = p.List
		return err
	})
	if err != nil {
		return nil, err
	}
	var picked []WebhookLog
	for page := lo; page <= hi; page++ {
		for i, l := range pages[page] {
			if idx := (page-1)*served + i; idx >= from && idx < to {
				picked = append(picked, l)
			}
		}
	}
	if len(picked) != want {
		return nil, answerError(op, fmt.Errorf("expected %d of the %d logs (totalCount) but the pages held %d; "+
			"the logs may have changed while they were read, so try again", want, first.TotalCount, len(picked)))
	}
	if oldestFirst {
		slices.Reverse(picked)
	}
	return picked, nil
}

// ascending reports a page whose timestamps rise: a server that lists oldest first.
func ascending(list []WebhookLog) bool {
	if len(list) < 2 {
		return false
	}
	a, b := list[0].Timestamp.t, list[len(list)-1].Timestamp.t
	return !a.IsZero() && !b.IsZero() && a.Before(b)
}

func (c *Client) logPage(ctx context.Context, webhookID string, page, limit int) (logPage, error) {
	var p logPage
	err := c.do(ctx, request{
		op:     "get webhook logs " + webhookID + " (page " + strconv.Itoa(page) + ")",
		method: http.MethodPost,
		path:   "get-webhook-logs",
		body:   map[string]any{"webhookId": webhookID, "page": page, "limit": limit},
	}, &p)
	return p, err
}

// logTime is a log timestamp: an RFC 3339 string or a number of milliseconds since the
// epoch. Text keeps what the API sent (numbers rendered as RFC 3339); t is the instant,
// zero when unreadable.
type logTime struct {
	Text string
	t    time.Time
}

// UnmarshalJSON reads a string or a number.
func (l *logTime) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		l.Text = s
		l.t, _ = time.Parse(time.RFC3339Nano, s)
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return nil //nolint:nilerr // an unreadable timestamp is kept empty rather than failing the listing
	}
	l.t = time.UnixMilli(int64(ms)).UTC()
	l.Text = l.t.Format(time.RFC3339Nano)
	return nil
}
