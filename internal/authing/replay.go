package authing

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// ReplayKeyPrefix begins the Idempotency-Key of every replay, so that a replay is told
// from an original delivery and from a firing of authing_webhook_trigger (whose firing ID
// is 32 hexadecimal digits) in the delivery logs.
const ReplayKeyPrefix = "replay-"

// MaxReplayScan bounds the deliveries a read of a replay window looks at: the window
// reaches back at most this many deliveries from the latest one, whatever its since.
const MaxReplayScan = 2000

// TestEventName is the event of the console's test deliveries (and of a trigger without
// a body): never a real event, so never replayed.
const TestEventName = "test"

// authingHeaders are the headers Authing itself puts on every delivery (its webhook guide
// and the log example show them), which a replay must not send back: Authing sets its own
// again, and the secret must never travel as a header value the provider chose.
var authingHeaders = []string{
	"user-agent", "accept", "content-type", "content-length", "x-authing-userpool-id",
	"x-authing-token", "x-authing-webhook-secret",
}

// DeliveriesSince returns every delivery of a webhook logged at or after since, oldest
// first, and how many pages it read.
//
// It reads the logs from the latest delivery backwards, a page of up to 50 at a time, in
// whichever order the server lists them (told as GetWebhookLogs tells it), and stops at
// the first page that reaches back before since, or at the start of the list. It never
// looks at more than MaxReplayScan deliveries: a window that reaches further back is an
// error, so that no delivery in it is silently left out. Pages that shift while they are
// read (a delivery logged meanwhile) show an entry twice; such a repeat is dropped.
func (c *Client) DeliveriesSince(ctx context.Context, webhookID string, since time.Time) ([]ReplayLog, int, error) {
	op := "read the delivery logs of webhook " + webhookID
	if strings.TrimSpace(webhookID) == "" {
		return nil, 0, &Error{Operation: op, Err: fmt.Errorf("the webhook ID is empty")}
	}
	// A webhook that does not exist has no deliveries to replay: that is an error (its
	// IsNotFound is true), never an empty window.
	if err := c.learnWebhookSecret(ctx, webhookID); err != nil {
		return nil, 0, c.secrets.maskError(secretReadError(op, err))
	}
	logs, reads, err := c.deliveriesSince(ctx, op, webhookID, since)
	return logs, reads, c.secrets.maskError(err)
}

func (c *Client) deliveriesSince(ctx context.Context, op, webhookID string, since time.Time) ([]ReplayLog, int, error) {
	secrets := c.secrets.list()
	first, err := c.logPage(ctx, webhookID, 1, pageLimit)
	if err != nil {
		return nil, 1, err
	}
	w, err := planWindow(op, first.TotalCount, len(first.List), maxListItems, false)
	if err != nil || w.total == 0 {
		return []ReplayLog{}, 1, err
	}
	r := &logReader{c: c, op: op, webhookID: webhookID, total: w.total, served: len(first.List), held: map[int][]wireLog{1: first.List}}
	listed, err := r.sinceFromNewest(ctx, since)
	if err != nil {
		return nil, len(r.held), err
	}
	seen := map[string]bool{}
	var out []ReplayLog
	for _, l := range listed {
		// A page read after a delivery was logged repeats an entry of the page before.
		if key := l.identity(); !seen[key] {
			seen[key] = true
		} else {
			continue
		}
		if l.at.Before(since) {
			continue
		}
		public := c.publicLog(l, secrets)
		out = append(out, ReplayLog{WebhookLog: public, BodyMasked: !sameJSON(public.RequestBody, l.RequestBody)})
	}
	// Oldest first, whatever local disorder the server's listing had.
	slices.SortStableFunc(out, func(a, b ReplayLog) int { return a.Time.Compare(b.Time) })
	return out, len(r.held), nil
}

// sinceFromNewest reads the list from its newest end, a page at a time, until no log left
// unread can be as new as since: the oldest read, plus the LogDisorder tolerated, is
// before since (promises as latestLogs keeps them: every log read is checked for
// disorder). Where the ends of the list do not tell which is the newest, the whole list
// is read, if it is short enough. It never reads more than MaxReplayScan logs.
func (r *logReader) sinceFromNewest(ctx context.Context, since time.Time) ([]timedLog, error) {
	tooMany := func(what string) error {
		return answerError(r.op, fmt.Errorf("%s, more than the %d deliveries the provider reads for a replay; "+
			"choose a later since, so that fewer deliveries have been logged since it", what, MaxReplayScan))
	}
	if r.total <= r.served {
		return r.timed(r.held[1])
	}
	oldestFirst, told, err := r.order(ctx)
	if err != nil {
		return nil, err
	}
	if !told {
		if r.total > MaxReplayScan {
			return nil, tooMany(fmt.Sprintf("the order of the webhook's %d deliveries cannot be told (the ends of the list are within %s of each other), so all would have to be read", r.total, LogDisorder))
		}
		all, err := r.read(ctx, r.total, false)
		if err != nil {
			return nil, err
		}
		return r.timed(all)
	}
	for n := min(r.served, r.total); ; n = min(n+r.served, r.total) {
		listed, err := r.read(ctx, n, oldestFirst)
		if err != nil {
			return nil, err
		}
		if oldestFirst {
			slices.Reverse(listed)
		}
		logs, err := r.timed(listed)
		if err != nil || n == r.total {
			return logs, err
		}
		floor, err := r.checkDisorder(logs)
		if err != nil {
			return nil, err
		}
		if floor.Add(LogDisorder).Before(since) {
			return logs, nil
		}
		if n >= MaxReplayScan {
			return nil, tooMany(fmt.Sprintf("the webhook has more than %d deliveries logged since %s", n, since.Format(time.RFC3339)))
		}
	}
}

// ReplayLog is a delivery as DeliveriesSince reads it: masked of every secret the client
// knows, like any log it hands out.
type ReplayLog struct {
	WebhookLog
	// BodyMasked is true when the logged request body carried such a secret: the body
	// handed out is not the one logged, so it cannot be replayed as it was.
	BodyMasked bool
}

// sameJSON reports whether two JSON documents mean the same, or are the same bytes.
func sameJSON(a, b json.RawMessage) bool {
	ca, errA := CanonicalJSON(a)
	cb, errB := CanonicalJSON(b)
	if errA != nil || errB != nil {
		return bytes.Equal(a, b)
	}
	return bytes.Equal(ca, cb)
}

// identity tells one logged delivery from another when a page is read twice.
func (l wireLog) identity() string {
	b, _ := json.Marshal(l)
	return string(b)
}

// ReplayOriginal is a failed delivery of a real event that a replay sends again.
type ReplayOriginal struct {
	Log WebhookLog
	// Key is the Idempotency-Key its replays carry (ReplayKey).
	Key string
	// Body is the logged request body in canonical JSON, and Headers the logged request
	// headers a replay sends back (ReplayHeaders).
	Body    json.RawMessage
	Headers map[string]string
	// Repeats counts the later failed deliveries of the same event and body in the window
	// (Authing's own retries of it), which this one replay covers.
	Repeats int
	// ReplayedAt is set when a successful delivery already carried this original again.
	ReplayedAt time.Time
	// Attempts are the times of the failed deliveries that already carried Key: earlier
	// replays that failed. FindReplay looks past them.
	Attempts []time.Time
	// Problem, when not empty, says why this delivery cannot be replayed.
	Problem string
}

// ReplayPlan is what a window of a webhook's delivery logs holds for a replay.
type ReplayPlan struct {
	// Originals are the failed deliveries of real events in the window, oldest first,
	// those already replayed included (ReplayedAt set).
	Originals []ReplayOriginal
	// Skipped counts the failed deliveries in the window that are not replayed, by reason.
	Skipped ReplaySkips
}

// ReplaySkips counts the failed deliveries that a replay leaves alone, by reason.
type ReplaySkips struct {
	// Tests are the console's test deliveries (event "test").
	Tests int
	// Firings are deliveries that carried an Idempotency-Key that is not a replay's:
	// firings of authing_webhook_trigger, or triggers with their own key.
	Firings int
	// Replays are failed replays: they are retried by replaying their original.
	Replays int
	// OtherEvents are deliveries of events that event_names leaves out.
	OtherEvents int
	// Redelivered are failures whose event and body Authing delivered later without a
	// key (its own retry succeeded).
	Redelivered int
}

// Total is how many failed deliveries were skipped.
func (s ReplaySkips) Total() int {
	return s.Tests + s.Firings + s.Replays + s.OtherEvents + s.Redelivered
}

// PlanReplay picks, from a webhook's deliveries (DeliveriesSince), the failed deliveries
// of real events logged from since to until (the zero until: no end) whose event is one
// of events (empty: every event), oldest first, and marks those that a successful
// delivery already carried again. A delivery whose event and body failed several times
// (Authing's own retries) is one original, replayed once; one that a later delivery of
// the same event and body without a key succeeded is not replayed.
func PlanReplay(webhookID string, logs []ReplayLog, since, until time.Time, events []string) ReplayPlan {
	var plan ReplayPlan
	type delivery struct {
		log  ReplayLog
		body string
	}
	var succeeded []delivery
	replayedByKey := map[string]time.Time{}
	failedByKey := map[string][]time.Time{}
	for _, l := range logs {
		if !l.Success {
			if key := l.RequestHeaders[strings.ToLower(FiringIDHeader)]; strings.HasPrefix(key, ReplayKeyPrefix) {
				failedByKey[key] = append(failedByKey[key], l.Time)
			}
			continue
		}
		body, _ := CanonicalJSON(l.RequestBody)
		succeeded = append(succeeded, delivery{l, string(body)})
		if key := l.RequestHeaders[strings.ToLower(FiringIDHeader)]; strings.HasPrefix(key, ReplayKeyPrefix) {
			if _, ok := replayedByKey[key]; !ok {
				replayedByKey[key] = l.Time
			}
		}
	}
	// later finds a successful delivery after t of the same event and body, whose key
	// satisfies keyOK.
	later := func(t time.Time, event, body string, keyOK func(string) bool) (time.Time, bool) {
		for _, s := range succeeded {
			if s.log.Time.After(t) && s.log.EventName == event && s.body == body && keyOK(s.log.RequestHeaders[strings.ToLower(FiringIDHeader)]) {
				return s.log.Time, true
			}
		}
		return time.Time{}, false
	}
	byContent := map[string]int{} // event and body -> index in plan.Originals
	for _, l := range logs {
		if l.Success || l.Time.Before(since) || (!until.IsZero() && l.Time.After(until)) {
			continue
		}
		key := l.RequestHeaders[strings.ToLower(FiringIDHeader)]
		switch {
		case strings.HasPrefix(key, ReplayKeyPrefix):
			plan.Skipped.Replays++
			continue
		case key != "":
			plan.Skipped.Firings++
			continue
		case l.EventName == TestEventName:
			plan.Skipped.Tests++
			continue
		case len(events) > 0 && !slices.Contains(events, l.EventName):
			plan.Skipped.OtherEvents++
			continue
		}
		o := ReplayOriginal{Log: l.WebhookLog}
		canon, err := CanonicalJSON(l.RequestBody)
		switch {
		case err != nil || !bytes.HasPrefix(canon, []byte("{")):
			o.Problem = "its log holds no request body that is a JSON object, which is all Authing's trigger can send"
		case l.BodyMasked:
			o.Problem = "its logged body carries a secret the provider knows, which the provider never hands on, so it cannot be sent as it was"
		}
		if o.Problem != "" {
			plan.Originals = append(plan.Originals, o)
			continue
		}
		content := l.EventName + "\x00" + string(canon)
		if i, ok := byContent[content]; ok {
			plan.Originals[i].Repeats++
			continue
		}
		if _, ok := later(l.Time, l.EventName, string(canon), func(k string) bool { return k == "" }); ok {
			plan.Skipped.Redelivered++
			continue
		}
		o.Body = canon
		o.Key = ReplayKey(webhookID, l.Time, l.EventName, canon)
		o.Headers = ReplayHeaders(l.RequestHeaders)
		o.Attempts = failedByKey[o.Key]
		if at, ok := replayedByKey[o.Key]; ok {
			o.ReplayedAt = at
		} else if at, ok := later(l.Time, l.EventName, string(canon), func(k string) bool { return strings.HasPrefix(k, ReplayKeyPrefix) }); ok {
			// A replay of the same event and body made when the window began later, after
			// this delivery's first failure had fallen out of it.
			o.ReplayedAt = at
		}
		byContent[content] = len(plan.Originals)
		plan.Originals = append(plan.Originals, o)
	}
	return plan
}

// ReplayKey is the Idempotency-Key of every replay of a delivery: ReplayKeyPrefix and 32
// hexadecimal digits of a SHA-256 over the webhook, the delivery's instant (UTC, to the
// nanosecond), its event and its body in canonical JSON. The same delivery gives the same
// key on every invocation, however its timestamp is written.
func ReplayKey(webhookID string, at time.Time, event string, canonicalBody []byte) string {
	h := sha256.New()
	for _, part := range []string{webhookID, at.UTC().Format(time.RFC3339Nano), event} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	h.Write(canonicalBody)
	return ReplayKeyPrefix + hex.EncodeToString(h.Sum(nil))[:32]
}

// ReplayHeaders are the logged request headers of a delivery that its replay sends back:
// all but Authing's own (authingHeaders), those that describe the connection, an
// Idempotency-Key (the replay carries its own), and any that HTTP would not carry as
// logged. Logged headers already lack those that carry a known secret.
func ReplayHeaders(logged map[string]string) map[string]string {
	out := map[string]string{}
	for name, value := range logged {
		lower := strings.ToLower(name)
		switch {
		case slices.Contains(authingHeaders, lower), IsConnectionHeader(name),
			lower == strings.ToLower(FiringIDHeader), !ValidHeaderName(name), strings.ContainsAny(value, "\r\n\x00"):
			continue
		}
		out[http.CanonicalHeaderKey(lower)] = value
	}
	return out
}

// FindReplay looks in a webhook's latest delivery logs, as FindDelivery does, for a
// delivery that carried key and is none of the earlier attempts (their times), reading
// them again until it is found or ctx ends.
func (c *Client) FindReplay(ctx context.Context, webhookID, key string, earlier []time.Time) DeliverySearch {
	return c.findLogged(ctx, webhookID, func(l WebhookLog) bool {
		return l.RequestHeaders[strings.ToLower(FiringIDHeader)] == key && !slices.ContainsFunc(earlier, l.Time.Equal)
	})
}
