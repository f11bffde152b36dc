package emulator

import (
	"strings"
	"time"
)

// triggerWebhook delivers one request to the webhook's URL and answers, in the server's
// endpoint-failure style, with what came back.
func (s *Server) triggerWebhook(c *call) (any, *apiError) {
	var id string
	if _, e := field(c, "webhookId", &id); e != nil {
		return nil, e
	}
	w, e := s.lookup(id)
	if e != nil {
		return nil, e
	}
	headers := map[string]string{}
	if _, e := field(c, "requestHeaders", &headers); e != nil {
		return nil, badRequest("requestHeaders must be an object of strings")
	}
	var body map[string]any
	present, e := field(c, "requestBody", &body)
	if e != nil {
		return nil, badRequest("requestBody must be an object")
	}
	if !present {
		body = map[string]any{"eventName": "test", "data": map[string]any{"description": "A test event from the Authing emulator"}}
	}
	sent := deliveryHeaders(w, c.pool, headers)
	d := s.deliver(w, sent, body)
	s.logDelivery(w, body, sent, d)
	return s.triggerAnswer(d)
}

// deliveryHeaders are the headers of a delivery: the trigger's, then Authing's own, which
// a trigger cannot override. Delivery logs show them all, the secret included.
func deliveryHeaders(w *webhookRecord, pool string, trigger map[string]string) map[string]string {
	h := make(map[string]string, len(trigger)+6)
	for k, v := range trigger {
		h[strings.ToLower(k)] = v
	}
	h["accept"] = webhookAccept
	h["content-type"] = w.ContentType
	h["user-agent"] = webhookUserAgent
	h["x-authing-userpool-id"] = pool
	for _, name := range secretHeaders {
		if w.Secret != "" {
			h[name] = w.Secret
		} else {
			delete(h, name)
		}
	}
	return h
}

// logDelivery records a delivery in the webhook's logs, with its request body and headers
// as sent, and what came back: a failure's errorMessage, a status of 0 and null bodies
// when there was no answer.
func (s *Server) logDelivery(w *webhookRecord, body map[string]any, headers map[string]string, d delivery) {
	entry := webhookLog{
		WebhookID:          w.WebhookID,
		EventName:          "test",
		RequestBody:        body,
		RequestHeaders:     headers,
		ResponseStatusCode: d.status,
		ResponseHeaders:    d.headers,
		ResponseBody:       d.body,
		Success:            d.success(),
		ErrorMessage:       d.failure,
	}
	if name, ok := body["eventName"].(string); ok {
		entry.EventName = name
	}
	s.mu.Lock()
	if live, ok := s.byID[w.WebhookID]; ok {
		// Milliseconds, as Authing records them, and strictly rising, so that the order of
		// a webhook's logs can always be told from their timestamps.
		at := time.Now().Truncate(time.Millisecond)
		if !at.After(live.lastLog) {
			at = live.lastLog.Add(time.Millisecond)
		}
		live.lastLog = at
		entry.Timestamp = at.In(logZone).Format(logTimeLayout)
	}
	s.mu.Unlock()
	record := func() {
		s.mu.Lock()
		if live, ok := s.byID[w.WebhookID]; ok {
			live.logs = append(live.logs, entry)
		}
		s.mu.Unlock()
	}
	if s.opts.LogDelay > 0 {
		time.AfterFunc(s.opts.LogDelay, record)
		return
	}
	record()
}
