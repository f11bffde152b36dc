package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Known answers for requests signed as authing-csharp-sdk 3.2.5 signs them
// (Services/BaseManagementService.cs, CheckToken; UtilsImpl/AKSKService.cs,
// ComposeStringToSign and BuildQuerystring; UtilsImpl/HmacSHA1Signer.cs), for access key
// pool-1 / emulator-test-secret at x-authing-date 1795773600000 (2026-11-27T10:00:00Z).
// Each stringToSign is written out as those files build it: the method, one line for each
// of five fixed headers, and the path with the parameters sorted ordinally; each
// authorization is base64(HMAC-SHA1(secret, stringToSign)), computed outside Go.
var csharpVectors = []struct {
	name, method, target, body, stringToSign, authorization string
}{
	{
		"GET with a query", http.MethodGet, "/api/v3/list-webhooks?page=1&limit=10", "",
		"GET\n" + csharpSignedHeaders + "/api/v3/list-webhooks?limit=10&page=1",
		"authing pool-1:7HnpWKwaT5QeidiP+umVidJtnSI=",
	},
	{
		"POST with nested objects", http.MethodPost, "/api/v3/trigger-webhook",
		`{"webhookId":"w1","requestHeaders":{"x-smoke":"1"},"requestBody":{"eventName":"test","data":{"b":2,"a":"<&> é"}}}`,
		"POST\n" + csharpSignedHeaders + `/api/v3/trigger-webhook?requestBody={"eventName":"test","data":{"b":2,"a":"<&> é"}}&requestHeaders={"x-smoke":"1"}&webhookId=w1`,
		"authing pool-1:dd8g7lilpmnB9fqJAmz19m1izGY=",
	},
}

const csharpSignedHeaders = "x-authing-date:1795773600000\nx-authing-sdk-version:authing-csharp-sdk:3.2.5.0\n" +
	"x-authing-signature-method:HMAC-SHA1\nx-authing-signature-nonce:Kq3ZpX9aBc0dEf1GhIjKlMnOpQrStU\nx-authing-signature-version:1.0\n"

var csharpDate = time.UnixMilli(1795773600000)

// csharpRequest is a request with the headers CheckToken sets, plus an x-authing-lang
// that the C# SDK does not sign (a server must tolerate extra x-authing-* headers).
func csharpRequest(method, target, body, authorization string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range map[string]string{
		"content-type": "application/json", "user-agent": "AuthingIdentityCloud (Unix 6.1; x64) doNet",
		"x-authing-signature-nonce": "Kq3ZpX9aBc0dEf1GhIjKlMnOpQrStU", "x-authing-signature-method": "HMAC-SHA1",
		"x-authing-signature-version": "1.0", "x-authing-sdk-version": "authing-csharp-sdk:3.2.5.0",
		"x-authing-date": "1795773600000", "x-authing-lang": "en-US", "authorization": authorization,
	} {
		r.Header.Set(k, v)
	}
	return r
}

func TestSignedRequestsAreCheckedAsTheCSharpSDKSignsThem(t *testing.T) {
	s := start(t, Options{})
	for _, v := range csharpVectors {
		t.Run(v.name, func(t *testing.T) {
			r := csharpRequest(v.method, v.target, v.body, v.authorization)
			params, _ := signedParams(r, []byte(v.body))
			if got := csharpStringToSign(r, params); got != v.stringToSign {
				t.Fatalf("stringToSign\n%q\nwant\n%q", got, v.stringToSign)
			}
			check := func(r *http.Request, now time.Time) *apiError {
				_, e := s.verifySigned(r, r.Header.Get("authorization"), []byte(v.body), now)
				return e
			}
			if e := check(r, csharpDate.Add(-14*time.Minute)); e != nil {
				t.Fatalf("the SDK's signature was refused: %s", e.message)
			}
			for name, tt := range map[string]struct {
				r    *http.Request
				now  time.Time
				want string
			}{
				"wrong signature":                 {csharpRequest(v.method, v.target, v.body, strings.Replace(v.authorization, ":", ":A", 1)), csharpDate, "does not match"},
				"x-authing-date 16 minutes stale": {csharpRequest(v.method, v.target, v.body, v.authorization), csharpDate.Add(16 * time.Minute), "15 minutes"},
				"x-authing-date 16 minutes ahead": {csharpRequest(v.method, v.target, v.body, v.authorization), csharpDate.Add(-16 * time.Minute), "15 minutes"},
				"x-authing-date in seconds": {func() *http.Request {
					r := csharpRequest(v.method, v.target, v.body, v.authorization)
					r.Header.Set("x-authing-date", "Fri, 27 Nov 2026 10:00:00 GMT")
					return r
				}(), csharpDate, "Unix time in milliseconds"},
				"a signed header changed": {func() *http.Request {
					r := csharpRequest(v.method, v.target, v.body, v.authorization)
					r.Header.Set("x-authing-signature-nonce", "other")
					return r
				}(), csharpDate, "does not match"},
			} {
				if e := check(tt.r, tt.now); e == nil || e.statusCode != 401 || !strings.Contains(e.message, tt.want) {
					t.Errorf("%s: got %+v, want a 401 saying %q", name, e, tt.want)
				}
			}
		})
	}
}

// The Java SDK (ManagementClientOptions.doRequest) sends the raw token without Bearer,
// date in epoch milliseconds, x-authing-tenant-id, x-authing-lang and the signature
// headers next to the token: the emulator serves it.
func TestJavaSDKStyleRequestsAreServed(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	s.SeedWebhooks("w", 2)
	h := http.Header{}
	for k, v := range map[string]string{
		"Authorization": tok, "x-authing-userpool-id": keyID, "Content-Type": "application/json",
		"x-authing-lang": "zh-CN", "x-authing-sdk-version": "authing-java-sdk:3.1.4",
		"x-authing-signature-method": "HMAC-SHA1", "x-authing-signature-nonce": "aB3dE5gH7jK9mN1p",
		"x-authing-signature-version": "1.0", "x-authing-tenant-id": "tenant-1", "date": "1795773600000",
	} {
		h.Set(k, v)
	}
	a := send(t, http.MethodGet, s.URL()+"/api/v3/list-webhooks?page=1&limit=10", h, "")
	if a.StatusCode != 200 || !strings.Contains(string(a.Data), `"totalCount":2`) {
		t.Fatalf("%+v %s", a, a.Data)
	}
	h.Set("Authorization", tok[:len(tok)-4]+"AAAA")
	if a := send(t, http.MethodGet, s.URL()+"/api/v3/list-webhooks", h, ""); a.StatusCode != 401 {
		t.Fatalf("a forged raw token: %+v", a)
	}
}

// A delivery carries the secret under both names Authing documents, and Authing's
// Accept header; the log shows them, with a timestamp in the documented format.
func TestDeliveriesAndLogsAsDocumented(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "doc", URL: s.ReceiverURL("doc"), Enabled: true, Events: []string{"test"}, Secret: "whsec-doc"})
	for range 3 {
		if a := send(t, http.MethodPost, s.URL()+"/api/v3/trigger-webhook", authed(tok), `{"webhookId":"`+id+`"}`); !strings.Contains(string(a.Data), `"secretMatched":true`) {
			t.Fatalf("trigger: %+v %s", a, a.Data)
		}
	}
	h := s.Received()[0].Headers
	for name, want := range map[string]string{"X-Authing-Token": "whsec-doc", "X-Authing-Webhook-Secret": "whsec-doc", "Accept": "application/json, text/plain, */*"} {
		if h.Get(name) != want {
			t.Errorf("%s: %q, want %q", name, h.Get(name), want)
		}
	}
	a := send(t, http.MethodPost, s.URL()+"/api/v3/get-webhook-logs", authed(tok), `{"webhookId":"`+id+`"}`)
	var data struct {
		List []struct {
			Timestamp      string            `json:"timestamp"`
			RequestHeaders map[string]string `json:"requestHeaders"`
		} `json:"list"`
	}
	if err := json.Unmarshal(a.Data, &data); err != nil || len(data.List) != 3 {
		t.Fatalf("logs: %v %s", err, a.Data)
	}
	if a := send(t, http.MethodPost, s.URL()+"/api/v3/get-webhook-logs", authed(tok), `{"webhookId":"6229ffa000000000cade3e3d"}`); a.StatusCode != 200 || string(a.Data) != `{"list":[],"totalCount":0}` {
		t.Fatalf("logs of an unknown webhook, documented as an empty list: %+v %s", a, a.Data)
	}
	documented := regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0800$`)
	for i, l := range data.List {
		if !documented.MatchString(l.Timestamp) || l.RequestHeaders["x-authing-token"] != "whsec-doc" {
			t.Fatalf("log %d: %q, headers %v", i, l.Timestamp, l.RequestHeaders)
		}
		if i > 0 && l.Timestamp >= data.List[i-1].Timestamp {
			t.Fatalf("log %d at %s is not older than the one before, %s", i, l.Timestamp, data.List[i-1].Timestamp)
		}
	}
}

// The receiver's secretMatched checks both secret headers: a forged value in either fails.
func TestReceiverChecksBothSecretHeaders(t *testing.T) {
	s := start(t, Options{})
	s.AddWebhook(Webhook{Name: "r", URL: s.ReceiverURL("r"), Enabled: true, Secret: "whsec-r"})
	for name, tt := range map[string]struct {
		headers map[string]string
		want    bool
	}{
		"both":                  {map[string]string{"X-Authing-Token": "whsec-r", "X-Authing-Webhook-Secret": "whsec-r"}, true},
		"token only":            {map[string]string{"X-Authing-Token": "whsec-r"}, true},
		"webhook-secret only":   {map[string]string{"X-Authing-Webhook-Secret": "whsec-r"}, true},
		"forged token":          {map[string]string{"X-Authing-Token": "forged", "X-Authing-Webhook-Secret": "whsec-r"}, false},
		"forged webhook-secret": {map[string]string{"X-Authing-Token": "whsec-r", "X-Authing-Webhook-Secret": "forged"}, false},
		"none":                  {map[string]string{}, false},
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/_emulator/receiver/r", strings.NewReader(`{}`))
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			if got := s.secretMatches(r); got != tt.want {
				t.Fatalf("secretMatched %v, want %v", got, tt.want)
			}
		})
	}
}

// delete-webhook answers data.success; with RefuseDeletes it answers success false and
// deletes nothing.
func TestDeleteAnswersSuccess(t *testing.T) {
	for _, refuse := range []bool{false, true} {
		s := start(t, Options{RefuseDeletes: refuse})
		tok := token(t, s)
		id := s.SeedWebhooks("w", 1)[0]
		a := send(t, http.MethodPost, s.URL()+"/api/v3/delete-webhook", authed(tok), `{"webhookIds":["`+id+`"]}`)
		_, exists := s.Webhook(id)
		if a.StatusCode != 200 || string(a.Data) != `{"success":`+map[bool]string{false: "true", true: "false"}[refuse]+`}` || exists != refuse {
			t.Fatalf("refuse %v: %+v %s, webhook still there: %v", refuse, a, a.Data, exists)
		}
	}
}

// A limit over 50 is refused with Authing's message, unless the emulator plays a server
// that serves its own page size; throttling answers with Authing's documented body.
func TestLimitAndThrottlingAnswersAsDocumented(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.SeedWebhooks("w", 1)[0]
	for _, a := range []answer{
		send(t, http.MethodGet, s.URL()+"/api/v3/list-webhooks?limit=51", authed(tok), ""),
		send(t, http.MethodPost, s.URL()+"/api/v3/get-webhook-logs", authed(tok), `{"webhookId":"`+id+`","limit":51}`),
	} {
		if a.StatusCode != 400 || a.Message != "limit must not be greater than 50" {
			t.Fatalf("%+v", a)
		}
	}
	clamped := start(t, Options{PageSize: 10})
	if a := send(t, http.MethodGet, clamped.URL()+"/api/v3/list-webhooks?limit=51", authed(token(t, clamped)), ""); a.StatusCode != 200 {
		t.Fatalf("a page-size server refused limit 51: %+v", a)
	}
	throttled := start(t, Options{RateLimit: 1})
	tok = token(t, throttled)
	var a answer
	for range 5 {
		if a = send(t, http.MethodGet, throttled.URL()+"/api/v3/list-webhooks", authed(tok), ""); a.HTTPStatus == http.StatusTooManyRequests {
			break
		}
	}
	if a.HTTPStatus != http.StatusTooManyRequests || a.StatusCode != 429 || a.Message != "您的请求已超过最大数量限制，请稍后重试" || a.APICode != 0 || a.RequestID != "" {
		t.Fatalf("%+v", a)
	}
}
