package authing

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"time"
)

// isoTime matches the ISO 8601 date-times Authing may send: the OpenAPI document shows
// "2022-07-03T02:20:30.000Z" for webhooks and "2022-09-20T08:55:00.188+0800" (an offset
// without a colon) for logs. Any fraction of a second is read; a time without a zone is
// not, since its instant is unknown.
var isoTime = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}(?::?\d{2})?)$`)

// parseTimestamp reads a JSON timestamp: an ISO 8601 string with a zone, or a number of
// milliseconds since the epoch written as a JSON number or a numeric string. It returns
// the instant and the same time as RFC 3339 text: the text as sent when it already is
// RFC 3339 (so that a value stored earlier does not change), otherwise rendered in the
// offset sent with the fraction's digits kept. ok is false for anything else.
func parseTimestamp(raw json.RawMessage) (t time.Time, rfc3339 string, ok bool) {
	if ms, ok := epochMillis(raw); ok {
		t = time.UnixMilli(ms).UTC()
		return t, t.Format("2006-01-02T15:04:05.000Z07:00"), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, "", false
	}
	s = strings.TrimSpace(s)
	m := isoTime.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, "", false
	}
	zone := strings.ToUpper(m[4])
	switch {
	case zone == "Z":
	case len(zone) == 3: // +08
		zone += ":00"
	case len(zone) == 5: // +0800
		zone = zone[:3] + ":" + zone[3:]
	}
	text := m[1] + "T" + m[2] + m[3] + zone
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return time.Time{}, "", false
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		text = s
	}
	return t, text, true
}

// epochMillis reads a whole number of milliseconds, written as a JSON number or as a
// string holding one (encoding/json reads both into a json.Number).
func epochMillis(raw json.RawMessage) (int64, bool) {
	var n json.Number
	if json.Unmarshal(bytes.TrimSpace(raw), &n) != nil || n == "" {
		return 0, false
	}
	if ms, err := n.Int64(); err == nil {
		return ms, true
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}
