package authing

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// Where Authing's documentation is silent, the client must be right under every answer
// it allows. Each test here pins one row of DESIGN.md's "What Authing documents, and where
// it is silent".

// A server may serve fewer webhooks a page than limit asks: every webhook is still listed,
// in order, at ceil(W/served) requests.
func TestListingReturnsEveryWebhookWhateverPageSizeIsServed(t *testing.T) {
	for _, served := range []int{0, 10, 7, 1} {
		for _, w := range []int{0, 1, 9, 10, 11, 123} {
			t.Run(fmt.Sprintf("served %d, %d webhooks", served, w), func(t *testing.T) {
				emu := startEmulator(t, emulator.Options{PageSize: served, RateLimit: -1})
				want := emu.SeedWebhooks("w", w)
				c := newTestClient(t, emu.URL(), func(cfg *Config) { cfg.ListConcurrency = 4 })
				got, err := c.ListWebhooks(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				ids := make([]string, len(got))
				for i, g := range got {
					ids[i] = g.WebhookID
				}
				if !slices.Equal(ids, want) {
					t.Fatalf("listed %d webhooks, want %d in the API's order", len(ids), len(want))
				}
				size := served
				if size == 0 {
					size = pageLimit
				}
				wantCalls := max(1, (w+size-1)/size)
				if n := emu.Stats().Requests["list-webhooks"]; n != wantCalls {
					t.Fatalf("%d list requests, want %d", n, wantCalls)
				}
			})
		}
	}
}

// fakeAPI answers get-management-token and hands every other route to h.
func fakeAPI(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/get-management-token") {
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"access_token":"x.eyJzY29wZWRfdXNlcnBvb2xfaWQiOiJwIn0.y","expires_in":7200}}`))
			return
		}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// A listing whose pages do not add up to totalCount fails and says what it expected and
// what came, instead of returning a short list.
func TestListingFailsWhenPagesDoNotAddUp(t *testing.T) {
	tests := []struct {
		name string
		page func(page, limit int) (total int, ids []string)
		want string
	}{
		{"a page comes back short", func(page, _ int) (int, []string) {
			if page == 3 {
				return 30, []string{"c1"}
			}
			return 30, ids(page, 10)
		}, "reported 30 webhooks (totalCount) but its 3 pages of 10 held 21"},
		{"first page empty", func(int, int) (int, []string) { return 5, nil }, "reported 5 items (totalCount) but its first page held none"},
		{"a webhook without an ID", func(int, int) (int, []string) { return 1, []string{""} }, "without a webhookId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			host := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
				var page, limit int
				_, _ = fmt.Sscan(r.URL.Query().Get("page"), &page)
				_, _ = fmt.Sscan(r.URL.Query().Get("limit"), &limit)
				total, list := tt.page(page, limit)
				hooks := make([]Webhook, len(list))
				for i, id := range list {
					hooks[i] = Webhook{WebhookID: id}
				}
				_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": 200, "data": map[string]any{"totalCount": total, "list": hooks}})
			})
			_, err := newTestClient(t, host).ListWebhooks(t.Context())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// A server that clamps limit to 10 but counts offsets by the limit asked would skip
// webhooks if later pages asked for 50; asking for the size it served keeps both kinds of
// server right.
func TestListingAsksLaterPagesForTheSizeServed(t *testing.T) {
	all := ids(0, 30)
	host := fakeAPI(t, func(w http.ResponseWriter, r *http.Request) {
		var page, limit int
		_, _ = fmt.Sscan(r.URL.Query().Get("page"), &page)
		_, _ = fmt.Sscan(r.URL.Query().Get("limit"), &limit)
		from := min((page-1)*limit, len(all))
		hooks := []Webhook{}
		for _, id := range all[from:min(from+10, len(all))] {
			hooks = append(hooks, Webhook{WebhookID: id})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"statusCode": 200, "data": map[string]any{"totalCount": len(all), "list": hooks}})
	})
	got, err := newTestClient(t, host).ListWebhooks(t.Context())
	if err != nil || len(got) != len(all) || got[29].WebhookID != all[29] {
		t.Fatalf("got %d webhooks, %v", len(got), err)
	}
}

func ids(page, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("p%d-%d", page, i)
	}
	return out
}

// "Gone" needs positive evidence: an HTTP 200 answer with statusCode 404, or with no
// data. A route miss, a proxy's 403 or an answer about another webhook is an error.
func TestNotFoundOnlyOnPositiveEvidence(t *testing.T) {
	tests := []struct {
		name     string
		opts     emulator.Options
		setup    func(emu *emulator.Server)
		gone     bool
		wantText string
	}{
		{"statusCode 404", emulator.Options{NotFound: emulator.NotFoundBusiness404}, nil, true, "statusCode 404"},
		{"data null", emulator.Options{NotFound: emulator.NotFoundNullData}, nil, true, "has no data"},
		{"route missing", emulator.Options{}, func(emu *emulator.Server) { emu.SetRouteMissing("get-webhook", true) }, false, "no route /api/v3/get-webhook"},
		{"proxy 403", emulator.Options{}, func(emu *emulator.Server) {
			emu.InjectFault("get-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: http.StatusForbidden})
		}, false, "HTTP status 403"},
		{"server error", emulator.Options{}, func(emu *emulator.Server) {
			emu.InjectFault("get-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: http.StatusServiceUnavailable})
		}, false, "HTTP status 503"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			emu := startEmulator(t, tt.opts)
			if tt.setup != nil {
				tt.setup(emu)
			}
			_, err := newTestClient(t, emu.URL()).GetWebhook(t.Context(), "6229ffa000000000cade3e3d")
			if err == nil || IsNotFound(err) != tt.gone || !strings.Contains(err.Error(), tt.wantText) {
				t.Fatalf("got %v (not found: %v); want not found %v and %q", err, IsNotFound(err), tt.gone, tt.wantText)
			}
		})
	}
}

func TestGetWebhookRefusesAnAnswerAboutAnotherWebhook(t *testing.T) {
	for name, data := range map[string]string{
		"another webhook": `{"webhookId":"other","name":"n"}`,
		"an empty ID":     `{"webhookId":"","name":"n"}`,
		"an empty object": `{}`,
	} {
		t.Run(name, func(t *testing.T) {
			host := fakeAPI(t, func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(`{"statusCode":200,"data":` + data + `}`))
			})
			_, err := newTestClient(t, host).GetWebhook(t.Context(), "asked")
			if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "not the one asked for") {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// Logs come newest first whether the server lists them newest or oldest first, and
// whatever page size it serves.
func TestWebhookLogsAreTheLatestNewestFirst(t *testing.T) {
	for _, oldestFirst := range []bool{false, true} {
		for _, served := range []int{0, 7, 2} {
			t.Run(fmt.Sprintf("oldest first %v, served %d", oldestFirst, served), func(t *testing.T) {
				emu := startEmulator(t, emulator.Options{PageSize: served, LogsOldestFirst: oldestFirst, RateLimit: -1})
				id := emu.SeedWebhooks("w", 1)[0]
				c := newTestClient(t, emu.URL())
				for i := range 30 {
					body := fmt.Sprintf(`{"eventName":"test","data":{"n":%d}}`, i)
					if _, err := c.TriggerWebhook(t.Context(), TriggerInput{WebhookID: id, RequestBody: []byte(body)}); err != nil {
						t.Fatal(err)
					}
				}
				before := emu.Stats().Requests["get-webhook-logs"]
				logs, err := c.GetWebhookLogs(t.Context(), id, 20)
				if err != nil {
					t.Fatal(err)
				}
				if len(logs) != 20 {
					t.Fatalf("%d logs, want 20", len(logs))
				}
				for i, l := range logs {
					var body struct{ Data struct{ N int } }
					if err := json.Unmarshal(l.RequestBody, &body); err != nil || body.Data.N != 29-i {
						t.Fatalf("log %d is delivery %d (%v), want %d", i, body.Data.N, err, 29-i)
					}
				}
				calls := emu.Stats().Requests["get-webhook-logs"] - before
				size := served
				if size == 0 {
					size = 20 // the first page asks for the limit
				}
				// Newest first: the pages holding entries 0..19; oldest first: page 1
				// (to learn the order), then those holding entries 10..29.
				want := (20 + size - 1) / size
				if oldestFirst {
					// Page 1, then the pages holding entries 10..29, page 1 counted once.
					want = 1 + (29/size - 10/size + 1)
					if 10/size == 0 {
						want--
					}
				}
				if calls != want {
					t.Fatalf("%d log requests, want %d", calls, want)
				}
			})
		}
	}
}

// The limit is 1 to MaxWebhookLogs; anything else is refused before a request.
func TestWebhookLogsLimit(t *testing.T) {
	emu := startEmulator(t, emulator.Options{})
	id := emu.SeedWebhooks("w", 1)[0]
	c := newTestClient(t, emu.URL())
	for _, limit := range []int{1, MaxWebhookLogs} {
		if _, err := c.GetWebhookLogs(t.Context(), id, limit); err != nil {
			t.Fatalf("limit %d: %v", limit, err)
		}
	}
	before := emu.Stats().Requests["get-webhook-logs"]
	for _, limit := range []int{0, MaxWebhookLogs + 1} {
		if _, err := c.GetWebhookLogs(t.Context(), id, limit); err == nil {
			t.Fatalf("limit %d was accepted", limit)
		}
	}
	if _, err := c.GetWebhookLogs(t.Context(), "", 5); err == nil {
		t.Fatal("an empty webhook ID was accepted")
	}
	if n := emu.Stats().Requests["get-webhook-logs"] - before; n != 0 {
		t.Fatalf("refused calls sent %d requests", n)
	}
}
