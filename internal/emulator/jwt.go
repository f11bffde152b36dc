package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
)

type claims struct {
	UserPoolID string `json:"scoped_userpool_id"`
	IssuedAt   int64  `json:"iat"`
	ExpiresAt  int64  `json:"exp"`
	// IssuedNanos and ExpiresNanos give sub-second lifetimes for tests.
	IssuedNanos  int64  `json:"iat_ns"`
	ExpiresNanos int64  `json:"exp_ns"`
	ID           string `json:"jti"`
}

var b64 = base64.RawURLEncoding

func (s *Server) signToken(c claims) string {
	head := b64.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	body, _ := json.Marshal(c)
	unsigned := head + "." + b64.EncodeToString(body)
	mac := hmac.New(sha256.New, s.signKey)
	mac.Write([]byte(unsigned))
	return unsigned + "." + b64.EncodeToString(mac.Sum(nil))
}

// verifyToken checks a token's signature, expiry and revocation.
func (s *Server) verifyToken(tok string, now time.Time) (claims, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return claims{}, errors.New("malformed token")
	}
	mac := hmac.New(sha256.New, s.signKey)
	mac.Write([]byte(parts[0] + "." + parts[1]))
	sig, err := b64.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
		return claims{}, errors.New("invalid token signature")
	}
	raw, err := b64.DecodeString(parts[1])
	if err != nil {
		return claims{}, errors.New("malformed token")
	}
	var c claims
	if err := json.Unmarshal(raw, &c); err != nil {
		return claims{}, errors.New("malformed token")
	}
	if now.UnixNano() >= c.ExpiresNanos {
		return claims{}, errors.New("token expired")
	}
	s.mu.Lock()
	revoked := s.revoked
	s.mu.Unlock()
	if !revoked.IsZero() && c.IssuedNanos <= revoked.UnixNano() {
		return claims{}, errors.New("token expired")
	}
	return c, nil
}
