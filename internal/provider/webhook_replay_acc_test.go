package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// replayWorkspace is a workspace with one authing_webhook_replay action "r" for the env's
// webhook and window, with extra lines in its config block.
func (r *replayEnv) workspace(env *testEnv, extra string) *workspace {
	r.t.Helper()
	w := newWorkspace(r.t, providerBlock(nil)+fmt.Sprintf(`
action "authing_webhook_replay" "r" {
  config {
    webhook_id = %q
    since      = %q
%s  }
}
`, r.webhookID, r.start.UTC().Format(time.RFC3339), extra), env.providerEnv()...)
	w.skipBelowTerraform(actionsMinimum.String())
	return w
}

func newReplayAccEnv(t *testing.T, opts ...emulator.Options) (*replayEnv, *testEnv) {
	t.Helper()
	r := newReplayEnv(t, opts...)
	return r, &testEnv{emu: r.emu}
}

func (w *workspace) invokeReplay() (string, error) {
	w.t.Helper()
	return w.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.authing_webhook_replay.r")
}

// Five real events fail while the receiver is down. Once it is back, one invocation
// replays exactly those five, in order, with their original bodies; a second replays
// nothing and says all five were already replayed.
func TestAccReplay_whatFailedWhileTheReceiverWasDown(t *testing.T) {
	r, env := newReplayAccEnv(t)
	w := r.workspace(env, "")
	r.emit("user:created", 1)
	r.down()
	failed := append(r.emit("user:created", 3), r.emit("user:updated", 2)...)
	r.up()
	r.emit("user:created", 1)

	out, err := w.invokeReplay()
	if err != nil || !strings.Contains(out, "Replayed 5, already replayed 0, failed 0") {
		t.Fatalf("first invocation: %v\n%s", err, out)
	}
	got := replaysReceived(r.emu)
	if fmt.Sprint(numbers(got)) != fmt.Sprint(failed) {
		t.Fatalf("the receiver got replays of events %v, want %v\n%s", numbers(got), failed, out)
	}
	bodies := originalBodies(t, r.emu, r.webhookID)
	for _, g := range got {
		if canonical(t, g.body) != bodies[g.n] {
			t.Errorf("event %d replayed with body %s, logged %s", g.n, g.body, bodies[g.n])
		}
	}
	if !regexp.MustCompile(`5 of 5: user:updated of \S+: delivered, 200`).MatchString(out) {
		t.Fatalf("no progress line for the fifth replay:\n%s", out)
	}

	out, err = w.invokeReplay()
	if err != nil || !strings.Contains(out, "Replayed 0, already replayed 5, failed 0") {
		t.Fatalf("second invocation: %v\n%s", err, out)
	}
	if n := len(replaysReceived(r.emu)); n != len(failed) {
		t.Fatalf("the second invocation sent %d replays", n-len(failed))
	}
}

// A replay whose answer is lost (a 502 after Authing delivered it) is settled from the
// logs and not sent again, by this invocation or the next.
func TestAccReplay_lostAnswerIsSettledFromTheLogs(t *testing.T) {
	r, env := newReplayAccEnv(t)
	w := r.workspace(env, "")
	r.down()
	failed := r.emit("user:created", 2)
	r.up()
	r.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultHTTPStatus, Status: 502, AfterProcessing: true, Times: 1})
	out, err := w.invokeReplay()
	if err != nil || !strings.Contains(out, "Authing's answer was lost on the way back") || !strings.Contains(out, "Replayed 2, already replayed 0, failed 0") {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := numbers(replaysReceived(r.emu)); fmt.Sprint(got) != fmt.Sprint(failed) {
		t.Fatalf("replays %v, want %v", got, failed)
	}
	if n := r.emu.Stats().Requests["trigger-webhook"]; n != 2 {
		t.Fatalf("%d trigger requests, want 2", n)
	}
	if out, err := w.invokeReplay(); err != nil || !strings.Contains(out, "already replayed 2") {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := len(replaysReceived(r.emu)); n != 2 {
		t.Fatalf("%d replays received, want 2", n)
	}
}

// max smaller than the window fails naming the count, and dry_run lists without sending.
func TestAccReplay_maxAndDryRunSendNothing(t *testing.T) {
	r, env := newReplayAccEnv(t)
	r.down()
	r.emit("user:created", 5)
	r.up()
	out, err := r.workspace(env, "    max = 3\n").invokeReplay()
	if err == nil || !regexp.MustCompile(`(?s)Too many deliveries to replay.*has 5 failed deliveries.*more than max \(3\)`).MatchString(out) {
		t.Fatalf("want the count named: %v\n%s", err, out)
	}
	out, err = r.workspace(env, "    dry_run = true\n").invokeReplay()
	if err != nil || strings.Count(out, "would be replayed with Idempotency-Key replay-") != 5 || !strings.Contains(out, "Dry run: 5 would be replayed") {
		t.Fatalf("%v\n%s", err, out)
	}
	if n := r.emu.Stats().Requests["trigger-webhook"]; n != 0 || len(replaysReceived(r.emu)) != 0 {
		t.Fatalf("%d trigger requests: max and dry_run must send nothing", n)
	}
}

// Under the chaos faults (a quarter of all requests fail, half of them after the work),
// invocations fail or succeed, but no original is ever delivered twice; once the faults
// stop, one more invocation completes the replay, and each original was delivered once.
func TestAccReplay_exactlyOnceUnderChaos(t *testing.T) {
	seed := chaosSeed(t)
	t.Logf("chaos seed %d (replay with AUTHING_CHAOS_SEED=%d)", seed, seed)
	r, env := newReplayAccEnv(t, emulator.Options{FaultSeed: seed, RateLimit: -1})
	w := r.workspace(env, "    max = 50\n")
	r.down()
	failed := r.emit("user:created", 10)
	r.up()
	// Whatever the seed, at least one replay's answer is lost after its delivery.
	r.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultDisconnect, AfterProcessing: true, Skip: 2, Times: 1})
	for _, f := range chaosFaults() {
		r.emu.InjectFault(emulator.AllRoutes, f)
	}
	check := func(when string) {
		t.Helper()
		seen := map[int]int{}
		keys := map[string]int{}
		for _, g := range replaysReceived(r.emu) {
			seen[g.n]++
			keys[g.key]++
		}
		for n, c := range seen {
			if c > 1 {
				t.Fatalf("seed %d, %s: event %d was replayed %d times", seed, when, n, c)
			}
		}
		if len(keys) != len(seen) {
			t.Fatalf("seed %d, %s: %d keys for %d events", seed, when, len(keys), len(seen))
		}
	}
	for i := range 3 {
		out, err := w.invokeReplay()
		t.Logf("invocation %d under faults: %v\n%s", i+1, err, matchingLines(out, "Replayed ", ": may have been", ": failed", ": not sent"))
		check(fmt.Sprintf("after invocation %d under faults", i+1))
	}
	r.emu.ClearFaults()
	out, err := w.invokeReplay()
	if err != nil {
		t.Fatalf("seed %d: the invocation after the faults stopped failed: %v\n%s", seed, err, out)
	}
	check("at the end")
	if got := numbers(replaysReceived(r.emu)); len(got) != len(failed) {
		t.Fatalf("seed %d: replays of %v, want each of %v once", seed, got, failed)
	}
}

// matchingLines are the lines of s that hold one of subs.
func matchingLines(s string, subs ...string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for _, sub := range subs {
			if strings.Contains(line, sub) {
				out = append(out, line)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
