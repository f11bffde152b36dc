package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

const webhook = "authing_webhook.deploy"

// captureString is a state check value that remembers what it saw.
func captureString(dst *string) knownvalue.Check {
	return knownvalue.StringFunc(func(v string) error { *dst = v; return nil })
}

func (e *testEnv) webhookConfig(name, events, extra string) string {
	return e.config(fmt.Sprintf(`
resource "authing_webhook" "deploy" {
  name   = %q
  url    = %q
  events = %s
%s
}
`, name, e.emu.ReceiverURL("deploy"), events, extra))
}

func TestAccWebhook_createUpdateImport(t *testing.T) {
	env := newTestEnv(t)
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: env.webhookConfig("deploy", `["user:created"]`, `  secret = "whsec-one"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("webhook_id"), captureString(&id)),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("content_type"), knownvalue.StringExact("application/json")),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("user:created")})),
					sameID.AddStateValue(webhook, tfjsonpath.New("id")),
				},
			},
			{
				Config: env.webhookConfig("deploy-renamed", `["user:created", "login"]`, `  secret  = "whsec-two"
  enabled = false
  content_type = "application/x-www-form-urlencoded"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionUpdate),
					plancheck.ExpectUnknownValue(webhook, tfjsonpath.New("updated_at")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(webhook, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("name"), knownvalue.StringExact("deploy-renamed")),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectSensitiveValue(webhook, tfjsonpath.New("secret")),
					expectAtEmulator(env, &id, func(w emulator.Webhook) error {
						events := slices.Sorted(slices.Values(w.Events))
						if w.Name != "deploy-renamed" || w.Enabled || w.Secret != "whsec-two" || w.ContentType != "application/x-www-form-urlencoded" ||
							!slices.Equal(events, []string{"login", "user:created"}) {
							return fmt.Errorf("emulator holds name %q enabled %v secret %q content type %q events %v", w.Name, w.Enabled, w.Secret, w.ContentType, events)
						}
						return nil
					}),
				},
			},
			{
				ResourceName:            webhook,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"secret"},
			},
			{
				Config: env.webhookConfig("deploy-renamed", `["user:created", "login"]`, `  secret  = "whsec-two"
  enabled = false
  content_type = "application/x-www-form-urlencoded"`),
				PlanOnly: true,
			},
		},
	})
}

// expectAtEmulator checks the webhook as the emulator holds it.
func expectAtEmulator(env *testEnv, id *string, check func(emulator.Webhook) error) statecheck.StateCheck {
	return stateFunc(func() error {
		w, ok := env.emu.Webhook(*id)
		if !ok {
			return fmt.Errorf("webhook %s does not exist at the emulator", *id)
		}
		return check(w)
	})
}

func TestAccWebhook_eventNames(t *testing.T) {
	env := newTestEnv(t)
	tests := []struct {
		name, events, want string
	}{
		{"dot instead of colon", `["user.created"]`, `(?s)Invalid webhook event.*never dots.*did you mean\s+"user:created"`},
		{"typo, server list", `["user:creatd"]`, `(?s)Unknown webhook event.*"user:creatd" is not a webhook event; did you mean\s+"user:created".*server's\s+list`},
		{"unknown name", `["user:levitated"]`, `(?s)"user:levitated" is not a webhook event`},
		{"no events", `[]`, `(?s)at least 1`},
		{"upper case", `["LOGIN"]`, `(?s)did you mean "login"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps:                    []resource.TestStep{{Config: env.webhookConfig("deploy", tt.events, ""), ExpectError: regexp.MustCompile(tt.want)}},
			})
		})
	}
	t.Cleanup(func() {
		if n := len(env.emu.Webhooks()); n != 0 {
			t.Errorf("%d webhooks created from bad configurations", n)
		}
	})
}

// Without credentials the documented list still catches a typo at plan time.
func TestAccWebhook_eventNamesOffline(t *testing.T) {
	clearAuthingEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: `
provider "authing" {}

resource "authing_webhook" "deploy" {
  name   = "deploy"
  url    = "https://hooks.example.com/authing"
  events = ["user:creatd"]
}
`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)did you mean\s+"user:created".*documented list`),
		}},
	})
}

func TestAccWebhook_writeOnlySecret(t *testing.T) {
	env := newTestEnv(t)
	var id string
	secretAtEmulator := func(want string) statecheck.StateCheck {
		return expectAtEmulator(env, &id, func(w emulator.Webhook) error {
			if w.Secret != want {
				return fmt.Errorf("the emulator holds secret %q, want %q", w.Secret, want)
			}
			return nil
		})
	}
	cfg := func(secret string, version int) string {
		return env.webhookConfig("deploy", `["user:created"]`, fmt.Sprintf("  secret_wo = %q\n  secret_wo_version = %d", secret, version))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: cfg("wo-one", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("id"), captureString(&id)),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("secret_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("secret"), knownvalue.Null()),
					secretAtEmulator("wo-one"),
				},
			},
			{
				// A new value without a new version is not sent: nothing to compare it with.
				Config:            cfg("wo-two", 1),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{secretAtEmulator("wo-one")},
			},
			{
				Config: cfg("wo-two", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{secretAtEmulator("wo-two")},
			},
		},
	})
}

// One configuration creates a webhook pointed at the emulator's receiver, fires it, checks
// the answer, and fires again whenever the webhook changes.
func TestAccWebhook_createFireAndCheck(t *testing.T) {
	env := newTestEnv(t)
	cfg := func(name string) string {
		return env.config(fmt.Sprintf(`
resource "authing_webhook" "deploy" {
  name   = %q
  url    = %q
  events = ["user:created"]
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id   = authing_webhook.deploy.webhook_id
  request_body = jsonencode({ eventName = "test", data = { description = "smoke" } })
  triggers     = { webhook = authing_webhook.deploy.updated_at }

  lifecycle {
    postcondition {
      condition     = jsondecode(self.response).received == true && jsondecode(self.response).body.data.description == "smoke"
      error_message = "unexpected answer: ${self.response}"
    }
  }
}
`, name, env.emu.ReceiverURL("smoke")))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{Config: cfg("deploy"), ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)}},
			{
				Config: cfg("deploy-v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)},
			},
			{
				Config: cfg("deploy-v2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(trigger, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(2)},
			},
		},
	})
}
