package authing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxWebhookLogs is the most delivery logs GetWebhookLogs returns.
const MaxWebhookLogs = 200

// secretHeaders are the headers in which Authing sends a webhook's secret: its webhook
// guide names X-Authing-Token, and the OpenAPI document's log example carries the secret
// under both names.
var secretHeaders = []string{"x-authing-token", "x-authing-webhook-secret"}

// WebhookLog is one delivery of a webhook, as get-webhook-logs reports it.
type WebhookLog struct {
	WebhookID string
	EventName string
	// RequestBody and ResponseBody are the JSON the API sent (any JSON value), in
	// canonical JSON with every secret the client knows replaced by SecretMarker (see
	// TriggerWebhook): an endpoint may echo the request, secret headers included.
	RequestBody  json.RawMessage
	ResponseBody json.RawMessage
	// RequestHeaders and ResponseHeaders have lower-case names and text values (JSON text
	// for values that are not strings). Headers that carry a secret are left out: those
	// named in secretHeaders, in any letter case, and any whose value is a secret the
	// client knows (the webhook's, the access key secret, a token); secrets inside the
	// other values are masked. ErrorMessage and EventName are masked too.
	RequestHeaders     map[string]string
	ResponseHeaders    map[string]string
	ResponseStatusCode int
	// Timestamp is the delivery's time in RFC 3339, and Time the same instant.
	Timestamp    string
	Time         time.Time
	Success      bool
	ErrorMessage string
}

// wireLog is a WebhookLogDto as the API sends it.
type wireLog struct {
	WebhookID          string          `json:"webhookId"`
	EventName          string          `json:"eventName"`
	RequestBody        json.RawMessage `json:"requestBody"`
	RequestHeaders     json.RawMessage `json:"requestHeaders"`
	ResponseStatusCode int             `json:"responseStatusCode"`
	ResponseHeaders    json.RawMessage `json:"responseHeaders"`
	ResponseBody       json.RawMessage `json:"responseBody"`
	Timestamp          json.RawMessage `json:"timestamp"`
	Success            bool            `json:"success"`
	ErrorMessage       string          `json:"errorMessage"`
}

// GetWebhookLogs returns up to limit (1 to MaxWebhookLogs) of a webhook's latest
// deliveries, newest first by their timestamps. A webhook that does not exist is an error
// (see webhookExists).
//
// Nothing documents the order in which the API lists logs, nor whether it serves the
// limit asked. The first page tells the page size served; the timestamps of the list's
// two ends tell the order, with local disorder tolerated (LogDisorder). When the latest
// cannot be told, the call fails rather than return deliveries that may be the wrong
// ones. The pages holding the latest entries are fetched concurrently, like a listing.
func (c *Client) GetWebhookLogs(ctx context.Context, webhookID string, limit int) ([]WebhookLog, error) {
	if webhookID == "" || limit < 1 || limit > MaxWebhookLogs {
		return nil, &Error{Operation: "get webhook logs " + webhookID, Err: fmt.Errorf("need a webhook ID and a limit between 1 and %d", MaxWebhookLogs)}
	}
	if err := c.webhookExists(ctx, webhookID); err != nil {
		return nil, c.secrets.maskError(err)
	}
	logs, err := c.webhookLogs(ctx, webhookID, limit)
	return logs, c.secrets.maskError(err)
}

// webhookExists fails for a webhook that get-webhook says does not exist: Authing answers
// the logs of an unknown webhook with an empty list, which must not pass for a webhook
// never delivered to. It is the read that learns the webhook's secret, done once per
// webhook per process, so it costs the logs read no extra call; any other failure is left
// to webhookLogs.
func (c *Client) webhookExists(ctx context.Context, webhookID string) error {
	if err := c.learnWebhookSecret(ctx, webhookID); IsNotFound(err) {
		return err
	}
	return nil
}

// webhookLogs reads the logs, masked of the webhook's secret (read once per webhook, see
// learnWebhookSecret) and of every other secret the client knows. A webhook that does not
// exist has no secret to learn; any other failure to read it fails the read, since the
// logs' bodies may carry it. The order and the choice of the latest are latestLogs'
// (logorder.go).
func (c *Client) webhookLogs(ctx context.Context, webhookID string, limit int) ([]WebhookLog, error) {
	op := "get webhook logs " + webhookID
	if err := c.learnWebhookSecret(ctx, webhookID); err != nil && !IsNotFound(err) {
		return nil, secretReadError(op, err)
	}
	secrets := c.secrets.list()
	latest, err := c.latestLogs(ctx, webhookID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]WebhookLog, len(latest))
	for i, l := range latest {
		out[i] = c.publicLog(l, secrets)
	}
	return out, nil
}

// publicLog is a log as the client hands it out: every text that may hold a secret
// masked, and the headers that carry one dropped (scrubHeaders).
func (c *Client) publicLog(l timedLog, secrets []string) WebhookLog {
	return WebhookLog{
		WebhookID: l.WebhookID, EventName: c.secrets.maskText(l.EventName),
		RequestBody: c.secrets.maskRaw(l.RequestBody), ResponseBody: c.secrets.maskRaw(l.ResponseBody),
		RequestHeaders:     c.scrubHeaders(l.RequestHeaders, secrets),
		ResponseHeaders:    c.scrubHeaders(l.ResponseHeaders, secrets),
		ResponseStatusCode: l.ResponseStatusCode, Timestamp: l.text, Time: l.at, Success: l.Success,
		ErrorMessage: c.secrets.maskString(l.ErrorMessage),
	}
}

// scrubHeaders renders logged headers as lower-case names and text values, without the
// headers that carry a secret, and with every secret in the others masked.
func (c *Client) scrubHeaders(raw json.RawMessage, secrets []string) map[string]string {
	out := map[string]string{}
	var headers map[string]json.RawMessage
	if json.Unmarshal(raw, &headers) != nil {
		return out
	}
	for name, v := range headers {
		name = strings.ToLower(name)
		var text string
		if json.Unmarshal(v, &text) != nil {
			var compact bytes.Buffer
			if json.Compact(&compact, v) == nil {
				text = compact.String()
			}
		}
		if slices.Contains(secretHeaders, name) || isSecret(strings.TrimSpace(text), secrets) {
			continue
		}
		out[c.secrets.maskText(name)] = c.secrets.maskString(text)
	}
	return out
}

func isSecret(value string, secrets []string) bool {
	return value != "" && slices.Contains(secrets, value)
}

func (c *Client) logPage(ctx context.Context, webhookID string, page, limit int) (pageData[wireLog], error) {
	var p pageData[wireLog]
	err := c.do(ctx, request{
		op:     "get webhook logs " + webhookID + " (page " + strconv.Itoa(page) + ")",
		method: http.MethodPost,
		path:   "get-webhook-logs",
		body:   map[string]any{"webhookId": webhookID, "page": page, "limit": limit},
	}, &p)
	return p, err
}
