package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

const replayActionType = "authing_webhook_replay"

// replayed is what the receiver received of replays, in order: the number each event
// carried, and the Idempotency-Key.
type receivedReplay struct {
	n     int
	event string
	key   string
	body  string
}

func replaysReceived(emu *emulator.Server) []receivedReplay {
	var out []receivedReplay
	for _, req := range emu.Received() {
		key := req.Headers.Get(authing.FiringIDHeader)
		if !strings.HasPrefix(key, authing.ReplayKeyPrefix) {
			continue
		}
		var body struct {
			EventName string `json:"eventName"`
			Data      struct {
				N int `json:"n"`
			} `json:"data"`
		}
		_ = json.Unmarshal([]byte(req.Body), &body)
		out = append(out, receivedReplay{n: body.Data.N, event: body.EventName, key: key, body: req.Body})
	}
	return out
}

func numbers(rs []receivedReplay) []int {
	out := make([]int, len(rs))
	for i, r := range rs {
		out[i] = r.n
	}
	return out
}

// originalBodies are the request bodies logged for the webhook's failed deliveries without
// a key, in canonical JSON, by the number they carry.
func originalBodies(t *testing.T, emu *emulator.Server, webhookID string) map[int]string {
	t.Helper()
	c, err := authing.New(authing.Config{Host: emu.URL(), AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	logs, err := c.GetWebhookLogs(t.Context(), webhookID, authing.MaxWebhookLogs)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]string{}
	for _, l := range logs {
		if l.Success || l.RequestHeaders["idempotency-key"] != "" {
			continue
		}
		var body struct {
			Data struct {
				N int `json:"n"`
			} `json:"data"`
		}
		_ = json.Unmarshal(l.RequestBody, &body)
		canon, _ := authing.CanonicalJSON(l.RequestBody)
		out[body.Data.N] = string(canon)
	}
	return out
}

func canonical(t *testing.T, s string) string {
	t.Helper()
	c, err := authing.CanonicalJSON([]byte(s))
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return string(c)
}

var replayLine = regexp.MustCompile(`^(\d+) of (\d+): (\S+) of (\S+): (.*)$`)

// lines returns the per-delivery progress lines' outcomes, in order.
func outcomes(progress []string) []string {
	var out []string
	for _, p := range progress {
		if m := replayLine.FindStringSubmatch(p); m != nil {
			out = append(out, m[5])
		}
	}
	return out
}

// Five real events fail while the receiver is down; once it is back, one invocation
// replays exactly those five, oldest first, with their logged bodies and a key each, and a
// second invocation replays nothing and says all five were already replayed.
func TestReplayAction_replaysEachFailedEventOnce(t *testing.T) {
	r := newReplayEnv(t)
	r.emit("user:created", 1) // delivered: not replayed
	r.down()
	failed := append(r.emit("user:created", 3), r.emit("user:updated", 2)...)
	r.up()
	r.emit("user:updated", 1) // delivered after the deploy: not replayed

	progress, diags := r.invoke(r.attrs(nil))
	requireNoErrors(t, diags)
	got := replaysReceived(r.emu)
	if fmt.Sprint(numbers(got)) != fmt.Sprint(failed) {
		t.Fatalf("replays received for events %v, want %v\n%s", numbers(got), failed, strings.Join(progress, "\n"))
	}
	bodies := originalBodies(t, r.emu, r.webhookID)
	keys := map[string]bool{}
	for _, g := range got {
		if canonical(t, g.body) != bodies[g.n] {
			t.Errorf("event %d replayed with body %s, logged %s", g.n, g.body, bodies[g.n])
		}
		keys[g.key] = true
	}
	if len(keys) != len(failed) {
		t.Fatalf("%d distinct keys for %d replays", len(keys), len(failed))
	}
	if o := outcomes(progress); len(o) != 5 || strings.Count(strings.Join(o, "\n"), "delivered, 200") != 5 {
		t.Fatalf("progress outcomes %q", progress)
	}
	if !strings.HasPrefix(progress[2], "1 of 5: user:created of ") || progress[len(progress)-1] != "Replayed 5, already replayed 0, failed 0" {
		t.Fatalf("progress %q", progress)
	}

	progress, diags = r.invoke(r.attrs(nil))
	requireNoErrors(t, diags)
	if n := len(replaysReceived(r.emu)); n != 5 {
		t.Fatalf("the second invocation sent %d more replays", n-5)
	}
	if progress[len(progress)-1] != "Replayed 0, already replayed 5, failed 0" ||
		strings.Count(strings.Join(outcomes(progress), "\n"), "already replayed") != 5 {
		t.Fatalf("second invocation's progress %q", progress)
	}
}

// The console's test deliveries, firings of authing_webhook_trigger (their own key) and
// failed replays are not replayed as originals; a failed replay's original is.
func TestReplayAction_skipsTestsFiringsAndReplays(t *testing.T) {
	r := newReplayEnv(t)
	c, err := authing.New(authing.Config{Host: r.emu.URL(), AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	r.down()
	failed := r.emit("user:created", 2)
	for _, h := range []map[string]string{nil, {authing.FiringIDHeader: "0123456789abcdef0123456789abcdef"}} {
		// Authing answers an endpoint that failed in one of several ways; only the log matters.
		_, _ = c.TriggerWebhook(t.Context(), authing.TriggerInput{WebhookID: r.webhookID, RequestHeaders: h, RequestBody: json.RawMessage(`{"eventName":"user:created","data":{"n":99}}`)})
	}
	_, _ = c.TriggerWebhook(t.Context(), authing.TriggerInput{WebhookID: r.webhookID})

	// The replays fail too: the receiver is still down.
	progress, diags := r.invoke(r.attrs(nil))
	if got := errorText(diags); !strings.Contains(got, "Some deliveries were not replayed") || !strings.Contains(got, "3 were not") {
		t.Fatalf("got %q\n%s", got, strings.Join(progress, "\n"))
	}
	// 3 originals: the two events and the trigger without a key that carried a real event's
	// name (Authing's logs cannot tell it from a real event). The test delivery and the
	// firing are skipped.
	if !strings.Contains(progress[1], "1 test deliveries") || !strings.Contains(progress[1], "1 firings with their own Idempotency-Key") {
		t.Fatalf("progress %q", progress)
	}
	r.up()
	progress, diags = r.invoke(r.attrs(nil))
	requireNoErrors(t, diags)
	if !strings.Contains(progress[1], "failed replays") {
		t.Fatalf("progress %q", progress)
	}
	var ns []int
	for _, g := range replaysReceived(r.emu) {
		ns = append(ns, g.n)
	}
	// Each original twice at the receiver: once failed (down), once delivered.
	if want := fmt.Sprint(append(append(failed, 99), append(failed, 99)...)); fmt.Sprint(ns) != want {
		t.Fatalf("replays received %v, want %v", ns, want)
	}
}

// A replay whose answer is lost after Authing delivered it is settled from the logs and
// not sent again, now or by the next invocation.
func TestReplayAction_settlesALostAnswer(t *testing.T) {
	r := newReplayEnv(t)
	r.down()
	failed := r.emit("user:created", 3)
	r.up()
	r.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Skip: 1, Times: 1})
	progress, diags := r.invoke(r.attrs(nil))
	requireNoErrors(t, diags)
	if got := numbers(replaysReceived(r.emu)); fmt.Sprint(got) != fmt.Sprint(failed) {
		t.Fatalf("replays %v, want %v\n%s", got, failed, strings.Join(progress, "\n"))
	}
	if st := r.emu.Stats(); st.Requests["trigger-webhook"] != 3 {
		t.Fatalf("%d trigger requests, want 3: the lost answer must not be sent again", st.Requests["trigger-webhook"])
	}
	_, diags = r.invoke(r.attrs(nil))
	requireNoErrors(t, diags)
	if n := len(replaysReceived(r.emu)); n != 3 {
		t.Fatalf("%d replays after the second invocation, want 3", n)
	}
}

func TestReplayAction_maxAndDryRun(t *testing.T) {
	r := newReplayEnv(t)
	r.down()
	r.emit("user:created", 5)
	r.up()
	_, diags := r.invoke(r.attrs(map[string]tftypes.Value{"max": tftypes.NewValue(tftypes.Number, 4)}))
	if got := errorText(diags); !strings.Contains(got, "has 5 failed deliveries of real events to replay") || !strings.Contains(got, "more than max (4)") {
		t.Fatalf("got %q", got)
	}
	progress, diags := r.invoke(r.attrs(map[string]tftypes.Value{"dry_run": tftypes.NewValue(tftypes.Bool, true)}))
	requireNoErrors(t, diags)
	if o := outcomes(progress); len(o) != 5 || !strings.HasPrefix(o[0], "would be replayed with Idempotency-Key replay-") {
		t.Fatalf("progress %q", progress)
	}
	if st := r.emu.Stats(); st.Requests["trigger-webhook"] != 0 || len(replaysReceived(r.emu)) != 0 {
		t.Fatalf("trigger requests %d: max and dry_run must send nothing", st.Requests["trigger-webhook"])
	}
	// event_names narrows the window under max.
	progress, diags = r.invoke(r.attrs(map[string]tftypes.Value{
		"max": tftypes.NewValue(tftypes.Number, 5), "event_names": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("user:updated")}),
	}))
	requireNoErrors(t, diags)
	if progress[len(progress)-1] != "Replayed 0, already replayed 0, failed 0" {
		t.Fatalf("progress %q", progress)
	}
}

func TestReplayAction_validate(t *testing.T) {
	r := newReplayEnv(t)
	set := func(names ...string) tftypes.Value {
		var vs []tftypes.Value
		for _, n := range names {
			vs = append(vs, str(n))
		}
		return tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, vs)
	}
	for name, tt := range map[string]struct {
		attrs map[string]tftypes.Value
		want  string
	}{
		"valid":          {attrs: map[string]tftypes.Value{"since": str("2026-12-04T10:00:00+08:00"), "until": str("2026-12-04T11:00:00+08:00")}},
		"not RFC 3339":   {attrs: map[string]tftypes.Value{"since": str("2026-12-04 10:00")}, want: "not an RFC 3339 time"},
		"until first":    {attrs: map[string]tftypes.Value{"since": str("2026-12-04T10:00:00Z"), "until": str("2026-12-04T09:00:00Z")}, want: "is before since"},
		"max zero":       {attrs: map[string]tftypes.Value{"since": str("2026-12-04T10:00:00Z"), "max": tftypes.NewValue(tftypes.Number, 0)}, want: "between 1 and 200"},
		"max too large":  {attrs: map[string]tftypes.Value{"since": str("2026-12-04T10:00:00Z"), "max": tftypes.NewValue(tftypes.Number, 201)}, want: "between 1 and 200"},
		"dotted event":   {attrs: map[string]tftypes.Value{"since": str("2026-12-04T10:00:00Z"), "event_names": set("user.created")}, want: `you mean "user:created"`},
		"unknown since":  {attrs: map[string]tftypes.Value{"since": unknownString}},
		"empty webhook":  {attrs: map[string]tftypes.Value{"since": str("2026-12-04T10:00:00Z"), "webhook_id": str("")}, want: "must not be empty"},
		"no event names": {attrs: map[string]tftypes.Value{"since": str("2026-12-04T10:00:00Z"), "event_names": set()}, want: "at least 1"},
	} {
		t.Run(name, func(t *testing.T) {
			attrs := map[string]tftypes.Value{"webhook_id": str(r.webhookID)}
			for k, v := range tt.attrs {
				attrs[k] = v
			}
			cfg := dynamicValue(t, r.schema.ActionSchemas[replayActionType].Schema, attrs)
			v, err := r.server.ValidateActionConfig(t.Context(), &tfprotov6.ValidateActionConfigRequest{ActionType: replayActionType, Config: cfg})
			if err != nil {
				t.Fatal(err)
			}
			if got := errorText(v.Diagnostics); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	if st := r.emu.Stats(); st.Requests["trigger-webhook"] != 0 || st.Requests["get-webhook-logs"] != 0 {
		t.Fatalf("validation called the API: %v", st.Requests)
	}
}

// An event name that is well formed but not Authing's is refused at plan, against the
// server's list, before anything is read or sent.
func TestReplayAction_planChecksEventNames(t *testing.T) {
	r := newReplayEnv(t)
	cfg := dynamicValue(t, r.schema.ActionSchemas[replayActionType].Schema, r.attrs(map[string]tftypes.Value{
		"event_names": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("user:create")}),
	}))
	resp, err := r.server.PlanAction(t.Context(), &tfprotov6.PlanActionRequest{ActionType: replayActionType, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if got := errorText(resp.Diagnostics); !strings.Contains(got, `"user:create" is not a webhook event; did you mean "user:created"?`) {
		t.Fatalf("got %q", got)
	}
	if st := r.emu.Stats(); st.Requests["trigger-webhook"] != 0 || st.Requests["get-webhook-logs"] != 0 {
		t.Fatalf("planning read logs or fired: %v", st.Requests)
	}
}

// A replay is begun only with time left to send it and read its outcome: the rest are
// reported as not replayed, and the invocation fails saying so.
func TestReplayAction_beginsNoReplayItCannotFinish(t *testing.T) {
	r := newReplayEnv(t)
	r.down()
	r.emit("user:created", 3)
	r.up()
	r.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultSlow, Delay: 2 * time.Second, AfterProcessing: true})
	timeouts := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"invoke": tftypes.String}}, map[string]tftypes.Value{"invoke": str("6s")})
	progress, diags := r.invoke(r.attrs(map[string]tftypes.Value{"timeouts": timeouts}))
	if got := errorText(diags); !strings.Contains(got, "2 of 3: user:created") || !strings.Contains(got, "too little of timeouts.invoke was left") {
		t.Fatalf("got %q\n%s", got, strings.Join(progress, "\n"))
	}
	if n := len(replaysReceived(r.emu)); n != 1 {
		t.Fatalf("%d replays sent, want 1", n)
	}
}

// A replay that Authing refuses (a 4xx business error) surely was not sent: it is reported
// without a search of the logs, and the next invocation replays it.
func TestReplayAction_refusedReplayIsReplayedNextTime(t *testing.T) {
	r := newReplayEnv(t)
	r.down()
	failed := r.emit("user:created", 2)
	r.up()
	r.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 400, Message: "bad request", Times: 1})
	progress, diags := r.invoke(r.attrs(nil))
	if got := errorText(diags); !strings.Contains(got, "1 of 2: user:created") || !strings.Contains(got, ": not sent: ") {
		t.Fatalf("got %q\n%s", got, strings.Join(progress, "\n"))
	}
	if st := r.emu.Stats(); st.Requests["get-webhook-logs"] != 2 {
		// The refused replay is not searched for.
		t.Fatalf("%d log reads, want 2: the window, and one search for the replay that was sent", st.Requests["get-webhook-logs"])
	}
	_, diags = r.invoke(r.attrs(nil))
	requireNoErrors(t, diags)
	if got := numbers(replaysReceived(r.emu)); fmt.Sprint(got) != fmt.Sprint([]int{failed[1], failed[0]}) {
		t.Fatalf("replays %v, want the second, then the first on the next invocation", got)
	}
}

func TestReplayAction_unknownWebhookIsAnError(t *testing.T) {
	r := newReplayEnv(t)
	attrs := r.attrs(nil)
	attrs["webhook_id"] = str("000000000000000000000000")
	_, diags := r.invoke(attrs)
	if got := errorText(diags); !strings.Contains(got, "Webhook 000000000000000000000000 does not exist at Authing, so nothing was replayed") {
		t.Fatalf("got %q", got)
	}
}

// Whatever order the server lists its logs in, neighbours swapped included, the window is
// replayed oldest first, each delivery once, and a second invocation finds every replay.
func TestReplayAction_anyLogOrder(t *testing.T) {
	for name, opts := range map[string]emulator.Options{
		"oldest first":                     {LogsOldestFirst: true, PageSize: 10},
		"newest first, neighbours swapped": {LogsSwapNeighbours: true, PageSize: 10},
		"oldest first, neighbours swapped": {LogsOldestFirst: true, LogsSwapNeighbours: true, PageSize: 10},
	} {
		t.Run(name, func(t *testing.T) {
			r := newReplayEnv(t, opts)
			r.emit("user:created", 7)
			r.down()
			failed := r.emit("user:created", 13)
			r.up()
			r.emit("user:created", 6)
			_, diags := r.invoke(r.attrs(map[string]tftypes.Value{"max": tftypes.NewValue(tftypes.Number, 13)}))
			requireNoErrors(t, diags)
			if got := numbers(replaysReceived(r.emu)); fmt.Sprint(got) != fmt.Sprint(failed) {
				t.Fatalf("replays %v, want %v", got, failed)
			}
			progress, diags := r.invoke(r.attrs(map[string]tftypes.Value{"max": tftypes.NewValue(tftypes.Number, 13)}))
			requireNoErrors(t, diags)
			if progress[len(progress)-1] != "Replayed 0, already replayed 13, failed 0" {
				t.Fatalf("progress %q", progress)
			}
		})
	}
}

// Authing's word that the endpoint failed (statusCode 601) is a failed replay even when the
// logs cannot be read to confirm it: a known outcome, reported as such, not as unknown.
func TestReplayAction_endpointFailureUnconfirmedByTheLogsIsAFailure(t *testing.T) {
	r := newReplayEnv(t)
	r.down()
	r.emit("user:created", 1)
	// The window is read (one page); every later read of the logs is refused.
	r.emu.InjectFault("get-webhook-logs", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 403, Skip: 1})
	timeouts := tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"invoke": tftypes.String}}, map[string]tftypes.Value{"invoke": str("7s")})
	progress, diags := r.invoke(r.attrs(map[string]tftypes.Value{"timeouts": timeouts}))
	if got := errorText(diags); !regexp.MustCompile(`1 of 1: user:created of \S+: failed: trigger webhook \S+ failed \(HTTP status 200, statusCode 601`).MatchString(got) {
		t.Fatalf("got %q\n%s", got, strings.Join(progress, "\n"))
	}
}

func TestCountAgreesWithItsNumber(t *testing.T) {
	for n, want := range map[int]string{0: "0 pages", 1: "1 page", 2: "2 pages", 12: "12 pages"} {
		if got := count(n, "page", "pages"); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}
