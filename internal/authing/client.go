package authing

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"time"
)

// defaultMaxResponseBytes caps the size of one answer the client reads.
const defaultMaxResponseBytes = 16 << 20

// DefaultResponseHeaderTimeout is how long one request waits for the answer to begin. A
// server that accepts the connection and never answers would otherwise hold a call until
// its context ends; for a read, the attempt then fails and is retried within the call's
// deadline. It is long because TriggerWebhook answers only once the webhook's endpoint has.
const DefaultResponseHeaderTimeout = time.Minute

// DefaultListConcurrency is how many list pages are fetched at once.
const DefaultListConcurrency = 8

// DevVersion is the version of a build that was given none.
const DevVersion = "dev"

// Logger receives one line per request. Fields never hold bodies, headers or secrets.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client.
type Config struct {
	// Host is the API's base URL, checked by ParseHost. Empty means DefaultHost.
	Host            string
	AccessKeyID     string
	AccessKeySecret string
	// TenantID, when set, is sent as x-authing-app-tenant-id.
	TenantID string
	// CAPEM adds PEM certificates to the system roots, for private deployments whose
	// certificates a private authority signed. Certificates are always verified.
	CAPEM []byte
	// ListConcurrency bounds the list pages fetched at once; 0 means DefaultListConcurrency.
	ListConcurrency int
	// MaxResponseBytes caps one answer; 0 means defaultMaxResponseBytes.
	MaxResponseBytes int64
	// ResponseHeaderTimeout bounds the wait for each answer to begin; 0 means
	// DefaultResponseHeaderTimeout.
	ResponseHeaderTimeout time.Duration
	// Retry bounds retries; the zero value means DefaultRetryPolicy.
	Retry RetryPolicy
	// Version is the provider's version, sent as x-authing-sdk-version
	// "terraform-provider-authing:<version>" and in User-Agent; empty means DevVersion.
	Version string
	// Platform, when set, is what the provider runs in, such as "terraform 1.11.4"; it is
	// added to User-Agent.
	Platform string
	// Logger gets one line per request; nil logs nothing.
	Logger Logger
	// Transport replaces the default HTTP transport (tests); CAPEM then does not apply.
	Transport http.RoundTripper
}

// Client calls the Authing management API. It is safe for concurrent use, and shares one
// management token among all its calls.
type Client struct {
	cfg      Config
	http     *http.Client
	tokens   *tokenSource
	throttle throttle
	logger   Logger
	// secrets are those the client masks (mask.go): the access key secret, every token
	// it has held, and the webhook secrets it has read or sent.
	secrets secretSet
	// hookSecrets are the webhooks whose secret has been read, at most once each.
	hookSecrets hookSecretReads
}

// ConfigError says what makes a Config unusable.
type ConfigError struct {
	// Host is why Host is not usable, or nil.
	Host error
	// Missing names the credentials that are empty: "AccessKeyID", "AccessKeySecret".
	Missing []string
}

func (e *ConfigError) Error() string {
	var problems []string
	if e.Host != nil {
		problems = append(problems, e.Host.Error())
	}
	if len(e.Missing) > 0 {
		problems = append(problems, "missing "+strings.Join(e.Missing, " and "))
	}
	return "invalid client configuration: " + strings.Join(problems, "; ")
}

// Normalize returns cfg as New uses it, or a *ConfigError: an empty Host is DefaultHost
// and is otherwise put in ParseHost's form, the key ID and tenant lose surrounding white
// space, both credentials must be set, and zero values get their defaults.
func (cfg Config) Normalize() (Config, error) {
	var problems ConfigError
	if strings.TrimSpace(cfg.Host) == "" {
		cfg.Host = DefaultHost
	}
	host, err := ParseHost(cfg.Host)
	problems.Host = err
	cfg.Host = host
	cfg.AccessKeyID = strings.TrimSpace(cfg.AccessKeyID)
	cfg.TenantID = strings.TrimSpace(cfg.TenantID)
	if cfg.AccessKeyID == "" {
		problems.Missing = append(problems.Missing, "AccessKeyID")
	}
	if strings.TrimSpace(cfg.AccessKeySecret) == "" {
		problems.Missing = append(problems.Missing, "AccessKeySecret")
	}
	if problems.Host != nil || len(problems.Missing) > 0 {
		return cfg, &problems
	}
	if cfg.ListConcurrency <= 0 {
		cfg.ListConcurrency = DefaultListConcurrency
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = defaultMaxResponseBytes
	}
	if cfg.ResponseHeaderTimeout <= 0 {
		cfg.ResponseHeaderTimeout = DefaultResponseHeaderTimeout
	}
	if cfg.Retry.MaxAttempts <= 0 {
		cfg.Retry = DefaultRetryPolicy
	}
	if cfg.Version == "" {
		cfg.Version = DevVersion
	}
	return cfg, nil
}

// userAgent is the User-Agent header: the provider and its version, and the platform it
// runs in when known.
func (cfg Config) userAgent() string {
	ua := "terraform-provider-authing/" + cfg.Version
	if cfg.Platform != "" {
		ua += " (" + cfg.Platform + ")"
	}
	return ua
}

// New checks cfg (see Normalize) and returns a client. It sends nothing.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.Normalize()
	if err != nil {
		return nil, err
	}
	transport := cfg.Transport
	if transport == nil {
		t, err := newTransport(cfg.CAPEM, cfg.ResponseHeaderTimeout)
		if err != nil {
			return nil, err
		}
		transport = t
	}
	c := &Client{
		cfg: cfg,
		http: &http.Client{
			Transport: transport,
			// A redirect would carry the token and user pool headers to wherever it
			// points; the API never redirects, so treat one as an error instead.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		logger: cfg.Logger,
	}
	c.secrets.add(cfg.AccessKeySecret)
	c.tokens = &tokenSource{fetch: c.fetchToken, now: time.Now}
	return c, nil
}

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

// request is one API call.
type request struct {
	op     string
	method string
	path   string // the API path after /api/v3/, such as "list-webhooks"
	query  url.Values
	body   any
	// nonIdempotent marks a call that takes effect each time it is processed (a trigger
	// fires, a create creates): it is retried only when the request surely was not
	// processed, and its errors carry an Outcome (see classify).
	nonIdempotent bool
	// anonymous calls send no token (the token call itself).
	anonymous bool
}

// attempt is what one HTTP exchange gave.
type attempt struct {
	status     int
	header     http.Header
	body       []byte
	env        envelope
	envErr     error
	err        error
	sent       bool // the whole request was written, so the server may have processed it
	retryAfter time.Duration
}

// do runs r until it succeeds, fails for good, or its retries or context run out, and
// decodes the answer's data into out.
func (c *Client) do(ctx context.Context, r request, out any) error {
	var payload []byte
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return &Error{Operation: r.op, Err: err, Outcome: unprocessed(r)}
		}
		payload = b
	}
	authRetried := false
	for n := 1; ; n++ {
		var tok *token
		if !r.anonymous {
			t, err := c.tokens.get(ctx)
			if err != nil {
				return c.tokenError(r, err, n)
			}
			tok = t
		}
		if err := c.throttle.wait(ctx); err != nil {
			return &Error{Operation: r.op, Attempts: n - 1, Outcome: unprocessed(r), Err: err}
		}
		a := c.send(ctx, r, payload, tok, n)
		if succeeded(a) {
			c.throttle.reset()
			if refused(a.env.Data) {
				e := c.failure(r, a, n)
				e.Err = errors.New("data.success: false in the answer: Authing did not do what was asked")
				e.Outcome = unprocessed(r)
				return e
			}
			if out == nil || len(a.env.Data) == 0 || string(a.env.Data) == "null" {
				return nil
			}
			if err := json.Unmarshal(a.env.Data, out); err != nil {
				e := c.failure(r, a, n)
				e.Err = fmt.Errorf("the answer's data has an unexpected shape: %w", err)
				if r.nonIdempotent {
					e.Outcome = MayHaveTakenEffect // Authing said it succeeded.
				}
				return e
			}
			return nil
		}
		e := c.failure(r, a, n)
		if isAuthFailure(a) && tok != nil && !authRetried {
			// The cached token was refused (revoked, or expired early): the API
			// answered before doing anything, so fetch a new token and retry once.
			authRetried = true
			c.tokens.invalidate(tok)
			c.log(ctx, levelWarn, "Authing token refused; fetching a new one and retrying once", map[string]any{"operation": r.op})
			continue
		}
		v := classify(r, a)
		if !v.retry || n >= c.cfg.Retry.MaxAttempts {
			return e
		}
		d := c.cfg.Retry.backoff(n, v.wait)
		if isThrottled(a) {
			d = c.throttle.onThrottle(c.cfg.Retry, a.retryAfter)
		}
		c.log(ctx, levelDebug, "Retrying Authing API call", map[string]any{"operation": r.op, "attempt": n, "wait_ms": d.Milliseconds(), "reason": e.Error()})
		if !sleep(ctx, d) {
			return e
		}
	}
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

// isAuthFailure reports an answer that refused the token.
func isAuthFailure(a attempt) bool {
	if a.err != nil {
		return false
	}
	return a.status == http.StatusUnauthorized || (a.envErr == nil && a.env.StatusCode == 401)
}

// succeeded reports an answer the API counts as success: statusCode 200 in the body, with
// any 2xx HTTP status.
func succeeded(a attempt) bool {
	return a.err == nil && a.envErr == nil && a.status >= 200 && a.status < 300 && a.env.StatusCode == 200
}

// refused reports an answer whose data says {"success": false}: the Node SDK 4.x types
// delete-webhook's answer (and other calls' answers) as IsSuccessRespDto, and such an
// answer means that nothing was done, under a statusCode of 200.
func refused(data json.RawMessage) bool {
	var flag struct {
		Success json.RawMessage `json:"success"`
	}
	return len(data) > 0 && data[0] == '{' && json.Unmarshal(data, &flag) == nil && string(flag.Success) == "false"
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

// isThrottled reports an answer that asks the client to slow down.
func isThrottled(a attempt) bool {
	return a.err == nil && (a.status == http.StatusTooManyRequests || (a.envErr == nil && a.env.StatusCode == 429))
}

// failure turns an attempt into an Error with every known fact, secrets removed.
func (c *Client) failure(r request, a attempt, n int) *Error {
	e := &Error{Operation: r.op, HTTPStatus: a.status, Attempts: n, Err: a.err}
	if a.err == nil && a.envErr == nil {
		e.StatusCode = a.env.StatusCode
		e.APICode = a.env.APICode
		e.Message = c.redact(a.env.Message)
		e.RequestID = a.env.RequestID
	}
	if a.err == nil && a.envErr != nil {
		e.Err = errors.New(c.redact(a.envErr.Error()))
	}
	if a.err == nil && a.status >= 300 && a.status < 400 {
		e.Err = fmt.Errorf("the server answered with a redirect to %q, which the provider does not follow; set host to the final URL", redirectHost(a.header.Get("Location")))
	}
	if e.StatusCode == 0 && e.Err == nil && a.status != http.StatusOK {
		e.Err = fmt.Errorf("unexpected HTTP status %d", a.status)
	}
	if a.err == nil && a.status == http.StatusNotFound {
		e.Err = fmt.Errorf("HTTP 404: the server has no route /api/v3/%s; check that host is the base URL of the Authing API", r.path)
	}
	e.NotFound = a.err == nil && a.envErr == nil && a.status == http.StatusOK && a.env.StatusCode == 404
	e.Outcome = classify(r, a).outcome
	return e
}

// answerError is a failure of a call whose answer was a success (HTTP 200, statusCode
// 200) holding something the client cannot use: a listing whose pages do not add up, a
// create without an ID, an answer about another webhook.
func answerError(op string, err error) *Error {
	return &Error{Operation: op, HTTPStatus: http.StatusOK, StatusCode: 200, Err: err}
}

// unprocessed is the outcome of a call that the server surely did not process: for a
// call that is not idempotent NotProcessed, for any other NotApplicable, since repeating
// it is harmless either way.
func unprocessed(r request) Outcome {
	if r.nonIdempotent {
		return NotProcessed
	}
	return NotApplicable
}

// tokenError reports a failure to get a token as a failure of the call that needed it.
func (c *Client) tokenError(r request, err error, n int) error {
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		cp.Operation = r.op + ": " + e.Operation
		cp.Outcome = unprocessed(r)
		return &cp
	}
	return &Error{Operation: r.op, Attempts: n - 1, Outcome: unprocessed(r), Err: err}
}

func redirectHost(location string) string {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" {
		return "another path"
	}
	return u.Scheme + "://" + u.Host
}

// fetchToken exchanges the access key for a management token.
func (c *Client) fetchToken(ctx context.Context) (*token, error) {
	var data struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	sentAt := time.Now()
	err := c.do(ctx, request{
		op:        "get management token",
		method:    http.MethodPost,
		path:      "get-management-token",
		body:      map[string]string{"accessKeyId": c.cfg.AccessKeyID, "accessKeySecret": c.cfg.AccessKeySecret},
		anonymous: true,
	}, &data)
	if err != nil {
		return nil, err
	}
	if data.AccessToken == "" {
		return nil, answerError("get management token", errors.New("the answer holds no access_token"))
	}
	c.secrets.add(data.AccessToken)
	return newToken(data.AccessToken, data.ExpiresIn, sentAt, c.cfg.AccessKeyID), nil
}

// redact masks every secret the client knows in s.
func (c *Client) redact(s string) string {
	return c.secrets.maskText(s)
}

// scrubError keeps a transport error's meaning but drops secrets it might quote.
func (c *Client) scrubError(err error) error {
	msg := c.redact(err.Error())
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// logLevel is the level of one log line.
type logLevel int

const (
	levelDebug logLevel = iota
	levelWarn
)

func (c *Client) log(ctx context.Context, level logLevel, msg string, fields map[string]any) {
	if c.logger == nil {
		return
	}
	if level == levelWarn {
		c.logger.Warn(ctx, msg, fields)
		return
	}
	c.logger.Debug(ctx, msg, fields)
}

// throttle makes every request of a client wait after a 429, so that concurrent workers
// slow down together instead of each hammering the API. Throttling that goes on after a
// hold lengthens the next hold; a success resets it.
type throttle struct {
	mu      sync.Mutex
	until   time.Time
	strikes int
}

// onThrottle records a throttled answer and returns how long to wait. Answers that arrive
// during a hold belong to the same burst and join it.
func (t *throttle) onThrottle(p RetryPolicy, retryAfter time.Duration) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if now.Before(t.until) {
		return t.until.Sub(now)
	}
	t.strikes++
	d := min(retryAfter, p.MaxDelay)
	if retryAfter <= 0 {
		d = min(p.ThrottleDelay<<min(t.strikes-1, 16), p.MaxDelay)
	}
	t.until = now.Add(d)
	return d
}

func (t *throttle) reset() {
	t.mu.Lock()
	t.strikes = 0
	t.mu.Unlock()
}

func (t *throttle) wait(ctx context.Context) error {
	t.mu.Lock()
	d := time.Until(t.until)
	t.mu.Unlock()
	// No hold, or one that is over.
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
