package authing

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// LogDisorder is how far out of time order the API may list two delivery logs. Nothing
// documents the order of get-webhook-logs, and a server that logs concurrent deliveries
// in the order they finished lists neighbours a moment apart the other way round; a log
// listed nearer the oldest end than another may be newer than it by up to this much.
const LogDisorder = 5 * time.Second

// maxLogsRead bounds how many logs one read looks at: the latest asked for, and those
// read beyond them to be sure that no log left unread is newer.
const maxLogsRead = 2 * MaxWebhookLogs

// timedLog is a log with its timestamp read.
type timedLog struct {
	wireLog
	at   time.Time
	text string
}

// latestLogs returns the limit latest logs of a webhook, newest first, ordered by their
// timestamps whatever order the server lists them in (DESIGN.md, "The order of
// get-webhook-logs"):
//
//   - A read that holds the whole list returns it sorted, whatever its order: the first
//     page holds every log, or the list's two ends are within LogDisorder of each other
//     and it has at most maxLogsRead logs.
//   - Otherwise the ends, more than LogDisorder apart, tell which end is the newest, and
//     the logs are read from there. A log may be at most LogDisorder newer than any log
//     listed before it (from the newest end); the read checks that on every log it reads
//     and fails when it is broken, and reads past the limit latest until the oldest read,
//     plus LogDisorder, is older than the limit-th latest, so that no log left unread
//     can be newer; it fails when that takes more than maxLogsRead logs.
//   - Where no timestamp can tell the order, the read fails saying why.
func (c *Client) latestLogs(ctx context.Context, webhookID string, limit int) ([]timedLog, error) {
	op := "get webhook logs " + webhookID
	first, err := c.logPage(ctx, webhookID, 1, min(limit, pageLimit))
	if err != nil {
		return nil, err
	}
	w, err := planWindow(op, first.TotalCount, len(first.List), limit, false)
	if err != nil || w.to == 0 {
		return []timedLog{}, err
	}
	r := &logReader{c: c, op: op, webhookID: webhookID, total: w.total, served: len(first.List), held: map[int][]wireLog{1: first.List}}
	if w.total <= len(first.List) {
		return r.sorted(first.List, limit)
	}
	oldestFirst, told, err := r.order(ctx)
	if err != nil {
		return nil, err
	}
	if !told {
		if w.total > maxLogsRead {
			return nil, answerError(op, fmt.Errorf("cannot tell which end of the list is the newest: the timestamps of its two ends are within %s of each other, "+
				"and its %d logs are more than the %d the provider reads to sort them", LogDisorder, w.total, maxLogsRead))
		}
		all, err := r.read(ctx, w.total, false)
		if err != nil {
			return nil, err
		}
		return r.sorted(all, limit)
	}
	for n := min(limit, w.total); ; n = min(n+r.served, w.total) {
		listed, err := r.read(ctx, n, oldestFirst)
		if err != nil {
			return nil, err
		}
		if oldestFirst {
			slices.Reverse(listed)
		}
		logs, err := r.timed(listed)
		if err != nil {
			return nil, err
		}
		if n == w.total {
			return sortLogs(logs, limit), nil
		}
		floor, err := r.checkDisorder(logs)
		if err != nil {
			return nil, err
		}
		latest := sortLogs(logs, limit)
		if floor.Add(LogDisorder).Before(latest[limit-1].at) {
			return latest, nil
		}
		if n >= maxLogsRead {
			return nil, answerError(op, fmt.Errorf("cannot tell which are the %d latest logs: the %d read from the newest end are all within %s of the %d-th latest, "+
				"so one of the %d logs not read may be newer", limit, n, LogDisorder, limit, w.total-n))
		}
	}
}

// logReader reads the pages of one webhook's logs, each page once.
type logReader struct {
	c         *Client
	op        string
	webhookID string
	total     int
	served    int
	held      map[int][]wireLog
}

func (r *logReader) fetch(ctx context.Context, page int) ([]wireLog, error) {
	p, err := r.c.logPage(ctx, r.webhookID, page, min(r.served, pageLimit))
	return p.List, err
}

// read returns the first n logs of the list, or the last n when fromEnd, in the server's
// order, fetching concurrently the pages not read yet.
func (r *logReader) read(ctx context.Context, n int, fromEnd bool) ([]wireLog, error) {
	total := r.total
	w, err := planWindow(r.op, &total, r.served, n, fromEnd)
	if err != nil {
		return nil, err
	}
	pages, err := fetchWindow(ctx, r.c, w, r.held, r.fetch)
	if err != nil {
		return nil, err
	}
	for i, list := range pages {
		r.held[w.first+i] = list
	}
	picked := pick(w, pages)
	if len(picked) != w.to-w.from {
		return nil, answerError(r.op, fmt.Errorf("expected %d of the %d logs (totalCount) but the pages held %d; "+
			"the logs may have changed while they were read, so try again", w.to-w.from, w.total, len(picked)))
	}
	return picked, nil
}

// order tells from the timestamps of the list's two ends whether the server lists logs
// oldest first; told is false when the ends are within LogDisorder of each other. It
// reads the last page when the first page's own ends do not tell.
func (r *logReader) order(ctx context.Context) (oldestFirst, told bool, err error) {
	list := r.held[1]
	head, tail := list[0].Timestamp, list[len(list)-1].Timestamp
	a, _, okA := parseTimestamp(head)
	b, _, okB := parseTimestamp(tail)
	if !okA || !okB || !apart(a, b) {
		lastPage := (r.total-1)/r.served + 1
		page, err := r.fetch(ctx, lastPage)
		if err != nil {
			return false, false, err
		}
		r.held[lastPage] = page
		if len(page) > 0 {
			tail = page[len(page)-1].Timestamp
			b, _, okB = parseTimestamp(tail)
		}
	}
	for _, end := range []struct {
		raw json.RawMessage
		ok  bool
	}{{head, okA}, {tail, okB}} {
		if !end.ok {
			return false, false, answerError(r.op, fmt.Errorf("cannot tell which end of the list is the newest: the timestamp %s is neither an ISO 8601 time with a zone nor epoch milliseconds", snippet(end.raw)))
		}
	}
	return a.Before(b), apart(a, b), nil
}

// apart reports whether two times are further apart than the disorder tolerated, so that
// their order is the list's.
func apart(a, b time.Time) bool {
	d := a.Sub(b)
	return d > LogDisorder || d < -LogDisorder
}

// timed reads the timestamp of each log: every log returned has one.
func (r *logReader) timed(list []wireLog) ([]timedLog, error) {
	out := make([]timedLog, len(list))
	for i, l := range list {
		t, text, ok := parseTimestamp(l.Timestamp)
		if !ok {
			return nil, answerError(r.op, fmt.Errorf("a log's timestamp %s is neither an ISO 8601 time with a zone nor epoch milliseconds", snippet(l.Timestamp)))
		}
		out[i] = timedLog{wireLog: l, at: t, text: text}
	}
	return out, nil
}

// sorted is the limit latest of a whole list, newest first.
func (r *logReader) sorted(list []wireLog, limit int) ([]timedLog, error) {
	logs, err := r.timed(list)
	if err != nil {
		return nil, err
	}
	return sortLogs(logs, limit), nil
}

// checkDisorder holds logs listed from the newest end to LogDisorder: none may be newer
// than any log before it by more. It returns the oldest time among them.
func (r *logReader) checkDisorder(logs []timedLog) (time.Time, error) {
	floor := logs[0]
	for _, l := range logs[1:] {
		if l.at.Sub(floor.at) > LogDisorder {
			return time.Time{}, answerError(r.op, fmt.Errorf("the logs are not in time order (%s comes after %s), more than the %s of disorder tolerated, so the latest cannot be told",
				l.text, floor.text, LogDisorder))
		}
		if l.at.Before(floor.at) {
			floor = l
		}
	}
	return floor.at, nil
}

// sortLogs returns the limit latest logs, newest first; logs with the same time keep
// their order.
func sortLogs(logs []timedLog, limit int) []timedLog {
	out := slices.Clone(logs)
	slices.SortStableFunc(out, func(a, b timedLog) int { return b.at.Compare(a.at) })
	return out[:min(limit, len(out))]
}
