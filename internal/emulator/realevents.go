package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// EmitEvent sends a real event to a webhook, as Authing does when, say, a user is created:
// a POST to the webhook's URL with the body {"eventName": ..., "data": ...} in the
// webhook's content type and Authing's own headers (no trigger's headers, so no
// Idempotency-Key), logged like any delivery with its request body and headers. A
// delivery that fails (the receiver is down or answers non-2xx) is logged with success
// false, and is not an error: the event was sent. The error says why nothing was sent: an
// unknown webhook, an event name Authing does not have, a webhook that is disabled or
// does not subscribe to the event (Authing sends it only the events it subscribes to).
func (s *Server) EmitEvent(webhookID, eventName string, data map[string]any) error {
	_, err := s.emitEvent(webhookID, eventName, data, nil)
	return err
}

func (s *Server) emitEvent(webhookID, eventName string, data map[string]any, headers map[string]string) (delivery, error) {
	w, aerr := s.lookup(webhookID)
	if aerr != nil {
		return delivery{}, fmt.Errorf("emulator: %s", aerr.message)
	}
	switch {
	case eventName == "":
		return delivery{}, fmt.Errorf("emulator: name the event to emit, such as user:created")
	case !validEvent(eventName):
		return delivery{}, fmt.Errorf("emulator: %q is not an Authing event; get-webhook-event-list lists them", eventName)
	case !w.Enabled:
		return delivery{}, fmt.Errorf("emulator: webhook %s is disabled: Authing sends it no events", webhookID)
	case !slices.Contains(w.Events, eventName):
		return delivery{}, fmt.Errorf("emulator: webhook %s does not subscribe to %s (it has %s): Authing would not send it", webhookID, eventName, strings.Join(w.Events, ", "))
	}
	if data == nil {
		data = map[string]any{}
	}
	body := map[string]any{"eventName": eventName, "data": data}
	sent := deliveryHeaders(w, w.pool, headers)
	d := s.deliver(w, sent, body)
	s.logDelivery(w, body, sent, d)
	return d, nil
}

// serveEvents serves POST /_emulator/events, {"webhookId", "eventName", "data"} and
// optionally "requestHeaders": EmitEvent over HTTP, answering what came of the delivery.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"message": `POST {"webhookId": ..., "eventName": ..., "data": {...}}`})
		return
	}
	var in struct {
		WebhookID      string            `json:"webhookId"`
		EventName      string            `json:"eventName"`
		Data           map[string]any    `json:"data"`
		RequestHeaders map[string]string `json:"requestHeaders"`
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": `the body must be {"webhookId": "...", "eventName": "...", "data": {...}}, with optional "requestHeaders": ` + err.Error()})
		return
	}
	d, err := s.emitEvent(in.WebhookID, in.EventName, in.Data, in.RequestHeaders)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": err.Error()})
		return
	}
	out := map[string]any{"success": d.success(), "responseStatusCode": d.status}
	if d.failure != "" {
		out["errorMessage"] = d.failure
	}
	writeJSON(w, http.StatusOK, out)
}
