package authing

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// pageLimit is the API's largest page size (list-webhooks, get-webhook-logs).
const pageLimit = 50

// maxListItems bounds the totalCount a read believes (a million), so that a wrong count
// can make the client neither allocate nor request without end.
const maxListItems = 1_000_000

// pageData is what a page of a listing holds. TotalCount is nil when the answer had no
// data, or data without a totalCount: such an answer says nothing about how many items
// there are, so it is never read as an empty list.
type pageData[T any] struct {
	TotalCount *int `json:"totalCount"`
	List       []T  `json:"list"`
}

// window is the part of a list a read needs, planned from the list's first page: the
// entries from..to-1, in the server's order, on pages firstPage..lastPage. Every read of
// a list (ListWebhooks, GetWebhookLogs) plans through planWindow, so the page maths and
// its bounds live here only.
type window struct {
	total  int // totalCount of the first page
	served int // entries the first page held: the page size the server serves
	limit  int // the limit later pages ask for: the served size, within the API's cap
	from   int
	to     int
	first  int // page of entry from
	last   int // page of entry to-1; less than first when nothing is wanted
}

// planWindow plans a read of the first want entries of a list (the last want when
// fromEnd), given its first page's totalCount and how many entries that page held.
func planWindow(op string, total *int, served, want int, fromEnd bool) (window, error) {
	switch {
	case total == nil:
		return window{}, answerError(op, errors.New("the answer has no totalCount (data is null or incomplete), so it does not say how many items there are"))
	case *total < 0:
		return window{}, answerError(op, fmt.Errorf("the API reported a negative totalCount (%d)", *total))
	case *total > maxListItems:
		return window{}, answerError(op, fmt.Errorf("the API reports %d items, more than the %d the provider lists", *total, maxListItems))
	case *total > served && served == 0:
		return window{}, answerError(op, fmt.Errorf("the API reported %d items (totalCount) but its first page held none", *total))
	}
	w := window{total: *total, served: max(served, 1), limit: min(max(served, 1), pageLimit)}
	want = min(max(want, 0), w.total)
	w.from, w.to = 0, want
	if fromEnd {
		w.from, w.to = w.total-want, w.total
	}
	w.first = w.pageOf(w.from)
	w.last = w.pageOf(w.to - 1)
	if want == 0 {
		w.first, w.last = 1, 0
	}
	return w, nil
}

// pageOf is the page (from 1) holding entry i (from 0).
func (w window) pageOf(i int) int { return i/w.served + 1 }

// pages is how many pages the window spans; it is at most want/served + 2 whatever the
// totalCount, so nothing is ever sized by the count.
func (w window) pages() int { return max(w.last-w.first+1, 0) }

// fetchWindow returns the entries of each page of w (index 0 is page w.first), fetching
// concurrently those not already held.
func fetchWindow[T any](ctx context.Context, c *Client, w window, held map[int][]T, fetch func(context.Context, int) ([]T, error)) ([][]T, error) {
	pages := make([][]T, w.pages())
	var todo []int
	for page := w.first; page <= w.last; page++ {
		if list, ok := held[page]; ok {
			pages[page-w.first] = list
			continue
		}
		todo = append(todo, page)
	}
	// Each worker fills its own pages[i]; no lock is needed.
	err := c.fetchPages(ctx, todo, func(ctx context.Context, page int) error {
		list, err := fetch(ctx, page)
		pages[page-w.first] = list
		return err
	})
	return pages, err
}

// pick returns the entries from..to of the window's pages, by their index in the list.
func pick[T any](w window, pages [][]T) []T {
	var out []T
	for i, list := range pages {
		for j, entry := range list {
			if idx := (w.first+i-1)*w.served + j; idx >= w.from && idx < w.to {
				out = append(out, entry)
			}
		}
	}
	return out
}

// fetchPages calls fetch for each page number, at most Config.ListConcurrency at a time,
// and stops at the first error. It is what errgroup with SetLimit would do; the client
// imports the standard library only (DESIGN.md), and these lines are all it takes.
func (c *Client) fetchPages(ctx context.Context, pages []int, fetch func(context.Context, int) error) error {
	if len(pages) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range min(c.cfg.ListConcurrency, len(pages)) {
		wg.Go(func() {
			for page := range next {
				if err := fetch(ctx, page); err != nil {
					errOnce.Do(func() { firstErr = err; cancel() })
				}
			}
		})
	}
	for _, page := range pages {
		select {
		case next <- page:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}
