package authing

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"
)

// newTransport clones the default transport with certificate verification on, answers
// bounded by headerTimeout, and, when given, a private CA added to the system roots. The
// http.Client has no overall timeout: each call's context bounds it, retries included,
// and a fixed limit would cut a long listing that is making progress.
func newTransport(caPEM []byte, headerTimeout time.Duration) (*http.Transport, error) {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: headerTimeout,
	}
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if len(caPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, errors.New("the CA file holds no PEM certificate")
		}
		tlsCfg.RootCAs = pool
	}
	t.TLSClientConfig = tlsCfg
	return t, nil
}

// send makes one HTTP exchange.
func (c *Client) send(ctx context.Context, r request, payload []byte, tok *token, n int) attempt {
	var a attempt
	target := c.cfg.Host + "/api/v3/" + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	var wrote bool
	var wroteMu sync.Mutex
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		wroteMu.Lock()
		wrote = info.Err == nil
		wroteMu.Unlock()
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), r.method, target, body)
	if err != nil {
		a.err = err
		return a
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.userAgent())
	req.Header.Set("x-authing-sdk-version", "terraform-provider-authing:"+c.cfg.Version)
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != nil {
		req.Header.Set("Authorization", "Bearer "+tok.value)
		req.Header.Set("x-authing-userpool-id", tok.userPoolID)
	}
	if c.cfg.TenantID != "" {
		req.Header.Set("x-authing-app-tenant-id", c.cfg.TenantID)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	wroteMu.Lock()
	a.sent = wrote
	wroteMu.Unlock()
	fields := map[string]any{"operation": r.op, "method": r.method, "path": "/api/v3/" + r.path, "attempt": n, "request_bytes": len(payload)}
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			// The transport's own timeout, not the call's: the call may still retry.
			err = fmt.Errorf("%w (%s)", errNoAnswer, c.cfg.ResponseHeaderTimeout)
		}
		a.err = c.scrubError(err)
		fields["duration_ms"] = time.Since(start).Milliseconds()
		fields["error"] = a.err.Error()
		c.log(ctx, levelDebug, "Authing API request failed", fields)
		return a
	}
	defer resp.Body.Close()
	a.status = resp.StatusCode
	a.header = resp.Header
	a.sent = true
	a.body, a.err = readLimited(resp.Body, c.cfg.MaxResponseBytes)
	a.retryAfter = parseRetryAfter(resp.Header, time.Now())
	if a.err == nil {
		a.env, a.envErr = decodeEnvelope(a.body)
	}
	fields["status"] = a.status
	fields["duration_ms"] = time.Since(start).Milliseconds()
	fields["response_bytes"] = len(a.body)
	if a.env.RequestID != "" {
		fields["request_id"] = a.env.RequestID
	}
	if a.envErr == nil && a.err == nil {
		fields["status_code"] = a.env.StatusCode
	}
	c.log(ctx, levelDebug, "Authing API request", fields)
	return a
}

// errNoAnswer is a request whose answer did not begin within the response-header
// timeout. It does not wrap context.DeadlineExceeded, which means the call's own deadline.
var errNoAnswer = errors.New("the server accepted the request but did not begin to answer within the response-header timeout")

// errTooLarge marks an answer over the size limit: repeating the request would not help.
var errTooLarge = errors.New("the answer is larger than the provider reads")

// readLimited reads at most limit bytes, and fails on a larger body without reading it all.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w (%d bytes at most)", errTooLarge, limit)
	}
	return b, nil
}

// isCertificateError reports a TLS certificate the client refused: asking again gets the
// same certificate.
func isCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host)
}

func redirectHost(location string) string {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" {
		return "another path"
	}
	return u.Scheme + "://" + u.Host
}
