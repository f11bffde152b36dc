package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// The descriptions of expect and retry, shared by the resource and the action so that the
// two say the same thing.
const (
	expectDescription = "What a firing must show to count as done. A firing that does not show it is a failed firing: " +
		"the webhook fired (each attempt is a real delivery), and the error lists every unmet expectation with what was expected and what came, and names each firing ID. " +
		"Without `expect`, a firing counts as done unless Authing reports its delivery as failed."
	statusCodesDescription = "The endpoint's HTTP status must be one of these (each from 100 to 599). Authing's trigger answer does not carry the status, " +
		"so the provider reads it from the webhook's delivery logs, by the firing ID, within the time the firing has left (`timeouts`): " +
		"logs that do not show the delivery in time leave the status unknown, which is an unmet expectation, never a pass. Without `status_codes`, no logs are read, nor when the answer already fails `present` or `equals`. " +
		"A delivery Authing reports as failed meets the expectations only when `status_codes` lists the status it logged."
	presentDescription = "JSON Pointers (RFC 6901, such as `\"/data/version\"`) that must exist in the endpoint's answer (`response`). " +
		"`~1` stands for `/` and `~0` for `~` in a key; array elements are numbered from 0."
	equalsDescription = "A map from JSON Pointer to the value that must be there. A JSON string compares as is; " +
		"any other JSON value compares as its compact JSON text, numbers as the endpoint wrote them: `\"3\"`, `\"true\"`, `\"null\"`, `\"[1,2]\"`. " +
		"A pointer that is missing from the answer does not equal anything. The answer is compared with the secrets the provider hides already hidden (`***`), so an expected value that holds one of them is compared in its hidden form (and is met by any hidden secret in that place)."
	retryDescription = "Fire again until a firing meets `expect`, to wait for a deploy to go live. Each attempt is a real delivery with its own firing ID. " +
		"The provider fires again only after an outcome known not to meet the expectations: an answer that fails `expect`, a logged delivery that failed, " +
		"or Authing saying that the endpoint failed. It never fires again after an outcome that may or may not have happened (MAY HAVE FIRED), " +
		"after an unknown status, or after the API refused the request. All attempts and the waits between them fit in the timeout; " +
		"an attempt that cannot start in time is not made."
	attemptsDescription = "How many firings at most, the first included: 1 (the default) to 100."
	minDelayDescription = "The wait after the first failed attempt, as a duration such as `\"100ms\"` or `\"2s\"` (default `\"1s\"`); each wait doubles it, up to `max_delay`."
	maxDelayDescription = "The longest wait between two attempts (default `\"30s\"`)."
)

// maxRetryAttempts bounds retry.attempts.
const maxRetryAttempts = 100

// Retry defaults, as documented in the schema.
const (
	defaultMinDelay = time.Second
	defaultMaxDelay = 30 * time.Second
)

// expectModel is the expect attribute.
type expectModel struct {
	StatusCodes types.Set  `tfsdk:"status_codes"`
	Present     types.List `tfsdk:"present"`
	Equals      types.Map  `tfsdk:"equals"`
}

// retryModel is the retry attribute.
type retryModel struct {
	Attempts types.Int64  `tfsdk:"attempts"`
	MinDelay types.String `tfsdk:"min_delay"`
	MaxDelay types.String `tfsdk:"max_delay"`
}

// retrySpec is retry as the firing path uses it.
type retrySpec struct {
	attempts           int
	minDelay, maxDelay time.Duration
}

// noRetry is one attempt.
var noRetry = retrySpec{attempts: 1, minDelay: defaultMinDelay, maxDelay: defaultMaxDelay}

// delay is the wait after failed attempt n (1 for the first): min_delay doubled n-1 times,
// at most max_delay. It has no jitter: each wait is the one the progress announced.
func (r retrySpec) delay(n int) time.Duration {
	d := r.minDelay
	for i := 1; i < n && d < r.maxDelay; i++ {
		d *= 2
	}
	return min(d, r.maxDelay)
}

// retryPolicy reads retry with its defaults; at is where errors point.
func retryPolicy(m retryModel, at path.Path) (retrySpec, diag.Diagnostics) {
	r, diags := parseRetry(m, at)
	if !diags.HasError() {
		diags.Append(checkDelayOrder(r, !m.MaxDelay.IsNull(), at)...)
	}
	return r, diags
}

// parseRetry reads each value of retry, defaults for those unset.
func parseRetry(m retryModel, at path.Path) (retrySpec, diag.Diagnostics) {
	r := noRetry
	var diags diag.Diagnostics
	if !m.Attempts.IsNull() {
		r.attempts = int(m.Attempts.ValueInt64())
		if r.attempts < 1 || r.attempts > maxRetryAttempts {
			diags.AddAttributeError(at.AtName("attempts"), "Invalid retry attempts", fmt.Sprintf("retry.attempts is %d; it must be between 1 and %d.", r.attempts, maxRetryAttempts))
		}
	}
	for _, d := range []struct {
		name  string
		value types.String
		dst   *time.Duration
	}{{"min_delay", m.MinDelay, &r.minDelay}, {"max_delay", m.MaxDelay, &r.maxDelay}} {
		if d.value.IsNull() {
			continue
		}
		v, err := parseDelay(d.value.ValueString())
		if err != nil {
			diags.AddAttributeError(at.AtName(d.name), "Invalid duration", fmt.Sprintf("%s: %s.", at.AtName(d.name), err))
			continue
		}
		*d.dst = v
	}
	return r, diags
}

// checkDelayOrder refuses a min_delay longer than max_delay, defaults included; maxSet
// says whether max_delay was configured.
func checkDelayOrder(r retrySpec, maxSet bool, at path.Path) diag.Diagnostics {
	var diags diag.Diagnostics
	if r.minDelay > r.maxDelay {
		maxText := r.maxDelay.String()
		if !maxSet {
			maxText = "unset, so its default, " + maxText
		}
		diags.AddAttributeError(at, "Invalid retry delays", fmt.Sprintf("retry.min_delay (%s) is longer than retry.max_delay (%s). Make min_delay at most max_delay.", r.minDelay, maxText))
	}
	return diags
}

// readRetry turns the retry attribute into a retrySpec; null is one attempt.
func readRetry(ctx context.Context, v types.Object) (retrySpec, diag.Diagnostics) {
	if v.IsNull() {
		return noRetry, nil
	}
	var m retryModel
	diags := v.As(ctx, &m, basetypes.ObjectAsOptions{})
	if diags.HasError() {
		return noRetry, diags
	}
	r, d := retryPolicy(m, path.Root("retry"))
	diags.Append(d...)
	return r, diags
}

// expectation is expect as the firing path uses it.
type expectation struct {
	set         bool
	statusCodes []int
	present     []string
	equals      map[string]string
}

// readsStatus says whether a firing must read its delivery's log entry for the status.
func (e expectation) readsStatus() bool { return len(e.statusCodes) > 0 }

// readExpect turns the expect attribute into an expectation, checking the pointers again
// (a value unknown at validate time is known only now).
func readExpect(ctx context.Context, v types.Object) (expectation, diag.Diagnostics) {
	var e expectation
	if v.IsNull() {
		return e, nil
	}
	var m expectModel
	diags := v.As(ctx, &m, basetypes.ObjectAsOptions{})
	if diags.HasError() {
		return e, diags
	}
	e.set = true
	at := path.Root("expect")
	if !m.StatusCodes.IsNull() {
		var codes []int64
		diags.Append(m.StatusCodes.ElementsAs(ctx, &codes, false)...)
		for _, c := range codes {
			if c < 100 || c > 599 {
				diags.AddAttributeError(at.AtName("status_codes"), "Invalid status code", fmt.Sprintf("expect.status_codes holds %d; an HTTP status is between 100 and 599.", c))
			}
			e.statusCodes = append(e.statusCodes, int(c))
		}
		slices.Sort(e.statusCodes)
		if len(codes) == 0 {
			diags.AddAttributeError(at.AtName("status_codes"), "Empty status codes", "expect.status_codes is empty, which no status can meet: list the statuses that count as a pass, or leave it out.")
		}
	}
	if !m.Present.IsNull() {
		diags.Append(m.Present.ElementsAs(ctx, &e.present, false)...)
		for i, p := range e.present {
			diags.Append(jsonPointerValidator.check(at.AtName("present").AtListIndex(i), p)...)
		}
	}
	if !m.Equals.IsNull() {
		diags.Append(m.Equals.ElementsAs(ctx, &e.equals, false)...)
		for p := range e.equals {
			diags.Append(jsonPointerValidator.check(at.AtName("equals").AtMapKey(p), p)...)
		}
	}
	return e, diags
}

// lookupPointer returns the JSON value at pointer in doc, as raw JSON, and whether it is
// there (RFC 6901).
func lookupPointer(doc string, pointer string) (json.RawMessage, bool) {
	cur := json.RawMessage(doc)
	if pointer == "" {
		return cur, json.Valid(cur)
	}
	for _, token := range strings.Split(pointer[1:], "/") {
		token = strings.ReplaceAll(strings.ReplaceAll(token, "~1", "/"), "~0", "~")
		trimmed := strings.TrimLeft(string(cur), " \t\r\n")
		switch {
		case strings.HasPrefix(trimmed, "{"):
			var obj map[string]json.RawMessage
			if json.Unmarshal(cur, &obj) != nil {
				return nil, false
			}
			next, ok := obj[token]
			if !ok {
				return nil, false
			}
			cur = next
		case strings.HasPrefix(trimmed, "["):
			var arr []json.RawMessage
			if json.Unmarshal(cur, &arr) != nil {
				return nil, false
			}
			// RFC 6901: an index is 0 or digits without a leading zero; "-" is the
			// element after the last, which never exists.
			if token == "" || strings.TrimLeft(token, "0123456789") != "" || (len(token) > 1 && token[0] == '0') {
				return nil, false
			}
			i, err := strconv.Atoi(token)
			if err != nil || i >= len(arr) {
				return nil, false
			}
			cur = arr[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// pointerText is a JSON value as equals compares it: a string as is, any other value as
// its compact JSON text.
func pointerText(raw json.RawMessage) string {
	var s string
	// null unmarshals into a string without an error, leaving it empty: only a JSON
	// string is read as one.
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '"' && json.Unmarshal(trimmed, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

// shown is a value from the endpoint's answer as an error or progress shows it: secrets
// hidden, and cut to a readable length.
func shown(v string, mask func(string) string) string {
	v = mask(v)
	const limit = 200
	if utf8.RuneCountInString(v) > limit {
		v = string([]rune(v)[:limit]) + "… (truncated)"
	}
	return v
}

// unmetAnswer lists what the answer does not have of present and equals.
func (e expectation) unmetAnswer(response string, mask func(string) string) []string {
	var problems []string
	for _, p := range e.present {
		if _, ok := lookupPointer(response, p); !ok {
			problems = append(problems, fmt.Sprintf("present %q: expected to exist in the answer; it is missing", p))
		}
	}
	keys := make([]string, 0, len(e.equals))
	for k := range e.equals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, p := range keys {
		want := e.equals[p]
		raw, ok := lookupPointer(response, p)
		if !ok {
			problems = append(problems, fmt.Sprintf("equals %q: expected %q; it is missing from the answer", p, shown(want, mask)))
			continue
		}
		// The answer comes with the secrets the provider knows hidden: an expected value
		// that holds one is compared in its hidden form too.
		if got := pointerText(raw); got != want && got != mask(want) {
			problems = append(problems, fmt.Sprintf("equals %q: expected %q; got %q", p, shown(want, mask), shown(got, mask)))
		}
	}
	return problems
}

// statusListed says whether status is one of the expected codes.
func (e expectation) statusListed(status int) bool {
	return slices.Contains(e.statusCodes, status)
}

// listsFailures says whether status_codes lists a status outside 2xx, which Authing counts
// as a failed delivery.
func (e expectation) listsFailures() bool {
	for _, c := range e.statusCodes {
		if c < 200 || c > 299 {
			return true
		}
	}
	return false
}

// codesText is the expected codes for a message: "200, 204".
func (e expectation) codesText() string {
	parts := make([]string, len(e.statusCodes))
	for i, c := range e.statusCodes {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, ", ")
}

// unmetByRecord lists what a recorded firing (its response, and its status when one was
// read) does not meet of e; empty when it meets e. A status that was not read cannot meet
// status_codes.
func (e expectation) unmetByRecord(response string, status types.Int64) []string {
	var unmet []string
	switch {
	case !e.readsStatus():
	case status.IsNull() || status.IsUnknown():
		unmet = append(unmet, fmt.Sprintf("status_codes: expected one of %s; the recorded firing's status was not read (it is read only when status_codes is set as the webhook fires)", e.codesText()))
	case !e.statusListed(int(status.ValueInt64())):
		unmet = append(unmet, fmt.Sprintf("status_codes: expected one of %s; the recorded firing's status is %d", e.codesText(), status.ValueInt64()))
	}
	for _, p := range e.present {
		if _, ok := lookupPointer(response, p); !ok {
			unmet = append(unmet, fmt.Sprintf("present %q: the recorded answer has nothing there", p))
		}
	}
	// The expected values are not shown: they may come from a sensitive variable, and the
	// plan cannot hide them.
	for _, p := range slices.Sorted(maps.Keys(e.equals)) {
		raw, ok := lookupPointer(response, p)
		switch got := pointerText(raw); {
		case !ok:
			unmet = append(unmet, fmt.Sprintf("equals %q: the recorded answer has nothing there", p))
		case got == e.equals[p]:
		case strings.Contains(got, authing.SecretMarker):
			unmet = append(unmet, fmt.Sprintf("equals %q: the recorded answer hides its value there (%s), so it cannot be compared at plan", p, authing.SecretMarker))
		default:
			unmet = append(unmet, fmt.Sprintf("equals %q: the recorded answer has %q there, another value", p, shown(got, func(s string) string { return s })))
		}
	}
	return unmet
}
