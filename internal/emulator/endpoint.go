package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// EndpointFailureStyle is how trigger-webhook answers when the webhook's endpoint fails:
// refuses the connection, cuts it, times out, or answers a status other than 2xx. No
// Authing document says which of these the real API does (DESIGN.md, "What Authing
// documents, and where it is silent"), so the emulator plays each.
type EndpointFailureStyle string

const (
	// EndpointFailureCodes answers with the business codes of Authing's error-code table:
	// statusCode 601 (EndpointRequestError) when the endpoint gave no answer, 602
	// (EndpointResponseError) when it answered a status other than 2xx. It is the default:
	// these are the only documented codes about calling someone else's endpoint.
	EndpointFailureCodes EndpointFailureStyle = "codes"
	// EndpointFailureRelay answers statusCode 200 whatever happened, with data.response
	// holding what came back: the answer's JSON, its text as a string (an HTML page), ""
	// for an empty body, or null when there was no answer at all. The C# SDK's trigger test
	// hints at this. Only the delivery logs then tell a failure.
	EndpointFailureRelay EndpointFailureStyle = "relay"
)

// DefaultDeliveryTimeout is how long a delivery waits for the endpoint's answer. Authing
// does not document its own; the legacy logs' "ERRTIMEOUT" says only that it has one.
const DefaultDeliveryTimeout = 30 * time.Second

// The statusCodes of Authing's error-code table for a third-party endpoint.
const (
	statusEndpointRequestError  = 601
	statusEndpointResponseError = 602
)

// delivery is what came of one delivery: an answer (status, headers, body), or none.
type delivery struct {
	// answered is true when the endpoint sent an HTTP answer.
	answered bool
	status   int
	headers  map[string]string
	// body is the answer's JSON, its text as a string, "" when empty; nil without answer.
	body any
	// failure is the log's errorMessage, in the wording of Authing's logs (axios's): empty
	// for a 2xx answer.
	failure string
}

func (d delivery) success() bool { return d.answered && d.status >= 200 && d.status < 300 }

// SetEndpointFailure changes how trigger-webhook answers an endpoint's failure.
func (s *Server) SetEndpointFailure(style EndpointFailureStyle) error {
	if err := checkEndpointFailure(style); err != nil {
		return err
	}
	s.mu.Lock()
	s.opts.EndpointFailure = style
	s.mu.Unlock()
	return nil
}

func checkEndpointFailure(style EndpointFailureStyle) error {
	switch style {
	case EndpointFailureCodes, EndpointFailureRelay:
		return nil
	}
	return fmt.Errorf("emulator: endpoint-failure style %q is neither %q nor %q", style, EndpointFailureCodes, EndpointFailureRelay)
}

// triggerAnswer is trigger-webhook's answer to a delivery, in the server's current style.
func (s *Server) triggerAnswer(d delivery) (any, *apiError) {
	s.mu.Lock()
	style := s.opts.EndpointFailure
	s.mu.Unlock()
	if style == EndpointFailureRelay || d.success() {
		return map[string]any{"response": d.body}, nil
	}
	// Authing's error table gives these codes no apiCode; the message names the error as
	// the table does, then says what happened.
	if !d.answered {
		return nil, &apiError{statusCode: statusEndpointRequestError, message: "EndpointRequestError: the request to the webhook's URL failed: " + d.failure}
	}
	return nil, &apiError{statusCode: statusEndpointResponseError, message: fmt.Sprintf("EndpointResponseError: the webhook's URL answered HTTP %d", d.status)}
}

// deliver sends one request to the webhook's URL. It counts the delivery before sending,
// so that a delivery the endpoint saw is always counted.
//
// It sends what Authing's webhook guide and the OpenAPI log example show every delivery
// carrying: user-agent authing-webhook@2.0, Accept, the secret in X-Authing-Token and
// x-authing-webhook-secret when the webhook has one, x-authing-userpool-id, and the
// trigger's request headers, with the body in the webhook's content type.
func (s *Server) deliver(w *webhookRecord, headers map[string]string, body map[string]any) delivery {
	u, err := url.Parse(w.URL)
	if err != nil || !isLoopback(u.Hostname()) || (u.Scheme != "http" && u.Scheme != "https") {
		return delivery{failure: "the emulator delivers only to http(s) URLs on loopback addresses", headers: map[string]string{}}
	}
	var payload []byte
	if w.ContentType == contentTypeForm {
		form := url.Values{}
		for k, v := range body {
			if str, ok := v.(string); ok {
				form.Set(k, str)
				continue
			}
			b, _ := json.Marshal(v)
			form.Set(k, string(b))
		}
		payload = []byte(form.Encode())
	} else {
		payload, _ = json.Marshal(body)
	}
	s.mu.Lock()
	timeout := s.opts.DeliveryTimeout
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(payload))
	if err != nil {
		return delivery{failure: err.Error(), headers: map[string]string{}}
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	s.mu.Lock()
	s.stats.Deliveries++
	if s.stats.DeliveriesByWebhook == nil {
		s.stats.DeliveriesByWebhook = map[string]int{}
	}
	s.stats.DeliveriesByWebhook[w.WebhookID]++
	s.mu.Unlock()
	resp, err := s.delivery.Do(req)
	if err != nil {
		return delivery{failure: requestFailure(err, u.Host), headers: map[string]string{}}
	}
	defer resp.Body.Close()
	d := delivery{answered: true, status: resp.StatusCode, headers: map[string]string{}}
	for name := range resp.Header {
		d.headers[strings.ToLower(name)] = resp.Header.Get(name)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		// Headers came, the body did not: no answer to relay.
		return delivery{failure: requestFailure(err, u.Host), headers: map[string]string{}}
	}
	var parsed json.RawMessage
	if json.Unmarshal(raw, &parsed) == nil {
		d.body = parsed
	} else {
		d.body = string(raw)
	}
	if !d.success() {
		d.failure = fmt.Sprintf("Request failed with status code %d", d.status)
	}
	return d
}

// requestFailure words a delivery that got no answer as Authing's logs do: "ERRTIMEOUT"
// (the OpenAPI log example) for a timeout, and Node's wording otherwise, since the legacy
// logs' other messages are axios's.
func requestFailure(err error, host string) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return "ERRTIMEOUT"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connect ECONNREFUSED " + host
	case errors.Is(err, syscall.ECONNRESET):
		return "read ECONNRESET"
	}
	return "socket hang up"
}
