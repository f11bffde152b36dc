package provider

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func TestJSONPointers(t *testing.T) {
	doc := `{"a":{"b":[10,{"c":"x"}],"m~n":1,"s/t":true,"":null,"f":1.50,"o":{"k":[1,2]}}}`
	for _, tt := range []struct {
		pointer string
		want    string // the text equals compares; "-" when missing
	}{
		{"", doc},
		{"/a/b/0", "10"},
		{"/a/b/1/c", "x"},
		{"/a/b/1", `{"c":"x"}`},
		{"/a/m~0n", "1"},
		{"/a/s~1t", "true"},
		{"/a/", "null"},
		{"/a/f", "1.50"},
		{"/a/o", `{"k":[1,2]}`},
		{"/a/b/2", "-"},
		{"/a/b/-", "-"},
		{"/a/b/01", "-"},
		{"/a/b/+1", "-"},
		{"/a/b/-0", "-"},
		{"/a/b/-1", "-"},
		{"/a/b/1e0", "-"},
		{"/a/b/ 1", "-"},
		{"/a/b/", "-"},
		{"/a/x", "-"},
		{"/a/b/1/c/d", "-"},
		{"/z", "-"},
	} {
		raw, ok := lookupPointer(doc, tt.pointer)
		got := "-"
		if ok {
			got = pointerText(raw)
		}
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.pointer, got, tt.want)
		}
	}
	for _, p := range []string{"", "/", "/a", "/a~0/~1b", "/0/-"} {
		if err := checkJSONPointer(p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
	for _, p := range []string{"a", "data/version", "/a~", "/a~2", "~1a"} {
		if err := checkJSONPointer(p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
}

func TestRetryDelaysDoubleUpToTheCap(t *testing.T) {
	r := retrySpec{attempts: 10, minDelay: time.Second, maxDelay: 5 * time.Second}
	var got []time.Duration
	for n := 1; n <= 5; n++ {
		got = append(got, r.delay(n))
	}
	if fmt.Sprint(got) != "[1s 2s 4s 5s 5s]" {
		t.Fatalf("delays %v", got)
	}
	for _, tt := range []struct {
		m    retryModel
		want string
	}{
		{retryModel{Attempts: types.Int64Value(0), MinDelay: types.StringNull(), MaxDelay: types.StringNull()}, "between 1 and 100"},
		{retryModel{Attempts: types.Int64Value(101), MinDelay: types.StringNull(), MaxDelay: types.StringNull()}, "between 1 and 100"},
		{retryModel{Attempts: types.Int64Null(), MinDelay: types.StringValue("2"), MaxDelay: types.StringNull()}, `"2" is not a duration`},
		{retryModel{Attempts: types.Int64Null(), MinDelay: types.StringValue("-1s"), MaxDelay: types.StringNull()}, "negative"},
		{retryModel{Attempts: types.Int64Null(), MinDelay: types.StringValue("1m"), MaxDelay: types.StringNull()}, "longer than retry.max_delay (unset, so its default, 30s)"},
	} {
		if _, diags := retryPolicy(tt.m, path.Root("retry")); !strings.Contains(diagText(diags), tt.want) {
			t.Errorf("%+v: got %q, want %q", tt.m, diagText(diags), tt.want)
		}
	}
	r, diags := retryPolicy(retryModel{Attempts: types.Int64Null(), MinDelay: types.StringNull(), MaxDelay: types.StringNull()}, path.Root("retry"))
	if diags.HasError() || r != noRetry || r.attempts != 1 || r.minDelay != time.Second || r.maxDelay != 30*time.Second {
		t.Fatalf("defaults: %+v %v", r, diags)
	}
}

// flakyReceiver answers its first failFirst deliveries with failStatus, then 200 with a
// JSON body, and counts what it got.
type flakyReceiver struct {
	mu         sync.Mutex
	failFirst  int
	failStatus int
	body       string
	got        []string // firing IDs, in order
}

func (f *flakyReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	f.mu.Lock()
	f.got = append(f.got, r.Header.Get(authing.FiringIDHeader))
	n := len(f.got)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if n <= f.failFirst {
		w.WriteHeader(f.failStatus)
		_, _ = io.WriteString(w, `{"error":"starting"}`)
		return
	}
	body := f.body
	if body == "" {
		body = `{"data":{"version":"v2","ready":true}}`
	}
	_, _ = io.WriteString(w, body)
}

func (f *flakyReceiver) deliveries() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.got...)
}

// runEnv is an emulator with one webhook whose endpoint is a flaky receiver, and a client.
type runEnv struct {
	emu      *emulator.Server
	client   *authing.Client
	webhook  string
	receiver *flakyReceiver
}

func newRunEnv(t *testing.T, recv *flakyReceiver, opts ...emulator.Options) *runEnv {
	t.Helper()
	env := newTestEnv(t, opts...)
	srv := httptest.NewServer(recv)
	t.Cleanup(srv.Close)
	id := env.emu.AddWebhook(emulator.Webhook{Name: "deploy", URL: srv.URL + "/hook", Enabled: true, Events: []string{"test"}, ContentType: "application/json"})
	client, err := authing.New(authing.Config{Host: env.emu.URL(), AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	return &runEnv{emu: env.emu, client: client, webhook: id, receiver: recv}
}

func (e *runEnv) run(ctx context.Context, exp expectation, retry retrySpec) (firing, []string, string) {
	var progress []string
	r := firingRun{client: e.client, in: authing.TriggerInput{WebhookID: e.webhook}, expect: exp, retry: retry, outcome: triggerOutcome,
		progress: func(s string) { progress = append(progress, s) }}
	got, diags := r.run(ctx)
	return got, progress, diagText(diags.Errors())
}

// A receiver that fails its first three deliveries passes on the fourth attempt: four
// deliveries, each with its own firing ID, the recorded one the last; each failed attempt
// is announced with the status and the wait.
func TestRetryFiresAgainAfterAKnownFailure(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{failFirst: 3, failStatus: 503})
	exp := expectation{set: true, statusCodes: []int{200}, equals: map[string]string{"/data/version": "v2"}}
	got, progress, errs := e.run(t.Context(), exp, retrySpec{attempts: 5, minDelay: 10 * time.Millisecond, maxDelay: 25 * time.Millisecond})
	if errs != "" {
		t.Fatal(errs)
	}
	ids := e.receiver.deliveries()
	if len(ids) != 4 || got.attempts != 4 || got.id != ids[3] || got.status != 200 {
		t.Fatalf("deliveries %v, got %+v", ids, got)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(id) {
			t.Fatalf("firing IDs %v: each attempt must carry its own", ids)
		}
		seen[id] = true
	}
	want := []string{"attempt 1 of 5: the endpoint answered 503; next in 10ms", "attempt 2 of 5: the endpoint answered 503; next in 20ms", "attempt 3 of 5: the endpoint answered 503; next in 25ms"}
	if fmt.Sprint(progress) != fmt.Sprint(want) {
		t.Fatalf("progress %q, want %q", progress, want)
	}
	if st := e.emu.Stats(); st.Requests["trigger-webhook"] != 4 {
		t.Fatalf("%d trigger requests, want 4", st.Requests["trigger-webhook"])
	}
}

// Without status_codes, a firing reads no logs: one trigger call per firing, and an
// answer that fails expect is judged on the answer alone (Authing relaying the endpoint's
// error answer with statusCode 200).
func TestWithoutStatusCodesNoLogsAreRead(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{failFirst: 1, failStatus: 503}, emulator.Options{EndpointFailure: emulator.EndpointFailureRelay})
	exp := expectation{set: true, present: []string{"/data/ready"}}
	got, progress, errs := e.run(t.Context(), exp, retrySpec{attempts: 3, minDelay: time.Millisecond, maxDelay: time.Millisecond})
	if errs != "" || got.attempts != 2 || got.status != 0 {
		t.Fatalf("got %+v, %s", got, errs)
	}
	if len(progress) != 1 || !strings.Contains(progress[0], `the answer did not meet expect (present "/data/ready": expected to exist in the answer; it is missing)`) {
		t.Fatalf("progress %q", progress)
	}
	st := e.emu.Stats()
	if st.Requests["get-webhook-logs"] != 0 || st.Requests["trigger-webhook"] != 2 || len(e.receiver.deliveries()) != 2 {
		t.Fatalf("logs read %d times, %d trigger calls, %d deliveries; want 0, 2, 2", st.Requests["get-webhook-logs"], st.Requests["trigger-webhook"], len(e.receiver.deliveries()))
	}
}

// Attempts that run out fail with every attempt's firing ID and unmet expectations, what
// was expected and what came, and the values the request sent hidden.
func TestRetriesThatRunOutListEveryAttempt(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{body: `{"data":{"version":"v1","token":"Bearer s3cr3t-token"}}`})
	exp := expectation{set: true, statusCodes: []int{200, 204}, present: []string{"/data/ready"}, equals: map[string]string{"/data/version": "v2", "/data/token": "x"}}
	in := authing.TriggerInput{WebhookID: e.webhook, RequestHeaders: map[string]string{"Authorization": "Bearer s3cr3t-token"}}
	r := firingRun{client: e.client, in: in, expect: exp, retry: retrySpec{attempts: 2, minDelay: time.Millisecond, maxDelay: time.Millisecond},
		outcome: triggerOutcome, mask: echoMasker(e.client, in)}
	_, diags := r.run(t.Context())
	text := diagText(diags)
	ids := e.receiver.deliveries()
	if len(ids) != 2 {
		t.Fatalf("deliveries %v", ids)
	}
	for _, want := range []string{
		"Webhook fired, but did not meet expect", "fired 2 times", "each attempt was a real delivery",
		"Attempt 1 of 2, firing ID " + ids[0], "Attempt 2 of 2, firing ID " + ids[1],
		`present "/data/ready": expected to exist in the answer; it is missing`,
		`equals "/data/version": expected "v2"; got "v1"`, `equals "/data/token": expected "x"; got "***"`,
		"All 2 attempts (retry.attempts) were made", "the next apply fires again, with no -replace needed",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the error lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "s3cr3t") {
		t.Fatalf("a request header's value is in the error:\n%s", text)
	}
}

// A status the logs do not show in time is unknown: an unmet expectation said as such,
// never a pass, and never followed by another firing.
func TestUnknownStatusIsNeverAPassNorRetried(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{}, emulator.Options{LogDelay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 1500*time.Millisecond)
	defer cancel()
	_, _, text := e.run(ctx, expectation{set: true, statusCodes: []int{200}}, retrySpec{attempts: 5, minDelay: time.Millisecond, maxDelay: time.Millisecond})
	if !regexp.MustCompile(`status_codes: expected one of 200; the status is unknown: Authing's logs did not show the delivery within \d s`).MatchString(text) ||
		!strings.Contains(text, "does not fire again") ||
		!strings.HasPrefix(text, "Webhook fired, but whether it met expect is unknown: Webhook "+e.webhook+" fired once, and no firing is known to have met the expectations") {
		t.Fatalf("got %s", text)
	}
	if n := len(e.receiver.deliveries()); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
}

// With retry set, a lost answer that the logs cannot settle fires once and fails with
// MAY HAVE FIRED; one that the logs settle is judged like any answer, and a failed
// delivery is followed by another attempt.
func TestRetryAfterALostAnswer(t *testing.T) {
	retry := retrySpec{attempts: 3, minDelay: time.Millisecond, maxDelay: time.Millisecond}
	t.Run("unsettled", func(t *testing.T) {
		e := newRunEnv(t, &flakyReceiver{})
		e.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
		e.emu.InjectFault("get-webhook-logs", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "forbidden"})
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		_, _, text := e.run(ctx, expectation{set: true, present: []string{"/data"}}, retry)
		if !strings.Contains(text, "MAY HAVE FIRED") || len(e.receiver.deliveries()) != 1 || e.emu.Stats().Requests["trigger-webhook"] != 1 {
			t.Fatalf("deliveries %d: %s", len(e.receiver.deliveries()), text)
		}
	})
	t.Run("settled and failed, then fired again", func(t *testing.T) {
		e := newRunEnv(t, &flakyReceiver{failFirst: 1, failStatus: 503})
		e.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
		got, progress, text := e.run(t.Context(), expectation{}, retry)
		if text != "" || got.attempts != 2 || len(e.receiver.deliveries()) != 2 || len(progress) != 1 || !strings.Contains(progress[0], "the endpoint answered 503") {
			t.Fatalf("got %+v, progress %q: %s", got, progress, text)
		}
	})
	t.Run("refused after a failed attempt", func(t *testing.T) {
		e := newRunEnv(t, &flakyReceiver{failFirst: 1, failStatus: 503})
		e.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030, Message: "no permission", Skip: 1})
		_, _, text := e.run(t.Context(), expectation{}, retry)
		ids := e.receiver.deliveries()
		if len(ids) != 1 || !strings.Contains(text, "was not fired") ||
			!strings.Contains(text, "Before this attempt, the webhook fired once without meeting the expectations:\n\nAttempt 1 of 3, firing ID "+ids[0]) {
			t.Fatalf("deliveries %v: %s", ids, text)
		}
	})
	t.Run("settled and met", func(t *testing.T) {
		e := newRunEnv(t, &flakyReceiver{})
		e.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
		got, _, text := e.run(t.Context(), expectation{set: true, equals: map[string]string{"/data/ready": "true"}}, retry)
		if text != "" || got.attempts != 1 || got.status != 200 || len(e.receiver.deliveries()) != 1 {
			t.Fatalf("got %+v: %s", got, text)
		}
	})
}

// A refused request ends the retries at once, with today's message, and fires nothing.
func TestRetryEndsAtARefusedRequest(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{})
	e.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030, Message: "no permission"})
	_, _, text := e.run(t.Context(), expectation{}, retrySpec{attempts: 5, minDelay: time.Millisecond, maxDelay: time.Millisecond})
	if !strings.Contains(text, "was not fired") || e.emu.Stats().Requests["trigger-webhook"] != 1 || len(e.receiver.deliveries()) != 0 {
		t.Fatalf("%d trigger calls: %s", e.emu.Stats().Requests["trigger-webhook"], text)
	}
}

// Authing's word that the endpoint failed (statusCode 602 after the delivery) is a known
// failure: the headline says the webhook fired, and retry fires again; with status_codes,
// the logged status is read and reported.
func TestEndpointFailureCodesAreKnownFailures(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{failFirst: 2, failStatus: 503})
	fault := emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 602, Message: "EndpointResponseError: Request failed with status code 503", AfterProcessing: true, Times: 2}
	e.emu.InjectFault("trigger-webhook", fault)
	_, _, text := e.run(t.Context(), expectation{}, noRetry)
	if !strings.Contains(text, "Webhook fired, but its delivery failed") || strings.Contains(text, "MAY HAVE") || strings.Contains(text, "retry.attempts") ||
		!strings.Contains(text, "fired once, and Authing reported each delivery as failed") || strings.Contains(text, "expectations") ||
		!strings.Contains(text, "Authing answered statusCode 602 (EndpointResponseError: Request failed with status code 503)") {
		t.Fatalf("got %s", text)
	}
	got, progress, text := e.run(t.Context(), expectation{set: true, statusCodes: []int{200}}, retrySpec{attempts: 3, minDelay: time.Millisecond, maxDelay: time.Millisecond})
	if text != "" || got.attempts != 2 || got.status != 200 || len(progress) != 1 || progress[0] != "attempt 1 of 3: the endpoint answered 503; next in 1ms" {
		t.Fatalf("got %+v %q: %s", got, progress, text)
	}
}

// An attempt whose wait would pass the timeout is not made: the error says so, and the
// webhook fired once.
func TestRetryStopsWhenTheNextAttemptCannotStartInTime(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{failFirst: 5, failStatus: 503})
	ctx, cancel := context.WithTimeout(t.Context(), 700*time.Millisecond)
	defer cancel()
	_, progress, text := e.run(ctx, expectation{}, retrySpec{attempts: 5, minDelay: 2 * time.Second, maxDelay: 2 * time.Second})
	if !regexp.MustCompile(`fired once(?s).*The next attempt \(2 of 5, after 2s\) could not start within the timeout`).MatchString(text) || len(progress) != 0 {
		t.Fatalf("progress %q: %s", progress, text)
	}
	if n := len(e.receiver.deliveries()); n != 1 {
		t.Fatalf("%d deliveries, want 1", n)
	}
}

// An error that quotes a value the request sent (here Authing's message refusing the
// call) hides it, as the answers do: the final diagnostics pass through the run's mask.
func TestAnErrorQuotingTheRequestHidesItsSecrets(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{})
	e.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 400, Message: "header Authorization: Bearer s3cr3t-token is not allowed"})
	in := authing.TriggerInput{WebhookID: e.webhook, RequestHeaders: map[string]string{"Authorization": "Bearer s3cr3t-token"}}
	r := firingRun{client: e.client, in: in, retry: noRetry, outcome: triggerOutcome, mask: echoMasker(e.client, in)}
	_, diags := r.run(t.Context())
	text := diagText(diags)
	if !diags.HasError() || !strings.Contains(text, "header Authorization: *** is not allowed") {
		t.Fatalf("want the refusal with the value hidden:\n%s", text)
	}
	if strings.Contains(text, "s3cr3t") {
		t.Fatalf("a request header's value is in the error:\n%s", text)
	}
}

// The answer comes with the provider's known secrets hidden; an expected value holding
// one (a webhook secret such as "test" that an endpoint echoes) is compared in its hidden
// form, and never shown in the error.
func TestEqualsComparesSecretsInTheirHiddenForm(t *testing.T) {
	var m authing.Masker
	m.Add("test")
	response := m.Mask(`{"body":{"eventName":"test","note":"a test run"}}`)
	e := expectation{set: true, equals: map[string]string{"/body/eventName": "test", "/body/note": "a test run"}}
	if unmet := e.unmetAnswer(response, m.Mask); len(unmet) != 0 {
		t.Fatalf("the echoed values did not meet expect: %q (answer %s)", unmet, response)
	}
	e = expectation{set: true, equals: map[string]string{"/body/eventName": "prod", "/body/missing": "test"}}
	got := fmt.Sprint(e.unmetAnswer(response, m.Mask))
	if !strings.Contains(got, `equals "/body/eventName": expected "prod"; got "***"`) || !strings.Contains(got, `equals "/body/missing": expected "***"; it is missing`) {
		t.Fatalf("unmet: %s", got)
	}
}

// An answer that fails present or equals is a known failure even when the logs do not
// show the status in time: retry fires again, and the error says it did not meet expect.
func TestAnAnswerThatFailsIsKnownWithoutItsStatus(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{}, emulator.Options{LogDelay: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	exp := expectation{set: true, statusCodes: []int{200}, equals: map[string]string{"/data/version": "v9"}}
	_, progress, text := e.run(ctx, exp, retrySpec{attempts: 2, minDelay: time.Millisecond, maxDelay: time.Millisecond})
	if n := len(e.receiver.deliveries()); n != 2 {
		t.Fatalf("%d deliveries, want 2: the failing answer is known, so retry fires again", n)
	}
	if len(progress) != 1 || !strings.Contains(progress[0], `the answer did not meet expect (equals "/data/version": expected "v9"; got "v2")`) {
		t.Fatalf("progress %q", progress)
	}
	if !strings.HasPrefix(text, "Webhook fired, but did not meet expect") || strings.Contains(text, "may have met") {
		t.Fatalf("got %s", text)
	}
}

// The bounds of retry and expect values, as the firing path reads them (the schema's
// validators say the same at validate time).
func TestRetryAndExpectBounds(t *testing.T) {
	for attempts, ok := range map[int64]bool{0: false, 1: true, 100: true, 101: false} {
		_, diags := retryPolicy(retryModel{Attempts: types.Int64Value(attempts), MinDelay: types.StringNull(), MaxDelay: types.StringNull()}, path.Root("retry"))
		if diags.HasError() == ok {
			t.Errorf("attempts %d: errors %v", attempts, diags)
		}
	}
	if _, diags := retryPolicy(retryModel{Attempts: types.Int64Null(), MinDelay: types.StringValue("2s"), MaxDelay: types.StringValue("2s")}, path.Root("retry")); diags.HasError() {
		t.Errorf("min_delay equal to max_delay: %v", diags)
	}
	codesType := types.SetType{ElemType: types.Int64Type}
	for code, ok := range map[int64]bool{99: false, 100: true, 599: true, 600: false} {
		v := types.ObjectValueMust(map[string]attr.Type{"status_codes": codesType, "present": types.ListType{ElemType: types.StringType}, "equals": types.MapType{ElemType: types.StringType}},
			map[string]attr.Value{"status_codes": types.SetValueMust(types.Int64Type, []attr.Value{types.Int64Value(code)}), "present": types.ListNull(types.StringType), "equals": types.MapNull(types.StringType)})
		if _, diags := readExpect(t.Context(), v); diags.HasError() == ok {
			t.Errorf("status code %d: errors %v", code, diags)
		}
	}
}

// equals compares any value other than a string as its compact JSON text, however the
// endpoint spaced it; shown cuts a value only past 200 characters.
func TestPointerTextIsCompactAndShownCutsPastTheLimit(t *testing.T) {
	raw, ok := lookupPointer(`{"a": [1, 2, {"b" : true}]}`, "/a")
	if !ok || pointerText(raw) != `[1,2,{"b":true}]` {
		t.Fatalf("pointerText = %q", pointerText(raw))
	}
	same := func(s string) string { return s }
	if v := strings.Repeat("é", 200); shown(v, same) != v {
		t.Error("a value of exactly 200 characters was cut")
	}
	if v := strings.Repeat("é", 201); !strings.HasSuffix(shown(v, same), "… (truncated)") {
		t.Error("a value of 201 characters was not cut")
	}
}

// With status_codes, a delivery Authing reports failed (602) is read from the logs: the
// error gives both Authing's answer and the logged failure, and the answer the logs hold
// (the trigger's answer had none); logs that cannot be read leave the status unknown,
// saying why.
func TestStatusReadFromTheLogsOfAFailedDelivery(t *testing.T) {
	e := newRunEnv(t, &flakyReceiver{failFirst: 1, failStatus: 503})
	e.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 602, Message: "EndpointResponseError", AfterProcessing: true, Times: 1})
	_, _, text := e.run(t.Context(), expectation{set: true, statusCodes: []int{200}}, noRetry)
	for _, want := range []string{
		"status_codes: expected one of 200; the endpoint answered 503 (Authing answered statusCode 602 (EndpointResponseError), requestId ",
		`; Authing's delivery logs show it failed: the endpoint answered 503 (errorMessage "Request failed with status code 503"))`,
		`The last answer began: {"error":"starting"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the error lacks %q:\n%s", want, text)
		}
	}

	e = newRunEnv(t, &flakyReceiver{})
	e.emu.InjectFault("get-webhook-logs", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "no permission to read logs"})
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	_, _, text = e.run(ctx, expectation{set: true, statusCodes: []int{200}}, noRetry)
	if !strings.Contains(text, "the status is unknown: Authing's logs did not show the delivery within") || !strings.Contains(text, "(they could not be read: ") {
		t.Fatalf("got %s", text)
	}
}
