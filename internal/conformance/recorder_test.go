package conformance

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// exchange is one request the client made and the answer it got.
type exchange struct {
	method, url string
	header      http.Header
	body        []byte
	status      int
	respHeader  http.Header
	respBody    []byte
}

// recorder is a transport that keeps every exchange.
type recorder struct {
	mu        sync.Mutex
	exchanges []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	r.mu.Lock()
	r.exchanges = append(r.exchanges, exchange{req.Method, req.URL.String(), req.Header.Clone(), body, resp.StatusCode, resp.Header.Clone(), respBody})
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) all() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.exchanges)
}

func newClient(t *testing.T, host string, rec *recorder) *authing.Client {
	t.Helper()
	c, err := authing.New(authing.Config{Host: host, AccessKeyID: "pool-conformance", AccessKeySecret: "sk-conformance-secret", Transport: rec})
	if err != nil {
		t.Fatal(err)
	}
	return c
}
