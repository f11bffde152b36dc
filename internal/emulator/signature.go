package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // HMAC-SHA1 is the scheme the Node and C# SDKs sign with; the emulator must speak it.
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxClockSkew is how far a signed request's date may be from the emulator's clock.
const maxClockSkew = 15 * time.Minute

// signedScheme is the Authorization prefix of signed requests.
const signedScheme = "authing "

// verifySigned checks a signed request, as the official SDKs that sign make them:
//
//	authorization: authing <accessKeyId>:<base64 HMAC-SHA1(accessKeySecret, stringToSign)>
//
// The Node SDK 4.x sends a date header (RFC 1123) and signs it with every x-authing-*
// header (nodeStringToSign); the C# SDK sends no date but x-authing-date in epoch
// milliseconds, and signs five fixed headers (csharpStringToSign). Both sign the path and
// the query of a GET or the top-level keys of a POST's JSON body. It returns the user
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
	build := nodeStringToSign
	var date time.Time
	if v := r.Header.Get("date"); v != "" || r.Header.Get("x-authing-date") == "" {
		d, err := http.ParseTime(v)
		if err != nil {
			return "", &apiError{statusCode: 401, apiCode: 1007, message: "a signed request needs a date header in RFC 1123 format, or x-authing-date"}
		}
		date = d
	} else {
		ms, err := strconv.ParseInt(r.Header.Get("x-authing-date"), 10, 64)
		if err != nil {
			// Authing's error-handling page: apiCode 1303, the timestamp must be a Unix
			// time in milliseconds.
			return "", &apiError{statusCode: 401, apiCode: 1303, message: "x-authing-date must be a Unix time in milliseconds"}
		}
		date, build = time.UnixMilli(ms), csharpStringToSign
	}
	if d := now.Sub(date); d > maxClockSkew || d < -maxClockSkew {
		return "", &apiError{statusCode: 401, apiCode: 1008, message: "the request's date is more than 15 minutes from the server's clock"}
	}
	params, aerr := signedParams(r, raw)
	if aerr != nil {
		return "", aerr
	}
	mac := hmac.New(sha1.New, []byte(key.Secret))
	mac.Write([]byte(build(r, params)))
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

// nodeStringToSign is authing-node-sdk 4.0.1's buildStringToSign: the method, every date
// and x-authing-* header as "name:value\n" sorted by name, then signedResource.
func nodeStringToSign(r *http.Request, params map[string]string) string {
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
	return b.String() + signedResource(r.URL.Path, params)
}

// csharpHeaders are the headers authing-csharp-sdk's AKSKService.ComposeStringToSign
// signs, in its order; other x-authing-* headers are sent unsigned.
var csharpHeaders = []string{"x-authing-date", "x-authing-sdk-version", "x-authing-signature-method", "x-authing-signature-nonce", "x-authing-signature-version"}

// csharpStringToSign is ComposeStringToSign of authing-csharp-sdk 3.2.5: the method, then
// one line for each of csharpHeaders, "name:value" or empty when the header is absent,
// then signedResource (its BuildQuerystring).
func csharpStringToSign(r *http.Request, params map[string]string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	for _, name := range csharpHeaders {
		if v := r.Header.Values(name); len(v) > 0 {
			b.WriteString(name + ":" + v[0])
		}
		b.WriteString("\n")
	}
	return b.String() + signedResource(r.URL.Path, params)
}

// signedResource is the path, followed when there are parameters by "?k=v&..." sorted by key.
func signedResource(path string, params map[string]string) string {
	if len(params) == 0 {
		return path
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
	return path + "?" + strings.Join(pairs, "&")
}
