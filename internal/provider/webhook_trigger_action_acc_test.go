package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// On Terraform 1.14 and later, an action_trigger fires the action once per event.
func TestAccWebhookTriggerAction_actionTrigger(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("smoke", 1)[0]
	cfg := func(release string) string {
		return env.config(fmt.Sprintf(`
action "authing_webhook_trigger" "smoke" {
  config {
    webhook_id   = %q
    request_body = jsonencode({ eventName = "test", data = { release = %q } })
  }
}

resource "terraform_data" "deploy" {
  input = %q

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.authing_webhook_trigger.smoke]
    }
  }
}
`, id, release, release))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(actionsMinimum)},
		Steps: []resource.TestStep{
			{Config: cfg("v1"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)}},
			{Config: cfg("v2"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)}},
			{Config: cfg("v2"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)}},
		},
	})
}

// An ephemeral value (here an ephemeral variable) can reach the webhook through the
// action's write-only request_headers, and is stored nowhere.
func TestAccWebhookTriggerAction_ephemeralHeader(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("smoke", 1)[0]
	const token = "ephemeral-token-5f1c9e"
	cfg := env.config(fmt.Sprintf(`
variable "token" {
  type      = string
  ephemeral = true
  default   = %q
}

action "authing_webhook_trigger" "smoke" {
  config {
    webhook_id      = %q
    request_headers = { authorization = "Bearer ${var.token}" }
    request_body    = jsonencode({ eventName = "test", data = { from = "action" } })
  }
}

resource "terraform_data" "deploy" {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.smoke]
    }
  }
}
`, token, id))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(actionsMinimum)},
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectDeliveries(1),
				fact(func() error {
					got := env.emu.Received()
					if len(got) != 1 || got[0].Headers.Get("Authorization") != "Bearer "+token {
						return fmt.Errorf("the delivery did not carry the ephemeral header")
					}
					return nil
				}),
				expectNotInState("terraform_data.deploy", token),
			},
		}},
	})
}

// actionInput is how one of the action's optional inputs is given.
type actionInput int

const (
	inputUnset actionInput = iota
	inputPlain
	inputSensitive
	inputEphemeral
)

var actionInputs = []actionInput{inputUnset, inputPlain, inputSensitive, inputEphemeral}

func (i actionInput) String() string {
	return [...]string{"unset", "plain", "sensitive", "ephemeral"}[i]
}

// The values of the combinations' sensitive and ephemeral variables, which must reach the
// webhook and neither the state nor the CLI's output.
const (
	comboSensitive = "sensitive-combo-value-7e2a90"
	comboEphemeral = "ephemeral-combo-value-4b8d1f"
)

// actionCombo is one combination of the action's optional inputs, fired at a webhook of
// its own so that each delivery can be told apart.
type actionCombo struct {
	name          string
	headers, body actionInput
	webhookID     string
}

// newActionCombos adds a webhook for each of the sixteen combinations of request_headers
// and request_body, each unset, plain, sensitive or ephemeral.
func newActionCombos(emu *emulator.Server) []actionCombo {
	var combos []actionCombo
	for _, h := range actionInputs {
		for _, b := range actionInputs {
			name := fmt.Sprintf("headers_%s_body_%s", h, b)
			id := emu.AddWebhook(emulator.Webhook{Name: name, URL: emu.ReceiverURL(name), Enabled: true, Events: []string{"user:created"}})
			combos = append(combos, actionCombo{name: name, headers: h, body: b, webhookID: id})
		}
	}
	return combos
}

// actionCombosConfig declares the variables and one action per combination.
func actionCombosConfig(combos []actionCombo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nvariable \"sensitive\" {\n  type      = string\n  sensitive = true\n  default   = %q\n}\n", comboSensitive)
	fmt.Fprintf(&b, "\nvariable \"ephemeral\" {\n  type      = string\n  ephemeral = true\n  default   = %q\n}\n", comboEphemeral)
	for _, c := range combos {
		fmt.Fprintf(&b, "\naction \"authing_webhook_trigger\" %q {\n  config {\n    webhook_id = %q\n", c.name, c.webhookID)
		if c.headers != inputUnset {
			fmt.Fprintf(&b, "    request_headers = { x-combo = %s }\n", c.expr(c.headers))
		}
		if c.body != inputUnset {
			fmt.Fprintf(&b, "    request_body = jsonencode({ eventName = \"test\", data = { combo = %s } })\n", c.expr(c.body))
		}
		b.WriteString("  }\n}\n")
	}
	return b.String()
}

// expr is the HCL expression of an input given as i.
func (c actionCombo) expr(i actionInput) string {
	switch i {
	case inputSensitive:
		return "var.sensitive"
	case inputEphemeral:
		return "var.ephemeral"
	}
	return fmt.Sprintf("%q", c.name)
}

// want is the header and body value the webhook must receive for an input, "" when unset.
func (c actionCombo) want(i actionInput) string {
	switch i {
	case inputUnset:
		return ""
	case inputSensitive:
		return comboSensitive
	case inputEphemeral:
		return comboEphemeral
	}
	return c.name
}

// checkComboDeliveries checks that each combination was delivered as arrives says: not at
// all when fired is false, else exactly once with the inputs it returns.
func checkComboDeliveries(emu *emulator.Server, combos []actionCombo, arrives func(actionCombo) (c actionCombo, fired bool)) error {
	byPath := map[string][]emulator.ReceivedRequest{}
	for _, r := range emu.Received() {
		byPath[r.Path] = append(byPath[r.Path], r)
	}
	var problems []string
	for _, configured := range combos {
		got := byPath["/_emulator/receiver/"+configured.name]
		c, fired := arrives(configured)
		if want := map[bool]int{false: 0, true: 1}[fired]; len(got) != want {
			problems = append(problems, fmt.Sprintf("%s: %d deliveries, want %d", c.name, len(got), want))
			continue
		}
		if !fired {
			continue
		}
		if h := got[0].Headers.Get("X-Combo"); h != c.want(c.headers) {
			problems = append(problems, fmt.Sprintf("%s: header x-combo %q, want %q", c.name, h, c.want(c.headers)))
		}
		var body struct {
			Data map[string]any `json:"data"`
		}
		if err := json.Unmarshal([]byte(got[0].Body), &body); err != nil {
			problems = append(problems, fmt.Sprintf("%s: body %q: %v", c.name, got[0].Body, err))
			continue
		}
		if combo, _ := body.Data["combo"].(string); combo != c.want(c.body) || (c.body == inputUnset) != (body.Data["description"] != nil) {
			problems = append(problems, fmt.Sprintf("%s: body %s, want data.combo %q (Authing's own test event when unset)", c.name, got[0].Body, c.want(c.body)))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// Every combination of request_headers and request_body, each unset, plain, sensitive or
// ephemeral, fires once from an action_trigger with what it configured, and leaves no
// trace in state.
func TestAccWebhookTriggerAction_everyInputCombinationFromActionTrigger(t *testing.T) {
	env := newTestEnv(t)
	combos := newActionCombos(env.emu)
	cfg := actionCombosConfig(combos)
	for _, c := range combos {
		cfg += fmt.Sprintf(`
resource "terraform_data" %[1]q {
  input = "v1"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.authing_webhook_trigger.%[1]s]
    }
  }
}
`, c.name)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(actionsMinimum)},
		Steps: []resource.TestStep{{
			Config: env.config(cfg),
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectDeliveries(len(combos)),
				fact(func() error {
					return checkComboDeliveries(env.emu, combos, func(c actionCombo) (actionCombo, bool) { return c, true })
				}),
				expectNotInState("terraform_data."+combos[0].name, comboEphemeral),
				expectNotInState("terraform_data."+combos[0].name, comboSensitive),
			},
		}},
	})
}

// terraform116 is the first Terraform with before_destroy and after_destroy events,
// on_failure, caller, -invoke with -target, and lifecycle { destroy = false }.
var terraform116 = goversion.Must(goversion.NewVersion("1.16.0"))

// stageBody is a request body that deliveries() reads back as "stage/release".
func stageBody(stage, release string) string {
	return fmt.Sprintf("jsonencode({ eventName = \"test\", data = { stage = %q, release = %s } })", stage, release)
}

// before_destroy and after_destroy fire once each, with their own body, around the
// resource's own teardown firing; an apply that changes nothing fires none of them.
func TestAccWebhookTriggerAction_destroyEvents(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("release", 1)[0]
	cfg := env.config(fmt.Sprintf(`
action "authing_webhook_trigger" "before" {
  config {
    webhook_id   = %[1]q
    request_body = %[2]s
  }
}

action "authing_webhook_trigger" "after" {
  config {
    webhook_id   = %[1]q
    request_body = %[3]s
  }
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = %[1]q
  request_body = %[4]s
  on_destroy = {
    request_body = %[5]s
  }

  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.authing_webhook_trigger.before]
    }
    action_trigger {
      events  = [after_destroy]
      actions = [action.authing_webhook_trigger.after]
    }
  }
}
`, id, stageBody("before_destroy", `"r1"`), stageBody("after_destroy", `"r1"`), stageBody("deploy", `"r1"`), stageBody("teardown", `"r1"`)))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(terraform116)},
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{expectDeliveryOrder(env, "deploy/r1")}},
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{expectDeliveryOrder(env, "deploy/r1")}},
		},
		CheckDestroy: func(*terraform.State) error {
			return deliveriesAre(env, "deploy/r1", "before_destroy/r1", "teardown/r1", "after_destroy/r1")
		},
	})
}
