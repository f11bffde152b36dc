package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// onFailureConfig is a resource whose after_create action fails (its webhook does not
// exist), with the given on_failure line, and a second resource that needs the first.
func onFailureConfig(onFailure string) string {
	return fmt.Sprintf(`
provider "authing" {}

action "authing_webhook_trigger" "missing" {
  config {
    webhook_id = "000000000000000000000000"
  }
}

resource "terraform_data" "deploy" {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.missing]
      %s
    }
  }
}

resource "terraform_data" "next" {
  input = terraform_data.deploy.output
}
`, onFailure)
}

// on_failure = continue turns the action's error into a warning and the apply goes on;
// halt, the default, fails the apply with the provider's error and goes no further.
func TestAccCLI_actionOnFailure(t *testing.T) {
	for _, tt := range []struct {
		name, line string
		fails      bool
	}{
		{"continue", "on_failure = continue", false},
		{"halt", "on_failure = halt", true},
		{"default", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			w := newWorkspace(t, onFailureConfig(tt.line), env.providerEnv()...)
			w.skipBelowTerraform(terraform116.String())
			out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color")
			severity := map[bool]string{false: "Warning", true: "Error"}[tt.fails]
			if (err != nil) != tt.fails || !regexp.MustCompile(`(?s)`+severity+`: Could not trigger webhook.*Webhook 000000000000000000000000 does not exist at Authing`).MatchString(out) {
				t.Fatalf("want the provider's error as a %s and the apply failing %v; got %v:\n%s", severity, tt.fails, err, out)
			}
			if got, want := stateResources(t, w.state(), "terraform_data"), map[bool]int{false: 2, true: 1}[tt.fails]; got != want {
				t.Fatalf("%d terraform_data in state, want %d:\n%s", got, want, out)
			}
			// The webhook's secret is read before the firing (to mask the answer), which
			// tells that the webhook does not exist: nothing is sent.
			if st := env.emu.Stats(); st.Requests["get-webhook"] != 1 || st.Requests["trigger-webhook"] != 0 || st.Deliveries != 0 {
				t.Fatalf("get-webhook requests %d, trigger requests %d, deliveries %d; want 1, 0 and 0", st.Requests["get-webhook"], st.Requests["trigger-webhook"], st.Deliveries)
			}
		})
	}
}

// An action's configuration can use caller, the calling resource's attributes; with
// -invoke, -target names the calling resource whose attributes it gets.
func TestAccCLI_actionCallerAndInvokeWithTarget(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("release", 1)[0]
	w := newWorkspace(t, fmt.Sprintf(`
provider "authing" {}

action "authing_webhook_trigger" "deploy" {
  config {
    webhook_id   = %q
    request_body = %s
  }
}

resource "terraform_data" "alpha" {
  input = "alpha"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.deploy]
    }
  }
}

resource "terraform_data" "beta" {
  input = "beta"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.deploy]
    }
  }
}
`, id, stageBody("deploy", "caller.input")), env.providerEnv()...)
	w.skipBelowTerraform(terraform116.String())
	if out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := deliveries(env)
	slices.Sort(got)
	if want := []string{"deploy/alpha", "deploy/beta"}; !slices.Equal(got, want) {
		t.Fatalf("deliveries %v, want %v", got, want)
	}
	for _, target := range []string{"beta", "alpha"} {
		out, err := w.run("apply", "-auto-approve", "-input=false", "-no-color",
			"-invoke=action.authing_webhook_trigger.deploy", "-target=terraform_data."+target)
		if err != nil {
			t.Fatalf("-target=terraform_data.%s: %v\n%s", target, err, out)
		}
		if all := deliveries(env); all[len(all)-1] != "deploy/"+target {
			t.Fatalf("-target=terraform_data.%s: deliveries %v", target, all)
		}
	}
	if n := env.emu.Stats().Deliveries; n != 4 {
		t.Fatalf("%d deliveries, want 4: each -invoke fires once, for its target only", n)
	}
}

// terraform apply -invoke fires the action once per invocation (Terraform 1.14+).
func TestAccCLI_actionInvoke(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	w := newWorkspace(t, providerBlock(nil)+fmt.Sprintf(`
action "authing_webhook_trigger" "on_demand" {
  config {
    webhook_id = %q
    expect = {
      equals = { "/received" = "true" }
    }
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
