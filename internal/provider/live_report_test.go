package provider

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The report of a live run: what the server answered where DESIGN.md says Authing's
// documentation is silent, each marked "as assumed" (what the emulator plays by default
// and the provider was first built for) or "differs", with IDs and secrets masked.

// finding is one behaviour's answer.
type finding struct {
	behaviour, assumed, answer string
	asAssumed                  bool
}

// report collects the findings of a live run.
var report liveReport

type liveReport struct {
	mu       sync.Mutex
	findings map[string]finding
}

// Keys of the findings, in the report's order.
const (
	findingNotFound            = "not-found"
	findingPageSize            = "page-size"
	findingOversizedLimit      = "oversized-limit"
	findingLogOrder            = "log-order"
	findingTimestamp           = "timestamp"
	findingDeleteData          = "delete-data"
	findingDeleteUnknown       = "delete-unknown"
	findingSignatureFailure    = "signature-failure"
	findingManualTriggersInLog = "manual-triggers-logged"
)

var findingOrder = []string{
	findingNotFound, findingPageSize, findingOversizedLimit, findingLogOrder, findingTimestamp,
	findingDeleteData, findingDeleteUnknown, findingSignatureFailure, findingManualTriggersInLog,
}

func (r *liveReport) set(key string, f finding) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.findings == nil {
		r.findings = map[string]finding{}
	}
	r.findings[key] = f
}

func (r *liveReport) setManualTriggersLogged(logged bool) {
	answer := "no delivery log within the wait"
	if logged {
		answer = "listed in get-webhook-logs"
	}
	r.set(findingManualTriggersInLog, finding{"Do manual triggers (trigger-webhook) appear in the delivery logs?", "yes", answer, logged})
}

// recordLogs records the order and timestamp format of a first page of logs with at least
// two deliveries made one after the other.
func (r *liveReport) recordLogs(logs []liveLog) {
	first, err1 := logTimestamp(logs[0].Timestamp)
	last, err2 := logTimestamp(logs[len(logs)-1].Timestamp)
	if err1 == nil && err2 == nil {
		order := "newest first"
		if first.Before(last) {
			order = "oldest first"
		}
		r.set(findingLogOrder, finding{"Order of get-webhook-logs", "newest first (the provider reads either)", order, order == "newest first"})
	}
	form := timestampForm(logs[0].Timestamp)
	r.set(findingTimestamp, finding{"Type and format of a log's timestamp", "an ISO 8601 string (RFC 3339, or with a +hhmm offset as documented) or epoch milliseconds",
		fmt.Sprintf("%s, such as %s", form, string(logs[0].Timestamp)), form != "unrecognised"})
}

var (
	isoNoColon   = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d{4}$`)
	epochMillis  = regexp.MustCompile(`^\d{12,14}$`)
	maskPatterns = regexp.MustCompile(`[0-9a-fA-F]{16,}|[A-Za-z0-9_-]{24,}`)
)

// timestampForm names the form of a raw JSON timestamp.
func timestampForm(raw json.RawMessage) string {
	var s string
	switch {
	case epochMillis.Match(raw):
		return "epoch milliseconds (a number)"
	case json.Unmarshal(raw, &s) != nil:
		return "unrecognised"
	case isoNoColon.MatchString(s):
		return "ISO 8601 string with a +hhmm offset"
	}
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return "RFC 3339 string"
	}
	return "unrecognised"
}

// logTimestamp reads a log's timestamp in any form timestampForm recognises.
func logTimestamp(raw json.RawMessage) (time.Time, error) {
	var ms int64
	if json.Unmarshal(raw, &ms) == nil {
		return time.UnixMilli(ms), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, fmt.Errorf("log timestamp %s is neither a number nor a string", raw)
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999-0700"} {
		if at, err := time.Parse(layout, s); err == nil {
			return at, nil
		}
	}
	return time.Time{}, fmt.Errorf("log timestamp %q is in no known format", s)
}

// mask hides the target's identifiers and anything that looks like an ID or a token.
func mask(target *liveTarget, pool, s string) string {
	for _, v := range []string{target.secret, target.keyID, pool} {
		if v != "" {
			s = strings.ReplaceAll(s, v, "<masked>")
		}
	}
	return maskPatterns.ReplaceAllString(s, "<masked>")
}

// writeLiveReport writes the report to AUTHING_LIVE_REPORT, when set.
func writeLiveReport() error {
	path := os.Getenv(envLiveReport)
	if path == "" {
		return nil
	}
	target, api := liveRun.target, liveRun.api
	api.mu.Lock()
	pool := api.pool
	api.mu.Unlock()
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Live acceptance run\n\n")
	fmt.Fprintf(&b, "- When: %s\n", time.Now().UTC().Format(time.RFC3339))
	host := "Authing's public API"
	if u, err := url.Parse(target.host); err == nil && u.Hostname() != "api.authing.cn" {
		host = "a private deployment or an emulator (" + u.Scheme + ", host masked)"
	}
	fmt.Fprintf(&b, "- Target: %s; receiver %s\n", host, map[bool]string{true: "configured", false: "not configured"}[target.receiver != ""])
	fmt.Fprintf(&b, "- Requests sent by the tests' own client: %d (budget %d)\n\n", api.requests(), liveRequestBudget)
	fmt.Fprintf(&b, "## Where Authing's documentation is silent\n\n")
	fmt.Fprintf(&b, "| behaviour | assumed | the server answered | verdict |\n|---|---|---|---|\n")
	report.mu.Lock()
	for _, key := range findingOrder {
		f, ok := report.findings[key]
		if !ok {
			fmt.Fprintf(&b, "| %s | | not probed (see the skipped tests) | unknown |\n", key)
			continue
		}
		verdict := "differs"
		if f.asAssumed {
			verdict = "as assumed"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", f.behaviour, f.assumed, strings.ReplaceAll(mask(target, pool, f.answer), "|", "\\|"), verdict)
	}
	report.mu.Unlock()
	liveSkipped.Lock()
	names := make([]string, 0, len(liveSkipped.reasons))
	for name := range liveSkipped.reasons {
		names = append(names, name)
	}
	slices.Sort(names)
	fmt.Fprintf(&b, "\n## Skipped in live mode: %d tests that need the in-process emulator\n\n", len(names))
	for _, name := range names {
		fmt.Fprintf(&b, "- %s: %s\n", name, liveSkipped.reasons[name])
	}
	liveSkipped.Unlock()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o600)
}

// Asks the server each question DESIGN.md leaves open that needs no delivery, and records
// the answers for the report.
func TestAccLive_undocumentedBehaviours(t *testing.T) {
	target, api := requireLive(t)
	ctx := t.Context()

	// An ID no webhook has: 24 hex digits, like the server's.
	unknown := randomHex(t, 12)
	_, a, err := api.getWebhook(ctx, unknown)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case a.HTTPStatus == http.StatusOK && a.StatusCode == http.StatusNotFound:
		report.set(findingNotFound, finding{"get-webhook of an unknown ID", "statusCode 404, or statusCode 200 with data null (both read as gone)", a.String(), true})
	case a.ok() && (len(a.Data) == 0 || string(a.Data) == "null"):
		report.set(findingNotFound, finding{"get-webhook of an unknown ID", "statusCode 404, or statusCode 200 with data null (both read as gone)", a.String() + ", data null", true})
	default:
		report.set(findingNotFound, finding{"get-webhook of an unknown ID", "statusCode 404, or statusCode 200 with data null (both read as gone)", a.String(), false})
	}

	// Three webhooks of the test's own, listed two a page: the page size served.
	ids := make([]string, 3)
	for i := range ids {
		ids[i] = api.createWebhook(t, liveName(t, fmt.Sprintf("page-%d", i)), placeholderURL, "")
	}
	total, list, err := api.listPage(ctx, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	report.set(findingPageSize, finding{"Webhooks served a page when list-webhooks asks limit=2", "2, the limit asked (the provider reads any size served)",
		fmt.Sprintf("%d of totalCount %d", len(list), total), len(list) == 2})
	over, err := api.call(ctx, http.MethodGet, "list-webhooks", url.Values{"page": {"1"}, "limit": {"51"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	report.set(findingOversizedLimit, finding{"list-webhooks with limit=51", "refused with statusCode 400 (the provider never asks more than 50)", over.String(), over.StatusCode == http.StatusBadRequest})

	// Deleting one of them, and an ID no webhook has.
	del, err := api.call(ctx, http.MethodPost, "delete-webhook", nil, map[string][]string{"webhookIds": {ids[0]}})
	if err != nil {
		t.Fatal(err)
	}
	report.set(findingDeleteData, finding{"data of delete-webhook", `none, or {"success":true}`, fmt.Sprintf("%s, data %s", del, dataText(del.Data)), del.ok() && deleteDataAsAssumed(del.Data, true)})
	gone, err := api.call(ctx, http.MethodPost, "delete-webhook", nil, map[string][]string{"webhookIds": {unknown}})
	if err != nil {
		t.Fatal(err)
	}
	report.set(findingDeleteUnknown, finding{"delete-webhook of an unknown ID", `no error: data none, or {"success":false} or {"success":true}`, fmt.Sprintf("%s, data %s", gone, dataText(gone.Data)), gone.ok() && deleteDataAsAssumed(gone.Data, false)})

	// A signed request (the Node SDK's scheme) whose signature is wrong.
	sig, err := api.send(ctx, http.MethodGet, "list-webhooks", url.Values{"page": {"1"}, "limit": {"1"}}, nil, wrongSignature(t, target.keyID))
	if err != nil {
		t.Fatal(err)
	}
	report.set(findingSignatureFailure, finding{"A signed request with a wrong signature", "refused with statusCode 401 (the provider uses tokens)", sig.String(), !sig.ok() && sig.StatusCode == http.StatusUnauthorized})

	if target.receiver != "" {
		if _, err := probeManualTriggersLogged(api, liveName(t, "probe"), target.receiver); err != nil {
			t.Fatal(err)
		}
	}
	for _, key := range []string{findingNotFound, findingPageSize, findingSignatureFailure} {
		report.mu.Lock()
		f := report.findings[key]
		report.mu.Unlock()
		t.Logf("%s: %s", f.behaviour, mask(target, "", f.answer))
	}
}

// deleteDataAsAssumed reports whether delete-webhook's data is none or {"success": b}
// (any success value for an unknown ID, whose deletion deletes nothing).
func deleteDataAsAssumed(data json.RawMessage, deleted bool) bool {
	if len(data) == 0 || string(data) == "null" {
		return true
	}
	var d map[string]any
	if json.Unmarshal(data, &d) != nil || len(d) != 1 {
		return false
	}
	success, ok := d["success"].(bool)
	return ok && (success || !deleted)
}

func dataText(data json.RawMessage) string {
	if len(data) == 0 {
		return "none"
	}
	return string(data)
}

// wrongSignature is the headers of a request signed as the Node SDK signs, with a
// signature made without the secret.
func wrongSignature(t *testing.T, keyID string) http.Header {
	junk := make([]byte, 20)
	if _, err := rand.Read(junk); err != nil {
		t.Fatal(err)
	}
	return http.Header{
		"Authorization":               {"authing " + keyID + ":" + base64.StdEncoding.EncodeToString(junk)},
		"Date":                        {time.Now().UTC().Format(http.TimeFormat)},
		"X-Authing-Signature-Method":  {"HMAC-SHA1"},
		"X-Authing-Signature-Version": {"1.0"},
		"X-Authing-Signature-Nonce":   {randomHex(t, 8)},
	}
}
