package authing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	neturl "net/url"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf16"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// awkwardSecret needs every escape JSON has: a quote, a slash, a backslash, non-ASCII in
// the basic plane and beyond it.
const awkwardSecret = `wh-"sec/ret\-é☃𝄞-7Q`

// holdsSecret reports whether text holds secret anywhere a reader of JSON could find it:
// as is, or in any string of the JSON it is, at any depth, strings holding JSON included.
// It decodes with encoding/json, independently of the masker's patterns.
func holdsSecret(text, secret string) bool {
	if strings.Contains(text, secret) {
		return true
	}
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(text)), &v) != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case string:
			return holdsSecret(v, secret)
		case []any:
			for _, e := range v {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for k, e := range v {
				if holdsSecret(k, secret) || walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// uEscaped writes s as the inside of a JSON string with every character but letters and
// digits as an upper-case \u escape (surrogate pairs beyond the basic plane).
func uEscaped(s string) string { return uEscapedAs(s, `\u%04X`) }

// uEscapedAs is uEscaped with the escapes in format.
func uEscapedAs(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&b, format, u)
		}
	}
	return b.String()
}

// quoted is s as a JSON string.
func quoted(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// echoingEndpoint answers every delivery with its headers, unmasked, in every JSON form:
// as an object, as a string holding JSON, twice nested, \u-escaped, \/-escaped, as an
// object key, inside a longer string, and the access key secret besides.
func echoingEndpoint(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret := r.Header.Get("X-Authing-Token")
		headers, _ := json.Marshal(r.Header)
		slashed := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(quoted(secret), `"`), `"`), "/", `\/`)
		body := fmt.Sprintf(`{"headers":%s,"asText":%s,"twice":%s,"uEscaped":"%s","slashEscaped":"%s","keys":{%s:1},"partial":%s,"accessKey":%s,"kept":"plain"}`,
			headers, quoted(string(headers)), quoted(`{"inner":`+quoted(string(headers))+`}`), uEscaped(secret), slashed,
			quoted(secret), quoted("Bearer "+secret+"!"), quoted("key "+testSecret))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// An endpoint that echoes the webhook's secret gives it to no answer the client hands
// out: not the trigger's response, not a log's bodies or headers, not a settled firing.
// The secret is read with one get-webhook per webhook, however many calls need it.
func TestAnswersAreMaskedOfEverySecretTheClientKnows(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	echo := echoingEndpoint(t)
	setup := newTestClient(t, emu.URL())
	name, url, secret, ct := "echo", echo.URL, awkwardSecret, "application/json"
	w, err := setup.CreateWebhook(t.Context(), WebhookInput{Name: &name, URL: &url, ContentType: &ct, Events: &[]string{"user:created"}, Secret: &secret})
	if err != nil {
		t.Fatal(err)
	}

	// A new client, as a new provider process is.
	c := newTestClient(t, emu.URL())
	before := emu.Stats().Requests["get-webhook"]
	var responses []string
	for i := range 2 {
		res, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: w.WebhookID, RequestHeaders: map[string]string{FiringIDHeader: fmt.Sprint("firing-", i)}})
		if err != nil {
			t.Fatal(err)
		}
		responses = append(responses, res.Response)
	}
	logs, err := c.GetWebhookLogs(t.Context(), w.WebhookID, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := c.FindDelivery(t.Context(), w.WebhookID, "firing-1")
	if !found.Found {
		t.Fatalf("the delivery was not found: %v", found.Err)
	}
	if n := emu.Stats().Requests["get-webhook"] - before; n != 1 {
		t.Errorf("get-webhook was called %d times for one webhook; want 1", n)
	}

	texts := map[string]string{"first response": responses[0], "second response": responses[1], "settled response": found.Delivery.Response}
	for i, l := range logs {
		texts[fmt.Sprint("log ", i, " request body")] = string(l.RequestBody)
		texts[fmt.Sprint("log ", i, " response body")] = string(l.ResponseBody)
		h, _ := json.Marshal([]any{l.RequestHeaders, l.ResponseHeaders, l.ErrorMessage})
		texts[fmt.Sprint("log ", i, " headers")] = string(h)
	}
	for what, text := range texts {
		for _, s := range []string{awkwardSecret, testSecret} {
			if holdsSecret(text, s) {
				t.Errorf("%s holds the secret %q: %s", what, s, text)
			}
		}
	}
	var answer map[string]any
	if err := json.Unmarshal([]byte(responses[0]), &answer); err != nil {
		t.Fatal(err)
	}
	headers, _ := answer["headers"].(map[string]any)
	if token, _ := headers["X-Authing-Token"].([]any); len(token) != 1 || token[0] != SecretMarker {
		t.Errorf("the echoed secret header is %v; want [%q]", headers["X-Authing-Token"], SecretMarker)
	}
	if answer["kept"] != "plain" || answer["partial"] != "Bearer "+SecretMarker+"!" || answer["uEscaped"] != SecretMarker {
		t.Errorf("the answer lost what is not secret, or kept part of the secret: %s", responses[0])
	}
	if _, ok := answer["keys"].(map[string]any)[SecretMarker]; !ok {
		t.Errorf("an object key that was the secret is not masked: %s", responses[0])
	}
}

// The masker finds a secret in every JSON form, at any depth, and leaves the rest as it
// was; the same answer in another layout gives the same canonical text.
func TestMaskFindsEveryFormOfASecret(t *testing.T) {
	var s secretSet
	s.add(awkwardSecret, "", "tok-123456")
	inner := quoted(awkwardSecret)
	cases := map[string]string{
		"as is":               awkwardSecret,
		"in a longer string":  "x" + awkwardSecret + "y",
		"JSON-escaped":        inner,
		"u-escaped":           `"` + uEscaped(awkwardSecret) + `"`,
		"lower-case u-escape": `"` + uEscapedAs(awkwardSecret, `\u%04x`) + `"`,
		"escaped twice":       quoted(`{"a":` + inner + `}`),
		"u-escaped twice":     quoted(`{"a":"` + uEscaped(awkwardSecret) + `"}`),
		"not JSON":            `{"broken": ` + inner,
	}
	for name, text := range cases {
		got := s.maskText(text)
		if holdsSecret(got, awkwardSecret) || strings.Contains(got, `sec\/ret`) || strings.Contains(got, `7Q`) || !strings.Contains(got, SecretMarker) {
			t.Errorf("%s: %s masked to %s", name, text, got)
		}
	}

	deep := quoted(quoted(quoted(`{"a":` + inner + `}`)))
	if got := s.maskString(deep); holdsSecret(got, awkwardSecret) || strings.Contains(got, "7Q") {
		t.Errorf("JSON nested in strings three deep: %s masked to %s", deep, got)
	}

	doc := `{"b": {"` + uEscaped(awkwardSecret) + `": [1, 2.50, "tok-123456", ` + quoted(`{"t":"tok-123456"}`) + `]}, "a": "keep me", "n": 99tok}`
	if _, err := s.maskJSON([]byte(doc)); err == nil {
		t.Fatal("invalid JSON was accepted")
	}
	doc = strings.Replace(doc, "99tok", "123456789", 1)
	s.add("23456789")
	got, err := s.maskJSON([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":"keep me","b":{"***":[1,2.50,"***","{\"t\":\"***\"}"]},"n":"1***"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	layout, _ := json.MarshalIndent(map[string]any{"n": json.Number("123456789"), "a": "keep me", "b": map[string]any{awkwardSecret: []any{1, json.Number("2.50"), "tok-123456", `{"t": "tok-123456"}`}}}, "", "  ")
	again, _ := s.maskJSON(layout)
	if string(again) != want {
		t.Errorf("another layout of the same answer gave %s", again)
	}
	if got := s.maskText("tok-12345 and 2345678"); got != "tok-12345 and 2345678" {
		t.Errorf("text without a whole secret changed: %s", got)
	}
}

// A short secret (a webhook secret such as "test" or "e") is hidden where it stands alone,
// as a value, a word or between punctuation, in any JSON form, but not inside longer
// words, where hiding it would make every answer and message unreadable.
func TestShortSecretsAreHiddenWhereTheyStandAlone(t *testing.T) {
	var s secretSet
	s.add("test", "e")
	for text, want := range map[string]string{
		"test":                                   "***",
		`{"eventName":"test","n":"e"}`:           `{"eventName":"***","n":"***"}`,
		"Bearer test.":                           "Bearer ***.",
		"a-test-b":                               "a-***-b",
		"line\\ntest\\t":                         "line\\n***\\t",
		`"test"`:                                 `"***"`,
		"testing attest tests":                   "testing attest tests",
		"Webhook fired, but did not meet expect": "Webhook fired, but did not meet expect",
		"é test":                                 "é ***",
		"étest":                                  "étest",
		"test1":                                  "test1",
		`a\u0026test`:                            `a\u0026***`,
		`x\u0020test\u002e`:                      `x\u0020***\u002e`,
		`\u0041test`:                             `\u0041test`,
		`test\u0041 test`:                        `test\u0041 ***`,
		"attest test":                            "attest ***",
	} {
		if got := s.maskText(text); got != want {
			t.Errorf("maskText(%q) = %q, want %q", text, got, want)
		}
	}
	if got := s.maskString(`{"eventName":"test","description":"a test from authing"}`); got != `{"description":"a *** from authing","eventName":"***"}` {
		t.Errorf("maskString: %s", got)
	}
	// A secret that begins or ends with punctuation is hidden next to a word on that side,
	// and an occurrence inside a word hides no later one that stands alone.
	var p secretSet
	p.add("p@ss", "-x!", "a-a")
	for text, want := range map[string]string{"user:p@ss": "user:***", "userp@ss": "userp@ss", "a-x!": "a***", "x-x!y": "x***y", "ba-a-a": "ba-***", "p@ssword": "p@ssword"} {
		if got := p.maskText(text); got != want {
			t.Errorf("maskText(%q) = %q, want %q", text, got, want)
		}
	}
}

// Overlapping secrets are masked as one span: no part of either is left.
func TestOverlappingSecretsAreMaskedWhole(t *testing.T) {
	var s secretSet
	s.add("abcd1234", "1234wxyz")
	if got := s.maskText("<abcd1234wxyz>"); got != "<***>" {
		t.Errorf("got %s", got)
	}
}

// An error that quotes a secret, the webhook's included, is masked; one that does not
// keeps what it wraps.
func TestErrorsAreMaskedOfTheWebhookSecret(t *testing.T) {
	host := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/get-webhook"):
			_, _ = fmt.Fprintf(w, `{"statusCode":200,"data":{"webhookId":"w","secret":%s}}`, quoted(awkwardSecret))
		default:
			w.WriteHeader(http.StatusBadGateway)
			_, _ = fmt.Fprintf(w, `{"statusCode":502,"message":%s}`, quoted(`the endpoint said {"token":`+quoted(awkwardSecret)+`}`))
		}
	})
	_, err := newTestClient(t, host).TriggerWebhook(t.Context(), TriggerInput{WebhookID: "w"})
	if err == nil || holdsSecret(err.Error(), awkwardSecret) || strings.Contains(err.Error(), "7Q") || !strings.Contains(err.Error(), SecretMarker) {
		t.Fatalf("got %v", err)
	}
	if OutcomeOf(err) != MayHaveTakenEffect {
		t.Fatalf("outcome %v", OutcomeOf(err))
	}
}

// When the webhook's secret cannot be read, nothing is fired: the answer could not be
// cleaned of it. A webhook that does not exist stays "not found".
func TestNothingFiresWhenTheSecretCannotBeRead(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	c := newTestClient(t, emu.URL())
	name, url, ct := "w", "http://127.0.0.1:1/", "application/json"
	w, err := c.CreateWebhook(t.Context(), WebhookInput{Name: &name, URL: &url, ContentType: &ct, Events: &[]string{"user:created"}})
	if err != nil {
		t.Fatal(err)
	}
	emu.SetRouteMissing("get-webhook", true)
	_, err = c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: w.WebhookID})
	if err == nil || OutcomeOf(err) != NotProcessed || !strings.Contains(err.Error(), "nothing was sent") || emu.Stats().Requests["trigger-webhook"] != 0 {
		t.Fatalf("got %v (outcome %v), %d triggers", err, OutcomeOf(err), emu.Stats().Requests["trigger-webhook"])
	}
	emu.SetRouteMissing("get-webhook", false)
	_, err = c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: "no-such-webhook"})
	if !IsNotFound(err) || OutcomeOf(err) != NotProcessed {
		t.Fatalf("got %v (outcome %v)", err, OutcomeOf(err))
	}
}

// Concurrent firings of one webhook share one read of its secret.
func TestConcurrentFiringsReadTheSecretOnce(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	echo := echoingEndpoint(t)
	setup := newTestClient(t, emu.URL())
	name, url, secret, ct := "echo", echo.URL, awkwardSecret, "application/json"
	w, err := setup.CreateWebhook(t.Context(), WebhookInput{Name: &name, URL: &url, ContentType: &ct, Events: &[]string{"user:created"}, Secret: &secret})
	if err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, emu.URL())
	before := emu.Stats().Requests["get-webhook"]
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			res, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: w.WebhookID})
			if err == nil && holdsSecret(res.Response, awkwardSecret) {
				err = fmt.Errorf("the answer holds the secret: %s", res.Response)
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := emu.Stats().Requests["get-webhook"] - before; n != 1 {
		t.Errorf("8 concurrent firings read the secret %d times; want 1", n)
	}
}

// The read of a webhook's secret is shared, so the caller that started it must not end
// it: its deadline passes while the read is under way, the read goes on, and the next
// caller uses it instead of reading again.
func TestASharedSecretReadOutlivesItsFirstCaller(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	setup := newTestClient(t, emu.URL())
	name, url, secret, ct := "held", "https://example.com/hook", awkwardSecret, "application/json"
	w, err := setup.CreateWebhook(t.Context(), WebhookInput{Name: &name, URL: &url, ContentType: &ct, Events: &[]string{"user:created"}, Secret: &secret})
	if err != nil {
		t.Fatal(err)
	}
	// A gate in front of the emulator holds each get-webhook until released.
	target, err := neturl.Parse(emu.URL())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	var reads atomic.Int32
	arrived, release := make(chan struct{}, 4), make(chan struct{})
	gate := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v3/get-webhook" {
			reads.Add(1)
			arrived <- struct{}{}
			<-release
		}
		proxy.ServeHTTP(rw, r)
	}))
	t.Cleanup(gate.Close)

	c := newTestClient(t, gate.URL)
	first, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.learnWebhookSecret(first, w.WebhookID) }()
	<-arrived
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("the first caller, cancelled: %v; want context.Canceled", err)
	}
	close(release)
	if err := c.learnWebhookSecret(t.Context(), w.WebhookID); err != nil {
		t.Fatalf("the next caller: %v", err)
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("get-webhook was sent %d times; want 1, the read the first caller started", n)
	}
	if got := c.Mask("x" + awkwardSecret); got != "x"+SecretMarker {
		t.Errorf("the secret read is not masked: %q", got)
	}
}
