package emulator

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind names a way a request can go wrong.
type FaultKind string

const (
	// FaultHTTPStatus answers with Fault.Status: 429 with Authing's documented body, 500
	// and 503 with a JSON envelope (each with an optional Retry-After), 502 with an HTML
	// page as proxies send, 504 with an empty body.
	FaultHTTPStatus FaultKind = "http-status"
	// FaultBusinessError answers HTTP 200 with Fault.StatusCode, APICode and Message.
	FaultBusinessError FaultKind = "business-error"
	// FaultDisconnect closes the connection without an answer.
	FaultDisconnect FaultKind = "disconnect"
	// FaultSlow waits Fault.Delay before going on; a caller that gives up first leaves a
	// request that is never processed (unless AfterProcessing).
	FaultSlow FaultKind = "slow"
	// FaultMalformedJSON answers HTTP 200 with a truncated JSON body.
	FaultMalformedJSON FaultKind = "malformed-json"
	// FaultHugeBody answers HTTP 200 with Fault.Size bytes, streamed.
	FaultHugeBody FaultKind = "huge-body"
	// FaultExpireToken expires every token issued so far, then handles the request.
	FaultExpireToken FaultKind = "expire-token"
)

// Fault is an injected failure for one route.
type Fault struct {
	Kind FaultKind
	// Status is the HTTP status of FaultHTTPStatus.
	Status int
	// RetryAfter is the Retry-After header sent with a 429, if not empty.
	RetryAfter string
	// StatusCode, APICode and Message make the body of FaultBusinessError.
	StatusCode int
	APICode    int
	Message    string
	// Delay is the wait of FaultSlow.
	Delay time.Duration
	// Size is the body size of FaultHugeBody.
	Size int64
	// Skip lets this many matching requests through before the fault starts.
	Skip int
	// Times is how many requests the fault hits; 0 means every one.
	Times int
	// Rate, between 0 and 1 exclusive, hits that fraction of requests at random.
	Rate float64
	// AfterProcessing applies the fault after the route has done its work (for
	// trigger-webhook: after the delivery), as a gateway failing on the way back would.
	AfterProcessing bool
}

type faultState struct {
	Fault
	skip      int
	remaining int
}

// AllRoutes names every API route at once in InjectFault, the token and logs routes
// included: a chaos test's faults hit wherever a proxy in front of Authing could fail.
const AllRoutes = "*"

// InjectFault adds a fault to a route, named by its verb ("trigger-webhook",
// "list-webhooks", "get-management-token", ...) or AllRoutes. Faults of a route apply in
// the order added, before those of AllRoutes.
func (s *Server) InjectFault(route string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[route] = append(s.faults[route], &faultState{Fault: f, skip: f.Skip, remaining: f.Times})
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
}

// takeFault returns the fault that hits this request of route in the given phase, if any.
func (s *Server) takeFault(route string, after bool) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.takeFaultLocked(route, after); f != nil {
		return f
	}
	return s.takeFaultLocked(AllRoutes, after)
}

func (s *Server) takeFaultLocked(route string, after bool) *Fault {
	list := s.faults[route]
	for i, f := range list {
		if f.AfterProcessing != after {
			continue
		}
		if f.skip > 0 {
			f.skip--
			continue
		}
		if f.Rate > 0 && f.Rate < 1 && s.faultRand.Float64() >= f.Rate {
			continue
		}
		hit := f.Fault
		if f.Times > 0 {
			f.remaining--
			if f.remaining <= 0 {
				s.faults[route] = append(list[:i:i], list[i+1:]...)
			}
		}
		return &hit
	}
	return nil
}

// apply writes the fault's answer. It returns true when the request is answered (or
// abandoned) and must not be processed further.
func (s *Server) apply(w http.ResponseWriter, r *http.Request, f *Fault, requestID string) bool {
	switch f.Kind {
	case FaultHTTPStatus:
		switch f.Status {
		case http.StatusBadGateway:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(f.Status)
			_, _ = w.Write([]byte("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"))
		case http.StatusGatewayTimeout:
			w.WriteHeader(f.Status)
		case http.StatusTooManyRequests:
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			writeJSON(w, f.Status, map[string]any{"statusCode": f.Status, "message": throttledMessage})
		default:
			if f.RetryAfter != "" {
				w.Header().Set("Retry-After", f.RetryAfter)
			}
			writeJSON(w, f.Status, map[string]any{"statusCode": f.Status, "message": http.StatusText(f.Status), "requestId": requestID})
		}
		return true
	case FaultBusinessError:
		msg := f.Message
		if msg == "" {
			msg = "injected error " + strconv.Itoa(f.StatusCode)
		}
		writeJSON(w, http.StatusOK, map[string]any{"statusCode": f.StatusCode, "apiCode": f.APICode, "message": msg, "requestId": requestID})
		return true
	case FaultDisconnect:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler)
	case FaultSlow:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			return false
		case <-r.Context().Done():
			return true
		}
	case FaultMalformedJSON:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"statusCode": 200, "message": "ok", "data": {"list": [{"webhookId": "`))
		return true
	case FaultHugeBody:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"statusCode": 200, "data": {"response": "`))
		chunk := []byte(strings.Repeat("x", 64<<10))
		for written := int64(0); written < f.Size; written += int64(len(chunk)) {
			if _, err := w.Write(chunk); err != nil {
				return true
			}
		}
		_, _ = w.Write([]byte(`"}}`))
		return true
	case FaultExpireToken:
		s.ExpireTokens()
		return false
	}
	return false
}
