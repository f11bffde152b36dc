package authing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Webhook is the API's WebhookDto.
type Webhook struct {
	WebhookID   string   `json:"webhookId"`
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	ContentType string   `json:"contentType"`
	Enabled     bool     `json:"enabled"`
	Events      []string `json:"events"`
	// Secret is the signing secret. Treat it as sensitive.
	Secret string `json:"secret,omitempty"`
	// RetryConfig is how Authing retries failed deliveries; nil when the answer has none.
	RetryConfig *RetryConfig `json:"retryConfig,omitempty"`
	CreatedAt   string       `json:"createdAt"`
	UpdatedAt   string       `json:"updatedAt"`
}

// UnmarshalJSON reads a WebhookDto. createdAt and updatedAt are read in every form Authing
// may send them (see parseTimestamp) and kept as RFC 3339 text; a value that is no time
// is kept as sent, since nothing the client does depends on it.
func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	var v struct {
		plain
		CreatedAt json.RawMessage `json:"createdAt"`
		UpdatedAt json.RawMessage `json:"updatedAt"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*w = Webhook(v.plain)
	w.CreatedAt, w.UpdatedAt = timeText(v.CreatedAt), timeText(v.UpdatedAt)
	return nil
}

// timeText is a timestamp as RFC 3339 text, or as sent when it is no time.
func timeText(raw json.RawMessage) string {
	if _, text, ok := parseTimestamp(raw); ok {
		return text
	}
	return jsonText(raw)
}

// RetryConfig is a webhook's retryConfig (Node SDK 4.x): whether and how Authing retries a
// failed delivery. DelayUnit is Second, Minute, Hour or Day.
type RetryConfig struct {
	Enabled   bool   `json:"enabled"`
	Count     *int64 `json:"count,omitempty"`
	Delay     *int64 `json:"delay,omitempty"`
	DelayUnit string `json:"delayUnit,omitempty"`
}

// ListWebhooks returns every webhook of the user pool in the API's order.
//
// The API caps limit at 50, and what a server does with a limit it will not serve is not
// documented, so the first page tells the page size actually served; the remaining pages
// are asked with that size (so that servers counting offsets by the limit asked and by
// their own size agree) and fetched concurrently, at most Config.ListConcurrency at a
// time: W webhooks cost ceil(W/served) requests. The result holds exactly totalCount
// distinct webhooks, or the call fails saying what was expected and what came.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	const op = "list webhooks"
	first, err := c.listPage(ctx, 1, pageLimit)
	if err != nil {
		return nil, err
	}
	w, err := planWindow(op, first.TotalCount, len(first.List), maxListItems, false)
	if err != nil {
		return nil, err
	}
	pages, err := fetchWindow(ctx, c, w, map[int][]Webhook{1: first.List}, func(ctx context.Context, page int) ([]Webhook, error) {
		p, err := c.listPage(ctx, page, w.limit)
		return p.List, err
	})
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, w.total)
	all := make([]Webhook, 0, w.total)
	for _, page := range pages {
		for _, hook := range page {
			if hook.WebhookID == "" {
				return nil, answerError(op, errors.New("the answer holds a webhook without a webhookId"))
			}
			if !seen[hook.WebhookID] {
				seen[hook.WebhookID] = true
				all = append(all, hook)
			}
		}
	}
	if len(all) != w.total {
		return nil, answerError(op, fmt.Errorf("the API reported %d webhooks (totalCount) but its %d pages of %d held %d distinct ones; "+
			"the list may have changed while it was read, so try again", w.total, w.pages(), w.served, len(all)))
	}
	return all, nil
}

// listPage reads one page of list-webhooks. An answer without data gives a zero page,
// whose nil TotalCount planWindow refuses.
func (c *Client) listPage(ctx context.Context, page, limit int) (pageData[Webhook], error) {
	var p pageData[Webhook]
	err := c.do(ctx, request{
		op:     "list webhooks (page " + strconv.Itoa(page) + ")",
		method: http.MethodGet,
		path:   "list-webhooks",
		query:  url.Values{"page": {strconv.Itoa(page)}, "limit": {strconv.Itoa(limit)}},
	}, &p)
	return p, err
}

// GetWebhook returns one webhook. IsNotFound is true of its error only on positive
// evidence that the webhook does not exist: an HTTP 200 answer whose statusCode is 404,
// or whose data is null or absent. Any other failure (an HTTP 404 from a server or proxy
// without the route, a 403, a 5xx) is an ordinary error, and so is an answer about a
// different webhook.
//
// The webhook's secret, when the answer has one, joins the secrets the client masks, and
// counts as read for the masking of answers (see TriggerWebhook).
func (c *Client) GetWebhook(ctx context.Context, webhookID string) (Webhook, error) {
	return c.getWebhook(ctx, webhookID)
}

func (c *Client) getWebhook(ctx context.Context, webhookID string) (Webhook, error) {
	op := "get webhook " + webhookID
	if strings.TrimSpace(webhookID) == "" {
		return Webhook{}, &Error{Operation: op, Err: errors.New("the webhook ID is empty")}
	}
	var w *Webhook
	err := c.do(ctx, request{
		op:     op,
		method: http.MethodGet,
		path:   "get-webhook",
		query:  url.Values{"webhookId": {webhookID}},
	}, &w)
	switch {
	case err != nil:
		return Webhook{}, err
	case w == nil:
		e := answerError(op, errors.New("the answer has no data: the webhook does not exist"))
		e.NotFound = true
		return Webhook{}, e
	case w.WebhookID != webhookID:
		return Webhook{}, answerError(op, fmt.Errorf("the answer is about webhook %q, not the one asked for", w.WebhookID))
	}
	c.secrets.add(w.Secret)
	c.hookSecrets.settled(webhookID)
	return *w, nil
}

// secretReadError is the failure of a call that could not read the webhook's secret,
// which it needed before sending anything: the call was not made. A webhook that does
// not exist stays IsNotFound.
func secretReadError(op string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		cp.Operation = op + ": " + e.Operation
		cp.Outcome = NotProcessed
		if !e.NotFound {
			cp.Err = fmt.Errorf("the webhook's secret could not be read, so an answer could not be cleaned of it; nothing was sent: %w", errOrMessage(e))
			cp.Message = ""
		}
		return &cp
	}
	return &Error{Operation: op, Outcome: NotProcessed, Err: fmt.Errorf("the webhook's secret could not be read, so an answer could not be cleaned of it; nothing was sent: %w", err)}
}

// errOrMessage is what went wrong in e, as an error.
func errOrMessage(e *Error) error {
	switch {
	case e.Err != nil && e.Message != "":
		return fmt.Errorf("%s: %w", e.Message, e.Err)
	case e.Err != nil:
		return e.Err
	}
	return errors.New(e.Message)
}

// EventCategory is a group of webhook events.
type EventCategory struct {
	Name   string `json:"name"`
	NameEn string `json:"nameEn"`
	Value  string `json:"value"`
}

// Event is a webhook event name and its labels.
type Event struct {
	Name     string `json:"name"`
	NameEn   string `json:"nameEn"`
	Value    string `json:"value"`
	Category string `json:"category"`
}

// EventList is the server's list of valid webhook events.
type EventList struct {
	Categories []EventCategory `json:"categories"`
	Events     []Event         `json:"events"`
}

// ListWebhookEvents returns the server's list of webhook events.
func (c *Client) ListWebhookEvents(ctx context.Context) (EventList, error) {
	var l EventList
	err := c.do(ctx, request{op: "get webhook event list", method: http.MethodGet, path: "get-webhook-event-list"}, &l)
	return l, err
}
