package provider

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// 200 trigger resources with -parallelism=20: one token, 200 deliveries, 200 states.
func TestAccCLI_parallelApplyOfManyTriggers(t *testing.T) {
	env := newTestEnv(t)
	ids := env.emu.SeedWebhooks("hook", 200)
	list := `"` + strings.Join(ids, `", "`) + `"`
	w := newWorkspace(t, providerBlock(nil)+fmt.Sprintf(`
locals {
  ids = [%s]
}

resource "authing_webhook_trigger" "smoke" {
  count      = length(local.ids)
  webhook_id = local.ids[count.index]
  triggers   = { index = count.index }
}
`, list), env.providerEnv()...)
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-parallelism=20"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	st := env.emu.Stats()
	if st.TokensIssued != 1 || st.Deliveries != 200 || len(st.DeliveriesByWebhook) != 200 {
		t.Fatalf("tokens %d, deliveries %d to %d webhooks; want 1, 200, 200", st.TokensIssued, st.Deliveries, len(st.DeliveriesByWebhook))
	}
	if n := stateResources(t, w.state(), "authing_webhook_trigger"); n != 200 {
		t.Fatalf("%d resources in state, want 200", n)
	}
	// A plan of the unchanged configuration starts a provider but calls nothing.
	before := env.emu.Stats()
	if out, err := w.run("plan", "-input=false", "-detailed-exitcode"); err != nil {
		t.Fatalf("the plan is not empty or failed: %v\n%s", err, out)
	}
	if after := env.emu.Stats(); fmt.Sprint(after.Requests) != fmt.Sprint(before.Requests) {
		t.Fatalf("a plan of an unchanged configuration called the API: %v -> %v", before.Requests, after.Requests)
	}
}

// Ctrl-C during an apply stops waiting promptly, fires nothing more, and leaves state
// that matches the deliveries made.
func TestAccCLI_interruptedApply(t *testing.T) {
	env := newTestEnv(t)
	ids := env.emu.SeedWebhooks("hook", 4)
	// Two firings hang before Authing processes them; the other two complete.
	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultSlow, Delay: 2 * time.Minute, Times: 2})
	w := newWorkspace(t, providerBlock(nil)+fmt.Sprintf(`
resource "authing_webhook_trigger" "smoke" {
  for_each   = toset([%q, %q, %q, %q])
  webhook_id = each.key
}
`, ids[0], ids[1], ids[2], ids[3]), env.providerEnv()...)
	cmd, printed, wait := w.start("apply", "-auto-approve", "-input=false", "-parallelism=4")
	// The interrupt comes once the CLI has recorded the two firings that completed: a
	// delivery the emulator counts may not have reached the CLI yet, on a busy machine.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st := env.emu.Stats()
		if st.Requests["trigger-webhook"] == 4 && st.Deliveries == 2 && strings.Count(printed(), "Creation complete") == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the apply never reached its four firings: %+v\n%s", st, printed())
		}
		time.Sleep(20 * time.Millisecond)
	}
	interrupted := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	out, err := wait()
	took := time.Since(interrupted)
	if err == nil {
		t.Fatalf("the interrupted apply succeeded:\n%s", out)
	}
	if took > 30*time.Second {
		t.Fatalf("the apply took %v to stop after the interrupt", took)
	}
	if !strings.Contains(out, "MAY HAVE FIRED") {
		t.Fatalf("the error does not say the interrupted firings may have fired:\n%s", out)
	}
	st := env.emu.Stats()
	if st.Deliveries != 2 || st.Requests["trigger-webhook"] != 4 {
		t.Fatalf("after the interrupt: %d deliveries, %d trigger requests; want 2 and 4", st.Deliveries, st.Requests["trigger-webhook"])
	}
	if n := stateResources(t, w.state(), "authing_webhook_trigger"); n != st.Deliveries {
		t.Fatalf("%d firings in state but %d deliveries", n, st.Deliveries)
	}
}

// The token expires between plan and apply, and again in the middle of an apply of many
// resources: every firing still happens exactly once.
func TestAccCLI_tokenExpiresBetweenPlanAndApplyAndMidApply(t *testing.T) {
	env := newTestEnv(t)
	env.emu.SeedWebhooks("hook", 50)
	w := newWorkspace(t, providerBlock(nil)+`
data "authing_webhooks" "all" {}

resource "authing_webhook_trigger" "smoke" {
  count      = 50
  webhook_id = data.authing_webhooks.all.ids[count.index]
}
`, env.providerEnv()...)
	if out, err := w.run("plan", "-input=false", "-out=tfplan"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	env.emu.ExpireTokens()
	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultExpireToken, Skip: 25, Times: 1})
	if out, err := w.run("apply", "-input=false", "-parallelism=10", "tfplan"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	st := env.emu.Stats()
	if st.Deliveries != 50 || len(st.DeliveriesByWebhook) != 50 {
		t.Fatalf("%d deliveries to %d webhooks, want 50 and 50", st.Deliveries, len(st.DeliveriesByWebhook))
	}
	// One token for the plan, one for the apply, one after the mid-apply expiry.
	if st.TokensIssued != 3 {
		t.Fatalf("%d tokens issued, want 3", st.TokensIssued)
	}
	if n := stateResources(t, w.state(), "authing_webhook_trigger"); n != 50 {
		t.Fatalf("%d firings in state, want 50", n)
	}
}
