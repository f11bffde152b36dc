package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// lostAnswer is a fault that lets the route do its work and then cuts the connection,
// once: the work happened and only its answer was lost.
var lostAnswer = emulator.Fault{Kind: emulator.FaultDisconnect, AfterProcessing: true, Times: 1}

// receivedFiringIDs are the firing IDs the receiver saw, in order.
func receivedFiringIDs(emu *emulator.Server) []string {
	var ids []string
	for _, r := range emu.Received() {
		ids = append(ids, r.Headers.Get("Idempotency-Key"))
	}
	return ids
}

// A firing whose answer was lost is settled from the delivery logs: one apply records it
// with the logged response, after exactly one delivery, with a warning. Logs that lag are
// read again until the delivery shows.
func TestAccSettle_lostFiringIsRecordedOnce(t *testing.T) {
	env := newTestEnv(t, emulator.Options{LogDelay: 700 * time.Millisecond})
	id := env.emu.SeedWebhooks("hook", 1)[0]
	w := newWorkspace(t, "provider \"authing\" {}\n"+triggerConfig(id, "  request_body = jsonencode({ eventName = \"test\", data = { n = 1 } })\n"), env.providerEnv()...)
	env.emu.InjectFault("trigger-webhook", lostAnswer)
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		t.Fatalf("the apply failed although the logs show the delivery: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Webhook firing confirmed from Authing's logs") {
		t.Fatalf("no warning said the outcome was settled:\n%s", out)
	}
	ids := receivedFiringIDs(env.emu)
	if len(ids) != 1 || env.emu.Stats().Deliveries != 1 {
		t.Fatalf("deliveries %v, want exactly one", ids)
	}
	state := w.state()
	if !strings.Contains(state, `"id": "`+ids[0]+`"`) || !strings.Contains(state, `\"received\":true`) {
		t.Fatalf("the state does not hold the firing %s with the logged response:\n%s", ids[0], state)
	}
	if out, err := w.run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan after a settled firing is not empty: %v\n%s", err, out)
	}
}

// When the logs cannot be read, the error is today's MAY HAVE FIRED, names the firing and
// what was looked at, and nothing fires again.
func TestAccSettle_unreadableLogsLeaveMayHaveFired(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	w := newWorkspace(t, "provider \"authing\" {}\n"+triggerConfig(id, "  timeouts {\n    create = \"4s\"\n  }\n"), env.providerEnv()...)
	env.emu.InjectFault("trigger-webhook", lostAnswer)
	env.emu.InjectFault("get-webhook-logs", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "forbidden"})
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("the apply succeeded without any evidence of the firing:\n%s", out)
	}
	ids := receivedFiringIDs(env.emu)
	if len(ids) != 1 {
		t.Fatalf("deliveries %v, want exactly one", ids)
	}
	for _, want := range []string{"MAY HAVE FIRED", "Firing ID:   " + ids[0], "could not read the webhook's delivery logs"} {
		if !strings.Contains(out, want) {
			t.Errorf("the error lacks %q:\n%s", want, out)
		}
	}
	if stateResourcesIfAny(t, w, "authing_webhook_trigger") != 0 {
		t.Fatal("a firing that was not settled is in state")
	}
}

// The same settling serves on_destroy and the action.
func TestAccSettle_lostTeardownAndActionFirings(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	w := newWorkspace(t, "provider \"authing\" {}\n"+triggerConfig(id, "  on_destroy = {}\n"), env.providerEnv()...)
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	env.emu.InjectFault("trigger-webhook", lostAnswer)
	out, err := w.run("destroy", "-auto-approve", "-input=false", "-no-color")
	if err != nil || !strings.Contains(out, "confirmed from Authing's logs") {
		t.Fatalf("the teardown firing was not settled: %v\n%s", err, out)
	}
	if ids := receivedFiringIDs(env.emu); len(ids) != 2 || ids[0] == ids[1] {
		t.Fatalf("firing IDs %v after a firing and its teardown: want two, each its own", ids)
	}
	if !w.supportsActions() {
		return
	}
	w.write(fmt.Sprintf(`
provider "authing" {}

action "authing_webhook_trigger" "on_demand" {
  config {
    webhook_id = %q
  }
}
`, id))
	env.emu.InjectFault("trigger-webhook", lostAnswer)
	out, err = w.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.authing_webhook_trigger.on_demand")
	if err != nil || !strings.Contains(out, "confirmed from Authing's logs") {
		t.Fatalf("the action's firing was not settled: %v\n%s", err, out)
	}
	ids := receivedFiringIDs(env.emu)
	if len(ids) != 3 || ids[2] == "" || ids[2] == ids[0] || ids[2] == ids[1] {
		t.Fatalf("firing IDs %v: want three deliveries, each with its own ID", ids)
	}
}

// A create whose answer was lost adopts the webhook it made: one apply, one webhook at
// Authing, in state, with a warning. A firing or create whose answer arrives costs one
// call, and a header the user set is never replaced by the firing ID.
func TestAccSettle_lostCreateIsAdoptedAndTheHappyPathCostsNothing(t *testing.T) {
	env := newTestEnv(t)
	target := env.emu.SeedWebhooks("hook", 1)[0]
	config := fmt.Sprintf(`
provider "authing" {}

resource "authing_webhook" "w" {
  name   = "settle-create"
  url    = %q
  events = ["user:created"]
  secret = "settle-secret"
}
`, env.emu.ReceiverURL("settle"))
	w := newWorkspace(t, config, env.providerEnv()...)
	env.emu.InjectFault("create-webhook", lostAnswer)
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil || !strings.Contains(out, "Webhook creation confirmed from Authing's listing") {
		t.Fatalf("the lost create was not settled: %v\n%s", err, out)
	}
	if got := len(env.emu.Webhooks()); got != 2 {
		t.Fatalf("Authing holds %d webhooks, want the seeded one and one created", got)
	}
	if got := env.emu.Stats().Requests["create-webhook"]; got != 1 {
		t.Fatalf("%d create requests, want 1", got)
	}

	w.write(config + triggerConfig(target, "  request_headers = { \"IDEMPOTENCY-KEY\" = \"mine\" }\n") + `
resource "authing_webhook" "v" {
  name   = "settle-create-2"
  url    = "` + env.emu.ReceiverURL("settle") + `"
  events = ["user:created"]
}
`)
	before := env.emu.Stats().Requests
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	after := env.emu.Stats().Requests
	for verb, want := range map[string]int{"trigger-webhook": 1, "create-webhook": 1, "get-webhook-logs": 0, "list-webhooks": 0} {
		if got := after[verb] - before[verb]; got != want {
			t.Errorf("%s: %d calls on the happy path, want %d", verb, got, want)
		}
	}
	if ids := receivedFiringIDs(env.emu); len(ids) != 1 || ids[0] != "mine" {
		t.Fatalf("the receiver saw Idempotency-Key %v, want the user's own \"mine\"", ids)
	}
}

// Several webhooks that a lost create may have made: the error names each, with the
// import command, and nothing is created again.
func TestAccSettle_ambiguousCreateNamesEveryCandidate(t *testing.T) {
	env := newTestEnv(t)
	url := env.emu.ReceiverURL("dup")
	existing := env.emu.AddWebhook(emulator.Webhook{Name: "dup", URL: url, Enabled: true, Events: []string{"user:created"}})
	w := newWorkspace(t, fmt.Sprintf(`
provider "authing" {}

resource "authing_webhook" "w" {
  name   = "dup"
  url    = %q
  events = ["user:created"]
}
`, url), env.providerEnv()...)
	env.emu.InjectFault("create-webhook", lostAnswer)
	out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
	if err == nil {
		t.Fatalf("the apply adopted one of two candidates:\n%s", out)
	}
	ids := env.emu.Webhooks()
	if len(ids) != 2 {
		t.Fatalf("Authing holds %d webhooks, want 2", len(ids))
	}
	for _, id := range ids {
		if !strings.Contains(out, "terraform import <address> "+id) {
			t.Errorf("the error does not name candidate %s (existing %s):\n%s", id, existing, out)
		}
	}
	if !strings.Contains(out, "MAY HAVE BEEN CREATED") || stateResourcesIfAny(t, w, "authing_webhook") != 0 {
		t.Fatalf("want MAY HAVE BEEN CREATED and no state:\n%s", out)
	}
}

func stateResourcesIfAny(t *testing.T, w *workspace, typ string) int {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		return 0
	}
	return stateResources(t, string(raw), typ)
}

// fire settles only an outcome that may have taken effect: a lost answer is found in the
// logs and recorded with a warning, while a refused request is an error at once, with no
// read of the logs. A header the user set under the firing ID's name is kept.
func TestFireSettlesOnlyWhatMayHaveTakenEffect(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	client, err := authing.New(authing.Config{Host: env.emu.URL(), AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	in := authing.TriggerInput{WebhookID: id}

	env.emu.InjectFault("trigger-webhook", lostAnswer)
	got, diags := fire(t.Context(), client, in, triggerOutcome)
	if diags.HasError() || diags.WarningsCount() != 1 || !strings.Contains(got.response, `"received":true`) || got.at.IsZero() ||
		got.id != receivedFiringIDs(env.emu)[0] || got.status != 200 || got.attempts != 1 {
		t.Fatalf("a lost answer the logs show: %+v, %v", got, diags)
	}

	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 400, Message: "bad request", Times: 1})
	before := env.emu.Stats().Requests["get-webhook-logs"]
	_, diags = fire(t.Context(), client, in, triggerOutcome)
	if !diags.HasError() || strings.Contains(diagText(diags), "delivery logs") || !regexp.MustCompile(`was not fired(?s).*Firing ID:\s+[0-9a-f]{32}`).MatchString(diagText(diags)) {
		t.Fatalf("a refused request: %s", diagText(diags))
	}
	if n := env.emu.Stats().Requests["get-webhook-logs"] - before; n != 0 {
		t.Fatalf("a refused request read the logs %d times", n)
	}

	if _, diags = fire(t.Context(), client, authing.TriggerInput{WebhookID: id, RequestHeaders: map[string]string{"idempotency-key": "mine"}}, triggerOutcome); diags.HasError() {
		t.Fatal(diagText(diags))
	}
	received := receivedFiringIDs(env.emu)
	if last := received[len(received)-1]; last != "mine" {
		t.Fatalf("the endpoint got Idempotency-Key %q, want the user's own", last)
	}
}

// A firing the logs do not show is reported by what was looked at: logs that could not be
// read, or read a number of times over a rounded time, never as "did not fire".
func TestSettleFiringSaysWhatItLookedAt(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	client, err := authing.New(authing.Config{Host: env.emu.URL(), AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	search := func() string {
		ctx, cancel := context.WithTimeout(t.Context(), 700*time.Millisecond)
		defer cancel()
		_, found, looked := settleFiring(ctx, client, id, "never-sent", true)
		if found {
			t.Fatal("found a firing that was never sent")
		}
		return looked
	}
	if got := search(); !regexp.MustCompile(`read the webhook's latest delivery logs [2-9] times over \d+(\.\d)?m?s and found no delivery.*does not mean that the webhook did not fire`).MatchString(got) {
		t.Fatalf("readable logs without the firing: %q", got)
	}
	env.emu.InjectFault("get-webhook-logs", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "forbidden"})
	if got := search(); !regexp.MustCompile(`could not read the webhook's delivery logs to settle it \(for \d+(\.\d)?m?s\): .*forbidden`).MatchString(got) {
		t.Fatalf("unreadable logs: %q", got)
	}
	if _, found, looked := settleFiring(t.Context(), client, id, "x", false); found || !strings.Contains(looked, "your own Idempotency-Key") {
		t.Fatalf("a firing that carried the user's own header: %v %q", found, looked)
	}
}

// A create settles only an outcome that may have taken effect: a lost answer adopts the
// webhook it made, with a warning; a refused create fails without listing.
func TestCreateSettlesOnlyWhatMayHaveTakenEffect(t *testing.T) {
	w := newWebhookEnv(t)
	w.emu.InjectFault("create-webhook", lostAnswer)
	state, _, diags := w.applyWebhook(nil, nil, w.config(nil))
	requireNoErrors(t, diags)
	id := asString(t, w.object(state, w.schema.ResourceSchemas["authing_webhook"], false)["id"])
	if held := w.emu.Webhooks(); len(held) != 1 || held[0] != id || len(diags) != 1 || !strings.Contains(diags[0].Summary, "confirmed from Authing's listing") {
		t.Fatalf("state %s, Authing holds %v, diagnostics %v", id, held, diags)
	}

	w.emu.InjectFault("create-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 400, Message: "bad request", Times: 1})
	before := w.emu.Stats().Requests["list-webhooks"]
	if _, _, diags = w.applyWebhook(nil, nil, w.config(map[string]tftypes.Value{"name": str("second")})); len(diags) == 0 || strings.Contains(diags[0].Detail, "listing") {
		t.Fatalf("a refused create: %v", diags)
	}
	if n := w.emu.Stats().Requests["list-webhooks"] - before; n != 0 {
		t.Fatalf("a refused create listed the webhooks %d times", n)
	}
}

// A lost answer whose logged delivery failed is not a recorded firing: the error's
// headline says the webhook fired (never MAY HAVE FIRED), the logs show the delivery
// failed, and nothing is returned to store.
func TestFireDoesNotRecordAFailedDelivery(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.AddWebhook(emulator.Webhook{Name: "down", URL: "http://127.0.0.1:1/down", Enabled: true, Events: []string{"test"}})
	client, err := authing.New(authing.Config{Host: env.emu.URL(), AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
	got, diags := fire(t.Context(), client, authing.TriggerInput{WebhookID: id}, triggerOutcome)
	text := diagText(diags)
	if !diags.HasError() || got.response != "" || !strings.Contains(text, "Webhook fired, but its delivery failed") ||
		!strings.Contains(text, "delivery logs show it failed with no answer from the endpoint") || strings.Contains(text, "MAY HAVE") ||
		!regexp.MustCompile(`fired once(?s).*firing ID [0-9a-f]{32}`).MatchString(text) {
		t.Fatalf("a failed delivery: %+v\n%s", got, text)
	}
}

// Two lost creates never adopt the same webhook, nor one a resource holds, and a lost
// create waits for the other creates of the process before it lists.
func TestClaimsKeepOneWebhookToOneResource(t *testing.T) {
	var c claims
	c.add("held")
	hooks := func(ids ...string) []authing.Webhook {
		var out []authing.Webhook
		for _, id := range ids {
			out = append(out, authing.Webhook{WebhookID: id})
		}
		return out
	}
	if got := c.adoptSole(hooks("held", "new")); len(got) != 1 || got[0].WebhookID != "new" {
		t.Fatalf("adopted %v, want the one not held", got)
	}
	if got := c.adoptSole(hooks("held", "new")); len(got) != 0 {
		t.Fatalf("a second lost create adopted %v, which the first holds", got)
	}
	if got := c.adoptSole(hooks("a", "b")); len(got) != 2 {
		t.Fatalf("two candidates gave %v", got)
	}
	if got := c.adoptSole(hooks("a")); len(got) != 1 {
		t.Fatalf("a candidate of an ambiguous settle was claimed: %v", got)
	}
	if err := c.waitIdle(t.Context()); err != nil {
		t.Fatalf("no create in flight, yet: %v", err)
	}
	c.begin()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if err := c.waitIdle(ctx); err == nil {
		t.Fatal("waitIdle returned while a create was in flight")
	}
	done := make(chan error, 1)
	go func() { done <- c.waitIdle(t.Context()) }()
	c.end()
	if err := <-done; err != nil {
		t.Fatalf("waitIdle after the create returned: %v", err)
	}
}

// A firing leaves a quarter of what remains of its timeout, at most the settle window, to
// read the logs when its answer is lost.
func TestSettleReserve(t *testing.T) {
	for timeout, want := range map[time.Duration]time.Duration{8 * time.Second: 6 * time.Second, 200 * time.Second: 180 * time.Second} {
		ctx, cancel := context.WithTimeout(t.Context(), timeout)
		call, callCancel := withSettleReserve(ctx)
		deadline, ok := call.Deadline()
		if left := time.Until(deadline); !ok || left > want || left < want-time.Second {
			t.Errorf("timeout %s: the call has %s, want about %s", timeout, left, want)
		}
		callCancel()
		cancel()
	}
	call, cancel := withSettleReserve(t.Context())
	defer cancel()
	if _, ok := call.Deadline(); ok {
		t.Error("a context without a deadline got one")
	}
}
