package provider

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// The sweeper deletes the webhooks live tests left behind (a run that was interrupted, a
// destroy that failed): `go test ./internal/provider -sweep=all`, against the Authing the
// live-mode variables name. It deletes by name only, and only names live tests give.

// testWebhookName is the whole name of a webhook a live test creates (liveName): the
// prefix, eight hex digits, and an optional role. A user's "tf-acc-authing-prod" does not
// match.
var testWebhookName = regexp.MustCompile(`^` + regexp.QuoteMeta(testNamePrefix) + `[0-9a-f]{8}(-[a-z0-9]+)*$`)

func init() {
	resource.AddTestSweepers("authing_webhook", &resource.Sweeper{Name: "authing_webhook", F: sweepFromEnv})
}

// sweepFromEnv is the registered sweeper; the region the -sweep flag names is not used.
func sweepFromEnv(string) error {
	if os.Getenv("CI") == "true" && !liveEnabled() {
		return fmt.Errorf("CI=true: the sweeper deletes webhooks, so in CI it runs only when asked by name: set %s=1", envLive)
	}
	target, err := liveTargetFromEnv()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	swept, err := sweepWebhooks(ctx, newLiveAPI(target))
	log.Printf("[INFO] swept %d leftover test webhooks", len(swept))
	return err
}

// sweepWebhooks deletes every webhook whose name testWebhookName matches, in one request,
// and returns their names.
func sweepWebhooks(ctx context.Context, api *liveAPI) ([]string, error) {
	all, err := api.listWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	var ids, names []string
	for _, w := range all {
		if testWebhookName.MatchString(w.Name) {
			ids, names = append(ids, w.WebhookID), append(names, w.Name)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := api.must(ctx, http.MethodPost, "delete-webhook", nil, map[string][]string{"webhookIds": ids}, nil); err != nil {
		return nil, errors.Join(fmt.Errorf("deleting %d test webhooks", len(ids)), err)
	}
	return names, nil
}

// The sweeper, against an emulator that also holds foreign webhooks (more than a page of
// them), deletes the test webhooks and nothing else.
func TestSweeperDeletesOnlyTestWebhooks(t *testing.T) {
	env := newTestEnv(t)
	foreign := env.emu.SeedWebhooks("production", 55)
	for _, name := range []string{
		"tf-acc-authing", "tf-acc-authing-", "tf-acc-authing-prod", "tf-acc-authing-0123abc", "tf-acc-authing-0123ABCD-x",
		"my-tf-acc-authing-0123abcd-x", "TF-ACC-AUTHING-0123abcd", "tf-acc-authing-0123abcd-role-",
		"tf-acc-authing-0123abcd_x", "tf-acc-authing-0123abcd\n",
	} {
		foreign = append(foreign, env.emu.AddWebhook(emulator.Webhook{Name: name, URL: placeholderURL, Events: []string{"test"}}))
	}
	var leftovers []string
	for _, name := range []string{liveName(t, "lifecycle"), liveName(t, "lifecycle") + "-renamed", testNamePrefix + "89abcdef"} {
		env.emu.AddWebhook(emulator.Webhook{Name: name, URL: placeholderURL, Events: []string{"test"}})
		leftovers = append(leftovers, name)
	}
	api := newLiveAPI(&liveTarget{host: env.emu.URL(), keyID: testKeyID, secret: testSecret})

	swept, err := sweepWebhooks(t.Context(), api)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Sort(swept); !slices.Equal(swept, slices.Sorted(slices.Values(leftovers))) {
		t.Errorf("swept %q, want %q", swept, leftovers)
	}
	if got := env.emu.Webhooks(); !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(foreign))) {
		t.Errorf("%d webhooks left, want the %d foreign ones", len(got), len(foreign))
	}
	if again, err := sweepWebhooks(t.Context(), api); err != nil || len(again) != 0 {
		t.Errorf("a second sweep deleted %q (%v), want nothing", again, err)
	}
}

// The tests' own client and the sweeper say who they are in User-Agent, as the provider
// does, instead of Go's default: every request of a sweep carries liveUserAgent.
func TestSweeperSendsItsUserAgent(t *testing.T) {
	emu, err := emulator.New(emulator.Options{Keys: []emulator.AccessKey{{ID: testKeyID, Secret: testSecret}}})
	if err != nil {
		t.Fatal(err)
	}
	emu.AddWebhook(emulator.Webhook{Name: testNamePrefix + "0123abcd-ua", URL: placeholderURL, Events: []string{"test"}})
	var mu sync.Mutex
	agents := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.UserAgent()]++
		mu.Unlock()
		emu.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	swept, err := sweepWebhooks(t.Context(), newLiveAPI(&liveTarget{host: srv.URL, keyID: testKeyID, secret: testSecret}))
	if err != nil || len(swept) != 1 {
		t.Fatalf("swept %q, %v; want the one test webhook", swept, err)
	}
	mu.Lock()
	defer mu.Unlock()
	// A token, a list and a delete at least, each with the tests' own User-Agent.
	if len(agents) != 1 || agents[liveUserAgent] < 3 {
		t.Fatalf("User-Agents sent: %v; want only %q", agents, liveUserAgent)
	}
}
