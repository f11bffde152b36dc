package authing

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// WebhookInput is what CreateWebhook and UpdateWebhook send. Nil fields are left out,
// which UpdateWebhook reads as "unchanged".
type WebhookInput struct {
	Name        *string   `json:"name,omitempty"`
	URL         *string   `json:"url,omitempty"`
	Events      *[]string `json:"events,omitempty"`
	ContentType *string   `json:"contentType,omitempty"`
	Enabled     *bool     `json:"enabled,omitempty"`
	Secret      *string   `json:"secret,omitempty"`
	// RetryConfig, when nil, is not sent, and Authing keeps its own.
	RetryConfig *RetryConfig `json:"retryConfig,omitempty"`
}

// CreateWebhook creates a webhook. It is not idempotent: like a trigger, it is retried
// only when the request surely was not processed, and a failure carries an Outcome.
func (c *Client) CreateWebhook(ctx context.Context, in WebhookInput) (Webhook, error) {
	c.rememberSent(in)
	var w Webhook
	err := c.do(ctx, request{op: "create webhook", method: http.MethodPost, path: "create-webhook", body: in, nonIdempotent: true}, &w)
	if err == nil && w.WebhookID == "" {
		e := answerError("create webhook", errors.New("the answer holds no webhookId"))
		e.Outcome = MayHaveTakenEffect
		return Webhook{}, e
	}
	c.rememberAnswer(w, err)
	return w, err
}

// UpdateWebhook changes the given fields of a webhook. Sending the same update twice has
// the same effect as once, so it is retried like a read.
func (c *Client) UpdateWebhook(ctx context.Context, webhookID string, in WebhookInput) (Webhook, error) {
	body := struct {
		WebhookID string `json:"webhookId"`
		WebhookInput
	}{webhookID, in}
	c.rememberSent(in)
	var w Webhook
	op := "update webhook " + webhookID
	err := c.do(ctx, request{op: op, method: http.MethodPost, path: "update-webhook", body: body}, &w)
	if err == nil && w.WebhookID != webhookID {
		return Webhook{}, answerError(op, fmt.Errorf("the answer is about webhook %q, not the one updated", w.WebhookID))
	}
	c.rememberAnswer(w, err)
	return w, err
}

// DeleteWebhook deletes a webhook. Deleting one that does not exist is not an error; an
// answer of data.success false is (see refused): the webhook was not deleted.
func (c *Client) DeleteWebhook(ctx context.Context, webhookID string) error {
	body := map[string][]string{"webhookIds": {webhookID}}
	return c.do(ctx, request{op: "delete webhook " + webhookID, method: http.MethodPost, path: "delete-webhook", body: body}, nil)
}

// rememberSent adds a secret being sent to the secrets the client masks, before the
// call, so that an error quoting it is masked too.
func (c *Client) rememberSent(in WebhookInput) {
	if in.Secret != nil {
		c.secrets.add(*in.Secret)
	}
}

// rememberAnswer adds the secret of a webhook an answer describes. The webhook's secret
// counts as read only when the answer shows it: an update that leaves the secret out
// says nothing about it.
func (c *Client) rememberAnswer(w Webhook, err error) {
	if err == nil && w.Secret != "" {
		c.secrets.add(w.Secret)
		c.hookSecrets.settled(w.WebhookID)
	}
}
