package provider

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// liveAPI is the tests' own client of the target: raw envelopes, so that the report can
// say what the server answered, and a decoder that keeps only what a test asks for, so
// that the signing secrets of webhooks the tests did not create are never kept. It counts
// and spaces its requests (liveRequestBudget, liveRequestInterval).
type liveAPI struct {
	target *liveTarget
	http   *http.Client

	mu       sync.Mutex
	token    string
	pool     string
	sent     int
	lastSent time.Time
}

// liveUserAgent is the User-Agent of the tests' own client and of the sweeper: like the
// provider's, it names the project, and it says which part of it calls, so that the
// owner of a user pool can tell the tests' requests in Authing's logs.
const liveUserAgent = "terraform-provider-authing/" + authing.DevVersion + " (acceptance tests)"

func newLiveAPI(target *liveTarget) *liveAPI {
	return &liveAPI{target: target, http: &http.Client{
		Timeout: 30 * time.Second,
		// The API never redirects; a redirect would carry the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// liveAnswer is one answer of the API.
type liveAnswer struct {
	HTTPStatus int             `json:"-"`
	StatusCode int             `json:"statusCode"`
	APICode    int             `json:"apiCode"`
	Message    string          `json:"message"`
	Data       json.RawMessage `json:"data"`
}

func (a liveAnswer) ok() bool { return a.HTTPStatus == http.StatusOK && a.StatusCode == 200 }

func (a liveAnswer) String() string {
	return fmt.Sprintf("HTTP %d, statusCode %d, apiCode %d, message %q", a.HTTPStatus, a.StatusCode, a.APICode, a.Message)
}

// requests is how many requests the client has sent.
func (c *liveAPI) requests() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sent
}

// pace counts a request against the budget and waits for its slot.
func (c *liveAPI) pace(ctx context.Context) error {
	c.mu.Lock()
	if c.sent >= liveRequestBudget {
		c.mu.Unlock()
		return fmt.Errorf("the tests' own client has sent its %d requests", liveRequestBudget)
	}
	c.sent++
	wait := time.Until(c.lastSent.Add(liveRequestInterval))
	c.lastSent = time.Now().Add(max(wait, 0))
	c.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	select {
	case <-time.After(wait):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// send makes one request; headers replace the token's when given.
func (c *liveAPI) send(ctx context.Context, method, verb string, query url.Values, body any, headers http.Header) (liveAnswer, error) {
	if err := c.pace(ctx); err != nil {
		return liveAnswer{}, err
	}
	u := c.target.host + "/api/v3/" + verb
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var payload io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return liveAnswer{}, err
		}
		payload = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, payload)
	if err != nil {
		return liveAnswer{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("User-Agent", liveUserAgent)
	for k, v := range headers {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		// The error names the URL only; no header or body goes into it.
		return liveAnswer{}, fmt.Errorf("%s %s: %w", method, verb, errors.Unwrap(err))
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return liveAnswer{}, fmt.Errorf("%s %s: reading the answer: %w", method, verb, err)
	}
	a := liveAnswer{HTTPStatus: resp.StatusCode}
	if err := json.Unmarshal(raw, &a); err != nil {
		a.Message = "(not a JSON envelope)"
	}
	a.HTTPStatus = resp.StatusCode
	return a, nil
}

// authorize fetches a management token once.
func (c *liveAPI) authorize(ctx context.Context) (http.Header, error) {
	c.mu.Lock()
	tok, pool := c.token, c.pool
	c.mu.Unlock()
	if tok == "" {
		a, err := c.send(ctx, http.MethodPost, "get-management-token", nil,
			map[string]string{"accessKeyId": c.target.keyID, "accessKeySecret": c.target.secret}, nil)
		if err != nil {
			return nil, err
		}
		var data struct {
			AccessToken string `json:"access_token"`
		}
		if !a.ok() || json.Unmarshal(a.Data, &data) != nil || data.AccessToken == "" {
			return nil, fmt.Errorf("no management token: %s", a)
		}
		tok, pool = data.AccessToken, tokenPool(data.AccessToken, c.target.keyID)
		c.mu.Lock()
		c.token, c.pool = tok, pool
		c.mu.Unlock()
	}
	return http.Header{"Authorization": {"Bearer " + tok}, "X-Authing-Userpool-Id": {pool}}, nil
}

// tokenPool is the user pool a token is scoped to, or keyID when it does not say.
func tokenPool(jwt, keyID string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) == 3 {
		if raw, err := base64.RawURLEncoding.DecodeString(parts[1]); err == nil {
			var claims struct {
				Pool string `json:"scoped_userpool_id"`
			}
			if json.Unmarshal(raw, &claims) == nil && claims.Pool != "" {
				return claims.Pool
			}
		}
	}
	return keyID
}

// call makes an authorized request and returns the raw answer.
func (c *liveAPI) call(ctx context.Context, method, verb string, query url.Values, body any) (liveAnswer, error) {
	h, err := c.authorize(ctx)
	if err != nil {
		return liveAnswer{}, err
	}
	return c.send(ctx, method, verb, query, body, h)
}

// must makes an authorized request that must succeed, and decodes its data into out.
func (c *liveAPI) must(ctx context.Context, method, verb string, query url.Values, body, out any) error {
	a, err := c.call(ctx, method, verb, query, body)
	if err != nil {
		return err
	}
	if !a.ok() {
		return fmt.Errorf("%s: %s", verb, a)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(a.Data, out)
}

// liveWebhook is what the tests read of a webhook: never its secret.
type liveWebhook struct {
	WebhookID string   `json:"webhookId"`
	Name      string   `json:"name"`
	URL       string   `json:"url"`
	Enabled   bool     `json:"enabled"`
	Events    []string `json:"events"`
}

// listPage reads one page of webhooks.
func (c *liveAPI) listPage(ctx context.Context, page, limit int) (total int, list []liveWebhook, err error) {
	var data struct {
		TotalCount int           `json:"totalCount"`
		List       []liveWebhook `json:"list"`
	}
	q := url.Values{"page": {fmt.Sprint(page)}, "limit": {fmt.Sprint(limit)}}
	if err := c.must(ctx, http.MethodGet, "list-webhooks", q, nil, &data); err != nil {
		return 0, nil, err
	}
	return data.TotalCount, data.List, nil
}

// listWebhooks reads every webhook of the pool, whatever page size the server serves.
func (c *liveAPI) listWebhooks(ctx context.Context) ([]liveWebhook, error) {
	var all []liveWebhook
	for page := 1; ; page++ {
		total, list, err := c.listPage(ctx, page, 50)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
		if len(list) == 0 || len(all) >= total {
			return all, nil
		}
	}
}

// createWebhookFor creates a webhook of event "test" (a secret only when given) and returns
// its ID.
func (c *liveAPI) createWebhookFor(ctx context.Context, name, hookURL, secret string) (string, error) {
	var w liveWebhook
	body := map[string]any{"name": name, "url": hookURL, "events": []string{"test"}, "contentType": "application/json", "enabled": true}
	if secret != "" {
		body["secret"] = secret
	}
	if err := c.must(ctx, http.MethodPost, "create-webhook", nil, body, &w); err != nil {
		return "", err
	}
	if w.WebhookID == "" {
		return "", errors.New("create-webhook answered without a webhookId")
	}
	return w.WebhookID, nil
}

// createWebhook creates a webhook named by liveName and deletes it when the test ends.
func (c *liveAPI) createWebhook(t *testing.T, name, hookURL, secret string) string {
	t.Helper()
	id, err := c.createWebhookFor(t.Context(), name, hookURL, secret)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := c.must(ctx, http.MethodPost, "delete-webhook", nil, map[string][]string{"webhookIds": {id}}, nil); err != nil {
			t.Errorf("deleting the test's webhook: %v", err)
		}
	})
	return id
}

// trigger fires a webhook the test created with body.
func (c *liveAPI) trigger(ctx context.Context, id string, body map[string]any) error {
	return c.must(ctx, http.MethodPost, "trigger-webhook", nil, map[string]any{"webhookId": id, "requestBody": body}, nil)
}

// getWebhook reads a webhook the test created.
func (c *liveAPI) getWebhook(ctx context.Context, id string) (liveWebhook, liveAnswer, error) {
	a, err := c.call(ctx, http.MethodGet, "get-webhook", url.Values{"webhookId": {id}}, nil)
	if err != nil || !a.ok() {
		return liveWebhook{}, a, err
	}
	var w liveWebhook
	if len(a.Data) > 0 && string(a.Data) != "null" {
		err = json.Unmarshal(a.Data, &w)
	}
	return w, a, err
}

// liveLog is what the tests read of a delivery log: the secret headers are dropped as it
// is decoded.
type liveLog struct {
	Body      map[string]any
	Headers   map[string]string
	Timestamp json.RawMessage
	Success   bool
}

// webhookLogs reads the first page of a webhook's delivery logs, as served.
func (c *liveAPI) webhookLogs(ctx context.Context, id string) ([]liveLog, error) {
	var data struct {
		List []struct {
			RequestBody    json.RawMessage `json:"requestBody"`
			RequestHeaders map[string]any  `json:"requestHeaders"`
			Timestamp      json.RawMessage `json:"timestamp"`
			Success        bool            `json:"success"`
		} `json:"list"`
	}
	if err := c.must(ctx, http.MethodPost, "get-webhook-logs", nil, map[string]any{"webhookId": id, "page": 1, "limit": 50}, &data); err != nil {
		return nil, err
	}
	out := make([]liveLog, 0, len(data.List))
	for _, l := range data.List {
		log := liveLog{Headers: map[string]string{}, Timestamp: l.Timestamp, Success: l.Success}
		_ = json.Unmarshal(l.RequestBody, &log.Body)
		for k, v := range l.RequestHeaders {
			if k = strings.ToLower(k); k != "x-authing-webhook-secret" && k != "x-authing-token" {
				log.Headers[k] = fmt.Sprint(v)
			}
		}
		out = append(out, log)
	}
	return out, nil
}

// pollLogs reads a webhook's logs until ok accepts them or the deadline passes, and
// returns the last read.
func (c *liveAPI) pollLogs(ctx context.Context, id string, within time.Duration, ok func([]liveLog) bool) ([]liveLog, error) {
	deadline := time.Now().Add(within)
	for {
		logs, err := c.webhookLogs(ctx, id)
		if err != nil || ok(logs) || time.Now().After(deadline) {
			return logs, err
		}
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return logs, ctx.Err()
		}
	}
}
