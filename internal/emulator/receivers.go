package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ReceiverBehavior is how a built-in receiver answers, so that tests and demos can play a
// service that is not ready yet: one that fails its first deliveries, or for a while, and
// then succeeds; one that answers a given status and body; one that is down.
type ReceiverBehavior struct {
	// Status is the status of an answer that does not fail; 0 means 200.
	Status int `json:"status,omitempty"`
	// Body is the body of an answer that does not fail; nil means the receiver's echo.
	// A JSON text is sent as application/json, one starting with "<" as text/html, any
	// other as text/plain, and "" as no body at all.
	Body *string `json:"body,omitempty"`
	// FailFirst is how many deliveries fail before the receiver answers as above.
	FailFirst int `json:"fail_first,omitempty"`
	// FailFor is how long, from the first delivery, deliveries fail.
	FailFor time.Duration `json:"-"`
	// FailStatus is the status of a failing delivery's answer (with a proxy's HTML page);
	// 0 means 503, and -1 cuts the connection without an answer.
	FailStatus int `json:"fail_status,omitempty"`
	// Down cuts the connection of every delivery without an answer, as a service that is
	// not listening would (Authing reports both as "no answer").
	Down bool `json:"down,omitempty"`
	// Delay is how long the receiver waits before it answers (or cuts); a delay longer than
	// the emulator's delivery timeout plays an endpoint that times out.
	Delay time.Duration `json:"-"`
}

// receiverJSON is ReceiverBehavior on the control route: durations as strings ("30s").
type receiverJSON struct {
	Status     int     `json:"status,omitempty"`
	Body       *string `json:"body,omitempty"`
	FailFirst  int     `json:"fail_first,omitempty"`
	FailFor    string  `json:"fail_for,omitempty"`
	FailStatus int     `json:"fail_status,omitempty"`
	Down       bool    `json:"down,omitempty"`
	Delay      string  `json:"delay,omitempty"`
}

// MarshalJSON writes the behaviour as the control route reads it, durations as strings.
func (b ReceiverBehavior) MarshalJSON() ([]byte, error) {
	j := receiverJSON{Status: b.Status, Body: b.Body, FailFirst: b.FailFirst, FailStatus: b.FailStatus, Down: b.Down}
	if b.FailFor > 0 {
		j.FailFor = b.FailFor.String()
	}
	if b.Delay > 0 {
		j.Delay = b.Delay.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the behaviour of the control route, durations as strings ("30s").
func (b *ReceiverBehavior) UnmarshalJSON(raw []byte) error {
	var j receiverJSON
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return err
	}
	out := ReceiverBehavior{Status: j.Status, Body: j.Body, FailFirst: j.FailFirst, FailStatus: j.FailStatus, Down: j.Down}
	var err error
	if out.FailFor, err = parseDuration("fail_for", j.FailFor); err != nil {
		return err
	}
	if out.Delay, err = parseDuration("delay", j.Delay); err != nil {
		return err
	}
	*b = out
	return nil
}

func parseDuration(name, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%s must be a duration such as 30s or 500ms, not %q", name, v)
	}
	return d, nil
}

// check says what is wrong with a behaviour, in terms a caller can act on.
func (b ReceiverBehavior) check() error {
	switch {
	case b.Status != 0 && (b.Status < 100 || b.Status > 599):
		return fmt.Errorf("status %d is not an HTTP status (100 to 599)", b.Status)
	case b.FailStatus != 0 && b.FailStatus != -1 && (b.FailStatus < 100 || b.FailStatus > 599):
		return fmt.Errorf("fail_status %d is neither an HTTP status (100 to 599) nor -1 (cut the connection)", b.FailStatus)
	case b.FailFirst < 0:
		return fmt.Errorf("fail_first %d is negative", b.FailFirst)
	case b.FailFor < 0 || b.Delay < 0:
		return errors.New("durations must not be negative")
	}
	return nil
}

// receiverState is a behaviour and what it has seen: its deliveries and the first one's time.
type receiverState struct {
	behavior ReceiverBehavior
	seen     int
	first    time.Time
}

// receiverAction is what the receiver does with one delivery.
type receiverAction struct {
	cut    bool
	status int
	body   *string
	delay  time.Duration
}

// next counts a delivery and says how to answer it.
func (st *receiverState) next(now time.Time) receiverAction {
	b := st.behavior
	st.seen++
	if st.seen == 1 {
		st.first = now
	}
	a := receiverAction{status: b.Status, body: b.Body, delay: b.Delay}
	if a.status == 0 {
		a.status = http.StatusOK
	}
	failing := st.seen <= b.FailFirst || (b.FailFor > 0 && now.Sub(st.first) < b.FailFor)
	switch {
	case b.Down || (failing && b.FailStatus == -1):
		a.cut = true
	case failing:
		a.status = b.FailStatus
		if a.status == 0 {
			a.status = http.StatusServiceUnavailable
		}
		page := fmt.Sprintf("<html><head><title>%[1]d %[2]s</title></head><body><center><h1>%[1]d %[2]s</h1></center><hr><center>nginx</center></body></html>\n", a.status, http.StatusText(a.status))
		a.body = &page
	}
	return a
}

// behaviorFromQuery reads a behaviour declared in a receiver URL's query: status, fail_first,
// fail_for, fail_status, down and delay. ok is false when the query declares none.
func behaviorFromQuery(q url.Values) (b ReceiverBehavior, ok bool, err error) {
	atoi := func(name string) (int, error) {
		v := q.Get(name)
		if v == "" {
			return 0, nil
		}
		ok = true
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("%s must be a whole number, not %q", name, v)
		}
		return n, nil
	}
	if b.FailFirst, err = atoi("fail_first"); err != nil {
		return b, false, err
	}
	if b.FailStatus, err = atoi("fail_status"); err != nil {
		return b, false, err
	}
	for _, name := range []string{"fail_for", "delay"} {
		d, err := parseDuration(name, q.Get(name))
		if err != nil {
			return b, false, err
		}
		if q.Get(name) != "" {
			ok = true
		}
		if name == "fail_for" {
			b.FailFor = d
		} else {
			b.Delay = d
		}
	}
	if v := q.Get("down"); v != "" {
		down, err := strconv.ParseBool(v)
		if err != nil {
			return b, false, fmt.Errorf("down must be 1 or 0, not %q", v)
		}
		b.Down, ok = down, true
	}
	// status keeps its old leniency: a value that is no status in 200 to 599 is ignored.
	if v, err := strconv.Atoi(q.Get("status")); err == nil && v >= 200 && v <= 599 {
		b.Status, ok = v, true
	}
	return b, ok, b.check()
}

// SetReceiver makes the built-in receiver of that name (the path after
// /_emulator/receiver/) behave so from its next delivery on, whatever its URL's query
// declares. Its FailFirst and FailFor count from this call. It fails on a behaviour that
// is not one (a status outside 100 to 599, a negative count).
func (s *Server) SetReceiver(name string, b ReceiverBehavior) error {
	if err := b.check(); err != nil {
		return fmt.Errorf("emulator: receiver %q: %w", name, err)
	}
	s.mu.Lock()
	s.receivers[name] = &receiverState{behavior: b}
	s.mu.Unlock()
	return nil
}

// ResetReceiver drops the receiver's behaviour (it echoes again, or does what its URL's
// query declares, counted afresh) and its delivery counts.
func (s *Server) ResetReceiver(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for key := range s.receivers {
		if key == name || strings.HasPrefix(key, name+"?") {
			delete(s.receivers, key)
		}
	}
	for key := range s.receiverCounts {
		if key == name || strings.HasPrefix(key, name+"?") {
			delete(s.receiverCounts, key)
		}
	}
}

// ReceiverDeliveries is how many deliveries reached the receiver of that name, those it
// failed or cut included, since the server started or the receiver was reset. A name
// with a query ("ready?fail_first=3") counts only the deliveries to that exact URL.
func (s *Server) ReceiverDeliveries(name string) int {
	if path, query, ok := strings.Cut(name, "?"); ok {
		if q, err := url.ParseQuery(query); err == nil && len(q) > 0 {
			name = path + "?" + q.Encode()
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.receiverCounts[name]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for key, c := range s.receiverCounts {
		if key == name || strings.HasPrefix(key, name+"?") {
			n += c
		}
	}
	return n
}

// receiverAction counts a delivery to the receiver and says how to answer it: the
// behaviour set for its name, else the one its query declares (counted per name and
// query), else the echo with ?status.
func (s *Server) receiverAction(name string, q url.Values) (receiverAction, error) {
	key := name
	if len(q) > 0 {
		key = name + "?" + q.Encode()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.receiverCounts == nil {
		s.receiverCounts = map[string]int{}
	}
	s.receiverCounts[key]++
	if st, ok := s.receivers[name]; ok {
		return st.next(time.Now()), nil
	}
	b, declared, err := behaviorFromQuery(q)
	if err != nil {
		return receiverAction{status: http.StatusBadRequest}, err
	}
	if !declared {
		return receiverAction{status: http.StatusOK}, nil
	}
	st, ok := s.receivers[key]
	if !ok {
		st = &receiverState{behavior: b}
		s.receivers[key] = st
	}
	return st.next(time.Now()), nil
}

// serveReceiverControl serves the receivers' control route: PUT /_emulator/receivers/{name}
// with a behaviour as JSON sets it, DELETE resets the receiver, GET shows its behaviour
// and deliveries.
func (s *Server) serveReceiverControl(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/_emulator/receivers/")
	if name == "" {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "name the receiver: /_emulator/receivers/<name>"})
		return
	}
	switch r.Method {
	case http.MethodPut:
		raw, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		var b ReceiverBehavior
		if err == nil {
			err = json.Unmarshal(raw, &b)
		}
		if err == nil {
			err = s.SetReceiver(name, b)
		}
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]any{"message": "the behaviour is a JSON object of status, body, fail_first, fail_for, fail_status, down and delay: " + err.Error()})
			return
		}
	case http.MethodDelete:
		s.ResetReceiver(name)
	case http.MethodGet:
	default:
		w.Header().Set("Allow", "GET, PUT, DELETE")
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"message": "use PUT to set a behaviour, DELETE to reset, GET to read"})
		return
	}
	s.mu.Lock()
	var behavior *ReceiverBehavior
	if st, ok := s.receivers[name]; ok {
		behavior = &st.behavior
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"receiver": name, "behavior": behavior, "deliveries": s.ReceiverDeliveries(name)})
}
