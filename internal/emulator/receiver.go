package emulator

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The receiver's contract, which live acceptance tests rely on and which any endpoint can
// meet (CONTRIBUTING.md, "Live mode: testing against your own Authing user pool"): answer
// 2xx with a JSON object
//
//	{"method": "POST", "headers": {"<lower-case name>": "<value>", ...}, "body": <what came>}
//
// where body is the request's JSON, a form body as an object of its fields, or else the
// text as a string. The secret headers' values are replaced by "(set)", so that an echo,
// which Authing stores in its delivery logs and the provider in Terraform state, never
// carries a webhook's secret.

// maxReceivedBody bounds what a receiver reads of one delivery.
const maxReceivedBody = 1 << 20

// echo is the contract's answer to r, whose body was raw.
func echo(r *http.Request, raw []byte) map[string]any {
	headers := map[string]string{}
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		name := strings.ToLower(k)
		headers[name] = strings.Join(r.Header.Values(k), ", ")
		if slices.Contains(secretHeaders, name) {
			headers[name] = "(set)"
		}
	}
	var body any = string(raw)
	var parsed json.RawMessage
	if json.Unmarshal(raw, &parsed) == nil {
		body = parsed
	} else if form, err := url.ParseQuery(string(raw)); err == nil && strings.HasPrefix(r.Header.Get("Content-Type"), contentTypeForm) {
		flat := map[string]string{}
		for k := range form {
			flat[k] = form.Get(k)
		}
		body = flat
	}
	return map[string]any{"method": r.Method, "headers": headers, "body": body}
}

// answerStatus is the status a receiver answers with: ?status=N (200 to 599), or 200.
func answerStatus(r *http.Request) int {
	if v, err := strconv.Atoi(r.URL.Query().Get("status")); err == nil && v >= 200 && v <= 599 {
		return v
	}
	return http.StatusOK
}

// ReceiverHandler serves the receiver alone, at every path: it answers each request with
// the contract's echo. It keeps nothing, so it can serve on a public host for a live run.
func ReceiverHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(io.LimitReader(r.Body, maxReceivedBody))
		writeJSON(w, answerStatus(r), echo(r, raw))
	})
}

// ReceivedRequest is one request that reached the built-in receiver.
type ReceivedRequest struct {
	Method string
	Path   string
	// Query is the URL's raw query.
	Query   string
	Headers http.Header
	Body    string
	// Status is the status the receiver answered; 0 when it cut the connection.
	Status int
}

// Received returns the requests that reached the built-in receiver, oldest first, those it
// failed or cut included (Status tells).
func (s *Server) Received() []ReceivedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ReceivedRequest(nil), s.received...)
}

// secretMatches reports whether a delivery to the receiver carries the secret of a webhook
// whose URL is this receiver's, in X-Authing-Token or x-authing-webhook-secret, and no
// other value in either: the check a real endpoint makes to refuse forged calls. A webhook
// without a secret never matches.
func (s *Server) secretMatches(r *http.Request) bool {
	var got []string
	for _, name := range secretHeaders {
		got = append(got, r.Header.Values(name)...)
	}
	if len(got) == 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.webhooks {
		u, err := url.Parse(w.URL)
		if err != nil || u.Path != r.URL.Path || w.Secret == "" {
			continue
		}
		if !slices.ContainsFunc(got, func(v string) bool { return subtle.ConstantTimeCompare([]byte(w.Secret), []byte(v)) != 1 }) {
			return true
		}
	}
	return false
}

// serveReceiver answers webhook deliveries with the contract's echo (receiver.go) and what
// only the emulator can tell: whether the secret matched, and the receiver's name; or as
// the receiver's behaviour says (receivers.go): a given status and body, a failure, a cut
// connection.
func (s *Server) serveReceiver(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, maxReceivedBody))
	name := strings.TrimPrefix(r.URL.Path, "/_emulator/receiver/")
	act, err := s.receiverAction(name, r.URL.Query())
	got := ReceivedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Headers: r.Header.Clone(), Body: string(raw)}
	if !act.cut {
		got.Status = act.status
	}
	s.mu.Lock()
	s.stats.ReceiverHits++
	s.received = append(s.received, got)
	s.mu.Unlock()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "the receiver's URL declares a behaviour it cannot play: " + err.Error()})
		return
	}
	if act.delay > 0 {
		t := time.NewTimer(act.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if act.cut {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	if act.body != nil {
		writeBody(w, act.status, *act.body)
		return
	}
	answer := echo(r, raw)
	answer["received"] = true
	answer["secretMatched"] = s.secretMatches(r)
	answer["receiver"] = name
	answer["contentType"] = r.Header.Get("Content-Type")
	writeJSON(w, act.status, answer)
}

// writeBody answers with a given body, in the content type its text suggests.
func writeBody(w http.ResponseWriter, status int, body string) {
	trimmed := strings.TrimSpace(body)
	switch {
	case body == "":
	case json.Valid([]byte(body)):
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	case strings.HasPrefix(trimmed, "<"):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}
