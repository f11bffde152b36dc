package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	goversion "github.com/hashicorp/go-version"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// providerEnv configures the provider through the environment, as users are told to.
func (e *testEnv) providerEnv() []string {
	return []string{"AUTHING_HOST=" + e.emu.URL(), "AUTHING_ACCESS_KEY_ID=" + testKeyID, "AUTHING_ACCESS_KEY_SECRET=" + testSecret}
}

// stateResources counts the instances of a resource type in a state file.
func stateResources(t *testing.T, state, typ string) int {
	t.Helper()
	var s struct {
		Resources []struct {
			Type      string `json:"type"`
			Instances []any  `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(state), &s); err != nil {
		t.Fatalf("state: %v", err)
	}
	n := 0
	for _, r := range s.Resources {
		if r.Type == typ {
			n += len(r.Instances)
		}
	}
	return n
}

// With TF_LOG=TRACE, no secret appears in the log, the CLI's output or the state.
func TestAccCLI_noSecretsAnywhere(t *testing.T) {
	for _, via := range []string{"environment", "provider block"} {
		t.Run(via, func(t *testing.T) { testNoSecretsAnywhere(t, via == "provider block") })
	}
}

// testNoSecretsAnywhere gives the secret through the environment, or through a sensitive
// variable in the provider block.
func testNoSecretsAnywhere(t *testing.T, inBlock bool) {
	env := newTestEnv(t)
	const signingSecret = "whsec-9f8e7d6c5b4a-signing"
	id := env.emu.AddWebhook(emulator.Webhook{Name: "signed", URL: env.emu.ReceiverURL("signed"), Enabled: true, Events: []string{"user:created"}, Secret: signingSecret})
	logPath := filepath.Join(t.TempDir(), "trace.log")
	provider, credentials := `provider "authing" {}`, env.providerEnv()
	if inBlock {
		provider = fmt.Sprintf(`variable "secret" {
  type      = string
  sensitive = true
}

provider "authing" {
  host              = %q
  access_key_id     = %q
  access_key_secret = var.secret
}`, env.emu.URL(), testKeyID)
		credentials = []string{"TF_VAR_secret=" + testSecret}
	}
	w := newWorkspace(t, provider+fmt.Sprintf(`

data "authing_webhooks" "all" {}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = %q
}

output "webhooks" {
  value = data.authing_webhooks.all.webhooks
}
`, id), append(credentials, "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)...)

	var outputs []string
	for _, args := range [][]string{
		{"apply", "-auto-approve", "-input=false"},
		{"plan", "-input=false"},
		{"output", "-json"},
		{"show", "-json"},
	} {
		out, err := w.run(args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
		outputs = append(outputs, out)
	}
	// A failing call too: wrong credentials and a refused trigger.
	env.emu.InjectFault("trigger-webhook", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, Message: "refused"})
	w.env = append(w.env, "AUTHING_ACCESS_KEY_SECRET=wrong-"+testSecret, "TF_VAR_secret=wrong-"+testSecret)
	out, err := w.run("apply", "-auto-approve", "-input=false", "-replace=authing_webhook_trigger.smoke")
	if err == nil || !strings.Contains(out, "401") {
		t.Fatalf("want a credentials error, got %v:\n%s", err, out)
	}
	outputs = append(outputs, out)

	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	if !strings.Contains(log, "Authing API request") || !strings.Contains(log, "trigger-webhook") {
		t.Fatal("the trace log holds no provider request lines, so it proves nothing")
	}
	texts := map[string]string{"trace log": log, "state": w.state()}
	for i, o := range outputs {
		texts[fmt.Sprintf("CLI output %d", i)] = o
	}
	secrets := append([]string{testSecret, signingSecret}, env.emu.IssuedTokens()...)
	if len(secrets) < 3 {
		t.Fatal("no token was issued, so the token check proves nothing")
	}
	for where, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("a secret (%.6s...) appears in the %s", s, where)
			}
		}
	}
}

// 200 trigger resources with -parallelism=20: one token, 200 deliveries, 200 states.
func TestAccCLI_parallelApplyOfManyTriggers(t *testing.T) {
	env := newTestEnv(t)
	ids := env.emu.SeedWebhooks("hook", 200)
	list := `"` + strings.Join(ids, `", "`) + `"`
	w := newWorkspace(t, fmt.Sprintf(`
provider "authing" {}

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
	w := newWorkspace(t, fmt.Sprintf(`
provider "authing" {}

resource "authing_webhook_trigger" "smoke" {
  for_each   = toset([%q, %q, %q, %q])
  webhook_id = each.key
}
`, ids[0], ids[1], ids[2], ids[3]), env.providerEnv()...)
	cmd, wait := w.start("apply", "-auto-approve", "-input=false", "-parallelism=4")
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st := env.emu.Stats()
		if st.Requests["trigger-webhook"] == 4 && st.Deliveries == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the apply never reached its four firings: %+v", st)
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
	w := newWorkspace(t, `
provider "authing" {}

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

// skipBelowTerraform skips a CLI test on Terraform older than minimum, and on OpenTofu.
func (w *workspace) skipBelowTerraform(minimum string) {
	w.t.Helper()
	if !w.terraformAtLeast(minimum) {
		w.t.Skipf("needs Terraform %s or later; %s is older, or OpenTofu", minimum, w.cli)
	}
}

// terraformAtLeast reports whether the CLI under test is Terraform minimum or later
// (OpenTofu is not).
func (w *workspace) terraformAtLeast(minimum string) bool {
	w.t.Helper()
	out, err := exec.Command(w.cli, "version", "-json").Output()
	if err != nil {
		w.t.Fatalf("%s version -json: %v", w.cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		w.t.Fatalf("%s version -json: %v", w.cli, err)
	}
	have, err := goversion.NewVersion(v.Version)
	if err != nil {
		w.t.Fatal(err)
	}
	return !strings.Contains(filepath.Base(w.cli), "tofu") && !have.LessThan(goversion.Must(goversion.NewVersion(minimum)))
}

// terraform apply -invoke fires the action once per invocation (Terraform 1.14+).
func TestAccCLI_actionInvoke(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	w := newWorkspace(t, fmt.Sprintf(`
provider "authing" {}

action "authing_webhook_trigger" "on_demand" {
  config {
    webhook_id = %q
    expect     = { received = "true" }
  }
}
`, id), env.providerEnv()...)
	w.skipBelowTerraform(actionsMinimum.String())
	for i := 1; i <= 2; i++ {
		out, err := w.run("apply", "-auto-approve", "-input=false", "-invoke=action.authing_webhook_trigger.on_demand")
		if err != nil {
			t.Fatalf("invocation %d: %v\n%s", i, err, out)
		}
		if got := env.emu.Stats().Deliveries; got != i {
			t.Fatalf("after %d invocations: %d deliveries", i, got)
		}
	}
}

// terraform validate needs no credentials, whatever the configuration holds.
func TestAccCLI_validateWithoutCredentials(t *testing.T) {
	w := newWorkspace(t, `
provider "authing" {}

data "authing_webhooks" "all" {}

resource "authing_webhook" "deploy" {
  name   = "deploy"
  url    = "https://hooks.example.com/authing"
  events = ["user:created"]
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = authing_webhook.deploy.webhook_id
  request_body = jsonencode({ eventName = "test" })
}
`)
	out, err := w.run("validate", "-no-color")
	if err != nil || !strings.Contains(out, "The configuration is valid") {
		t.Fatalf("validate without credentials: %v\n%s", err, out)
	}
}

// terraform apply -invoke fires each combination of request_headers and request_body, each
// unset, plain, sensitive or ephemeral, once with what it configured, except where Terraform
// drops ephemeral values: -invoke invokes the action with the plan's copy of its
// configuration, where they are null (Terraform 1.16.4). A header without its value is
// refused and nothing fires; an ephemeral body arrives as no body, indistinguishable from
// unset, so Authing sends its own test event. This test fails when Terraform starts
// passing ephemeral values to -invoke, so that the documentation can say so.
func TestAccCLI_actionInvokeEveryInputCombination(t *testing.T) {
	env := newTestEnv(t)
	combos := newActionCombos(env.emu)
	w := newWorkspace(t, "provider \"authing\" {}\n"+actionCombosConfig(combos), env.providerEnv()...)
	w.skipBelowTerraform(actionsMinimum.String())
	arrives := func(c actionCombo) (actionCombo, bool) {
		if c.body == inputEphemeral {
			c.body = inputUnset
		}
		return c, c.headers != inputEphemeral
	}
	deliveries := 0
	for _, c := range combos {
		out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.authing_webhook_trigger."+c.name)
		if strings.Contains(out, comboEphemeral) || strings.Contains(out, comboSensitive) {
			t.Errorf("%s: a sensitive or ephemeral value is in the CLI's output", c.name)
		}
		if _, fired := arrives(c); fired {
			deliveries++
			if err != nil {
				t.Errorf("%s: %v\n%s", c.name, err, out)
			}
		} else if err == nil || !strings.Contains(out, `Request header "x-combo" has no value, so the webhook was not fired`) {
			t.Errorf("%s: want the error for a header without a value, got %v\n%s", c.name, err, out)
		}
		if got := env.emu.Stats().Deliveries; got != deliveries {
			t.Errorf("after invoking %s: %d deliveries, want %d", c.name, got, deliveries)
		}
	}
	if err := checkComboDeliveries(env.emu, combos, arrives); err != nil {
		t.Error(err)
	}
}
