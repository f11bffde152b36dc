package authing

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// SecretMarker replaces every occurrence of a secret the client knows in what it hands
// out: answers relayed from a webhook's endpoint, delivery logs, and error text.
const SecretMarker = "***"

// escapeDepth is how many levels of JSON string escaping a secret is recognised through
// in text: as is, escaped once (text that holds JSON, such as a string holding an echoed
// body), and escaped twice. Text that is whole JSON is decoded instead, at any depth.
const escapeDepth = 2

// secretSet is the secrets a client knows, each with a pattern that finds it as is and in
// every JSON-escaped form (a `"` as `\"`, a `/` as `\/`, any character as `\u00e9` in
// either case, a surrogate pair), up to escapeDepth levels. A pattern is compiled when a
// text first needs it (text with a backslash), not when its secret is added: compiling
// one for a token costs milliseconds, and most answers hold no escape at all.
type secretSet struct {
	mu       sync.RWMutex
	values   []string
	patterns []*regexp.Regexp // patterns[i] finds values[i]; shorter than values until compiled
}

// add records secrets; empty ones and those already known are ignored.
func (s *secretSet) add(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range secrets {
		if v == "" || slices.Contains(s.values, v) {
			continue
		}
		s.values = append(s.values, v)
	}
}

// escapedPatterns returns every secret known with its pattern, compiling those not
// compiled yet.
func (s *secretSet) escapedPatterns() ([]string, []*regexp.Regexp) {
	s.mu.RLock()
	values, patterns := s.values, s.patterns
	s.mu.RUnlock()
	if len(patterns) == len(values) {
		return values, patterns
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.patterns); i < len(s.values); i++ {
		s.patterns = append(s.patterns, regexp.MustCompile(secretPattern(s.values[i], escapeDepth)))
	}
	return s.values, s.patterns
}

// shortSecret is the length, in characters, under which a secret is hidden only where it
// stands alone, not inside a longer word: a webhook secret such as "test" or "e" hidden
// in every word that holds it would make every answer and message unreadable ("W***bhook").
const shortSecret = 8

// standsAlone reports whether text[start:end], an occurrence of secret, is not part of a
// longer word: where the secret begins or ends with a letter or digit, the character
// next to it there is not one. A JSON escape next to it (\n, \u0026) counts as the
// character it stands for.
func standsAlone(text string, start, end int, secret string) bool {
	first, _ := utf8.DecodeRuneInString(secret)
	last, _ := utf8.DecodeLastRuneInString(secret)
	return (!isWordRune(first) || !isWordRune(runeBefore(text, start))) &&
		(!isWordRune(last) || !isWordRune(runeAfter(text, end)))
}

// runeBefore is the character that ends text[:i], a JSON escape read as what it stands
// for; -1 at the start of text.
func runeBefore(text string, i int) rune {
	if i >= 6 && text[i-6] == '\\' && text[i-5] == 'u' {
		if v, err := strconv.ParseUint(text[i-4:i], 16, 32); err == nil {
			return rune(v)
		}
	}
	if i >= 2 && text[i-2] == '\\' && strings.ContainsRune("bfnrt", rune(text[i-1])) {
		return '\n' // a control character: not part of a word
	}
	r, size := utf8.DecodeLastRuneInString(text[:i])
	if size == 0 {
		return -1
	}
	return r
}

// runeAfter is the character that begins text[i:], a \u escape read as what it stands
// for; -1 at the end of text.
func runeAfter(text string, i int) rune {
	if len(text) >= i+6 && text[i] == '\\' && text[i+1] == 'u' {
		if v, err := strconv.ParseUint(text[i+2:i+6], 16, 32); err == nil {
			return rune(v)
		}
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if size == 0 {
		return -1
	}
	return r
}

// occurrences returns the spans of secret in text that find locates (the secret as is,
// or its pattern), without overlaps. An occurrence of a short secret that does not stand
// alone is passed over, and the search goes on from its next character, so that it hides
// no occurrence that does.
func occurrences(text, secret string, find func(string) []int) [][]int {
	short := utf8.RuneCountInString(secret) < shortSecret
	var out [][]int
	for at := 0; at < len(text); {
		loc := find(text[at:])
		if loc == nil {
			break
		}
		start, end := at+loc[0], at+loc[1]
		if short && !standsAlone(text, start, end, secret) {
			_, size := utf8.DecodeRuneInString(text[start:])
			at = start + max(size, 1)
			continue
		}
		out = append(out, []int{start, end})
		at = max(end, start+1)
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// list returns the secrets known.
func (s *secretSet) list() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.values)
}

// maskText replaces each occurrence of a secret in text with SecretMarker. Overlapping
// occurrences of different secrets are replaced as one span, so that no part of either
// is left.
func (s *secretSet) maskText(text string) string {
	s.mu.RLock()
	values := s.values
	s.mu.RUnlock()
	if text == "" || len(values) == 0 {
		return text
	}
	var spans [][]int
	if !strings.ContainsRune(text, '\\') {
		// Every escaped form has a backslash: without one, only the secrets as they are
		// can be there, and finding them needs no pattern.
		for _, v := range values {
			spans = append(spans, occurrences(text, v, func(s string) []int {
				if i := strings.Index(s, v); i >= 0 {
					return []int{i, i + len(v)}
				}
				return nil
			})...)
		}
	} else {
		values, patterns := s.escapedPatterns()
		for i, p := range patterns {
			spans = append(spans, occurrences(text, values[i], p.FindStringIndex)...)
		}
	}
	if len(spans) == 0 {
		return text
	}
	slices.SortFunc(spans, func(a, b []int) int { return a[0] - b[0] })
	var b strings.Builder
	at := 0
	for i := 0; i < len(spans); {
		start, end := spans[i][0], spans[i][1]
		for i++; i < len(spans) && spans[i][0] < end; i++ {
			end = max(end, spans[i][1])
		}
		b.WriteString(text[at:start])
		b.WriteString(SecretMarker)
		at = end
	}
	b.WriteString(text[at:])
	return b.String()
}

// maskString masks a string found in an answer. A string that is itself a JSON object,
// array or string (a body relayed as text) is decoded and masked at any depth; when it
// held a secret, it becomes its masked content in canonical JSON. The text is then masked
// as text, which catches the escaped forms in JSON that does not decode.
func (s *secretSet) maskString(text string) string {
	trimmed := strings.TrimSpace(text)
	if trimmed != "" && strings.ContainsAny(trimmed[:1], "{[\"") {
		if v, err := decodeJSON([]byte(trimmed)); err == nil {
			if masked, changed := s.maskValue(v); changed {
				if out, err := encodeJSON(masked); err == nil {
					text = string(out)
				}
			}
		}
	}
	return s.maskText(text)
}

// maskValue masks a decoded JSON value (strings, object keys, and numbers whose digits
// hold a secret) and reports whether anything changed.
func (s *secretSet) maskValue(v any) (any, bool) {
	switch v := v.(type) {
	case string:
		m := s.maskString(v)
		return m, m != v
	case json.Number:
		if m := s.maskText(string(v)); m != string(v) {
			return m, true
		}
		return v, false
	case []any:
		changed := false
		for i, e := range v {
			m, c := s.maskValue(e)
			v[i] = m
			changed = changed || c
		}
		return v, changed
	case map[string]any:
		changed := false
		out := make(map[string]any, len(v))
		for k, e := range v {
			m, c := s.maskValue(e)
			mk := s.maskString(k)
			changed = changed || c || mk != k
			if _, taken := out[mk]; taken && mk != k {
				// Two keys masked to the same text: keep both values under one key.
				mk = fmt.Sprintf("%s (%d)", mk, len(out))
			}
			out[mk] = m
		}
		return out, changed
	}
	return v, false
}

// maskJSON returns doc, a JSON document, with every secret masked, in canonical JSON (see
// CanonicalJSON): the same answer always gives the same text.
func (s *secretSet) maskJSON(doc []byte) ([]byte, error) {
	v, err := decodeJSON(doc)
	if err != nil {
		return nil, err
	}
	v, _ = s.maskValue(v)
	return encodeJSON(v)
}

// maskRaw masks a JSON value of an answer that is kept as JSON: null or absent stays so,
// JSON that does not decode becomes a JSON string of its masked text.
func (s *secretSet) maskRaw(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return raw
	}
	if out, err := s.maskJSON(raw); err == nil {
		return out
	}
	out, _ := encodeJSON(s.maskText(string(raw)))
	return out
}

// maskError returns err with every secret masked from its text. An *Error keeps its
// facts; text that held no secret keeps its error (and what it wraps).
func (s *secretSet) maskError(err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		cp := *e
		cp.Operation = s.maskText(e.Operation)
		cp.Message = s.maskText(e.Message)
		if e.Err != nil {
			cp.Err = s.maskError(e.Err)
		}
		return &cp
	}
	if msg := s.maskText(err.Error()); msg != err.Error() {
		return errors.New(msg)
	}
	return err
}

// decodeJSON decodes one JSON value, keeping numbers as written.
func decodeJSON(doc []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("invalid JSON: more than one value")
	}
	return v, nil
}

// encodeJSON writes v in canonical JSON: keys sorted, no insignificant space, no HTML
// escaping.
func encodeJSON(v any) ([]byte, error) {
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n")), nil
}

// form is one way a character may be written: a sequence of characters, each matched
// exactly or, for hexadecimal digits of a \u escape, in either case.
type form []formChar

type formChar struct {
	r    rune
	fold bool
}

// forms are the ways JSON may write r inside a string: as is, with its short escape,
// and as \u escapes (a surrogate pair beyond the basic plane).
func forms(r rune) []form {
	plain := func(s string) form {
		var f form
		for _, c := range s {
			f = append(f, formChar{r: c})
		}
		return f
	}
	hex := func(u rune) form {
		f := plain(`\u`)
		for _, c := range fmt.Sprintf("%04x", u) {
			f = append(f, formChar{r: c, fold: true})
		}
		return f
	}
	out := []form{plain(string(r))}
	if short, ok := map[rune]string{'"': `\"`, '\\': `\\`, '/': `\/`, '\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`}[r]; ok {
		out = append(out, plain(short))
	}
	if r > 0xFFFF {
		hi, lo := utf16.EncodeRune(r)
		out = append(out, append(hex(hi), hex(lo)...))
	} else {
		out = append(out, hex(r))
	}
	return out
}

// secretPattern is a regular expression that matches secret as is and in every
// JSON-escaped form up to depth levels of escaping.
func secretPattern(secret string, depth int) string {
	var b strings.Builder
	for _, r := range secret {
		b.WriteString(charPattern(formChar{r: r}, depth))
	}
	return b.String()
}

// charPattern matches c written at up to depth levels of JSON escaping.
func charPattern(c formChar, depth int) string {
	if c.fold {
		// A hexadecimal digit of an escape, in either case.
		lower, upper := formChar{r: unicode.ToLower(c.r)}, formChar{r: unicode.ToUpper(c.r)}
		if lower.r == upper.r {
			return charPattern(lower, depth)
		}
		return "(?:" + charPattern(lower, depth) + "|" + charPattern(upper, depth) + ")"
	}
	if depth == 0 {
		return regexp.QuoteMeta(string(c.r))
	}
	var alts []string
	for _, f := range forms(c.r) {
		var b strings.Builder
		for _, fc := range f {
			b.WriteString(charPattern(fc, depth-1))
		}
		alts = append(alts, b.String())
	}
	if len(alts) == 1 {
		return alts[0]
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// Masker replaces given secrets in text with SecretMarker, with the same rules as the
// client's answers: as is, inside longer strings, and in every JSON form (escapes, JSON
// held in strings at any depth). The zero value knows no secret. It is safe for
// concurrent use.
type Masker struct{ set secretSet }

// Add adds secrets to mask; empty ones are ignored.
func (m *Masker) Add(secrets ...string) { m.set.add(secrets...) }

// Mask returns text with every secret added replaced by SecretMarker. Text that is JSON
// and holds a secret comes back as canonical JSON.
func (m *Masker) Mask(text string) string { return m.set.maskString(text) }

// Mask replaces every secret the client knows in text with SecretMarker: the access key
// secret, every token it has held, and the webhook secrets it has read or sent. The
// client's answers and errors are masked already; Mask is for text built from them
// elsewhere.
func (c *Client) Mask(text string) string {
	return c.secrets.maskString(text)
}

// hookSecretReads remembers which webhooks' secrets the client has read, so that each is
// read at most once, however many calls need it at once.
type hookSecretReads struct {
	mu    sync.Mutex
	reads map[string]*hookSecretRead
}

// hookSecretRead is one read of a webhook's secret; done is closed when it ends.
type hookSecretRead struct {
	done chan struct{}
	err  error
}

// settled records that webhookID's secret is known (a get-webhook that succeeded).
func (h *hookSecretReads) settled(webhookID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.reads == nil {
		h.reads = map[string]*hookSecretRead{}
	}
	if r, ok := h.reads[webhookID]; ok {
		select {
		case <-r.done:
		default:
			return // A read under way records itself.
		}
	}
	r := &hookSecretRead{done: make(chan struct{})}
	close(r.done)
	h.reads[webhookID] = r
}

// learnWebhookSecret makes sure the webhook's secret is among the secrets the client
// masks: read with get-webhook once per webhook for the client's life (a read that
// fails is not kept, so the next call asks again). Callers that need it while a read is
// under way share it, whichever of them started it.
func (c *Client) learnWebhookSecret(ctx context.Context, webhookID string) error {
	h := &c.hookSecrets
	h.mu.Lock()
	if h.reads == nil {
		h.reads = map[string]*hookSecretRead{}
	}
	r, ok := h.reads[webhookID]
	leader := !ok
	if leader {
		r = &hookSecretRead{done: make(chan struct{})}
		h.reads[webhookID] = r
	}
	h.mu.Unlock()
	if leader {
		// The read is shared, so one caller's cancellation or deadline must not end it
		// for the others: it runs detached, bounded by its own timeout, and each caller
		// waits for it only as long as its own context allows.
		go func() {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedReadTimeout)
			defer cancel()
			_, r.err = c.getWebhook(ctx, webhookID)
			if r.err != nil {
				h.mu.Lock()
				delete(h.reads, webhookID)
				h.mu.Unlock()
			}
			close(r.done)
		}()
	}
	select {
	case <-r.done:
		return r.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
