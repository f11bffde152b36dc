package emulator

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Known answers computed with authing-node-sdk 4.0.1's own buildStringToSign and
// buildAuthorization, for access key pool-1 / emulator-test-secret.
var signedVectors = []struct {
	name, method, target, body, authorization string
}{
	{
		"POST with nested objects, a number and a boolean", http.MethodPost, "/api/v3/trigger-webhook",
		`{"webhookId":"w1","requestHeaders":{"x-smoke":"1"},"requestBody":{"eventName":"test","data":{"b":2,"a":"<&> é"}},"n":3,"ok":true}`,
		"authing pool-1:twInFnYqoyte10DVoR/Ol0Gl1ac=",
	},
	{"GET with a query", http.MethodGet, "/api/v3/list-webhooks?page=2&limit=10", "", "authing pool-1:5liNe+ngURqSqPGgYUlZcGTrfsE="},
}

var vectorDate = time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)

func signedRequest(method, target, body, authorization string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range map[string]string{
		"accept": "application/json", "content-type": "application/json", "user-agent": "ua",
		"x-authing-signature-nonce": "0f5b1c7e", "x-authing-signature-method": "HMAC-SHA1",
		"x-authing-signature-version": "1.0", "x-authing-sdk-version": "authing-node-sdk:4.0.1",
		"x-authing-lang": "zh-CN", "date": "Fri, 27 Nov 2026 10:00:00 GMT", "authorization": authorization,
	} {
		r.Header.Set(k, v)
	}
	return r
}

func TestSignedRequestsAreCheckedAsTheNodeSDKSignsThem(t *testing.T) {
	s := start(t, Options{})
	for _, v := range signedVectors {
		t.Run(v.name, func(t *testing.T) {
			check := func(r *http.Request, now time.Time) *apiError {
				_, e := s.verifySigned(r, r.Header.Get("authorization"), []byte(v.body), now)
				return e
			}
			if e := check(signedRequest(v.method, v.target, v.body, v.authorization), vectorDate.Add(14*time.Minute)); e != nil {
				t.Fatalf("the SDK's signature was refused: %s", e.message)
			}
			wrongSig := strings.Replace(v.authorization, ":", ":A", 1)
			otherKey := strings.Replace(v.authorization, "pool-1", "pool-2", 1)
			for name, tt := range map[string]struct {
				r    *http.Request
				now  time.Time
				want string
			}{
				"wrong signature":       {signedRequest(v.method, v.target, v.body, wrongSig), vectorDate, "does not match"},
				"unknown access key":    {signedRequest(v.method, v.target, v.body, otherKey), vectorDate, "unknown access key"},
				"date 16 minutes late":  {signedRequest(v.method, v.target, v.body, v.authorization), vectorDate.Add(16 * time.Minute), "15 minutes"},
				"date 16 minutes early": {signedRequest(v.method, v.target, v.body, v.authorization), vectorDate.Add(-16 * time.Minute), "15 minutes"},
				"a signed header changed": {func() *http.Request {
					r := signedRequest(v.method, v.target, v.body, v.authorization)
					r.Header.Set("x-authing-lang", "en-US")
					return r
				}(), vectorDate, "does not match"},
			} {
				if e := check(tt.r, tt.now); e == nil || e.statusCode != 401 || !strings.Contains(e.message, tt.want) {
					t.Errorf("%s: got %+v, want a 401 saying %q", name, e, tt.want)
				}
			}
		})
	}
}

// A delivery carries what Authing's webhook guide says: its user agent, the user pool,
// the webhook's secret, and the trigger's headers, which cannot override Authing's own.
func TestDeliveriesCarryAuthingsHeaders(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "signed", URL: s.ReceiverURL("signed"), Enabled: true, Events: []string{"test"}, Secret: "whsec-1"})
	a := send(t, http.MethodPost, s.URL()+"/api/v3/trigger-webhook", authed(tok),
		`{"webhookId":"`+id+`","requestHeaders":{"x-smoke":"1","x-authing-webhook-secret":"forged"}}`)
	if a.StatusCode != 200 || !strings.Contains(string(a.Data), `"secretMatched":true`) {
		t.Fatalf("trigger: %+v %s", a, a.Data)
	}
	got := s.Received()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	h := got[0].Headers
	for name, want := range map[string]string{
		"User-Agent": "authing-webhook@2.0", "X-Authing-Webhook-Secret": "whsec-1",
		"X-Authing-Userpool-Id": keyID, "X-Smoke": "1", "Content-Type": "application/json",
	} {
		if h.Get(name) != want {
			t.Errorf("%s: %q, want %q", name, h.Get(name), want)
		}
	}
	plain := s.AddWebhook(Webhook{Name: "plain", URL: s.ReceiverURL("plain"), Enabled: true, Events: []string{"test"}})
	a = send(t, http.MethodPost, s.URL()+"/api/v3/trigger-webhook", authed(tok),
		`{"webhookId":"`+plain+`","requestHeaders":{"x-authing-webhook-secret":"whsec-1"}}`)
	if a.StatusCode != 200 || !strings.Contains(string(a.Data), `"secretMatched":false`) {
		t.Fatalf("a webhook without a secret: %s", a.Data)
	}
	if h := s.Received()[1].Headers; h.Get("X-Authing-Webhook-Secret") != "" {
		t.Fatalf("a webhook without a secret sent %q", h.Get("X-Authing-Webhook-Secret"))
	}
}
