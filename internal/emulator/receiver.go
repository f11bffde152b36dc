package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The receiver's contract, which live acceptance tests rely on and which any endpoint can
// meet (README, "Testing against your own Authing user pool"): answer 2xx with a JSON
// object
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
