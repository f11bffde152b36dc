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

// PageLimit is the API's largest page size for list-webhooks.
const PageLimit = 50

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
	Secret    string `json:"secret,omitempty"`
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

type webhookPage struct {
	TotalCount int       `json:"totalCount"`
	List       []Webhook `json:"list"`
}

// ListWebhooks returns every webhook of the user pool in the API's order. The first page
// gives the total; the remaining pages are fetched concurrently, at most
// Config.ListConcurrency at a time, so W webhooks cost ceil(W/50) requests.
func (c *Client) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	first, err := c.listPage(ctx, 1)
	if err != nil {
		return nil, err
	}
	pages := 1
	if first.TotalCount > PageLimit {
		pages = (first.TotalCount + PageLimit - 1) / PageLimit
	}
	if pages > maxPages {
		return nil, &Error{Operation: "list webhooks", HTTPStatus: http.StatusOK, StatusCode: 200,
			Err: fmt.Errorf("the API reports %d webhooks, more than the %d the provider lists", first.TotalCount, maxPages*PageLimit)}
	}
	results := make([][]Webhook, pages)
	results[0] = first.List
	if pages > 1 {
		if err := c.fetchPages(ctx, results); err != nil {
			return nil, err
		}
	}
	// A webhook created or deleted during the listing shifts the pages; never report
	// one webhook twice.
	seen := make(map[string]bool, len(first.List)*pages)
	all := make([]Webhook, 0, len(first.List)*pages)
	for _, page := range results {
		for _, w := range page {
			if seen[w.WebhookID] {
				continue
			}
			seen[w.WebhookID] = true
			all = append(all, w)
		}
	}
	return all, nil
}

// fetchPages fills results[1:] with pages 2..len(results), stopping at the first error.
func (c *Client) fetchPages(ctx context.Context, results [][]Webhook) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	workers := min(c.cfg.ListConcurrency, len(results)-1)
	for range workers {
		wg.Go(func() {
			for i := range next {
				p, err := c.listPage(ctx, i+1)
				if err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
					continue
				}
				results[i] = p.List
			}
		})
	}
	for i := 1; i < len(results); i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			i = len(results)
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

func (c *Client) listPage(ctx context.Context, page int) (webhookPage, error) {
	var p webhookPage
	err := c.do(ctx, request{
		op:     "list webhooks (page " + strconv.Itoa(page) + ")",
		method: http.MethodGet,
		verb:   "list-webhooks",
		query:  url.Values{"page": {strconv.Itoa(page)}, "limit": {strconv.Itoa(PageLimit)}},
	}, &p)
	return p, err
}

// GetWebhook returns one webhook. An unknown ID gives an Error for which IsNotFound is true.
func (c *Client) GetWebhook(ctx context.Context, webhookID string) (Webhook, error) {
	var w Webhook
	err := c.do(ctx, request{
		op:     "get webhook " + webhookID,
		method: http.MethodGet,
		verb:   "get-webhook",
		query:  url.Values{"webhookId": {webhookID}},
	}, &w)
	return w, err
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
		return TriggerResult{}, &Error{Operation: op, Outcome: NotFired, Err: errors.New("the webhook ID is empty")}
	}
	body := map[string]any{"webhookId": in.WebhookID}
	if len(in.RequestHeaders) > 0 {
		body["requestHeaders"] = in.RequestHeaders
	}
	if len(in.RequestBody) > 0 {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(in.RequestBody, &obj); err != nil || obj == nil {
			return TriggerResult{}, &Error{Operation: op, Outcome: NotFired, Err: errors.New("the request body must be a JSON object")}
		}
		body["requestBody"] = in.RequestBody
	}
	var data struct {
		Response json.RawMessage `json:"response"`
	}
	err := c.do(ctx, request{op: op, method: http.MethodPost, verb: "trigger-webhook", body: body, once: true}, &data)
	if err != nil {
		return TriggerResult{}, err
	}
	resp := []byte("null")
	if len(data.Response) > 0 {
		canon, cerr := CanonicalJSON(data.Response)
		if cerr != nil {
			return TriggerResult{}, &Error{Operation: op, HTTPStatus: 200, StatusCode: 200, Outcome: MayHaveFired, Err: cerr}
		}
		resp = canon
	}
	return TriggerResult{Response: string(resp)}, nil
}
