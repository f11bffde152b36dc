package authing

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
)

// sharedReadTimeout bounds a read shared by every caller waiting for it (a token fetch, a
// webhook's secret), which therefore runs detached from any one caller's cancellation.
const sharedReadTimeout = 2 * time.Minute

// token is a management token and what the client derives from it.
type token struct {
	value      string
	userPoolID string
	refreshAt  time.Time
	expiresAt  time.Time
}

// flight is one token fetch that concurrent callers share.
type flight struct {
	done chan struct{}
	tok  *token
	err  error
}

// tokenSource caches the management token of one client, fetches it once however many
// callers ask at the same time, and refreshes it ahead of expiry.
type tokenSource struct {
	fetch func(ctx context.Context) (*token, error)
	now   func() time.Time

	mu     sync.Mutex
	cur    *token
	flight *flight
}

// get returns a usable token. A token past its refresh time but not yet expired is
// returned at once while a refresh runs in the background.
func (s *tokenSource) get(ctx context.Context) (*token, error) {
	s.mu.Lock()
	now := s.now()
	cur := s.cur
	if cur != nil && now.Before(cur.refreshAt) {
		s.mu.Unlock()
		return cur, nil
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		go s.run(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()
	if cur != nil && now.Before(cur.expiresAt) {
		return cur, nil
	}
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *tokenSource) run(ctx context.Context, f *flight) {
	ctx, cancel := context.WithTimeout(ctx, sharedReadTimeout)
	defer cancel()
	f.tok, f.err = s.fetch(ctx)
	s.mu.Lock()
	if f.err == nil {
		s.cur = f.tok
	}
	s.flight = nil
	s.mu.Unlock()
	close(f.done)
}

// invalidate forgets t if it is still the cached token, so that the next get fetches a new
// one. Comparing with t makes many concurrent auth failures cause one fetch, not many.
func (s *tokenSource) invalidate(t *token) {
	s.mu.Lock()
	if s.cur == t {
		s.cur = nil
	}
	s.mu.Unlock()
}

// newToken builds a token from the API's answer, reading the user pool ID from the JWT's
// scoped_userpool_id claim, or falling back to the access key ID, which is the user pool
// ID for a user pool's own key pair.
func newToken(value string, expiresIn int, sentAt time.Time, accessKeyID string) *token {
	lifetime := time.Duration(expiresIn) * time.Second
	if lifetime <= 0 {
		lifetime = 7200 * time.Second
	}
	margin := min(lifetime/5, 5*time.Minute)
	pool := jwtClaim(value, "scoped_userpool_id")
	if pool == "" {
		pool = accessKeyID
	}
	return &token{
		value:      value,
		userPoolID: pool,
		expiresAt:  sentAt.Add(lifetime),
		refreshAt:  sentAt.Add(lifetime - margin),
	}
}

// jwtClaim reads a string claim from a JWT's payload without verifying it: the client only
// needs the user pool ID, and the server verifies the token on every call.
func jwtClaim(jwt, name string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return ""
	}
	var claims map[string]any
	if json.Unmarshal(payload, &claims) != nil {
		return ""
	}
	v, _ := claims[name].(string)
	return v
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
	var e *Error
	if errors.As(err, &e) && e.Err == nil && ((e.StatusCode >= 400 && e.StatusCode < 500 && e.StatusCode != 429) ||
		e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden) {
		e.CredentialsRefused = true
	}
	if err != nil {
		return nil, err
	}
	if data.AccessToken == "" {
		return nil, answerError("get management token", errors.New("the answer holds no access_token"))
	}
	c.secrets.add(data.AccessToken)
	return newToken(data.AccessToken, data.ExpiresIn, sentAt, c.cfg.AccessKeyID), nil
}
