package authing

import (
	"context"
	"encoding/json"
	"errors"
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

func TestListWebhooksCostsOneRequestPerPageInOrder(t *testing.T) {
	for _, total := range []int{0, 1, 50, 51, 120, 1001} {
		t.Run(fmt.Sprint(total), func(t *testing.T) {
			emu := startEmulator(t, emulator.Options{RateLimit: -1})
			want := emu.SeedWebhooks("w", total)
			c := newTestClient(t, emu.URL())
			got, err := c.ListWebhooks(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("listed %d webhooks, want %d", len(got), len(want))
			}
			for i := range want {
				if got[i].WebhookID != want[i] {
					t.Fatalf("webhook %d is %s, want %s: order lost", i, got[i].WebhookID, want[i])
				}
			}
			pages := max(1, (total+pageLimit-1)/pageLimit)
			st := emu.Stats()
			if st.Requests["list-webhooks"] != pages || st.TokensIssued != 1 {
				t.Fatalf("list requests %d, tokens %d; want %d and 1", st.Requests["list-webhooks"], st.TokensIssued, pages)
			}
		})
	}
}

func TestListWebhooksSequentialWithConcurrencyOne(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	want := emu.SeedWebhooks("w", 260)
	c := newTestClient(t, emu.URL(), func(c *Config) { c.ListConcurrency = 1 })
	got, err := c.ListWebhooks(t.Context())
	if err != nil || len(got) != len(want) || got[259].WebhookID != want[259] {
		t.Fatalf("got %d webhooks, err %v", len(got), err)
	}
}

func TestListWebhooksFailsWhenOnePageFails(t *testing.T) {
	emu := startEmulator(t, emulator.Options{RateLimit: -1})
	emu.SeedWebhooks("w", 400)
	c := newTestClient(t, emu.URL())
	if _, err := c.ListWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2010, Message: "forbidden", Times: 1})
	_, err := c.ListWebhooks(t.Context())
	e := asError(t, err)
	if e.StatusCode != 403 || e.APICode != 2010 || e.RequestID == "" {
		t.Fatalf("got %+v", e)
	}
	// A later page's failure is reported as itself, not as the cancellation it causes.
	emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2011, Message: "forbidden", Skip: 1})
	_, err = c.ListWebhooks(t.Context())
	if e := asError(t, err); e.APICode != 2011 || errors.Is(err, context.Canceled) {
		t.Fatalf("a later page's failure: %v", err)
	}
}

func TestImplausibleTotalCountIsRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/get-management-token") {
			_, _ = w.Write([]byte(`{"statusCode":200,"data":{"access_token":"a.b.c","expires_in":7200}}`))
			return
		}
		_, _ = w.Write([]byte(`{"statusCode":200,"data":{"totalCount":1000000000000,"list":[]}}`))
	}))
	t.Cleanup(srv.Close)
	_, err := newTestClient(t, srv.URL).ListWebhooks(t.Context())
	if err == nil || !strings.Contains(err.Error(), "more than the 1000000 the provider lists") {
		t.Fatalf("got %v", err)
	}
}
