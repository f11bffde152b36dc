package authing

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

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
	// Response is data.response of the answer in canonical JSON ("null" when absent),
	// with every secret the client knows replaced by SecretMarker.
	Response string
}

// TriggerWebhook asks Authing to call a webhook once. It is not idempotent: it is retried
// only after answers that prove the request was not processed (HTTP 429, a refused token,
// a request that never left). Any other failure is returned with Outcome set.
//
// An endpoint may echo the request it got, the webhook's secret header included, so the
// answer is masked (see SecretMarker) of the webhook's secret, the access key secret and
// the tokens. The webhook's secret is read with get-webhook before the first firing of
// each webhook (once per webhook for the client's life); when it cannot be read, nothing
// is fired and the error says why, with Outcome NotProcessed.
func (c *Client) TriggerWebhook(ctx context.Context, in TriggerInput) (TriggerResult, error) {
	res, err := c.triggerWebhook(ctx, in)
	return res, c.secrets.maskError(err)
}

func (c *Client) triggerWebhook(ctx context.Context, in TriggerInput) (TriggerResult, error) {
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
	if err := c.learnWebhookSecret(ctx, in.WebhookID); err != nil {
		return TriggerResult{}, secretReadError(op, err)
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
		canon, cerr := c.secrets.maskJSON(data.Response)
		if cerr != nil {
			e := answerError(op, cerr)
			e.Outcome = MayHaveTakenEffect
			return TriggerResult{}, e
		}
		resp = canon
	}
	return TriggerResult{Response: string(resp)}, nil
}
