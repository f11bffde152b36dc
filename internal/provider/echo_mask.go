package provider

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// minEchoSecretLength is the shortest write-only value the action hides when an endpoint
// echoes it. Shorter values ("true", "42", "test") are not secrets worth hiding, and
// hiding every equal substring of them would destroy the answer.
const minEchoSecretLength = 8

// credentialName matches header names and body keys that name a credential.
var credentialName = regexp.MustCompile(`(?i)auth|token|secret|passw|pwd|key|sign|cookie|session|credential|private|jwt`)

// echoMasker returns what hides, in text built from an answer, the secrets the client
// knows (the webhook's own, the access key secret, the tokens: the answer is masked of
// them already) and the action's write-only values that may be secret (mayBeSecret). It
// judges a value by where it came from and what it looks like, not by every equal
// substring, so that "application/json" or "true" sent as headers stay readable in an
// echo.
func echoMasker(client *authing.Client, in authing.TriggerInput) func(string) string {
	return requestMasker(client, in, mayBeSecret)
}

// credentialMasker returns what hides, in the answer the trigger resource records as
// `response`, the secrets the client knows and the request's values under names like
// credentials (an Authorization header, a "token" key): an endpoint that echoes its
// request would otherwise put them in state and in plans, unmarked sensitive. Other
// values stay: they are the user's data, which `expect` may compare, and the inputs are
// in state already.
func credentialMasker(client *authing.Client, in authing.TriggerInput) func(string) string {
	return requestMasker(client, in, namedLikeCredential)
}

// namedLikeCredential reports whether a value is under a credential's name and long
// enough to be one.
func namedLikeCredential(name, value string) bool {
	return utf8.RuneCountInString(value) >= minEchoSecretLength && credentialName.MatchString(name)
}

// requestMasker hides the client's secrets and the request's header and body values that
// hide says to.
func requestMasker(client *authing.Client, in authing.TriggerInput, hide func(name, value string) bool) func(string) string {
	var m authing.Masker
	for name, v := range in.RequestHeaders {
		if hide(name, v) {
			m.Add(v)
		}
	}
	var body any
	if json.Unmarshal(in.RequestBody, &body) == nil {
		walkStrings("", body, func(key, v string) {
			if hide(key, v) {
				m.Add(v)
			}
		})
	}
	return func(text string) string {
		if client != nil {
			text = client.Mask(text)
		}
		return m.Mask(text)
	}
}

// mayBeSecret reports whether a write-only value, under a header name or body key, may
// be a secret: at least minEchoSecretLength characters, and either named like a
// credential (authorization, x-api-key, token, password...) or not plain words. Plain
// words are lower-case letters joined by spaces or punctuation, as media types, event
// names and prose are ("application/json", "user:created"); a value with a digit or an
// upper-case letter, as tokens and keys have, may be a secret.
func mayBeSecret(name, value string) bool {
	if utf8.RuneCountInString(value) < minEchoSecretLength {
		return false
	}
	if credentialName.MatchString(name) {
		return true
	}
	return !plainWords(value)
}

// plainWords reports whether v has no digit and no upper-case letter, and a space or no
// run of more than 24 letters: words, not a random string.
func plainWords(v string) bool {
	run, longest := 0, 0
	for _, r := range v {
		switch {
		case unicode.IsDigit(r) || unicode.IsUpper(r):
			return false
		case unicode.IsLetter(r):
			run++
			longest = max(longest, run)
		default:
			run = 0
		}
	}
	return longest <= 24 || strings.ContainsRune(v, ' ')
}

// walkStrings calls f with every string of a decoded JSON value and the object key it is
// under (the nearest one, for strings in arrays).
func walkStrings(key string, v any, f func(key, value string)) {
	switch v := v.(type) {
	case string:
		f(key, v)
	case map[string]any:
		for k, e := range v {
			walkStrings(k, e, f)
		}
	case []any:
		for _, e := range v {
			walkStrings(key, e, f)
		}
	}
}
