package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	keyID  = "pool-1"
	secret = "emulator-test-secret"
)

func start(t *testing.T, opts Options) *Server {
	t.Helper()
	opts.Keys = []AccessKey{{ID: keyID, Secret: secret}}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

type answer struct {
	HTTPStatus int
	StatusCode int             `json:"statusCode"`
	APICode    int             `json:"apiCode"`
	Message    string          `json:"message"`
	RequestID  string          `json:"requestId"`
	Data       json.RawMessage `json:"data"`
}

func send(t *testing.T, method, target string, header http.Header, body string) answer {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, target, r)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a answer
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s %s: not JSON: %q", method, target, raw)
	}
	a.HTTPStatus = resp.StatusCode
	return a
}

func token(t *testing.T, s *Server) string {
	t.Helper()
	a := send(t, http.MethodPost, s.URL()+"/api/v3/get-management-token", http.Header{"Content-Type": {"application/json"}},
		`{"accessKeyId":"`+keyID+`","accessKeySecret":"`+secret+`"}`)
	var data struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if a.StatusCode != 200 || json.Unmarshal(a.Data, &data) != nil || data.AccessToken == "" {
		t.Fatalf("token: %+v", a)
	}
	return data.AccessToken
}

func authed(tok string) http.Header {
	return http.Header{"Authorization": {"Bearer " + tok}, "X-Authing-Userpool-Id": {keyID}, "Content-Type": {"application/json"}}
}

// The emulator refuses what the real API refuses, with the API's envelope.
func TestEmulatorIsStrict(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.SeedWebhooks("w", 1)[0]
	api := s.URL() + "/api/v3/"
	noPool := authed(tok)
	noPool.Del("X-Authing-Userpool-Id")
	otherPool := authed(tok)
	otherPool.Set("X-Authing-Userpool-Id", "someone-else")
	rawToken := authed(tok)
	rawToken.Set("Authorization", tok)
	formBody := authed(tok)
	formBody.Set("Content-Type", "application/x-www-form-urlencoded")
	tests := []struct {
		name         string
		method, path string
		header       http.Header
		body         string
		wantHTTP     int
		wantStatus   int
	}{
		{"wrong secret", "POST", "get-management-token", http.Header{"Content-Type": {"application/json"}}, `{"accessKeyId":"pool-1","accessKeySecret":"nope"}`, 200, 401},
		{"wrong method", "POST", "list-webhooks", authed(tok), `{}`, 404, 404},
		{"unknown route", "GET", "list-everything", authed(tok), "", 404, 404},
		{"no token", "GET", "list-webhooks", http.Header{"X-Authing-Userpool-Id": {keyID}}, "", 200, 401},
		{"forged token", "GET", "list-webhooks", authed(tok[:len(tok)-4] + "AAAA"), "", 200, 401},
		{"no user pool header", "GET", "list-webhooks", noPool, "", 200, 400},
		{"other user pool", "GET", "list-webhooks", otherPool, "", 200, 403},
		{"raw token without Bearer", "GET", "list-webhooks", rawToken, "", 200, 200},
		{"limit over 50", "GET", "list-webhooks?limit=51", authed(tok), "", 200, 400},
		{"page 0", "GET", "list-webhooks?page=0", authed(tok), "", 200, 400},
		{"limit 50", "GET", "list-webhooks?limit=50", authed(tok), "", 200, 200},
		{"unknown webhook", "GET", "get-webhook?webhookId=nope", authed(tok), "", 200, 404},
		{"form body", "POST", "trigger-webhook", formBody, `{"webhookId":"` + id + `"}`, 200, 400},
		{"body not an object", "POST", "trigger-webhook", authed(tok), `["x"]`, 200, 400},
		{"requestBody not an object", "POST", "trigger-webhook", authed(tok), `{"webhookId":"` + id + `","requestBody":"text"}`, 200, 400},
		{"requestHeaders not strings", "POST", "trigger-webhook", authed(tok), `{"webhookId":"` + id + `","requestHeaders":{"a":1}}`, 200, 400},
		{"trigger unknown webhook", "POST", "trigger-webhook", authed(tok), `{"webhookId":"nope"}`, 200, 404},
		{"create with bad event", "POST", "create-webhook", authed(tok), `{"name":"n","url":"http://127.0.0.1/x","events":["user.created"],"contentType":"application/json"}`, 200, 400},
		{"create without url", "POST", "create-webhook", authed(tok), `{"name":"n","events":[],"contentType":"application/json"}`, 200, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, tt.method, api+tt.path, tt.header, tt.body)
			if a.HTTPStatus != tt.wantHTTP || a.StatusCode != tt.wantStatus {
				t.Fatalf("HTTP %d statusCode %d (%s); want %d, %d", a.HTTPStatus, a.StatusCode, a.Message, tt.wantHTTP, tt.wantStatus)
			}
			// A route miss answers like NestJS, without a requestId; every API answer has one.
			if (a.RequestID == "") != (tt.wantHTTP == 404) {
				t.Fatalf("requestId %q", a.RequestID)
			}
		})
	}
	if d := s.Stats().Deliveries; d != 0 {
		t.Fatalf("refused triggers delivered %d times", d)
	}
}

func TestTokensExpire(t *testing.T) {
	s := start(t, Options{TokenLifetime: 50 * time.Millisecond})
	tok := token(t, s)
	deadline := time.Now().Add(5 * time.Second)
	for {
		a := send(t, "GET", s.URL()+"/api/v3/list-webhooks", authed(tok), "")
		if a.StatusCode == 401 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the token never expired")
		}
		time.Sleep(10 * time.Millisecond)
	}
	tok = token(t, s)
	s.ExpireTokens()
	if a := send(t, "GET", s.URL()+"/api/v3/list-webhooks", authed(tok), ""); a.StatusCode != 401 {
		t.Fatalf("a token issued before ExpireTokens still works: %+v", a)
	}
}

func TestThrottling(t *testing.T) {
	s := start(t, Options{RateLimit: 5})
	tok := token(t, s)
	throttled := 0
	for range 10 {
		if a := send(t, "GET", s.URL()+"/api/v3/list-webhooks", authed(tok), ""); a.HTTPStatus == http.StatusTooManyRequests && a.StatusCode == 429 {
			throttled++
		}
	}
	if throttled < 4 {
		t.Fatalf("%d of 10 requests throttled at 5 per second", throttled)
	}
}

func TestTriggerDeliversFormEncodedWithHeaders(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "form", URL: s.ReceiverURL("form"), ContentType: contentTypeForm, Enabled: true})
	a := send(t, "POST", s.URL()+"/api/v3/trigger-webhook", authed(tok),
		`{"webhookId":"`+id+`","requestHeaders":{"X-Extra":"1"},"requestBody":{"eventName":"test","data":{"n":1}}}`)
	if a.StatusCode != 200 {
		t.Fatalf("%+v", a)
	}
	got := s.Received()
	if len(got) != 1 || got[0].Headers.Get("Content-Type") != contentTypeForm || got[0].Headers.Get("X-Extra") != "1" {
		t.Fatalf("received %+v", got)
	}
	form, err := url.ParseQuery(got[0].Body)
	if err != nil || form.Get("eventName") != "test" || form.Get("data") != `{"n":1}` {
		t.Fatalf("form body %q", got[0].Body)
	}
	var data struct {
		Response struct {
			Body map[string]string `json:"body"`
		} `json:"response"`
	}
	if err := json.Unmarshal(a.Data, &data); err != nil || data.Response.Body["eventName"] != "test" {
		t.Fatalf("relayed answer %s", a.Data)
	}
}

func TestTriggerRefusesNonLoopbackTargets(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "public", URL: "https://example.com/hook", Enabled: true})
	a := send(t, "POST", s.URL()+"/api/v3/trigger-webhook", authed(tok), `{"webhookId":"`+id+`"}`)
	if a.StatusCode != 601 || !strings.Contains(a.Message, "loopback") || s.Stats().Deliveries != 0 {
		t.Fatalf("%+v, deliveries %d", a, s.Stats().Deliveries)
	}
}

func TestWebhookLifecycleAndLogs(t *testing.T) {
	s := start(t, Options{})
	tok := token(t, s)
	api := s.URL() + "/api/v3/"
	a := send(t, "POST", api+"create-webhook", authed(tok), `{"name":"n","url":"`+s.ReceiverURL("n")+`","events":["user:created"],"contentType":"application/json","secret":"whsec"}`)
	var w webhookDTO
	if a.StatusCode != 200 || json.Unmarshal(a.Data, &w) != nil || !w.Enabled || w.Secret != "whsec" {
		t.Fatalf("create: %+v", a)
	}
	a = send(t, "POST", api+"update-webhook", authed(tok), `{"webhookId":"`+w.WebhookID+`","enabled":false,"name":"renamed"}`)
	if a.StatusCode != 200 || json.Unmarshal(a.Data, &w) != nil || w.Enabled || w.Name != "renamed" {
		t.Fatalf("update: %+v", a)
	}
	if a = send(t, "POST", api+"trigger-webhook", authed(tok), `{"webhookId":"`+w.WebhookID+`"}`); a.StatusCode != 200 {
		t.Fatalf("trigger: %+v", a)
	}
	a = send(t, "POST", api+"get-webhook-logs", authed(tok), `{"webhookId":"`+w.WebhookID+`"}`)
	if a.StatusCode != 200 || !strings.Contains(string(a.Data), `"totalCount":1`) || !strings.Contains(string(a.Data), `"success":true`) {
		t.Fatalf("logs: %+v %s", a, a.Data)
	}
	if a = send(t, "POST", api+"delete-webhook", authed(tok), `{"webhookIds":["`+w.WebhookID+`","unknown"]}`); a.StatusCode != 200 {
		t.Fatalf("delete: %+v", a)
	}
	if a = send(t, "GET", api+"get-webhook?webhookId="+w.WebhookID, authed(tok), ""); a.StatusCode != 404 {
		t.Fatalf("get after delete: %+v", a)
	}
	a = send(t, "GET", api+"get-webhook-event-list", authed(tok), "")
	if a.StatusCode != 200 || !strings.Contains(string(a.Data), `"value":"user:created"`) {
		t.Fatalf("event list: %+v", a)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := start(t, Options{RateLimit: -1})
	tok := token(t, s)
	ids := s.SeedWebhooks("w", 20)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			send(t, "POST", s.URL()+"/api/v3/trigger-webhook", authed(tok), `{"webhookId":"`+id+`"}`)
			send(t, "GET", s.URL()+"/api/v3/list-webhooks?limit=50", authed(tok), "")
		})
	}
	wg.Wait()
	if st := s.Stats(); st.Deliveries != 20 || st.ReceiverHits != 20 || len(st.DeliveriesByWebhook) != 20 {
		t.Fatalf("%+v", st)
	}
}

func TestFaultsBySkipTimesAndRate(t *testing.T) {
	s := start(t, Options{RateLimit: -1})
	tok := token(t, s)
	list := func() int { return send(t, "GET", s.URL()+"/api/v3/list-webhooks", authed(tok), "").StatusCode }
	s.InjectFault("list-webhooks", Fault{Kind: FaultBusinessError, StatusCode: 503, Skip: 2, Times: 3})
	var got []int
	for range 7 {
		got = append(got, list())
	}
	if want := []int{200, 200, 503, 503, 503, 200, 200}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	s.InjectFault("list-webhooks", Fault{Kind: FaultBusinessError, StatusCode: 500, Rate: 0.5})
	hits := 0
	for range 400 {
		if list() == 500 {
			hits++
		}
	}
	// Binomial(400, 0.5): 200 +- 10; outside 140..260 is a broken rate.
	if hits < 140 || hits > 260 {
		t.Fatalf("%d of 400 requests hit at rate 0.5", hits)
	}
}
