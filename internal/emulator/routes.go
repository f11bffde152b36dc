package emulator

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	webhookUserAgent = "authing-webhook@2.0"
	// webhookAccept is the Accept header of Authing's deliveries (the OpenAPI log example).
	webhookAccept = "application/json, text/plain, */*"
	// throttledMessage is the message of Authing's documented HTTP 429 answer.
	throttledMessage = "您的请求已超过最大数量限制，请稍后重试"
	// logTimeLayout is the documented format of a log's timestamp,
	// "2022-09-20T08:55:00.188+0800": milliseconds, and an offset without a colon.
	logTimeLayout = "2006-01-02T15:04:05.000-0700"
)

// secretHeaders carry a webhook's secret on every delivery: Authing's webhook guide names
// X-Authing-Token, and the OpenAPI log example shows the secret under both names.
var secretHeaders = []string{"x-authing-token", "x-authing-webhook-secret"}

// logZone is the zone of log timestamps: the documented example's +0800 (China).
var logZone = time.FixedZone("CST", 8*60*60)

// apiError is a business error: HTTP 200 with a non-200 statusCode.
type apiError struct {
	statusCode int
	apiCode    int
	message    string
}

func (e *apiError) Error() string { return e.message }

func badRequest(format string, args ...any) *apiError {
	return &apiError{statusCode: 400, apiCode: 2000, message: fmt.Sprintf(format, args...)}
}

// call is a parsed API request.
type call struct {
	r        *http.Request
	pool     string
	body     map[string]json.RawMessage
	query    url.Values
	received time.Time
}

type route struct {
	method    string
	anonymous bool
	handle    func(s *Server, c *call) (any, *apiError)
}

var routes = map[string]route{
	"get-management-token":   {method: http.MethodPost, anonymous: true, handle: (*Server).getToken},
	"list-webhooks":          {method: http.MethodGet, handle: (*Server).listWebhooks},
	"get-webhook":            {method: http.MethodGet, handle: (*Server).getWebhook},
	"create-webhook":         {method: http.MethodPost, handle: (*Server).createWebhook},
	"update-webhook":         {method: http.MethodPost, handle: (*Server).updateWebhook},
	"delete-webhook":         {method: http.MethodPost, handle: (*Server).deleteWebhook},
	"trigger-webhook":        {method: http.MethodPost, handle: (*Server).triggerWebhook},
	"get-webhook-logs":       {method: http.MethodPost, handle: (*Server).getWebhookLogs},
	"get-webhook-event-list": {method: http.MethodGet, handle: (*Server).getEventList},
}

// Handler serves the API, the receiver and the stats page.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v3/", s.serveAPI)
	mux.HandleFunc("/_emulator/receiver/", s.serveReceiver)
	mux.HandleFunc("/_emulator/receivers/", s.serveReceiverControl)
	mux.HandleFunc("/_emulator/events", s.serveEvents)
	mux.HandleFunc("/_emulator/stats", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.stats.Unrouted++
		s.mu.Unlock()
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "message": "Cannot " + r.Method + " " + r.URL.Path, "error": "Not Found"})
	})
	return mux
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	verb := strings.TrimPrefix(r.URL.Path, "/api/v3/")
	requestID := hex.EncodeToString(randomBytes(8))
	s.mu.Lock()
	s.stats.Requests[verb]++
	s.mu.Unlock()

	if f := s.takeFault(verb, false); f != nil && s.apply(w, r, f, requestID) {
		return
	}
	if s.opts.Latency > 0 {
		t := time.NewTimer(s.opts.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	rt, ok := routes[verb]
	s.mu.Lock()
	missing := s.missing[verb]
	s.mu.Unlock()
	if !ok || r.Method != rt.method || missing {
		writeJSON(w, http.StatusNotFound, map[string]any{"statusCode": 404, "message": "Cannot " + r.Method + " " + r.URL.Path, "error": "Not Found"})
		return
	}
	c := &call{r: r, query: r.URL.Query(), received: time.Now()}
	var raw []byte
	if r.Method == http.MethodPost {
		b, aerr := readBody(r)
		if aerr != nil {
			writeEnvelope(w, requestID, nil, aerr)
			return
		}
		raw = b
	}
	if !rt.anonymous {
		pool, aerr := s.authenticate(r, raw)
		if aerr != nil {
			writeEnvelope(w, requestID, nil, aerr)
			return
		}
		c.pool = pool
	}
	if s.throttled(c.pool) {
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"statusCode": 429, "message": throttledMessage})
		return
	}
	if r.Method == http.MethodPost {
		body, aerr := decodeObject(raw)
		if aerr != nil {
			writeEnvelope(w, requestID, nil, aerr)
			return
		}
		c.body = body
	}
	data, aerr := rt.handle(s, c)
	if f := s.takeFault(verb, true); f != nil && s.apply(w, r, f, requestID) {
		return
	}
	writeEnvelope(w, requestID, data, aerr)
}

// authenticate checks a request's credentials, as the real API does: a management token
// with the user pool header, or a signature made with the access key (the Node SDK's
// scheme, which sends no user pool header: the key names the pool).
func (s *Server) authenticate(r *http.Request, raw []byte) (string, *apiError) {
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	if strings.HasPrefix(auth, signedScheme) {
		return s.verifySigned(r, auth, raw, time.Now())
	}
	tok := strings.TrimSpace(strings.TrimPrefix(auth, "Bearer "))
	if tok == "" {
		return "", &apiError{statusCode: 401, apiCode: 1001, message: "missing Authorization header"}
	}
	c, err := s.verifyToken(tok, time.Now())
	if err != nil {
		return "", &apiError{statusCode: 401, apiCode: 1002, message: err.Error()}
	}
	pool := r.Header.Get("x-authing-userpool-id")
	if pool == "" {
		return "", &apiError{statusCode: 400, apiCode: 1003, message: "missing x-authing-userpool-id header"}
	}
	if pool != c.UserPoolID {
		return "", &apiError{statusCode: 403, apiCode: 1004, message: "the token does not belong to user pool " + pool}
	}
	return pool, nil
}

// throttled counts a request against its pool's per-second budget.
func (s *Server) throttled(pool string) bool {
	if s.opts.RateLimit < 0 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if now.Sub(s.rateStart) >= time.Second {
		s.rateStart = now
		clear(s.rateCount)
	}
	s.rateCount[pool]++
	return s.rateCount[pool] > s.opts.RateLimit
}

func readBody(r *http.Request) ([]byte, *apiError) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return nil, badRequest("Content-Type must be application/json, not %q", ct)
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return nil, badRequest("could not read the body")
	}
	return raw, nil
}

func decodeObject(raw []byte) (map[string]json.RawMessage, *apiError) {
	var body map[string]json.RawMessage
	if err := json.Unmarshal(raw, &body); err != nil || body == nil {
		return nil, badRequest("the body must be a JSON object")
	}
	return body, nil
}

func writeEnvelope(w http.ResponseWriter, requestID string, data any, aerr *apiError) {
	if aerr != nil {
		out := map[string]any{"statusCode": aerr.statusCode, "message": aerr.message, "requestId": requestID}
		if aerr.apiCode != 0 {
			out["apiCode"] = aerr.apiCode
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	out := map[string]any{"statusCode": 200, "message": "success", "requestId": requestID}
	if data != nil {
		out["data"] = data
	}
	writeJSON(w, http.StatusOK, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// field decodes one body field into dst; absent fields leave dst alone.
func field(c *call, name string, dst any) (bool, *apiError) {
	raw, ok := c.body[name]
	if !ok || string(raw) == "null" {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return false, badRequest("%s has the wrong type", name)
	}
	return true, nil
}

func (s *Server) getToken(c *call) (any, *apiError) {
	var id, secret string
	if _, e := field(c, "accessKeyId", &id); e != nil {
		return nil, e
	}
	if _, e := field(c, "accessKeySecret", &secret); e != nil {
		return nil, e
	}
	s.mu.Lock()
	key, ok := s.keys[id]
	s.mu.Unlock()
	if id == "" || !ok || secret != key.Secret {
		return nil, &apiError{statusCode: 401, apiCode: 2003, message: "accessKeyId or accessKeySecret is wrong"}
	}
	now := time.Now()
	exp := now.Add(s.opts.TokenLifetime)
	s.mu.Lock()
	s.seq++
	s.stats.TokensIssued++
	jti := strconv.Itoa(s.seq)
	s.mu.Unlock()
	tok := s.signToken(claims{
		UserPoolID: key.UserPoolID, IssuedAt: now.Unix(), ExpiresAt: exp.Unix(),
		IssuedNanos: now.UnixNano(), ExpiresNanos: exp.UnixNano(), ID: jti,
	})
	s.mu.Lock()
	s.issued = append(s.issued, tok)
	s.mu.Unlock()
	return map[string]any{"access_token": tok, "expires_in": int(math.Ceil(s.opts.TokenLifetime.Seconds()))}, nil
}

func queryInt(c *call, name string, def int) (int, *apiError) {
	v := c.query.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badRequest("%s must be an integer", name)
	}
	return n, nil
}

func (s *Server) listWebhooks(c *call) (any, *apiError) {
	page, e := queryInt(c, "page", 1)
	if e != nil {
		return nil, e
	}
	limit, e := queryInt(c, "limit", 10)
	if e != nil {
		return nil, e
	}
	limit, e = s.pageLimit(page, limit)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := []webhookDTO{}
	for i := (page - 1) * limit; i < len(s.webhooks) && i < page*limit; i++ {
		list = append(list, s.webhooks[i].dto())
	}
	return map[string]any{"totalCount": len(s.webhooks), "list": list}, nil
}

// pageLimit checks a page request and returns the page size served. Authing refuses a
// limit over 50 ("limit must not be greater than 50", the Node SDK's tests); with
// Options.PageSize the emulator plays a server that serves its own size whatever limit asks.
func (s *Server) pageLimit(page, limit int) (int, *apiError) {
	switch {
	case page < 1:
		return 0, badRequest("page must be at least 1")
	case limit < 1:
		return 0, badRequest("limit must be at least 1")
	case s.opts.PageSize > 0:
		return s.opts.PageSize, nil
	case limit > 50:
		return 0, badRequest("limit must not be greater than 50")
	}
	return limit, nil
}

func (s *Server) lookup(id string) (*webhookRecord, *apiError) {
	if id == "" {
		return nil, badRequest("webhookId is required")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.byID[id]
	if !ok {
		return nil, &apiError{statusCode: 404, apiCode: 2004, message: "webhook " + id + " does not exist"}
	}
	cp := *w
	return &cp, nil
}

func (s *Server) getWebhook(c *call) (any, *apiError) {
	w, e := s.lookup(c.query.Get("webhookId"))
	if e != nil && e.statusCode == 404 && s.opts.NotFound == NotFoundNullData {
		return nil, nil
	}
	if e != nil {
		return nil, e
	}
	return w.dto(), nil
}

func (s *Server) getEventList(*call) (any, *apiError) {
	categories := make([]map[string]string, len(eventCategories))
	for i, c := range eventCategories {
		categories[i] = map[string]string{"name": c.name, "nameEn": c.nameEn, "value": c.value}
	}
	list := make([]map[string]string, len(events))
	for i, e := range events {
		list[i] = map[string]string{"name": e.name, "nameEn": e.nameEn, "value": e.value, "category": e.category}
	}
	return map[string]any{"categories": categories, "events": list}, nil
}

func (s *Server) getWebhookLogs(c *call) (any, *apiError) {
	var id string
	if _, e := field(c, "webhookId", &id); e != nil {
		return nil, e
	}
	page, limit := 1, 10
	if _, e := field(c, "page", &page); e != nil {
		return nil, e
	}
	if _, e := field(c, "limit", &limit); e != nil {
		return nil, e
	}
	limit, e := s.pageLimit(page, limit)
	if e != nil {
		return nil, e
	}
	if id == "" {
		return nil, badRequest("webhookId is required")
	}
	// The document: an unknown webhookId gives no error, an empty list.
	var logs []webhookLog
	if w, e := s.lookup(id); e == nil {
		logs = w.logs
	}
	list := []webhookLog{}
	for i := (page - 1) * limit; i < len(logs) && i < page*limit; i++ {
		k := i
		if s.opts.LogsSwapNeighbours && k^1 < len(logs) {
			k ^= 1
		}
		// Newest first, unless the emulator plays a server that serves oldest first.
		j := len(logs) - 1 - k
		if s.opts.LogsOldestFirst {
			j = k
		}
		list = append(list, logs[j])
	}
	return map[string]any{"totalCount": len(logs), "list": list}, nil
}

func validEvent(name string) bool {
	return slices.ContainsFunc(events, func(e event) bool { return e.value == name })
}
