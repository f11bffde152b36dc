package emulator

import (
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"
)

// loggedDelivery is a delivery log as get-webhook-logs serves it.
type loggedDelivery struct {
	EventName          string            `json:"eventName"`
	RequestBody        json.RawMessage   `json:"requestBody"`
	RequestHeaders     map[string]string `json:"requestHeaders"`
	ResponseStatusCode int               `json:"responseStatusCode"`
	ResponseHeaders    map[string]string `json:"responseHeaders"`
	ResponseBody       json.RawMessage   `json:"responseBody"`
	Success            bool              `json:"success"`
	ErrorMessage       string            `json:"errorMessage"`
}

// deliveryLogs reads a webhook's latest logs, newest first, through the API.
func deliveryLogs(t *testing.T, s *Server, tok, id string) []loggedDelivery {
	t.Helper()
	a := send(t, "POST", s.URL()+"/api/v3/get-webhook-logs", authed(tok), `{"webhookId":"`+id+`","limit":50}`)
	var data struct {
		List []loggedDelivery `json:"list"`
	}
	if a.StatusCode != 200 || json.Unmarshal(a.Data, &data) != nil {
		t.Fatalf("logs: %+v", a)
	}
	return data.List
}

func trigger(t *testing.T, s *Server, tok, id string) answer {
	t.Helper()
	return send(t, "POST", s.URL()+"/api/v3/trigger-webhook", authed(tok), `{"webhookId":"`+id+`","requestBody":{"eventName":"test","data":{"n":1}}}`)
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func compact(raw json.RawMessage) string {
	if raw == nil {
		return "absent"
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "invalid " + string(raw)
	}
	var out strings.Builder
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSpace(out.String())
}

// Each way an endpoint can fail gets each answer the documents allow: business statusCode
// 601 (no answer) or 602 (an error answer) in the codes style, statusCode 200 with what
// came back (null when nothing came) in the relay style; and the same delivery log in both.
func TestEndpointFailuresInEachStyle(t *testing.T) {
	html := "<html><body>Bad Gateway</body></html>"
	empty := ""
	jsonBody := `{"ok":true}`
	refused := "http://" + closedPort(t) + "/hook"
	endpoints := []struct {
		name     string
		behavior *ReceiverBehavior // nil: the URL is refused
		// what the codes style answers: statusCode and, for 200, data.response
		codes int
		// data.response in both styles when codes is 200, and in the relay style always
		response string
		// the log's responseStatusCode, success and errorMessage
		logStatus  int
		logSuccess bool
		logError   string
	}{
		{"refused", nil, 601, "null", 0, false, "connect ECONNREFUSED"},
		{"cut", &ReceiverBehavior{Down: true}, 601, "null", 0, false, "socket hang up"},
		{"timed out", &ReceiverBehavior{Delay: 10 * time.Second}, 601, "null", 0, false, "ERRTIMEOUT"},
		{"HTML error page", &ReceiverBehavior{Status: 502, Body: &html}, 602, `"` + html + `"`, 502, false, "Request failed with status code 502"},
		{"JSON error", &ReceiverBehavior{Status: 500, Body: &jsonBody}, 602, jsonBody, 500, false, "Request failed with status code 500"},
		{"empty error", &ReceiverBehavior{Status: 404, Body: &empty}, 602, `""`, 404, false, "Request failed with status code 404"},
		{"first delivery fails", &ReceiverBehavior{FailFirst: 1}, 602, "", 503, false, "Request failed with status code 503"},
		{"empty success", &ReceiverBehavior{Status: 204}, 200, `""`, 204, true, ""},
		{"HTML success", &ReceiverBehavior{Body: &html}, 200, `"` + html + `"`, 200, true, ""},
	}
	for _, style := range []EndpointFailureStyle{EndpointFailureCodes, EndpointFailureRelay} {
		// A second: short enough for the timing-out case, long enough that no answering
		// endpoint times out on a busy machine.
		s := start(t, Options{EndpointFailure: style, DeliveryTimeout: time.Second})
		tok := token(t, s)
		for _, ep := range endpoints {
			t.Run(string(style)+"/"+ep.name, func(t *testing.T) {
				url := refused
				if ep.behavior != nil {
					name := strings.ReplaceAll(ep.name, " ", "-")
					url = s.ReceiverURL(name)
					if err := s.SetReceiver(name, *ep.behavior); err != nil {
						t.Fatal(err)
					}
				}
				id := s.AddWebhook(Webhook{Name: ep.name, URL: url, Enabled: true, Events: []string{"test"}})
				a := trigger(t, s, tok, id)
				wantCode := ep.codes
				if style == EndpointFailureRelay {
					wantCode = 200
				}
				if a.HTTPStatus != 200 || a.StatusCode != wantCode || a.RequestID == "" {
					t.Fatalf("answer %+v, want statusCode %d", a, wantCode)
				}
				switch {
				case wantCode == 601 && !strings.Contains(a.Message, "EndpointRequestError"),
					wantCode == 602 && !strings.Contains(a.Message, "EndpointResponseError"),
					wantCode != 200 && a.Data != nil:
					t.Fatalf("error answer %+v", a)
				}
				if wantCode == 200 {
					var data struct {
						Response json.RawMessage `json:"response"`
					}
					if err := json.Unmarshal(a.Data, &data); err != nil {
						t.Fatal(err)
					}
					if ep.response != "" && compact(data.Response) != ep.response {
						t.Fatalf("data.response %s, want %s", data.Response, ep.response)
					}
					if ep.response == "" && !strings.Contains(string(data.Response), "503 Service Unavailable") {
						t.Fatalf("data.response %s, want the failing receiver's page", data.Response)
					}
				}
				logs := deliveryLogs(t, s, tok, id)
				if len(logs) != 1 {
					t.Fatalf("%d logs", len(logs))
				}
				l := logs[0]
				if l.ResponseStatusCode != ep.logStatus || l.Success != ep.logSuccess || !strings.HasPrefix(l.ErrorMessage, ep.logError) || (ep.logError == "") != (l.ErrorMessage == "") {
					t.Fatalf("log %+v", l)
				}
				if compact(l.RequestBody) != `{"data":{"n":1},"eventName":"test"}` || l.ResponseHeaders == nil {
					t.Fatalf("log %+v", l)
				}
			})
		}
	}
}

// The style changes while serving, and an unknown style is refused, in Options and later.
func TestEndpointFailureStyleIsSelectable(t *testing.T) {
	if _, err := New(Options{Keys: []AccessKey{{ID: "k", Secret: "s"}}, EndpointFailure: "guess"}); err == nil {
		t.Fatal("an unknown style was accepted")
	}
	if _, err := New(Options{Keys: []AccessKey{{ID: "k", Secret: "s"}}, DeliveryTimeout: -time.Second}); err == nil {
		t.Fatal("a negative delivery timeout was accepted")
	}
	s := start(t, Options{})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "down", URL: s.ReceiverURL("down?down=1"), Enabled: true})
	if a := trigger(t, s, tok, id); a.StatusCode != 601 {
		t.Fatalf("default style: %+v", a)
	}
	if err := s.SetEndpointFailure(EndpointFailureRelay); err != nil {
		t.Fatal(err)
	}
	if a := trigger(t, s, tok, id); a.StatusCode != 200 || compact(a.Data) != `{"response":null}` {
		t.Fatalf("relay: %+v", a)
	}
	if err := s.SetEndpointFailure("sometimes"); err == nil {
		t.Fatal("an unknown style was set")
	}
	if a := trigger(t, s, tok, id); a.StatusCode != 200 {
		t.Fatalf("a refused style changed the style: %+v", a)
	}
}

// A timing-out endpoint costs the delivery timeout, not half a minute.
func TestDeliveryTimeoutIsConfigurable(t *testing.T) {
	s := start(t, Options{DeliveryTimeout: 200 * time.Millisecond})
	tok := token(t, s)
	id := s.AddWebhook(Webhook{Name: "slow", URL: s.ReceiverURL("slow?delay=20s"), Enabled: true})
	began := time.Now()
	a := trigger(t, s, tok, id)
	if took := time.Since(began); a.StatusCode != 601 || took > 5*time.Second {
		t.Fatalf("%+v after %s", a, took)
	}
	if l := deliveryLogs(t, s, tok, id); len(l) != 1 || l[0].ErrorMessage != "ERRTIMEOUT" {
		t.Fatalf("logs %+v", l)
	}
}
