package authing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// envelope is the object every Authing API answer is wrapped in.
type envelope struct {
	StatusCode int             `json:"statusCode"`
	Message    string          `json:"message"`
	APICode    int             `json:"apiCode"`
	RequestID  string          `json:"requestId"`
	Data       json.RawMessage `json:"data"`
}

// rawEnvelope accepts the numeric fields as any JSON value, because gateways and older
// deployments send them as strings.
type rawEnvelope struct {
	StatusCode json.RawMessage `json:"statusCode"`
	Message    json.RawMessage `json:"message"`
	APICode    json.RawMessage `json:"apiCode"`
	RequestID  json.RawMessage `json:"requestId"`
	Data       json.RawMessage `json:"data"`
}

// errNotEnvelope describes a body that is not an Authing answer, without quoting JSON
// decoder internals to the user.
type errNotEnvelope struct{ snippet string }

func (e errNotEnvelope) Error() string {
	if e.snippet == "" {
		return "the answer had an empty body, not an Authing API response"
	}
	return fmt.Sprintf("the answer is not an Authing API response (it starts with %q)", e.snippet)
}

// decodeEnvelope parses an answer body. A body that is not a JSON object with a numeric
// statusCode gives errNotEnvelope.
func decodeEnvelope(body []byte) (envelope, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return envelope{}, errNotEnvelope{snippet: snippet(trimmed)}
	}
	var raw rawEnvelope
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return envelope{}, errNotEnvelope{snippet: snippet(trimmed)}
	}
	status, ok := jsonInt(raw.StatusCode)
	if !ok {
		return envelope{}, errNotEnvelope{snippet: snippet(trimmed)}
	}
	apiCode, _ := jsonInt(raw.APICode)
	return envelope{
		StatusCode: status,
		APICode:    apiCode,
		Message:    jsonText(raw.Message),
		RequestID:  jsonText(raw.RequestID),
		Data:       raw.Data,
	}, nil
}

// jsonInt reads an integer written as a JSON number or a numeric string.
func jsonInt(raw json.RawMessage) (int, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, false
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		n = json.Number(strings.TrimSpace(s))
	}
	i, err := strconv.Atoi(n.String())
	if err != nil {
		return 0, false
	}
	return i, true
}

// jsonText reads a JSON string, or renders any other JSON value as text.
func jsonText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// snippet returns the start of a body, cut at a rune boundary, for error messages.
func snippet(body []byte) string {
	const limit = 120
	// Cut at limit bytes, then back to a rune boundary, so that the text stays valid UTF-8.
	if len(body) > limit {
		body = body[:limit]
		for len(body) > 0 && !utf8.Valid(body) {
			body = body[:len(body)-1]
		}
	}
	return strings.Join(strings.Fields(string(body)), " ")
}
