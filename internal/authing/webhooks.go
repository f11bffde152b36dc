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
	"sync"
)

// pageLimit is the API's largest page size for list-webhooks.
const pageLimit = 50

// maxPages bounds a listing (a million webhooks), so that a wrong totalCount cannot make
// the client allocate or request without end.
const maxPages = 20000

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

// RetryConfig is a webhook's retryConfig (Node SDK 4.x): whether and how Authing retries a
// failed delivery. DelayUnit is Second, Minute, Hour or Day.
type RetryConfig struct {
	Enabled   bool   `json:"enabled"`
	Count     *int64 `json:"count,omitempty"`
	Delay     *int64 `json:"delay,omitempty"`
	DelayUnit string `json:"delayUnit,omitempty"`
}

type webhookPage struct {
	TotalCount int       `json:"totalCount"`
	List       []Webhook `json:"list"`
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
	plan, err := planPages(op, first.TotalCount, len(first.List))
	if err != nil {
		return nil, err
	}
	results := make([][]Webhook, plan.pages)
	results[0] = first.List
	err = c.fetchPages(ctx, pageRange(2, plan.pages), func(ctx context.Context, page int) error {
		p, err := c.listPage(ctx, page, plan.limit)
		results[page-1] = p.List
		return err
	})
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, first.TotalCount)
	all := make([]Webhook, 0, first.TotalCount)
	for _, page := range results {
		for _, w := range page {
			if w.WebhookID == "" {
				return nil, answerError(op, errors.New("the answer holds a webhook without a webhookId"))
			}
			if !seen[w.WebhookID] {
				seen[w.WebhookID] = true
				all = append(all, w)
			}
		}
	}
	if len(all) != first.TotalCount {
		return nil, answerError(op, fmt.Errorf("the API reported %d webhooks (totalCount) but its %d pages of %d held %d distinct ones; "+
			"the list may have changed while it was read, so try again", first.TotalCount, plan.pages, plan.served, len(all)))
	}
	return all, nil
}

// pagePlan is how a listing is read, from what its first page held.
type pagePlan struct {
	served int // items the server put on the first page
	limit  int // the limit later pages ask for: the served size, within the API's cap
	pages  int // pages in all
}

// planPages reads a first page: total is its totalCount, served how many items it held.
func planPages(op string, total, served int) (pagePlan, error) {
	switch {
	case total < 0:
		return pagePlan{}, answerError(op, fmt.Errorf("the API reported a negative totalCount (%d)", total))
	case total > maxPages*pageLimit:
		return pagePlan{}, answerError(op, fmt.Errorf("the API reports %d items, more than the %d the provider lists", total, maxPages*pageLimit))
	case total > served && served == 0:
		return pagePlan{}, answerError(op, fmt.Errorf("the API reported %d items (totalCount) but its first page held none", total))
	case total <= served:
		return pagePlan{served: served, limit: pageLimit, pages: 1}, nil
	}
	return pagePlan{served: served, limit: min(served, pageLimit), pages: (total + served - 1) / served}, nil
}

// pageRange is the page numbers from..to, inclusive (none when to < from).
func pageRange(from, to int) []int {
	var pages []int
	for n := from; n <= to; n++ {
		pages = append(pages, n)
	}
	return pages
}

// fetchPages calls fetch for each page number, at most Config.ListConcurrency at a time,
// and stops at the first error. It is what errgroup with SetLimit would do; the client
// imports the standard library only (DESIGN.md), and these lines are all it takes.
func (c *Client) fetchPages(ctx context.Context, pages []int, fetch func(context.Context, int) error) error {
	if len(pages) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range min(c.cfg.ListConcurrency, len(pages)) {
		wg.Go(func() {
			for page := range next {
				if err := fetch(ctx, page); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
				}
			}
		})
	}
	for _, page := range pages {
		select {
		case next <- page:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (c *Client) listPage(ctx context.Context, page, limit int) (webhookPage, error) {
	var p webhookPage
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
func (c *Client) GetWebhook(ctx context.Context, webhookID string) (Webhook, error) {
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
	return *w, nil
}

// TriggerInput is what TriggerWebhook sends.
type TriggerInput struct {
	WebhookID string
	// RequestHeaders are added to the request Authing sends to the webhook.
	RequestHeaders map[string]string
	// RequestBody, when set, must be a JSON object.
	RequestBody json.RawMessage
}

// TriggerResult is what the webhook's endpoint answered, as Authing relayed it.
type TriggerResult struct {
	// Response is data.response of the answer in canonical JSON ("null" when absent).
	Response string
}

// TriggerWebhook asks Authing to call a webhook once. It is not idempotent: it is retried
// only after answers that prove the request was not processed (HTTP 429, a refused token,
// a request that never left). Any other failure is returned with Outcome set.
func (c *Client) TriggerWebhook(ctx context.Context, in TriggerInput) (TriggerResult, error) {
	op := "trigger webhook " + in.WebhookID
	if strings.TrimSpace(in.WebhookID) == "" {
		return TriggerResult{}, &Error{Operation: op, Outcome: NotProcessed, Err: errors.New("the webhook ID is empty")}
	}
	body := map[string]any{"webhookId": in.WebhookID}
	if len(in.RequestHeaders) > 0 {
		body["requestHeaders"] = in.RequestHeaders
	}
	if len(in.RequestBody) > 0 {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(in.RequestBody, &obj); err != nil || obj == nil {
			return TriggerResult{}, &Error{Operation: op, Outcome: NotProcessed, Err: errors.New("the request body must be a JSON object")}
		}
		body["requestBody"] = in.RequestBody
	}
	var data struct {
		Response json.RawMessage `json:"response"`
	}
	err := c.do(ctx, request{op: op, method: http.MethodPost, path: "trigger-webhook", body: body, nonIdempotent: true}, &data)
	if err != nil {
		return TriggerResult{}, err
	}
	resp := []byte("null")
	if len(data.Response) > 0 {
		canon, cerr := CanonicalJSON(data.Response)
		if cerr != nil {
			e := answerError(op, cerr)
			e.Outcome = MayHaveTakenEffect
			return TriggerResult{}, e
		}
		resp = canon
	}
	return TriggerResult{Response: string(resp)}, nil
}
