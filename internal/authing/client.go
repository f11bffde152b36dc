package authing

import (
	"context"
	"errors"
	"net/http"
	"time"
)

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
