package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // HMAC-SHA1 is the scheme the Node SDK signs with; the emulator must speak it.
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxClockSkew is how far a signed request's date may be from the emulator's clock.
const maxClockSkew = 15 * time.Minute

// signedScheme is the Authorization prefix of signed requests.
const signedScheme = "authing "

// verifySigned checks a request signed as the official Node SDK 4.x signs it:
//
//	authorization: authing <accessKeyId>:<base64 HMAC-SHA1(accessKeySecret, stringToSign)>
//
// where stringToSign is the method, a newline, every date and x-authing-* header as
// "name:value\n" sorted by name, and the path, followed by "?k=v&..." of the query (GET)
// or of the top-level keys of the JSON body (POST), sorted by key. It returns the user
// pool of the access key.
func (s *Server) verifySigned(r *http.Request, auth string, raw []byte, now time.Time) (string, *apiError) {
	cred := strings.TrimSpace(strings.TrimPrefix(auth, signedScheme))
	keyID, signature, ok := strings.Cut(cred, ":")
	if !ok || keyID == "" || signature == "" {
		return "", &apiError{statusCode: 401, apiCode: 1005, message: "malformed signature: want authing <accessKeyId>:<signature>"}
	}
	s.mu.Lock()
	key, known := s.keys[keyID]
	s.mu.Unlock()
	if !known {
		return "", &apiError{statusCode: 401, apiCode: 1006, message: "unknown access key"}
	}
	date, err := http.ParseTime(r.Header.Get("date"))
	if err != nil {
		return "", &apiError{statusCode: 401, apiCode: 1007, message: "a signed request needs a date header in RFC 1123 format"}
	}
	if d := now.Sub(date); d > maxClockSkew || d < -maxClockSkew {
		return "", &apiError{statusCode: 401, apiCode: 1008, message: "the request's date is more than 15 minutes from the server's clock"}
	}
	params, aerr := signedParams(r, raw)
	if aerr != nil {
		return "", aerr
	}
	mac := hmac.New(sha1.New, []byte(key.Secret))
	mac.Write([]byte(stringToSign(r, params)))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(signature)) {
		return "", &apiError{statusCode: 401, apiCode: 1009, message: "the signature does not match"}
	}
	return key.UserPoolID, nil
}

// signedParams are the key=value pairs a signature covers: the query of a GET, the
// top-level keys of a POST's JSON body. Strings are signed as their text, any other value
// as its compact JSON, as JavaScript's template strings and JSON.stringify render them.
func signedParams(r *http.Request, raw []byte) (map[string]string, *apiError) {
	params := map[string]string{}
	if r.Method != http.MethodPost {
		for k, v := range r.URL.Query() {
			params[k] = v[0]
		}
		return params, nil
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, badRequest("the body must be a JSON object")
	}
	for k, v := range body {
		var text string
		if json.Unmarshal(v, &text) == nil {
			params[k] = text
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, v); err != nil {
			return nil, badRequest("the body must be a JSON object")
		}
		params[k] = compact.String()
	}
	return params, nil
}

func stringToSign(r *http.Request, params map[string]string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	var names []string
	for name := range r.Header {
		lower := strings.ToLower(name)
		if lower == "date" || strings.HasPrefix(lower, "x-authing-") {
			names = append(names, lower)
		}
	}
	slices.Sort(names)
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ", "\f", " ")
	for _, name := range names {
		b.WriteString(name + ":" + strings.TrimSpace(clean.Replace(r.Header.Get(name))) + "\n")
	}
	b.WriteString(r.URL.Path)
	if len(params) == 0 {
		return b.String()
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = k + "=" + params[k]
	}
	return b.String() + "?" + strings.Join(pairs, "&")
}
