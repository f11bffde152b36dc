package provider

import (
	"fmt"
	"maps"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func TestAccWebhook_writeOnlySecret(t *testing.T) {
	env := newTestEnv(t)
	var id string
	secretAtEmulator := func(want string) statecheck.StateCheck {
		return env.expectAtEmulator(&id, func(w emulator.Webhook) error {
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

// The apply that brings in secret_wo sends it, whether it replaces secret or comes to a
// webhook without one, and with secret_wo_version left null; later applies send it only
// when the version changes. Only removing secret with no secret_wo clears the secret.
func TestWriteOnlySecretIsSentByTheApplyThatBringsItIn(t *testing.T) {
	const typ = "authing_webhook"
	t.Run("secret replaced by secret_wo", func(t *testing.T) {
		w := newWebhookEnv(t)
		state, private, diags := w.applyWebhook(nil, nil, w.config(map[string]tftypes.Value{"secret": str("whsec-one")}))
		requireNoErrors(t, diags)
		if got := w.secretAt(state); got != "whsec-one" {
			t.Fatalf("after create: secret %q", got)
		}
		wo := w.config(map[string]tftypes.Value{"secret_wo": str("wo-one")})
		state, private, diags = w.applyWebhook(state, private, wo)
		requireNoErrors(t, diags)
		if got := w.secretAt(state); got != "wo-one" {
			t.Fatalf("after the switch to secret_wo: secret %q, want wo-one", got)
		}
		// Once sent, a new write-only value needs a new version.
		state, private, diags = w.applyWebhook(state, private, w.config(map[string]tftypes.Value{"secret_wo": str("wo-two")}))
		requireNoErrors(t, diags)
		if got := w.secretAt(state); got != "wo-one" {
			t.Fatalf("a new secret_wo without a new version was sent: %q", got)
		}
		state, _, diags = w.applyWebhook(state, private, w.config(map[string]tftypes.Value{"secret_wo": str("wo-two"), "secret_wo_version": tftypes.NewValue(tftypes.Number, 2)}))
		requireNoErrors(t, diags)
		if got := w.secretAt(state); got != "wo-two" {
			t.Fatalf("after a new version: secret %q, want wo-two", got)
		}
	})
	t.Run("secret_wo added to a webhook without a secret", func(t *testing.T) {
		w := newWebhookEnv(t)
		state, private, diags := w.applyWebhook(nil, nil, w.config(nil))
		requireNoErrors(t, diags)
		state, private, diags = w.applyWebhook(state, private, w.config(map[string]tftypes.Value{"secret_wo": str("wo-one")}))
		requireNoErrors(t, diags)
		if got := w.secretAt(state); got != "wo-one" {
			t.Fatalf("secret %q, want wo-one", got)
		}
		planned := w.planWebhook(state, private, w.config(map[string]tftypes.Value{"secret_wo": str("wo-one")}))
		requireNoErrors(t, planned.Diagnostics)
		if before, after := w.object(state, w.schema.ResourceSchemas[typ], false), w.object(planned.PlannedState, w.schema.ResourceSchemas[typ], false); !maps.EqualFunc(before, after, tftypes.Value.Equal) {
			t.Fatalf("an unchanged configuration plans a change:\n%v\n%v", before, after)
		}
	})
	t.Run("secret removed", func(t *testing.T) {
		w := newWebhookEnv(t)
		state, private, diags := w.applyWebhook(nil, nil, w.config(map[string]tftypes.Value{"secret": str("whsec-one")}))
		requireNoErrors(t, diags)
		state, _, diags = w.applyWebhook(state, private, w.config(nil))
		requireNoErrors(t, diags)
		if got := w.secretAt(state); got != "" {
			t.Fatalf("removing secret left %q", got)
		}
	})
}

// The switch from secret to secret_wo through Terraform: the webhook ends up with the
// write-only secret, and the next plan is empty.
func TestAccWebhook_switchToWriteOnlySecret(t *testing.T) {
	env := newTestEnv(t)
	var id string
	secretAtEmulator := func(want string) fact {
		return env.expectAtEmulator(&id, func(w emulator.Webhook) error {
			if w.Secret != want {
				return fmt.Errorf("the emulator holds secret %q, want %q", w.Secret, want)
			}
			return nil
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: env.webhookConfig("deploy", `["user:created"]`, `  secret = "whsec-one"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("id"), captureString(&id)),
					secretAtEmulator("whsec-one"),
				},
			},
			{
				Config: env.webhookConfig("deploy", `["user:created"]`, `  secret_wo = "wo-one"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("secret"), knownvalue.Null()),
					secretAtEmulator("wo-one"),
				},
			},
			{
				Config:           env.webhookConfig("deploy", `["user:created"]`, `  secret_wo = "wo-one"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
