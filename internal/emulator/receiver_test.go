package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The receiver alone answers every path with the contract's echo, the secret headers
// masked, and the status ?status=N asks.
func TestReceiverHandlerEchoesTheContract(t *testing.T) {
	srv := httptest.NewServer(ReceiverHandler())
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		name, path, contentType, body string
		wantStatus                    int
		wantBody                      string
	}{
		{"json", "/any/path", "application/json", `{"eventName":"test","data":{"n":1}}`, 200, `{"data":{"n":1},"eventName":"test"}`},
		{"form", "/", contentTypeForm, "eventName=test&x=1", 200, `{"eventName":"test","x":"1"}`},
		{"text", "/hook?status=503", "text/plain", "plain words", 503, `"plain words"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.contentType)
			req.Header.Set("X-Authing-Webhook-Secret", "whsec-do-not-echo")
			req.Header.Set("X-Authing-Token", "whsec-do-not-echo")
			req.Header.Set("X-Stage", "deploy")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = resp.Body.Close() }()
			var echo struct {
				Method  string            `json:"method"`
				Headers map[string]string `json:"headers"`
				Body    json.RawMessage   `json:"body"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&echo); err != nil {
				t.Fatal(err)
			}
			var body any
			_ = json.Unmarshal(echo.Body, &body)
			canonical, _ := json.Marshal(body)
			if resp.StatusCode != tt.wantStatus || echo.Method != http.MethodPost || string(canonical) != tt.wantBody ||
				echo.Headers["x-stage"] != "deploy" || echo.Headers["content-type"] != tt.contentType {
				t.Errorf("status %d, echo %+v body %s", resp.StatusCode, echo, canonical)
			}
			if echo.Headers["x-authing-webhook-secret"] != "(set)" || echo.Headers["x-authing-token"] != "(set)" {
				t.Errorf("secret headers echoed as %q and %q, want (set)", echo.Headers["x-authing-webhook-secret"], echo.Headers["x-authing-token"])
			}
		})
	}
}
