package provider

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The live acceptance tests: each reads only what a real Authing shows (the API's answers,
// delivery logs, the receiver's echo), creates only webhooks named by liveName, and
// deletes them. The provider takes the target from the environment, as users configure it.

// liveProvider is the provider block of every live test: everything from the environment.
const liveProvider = "provider \"authing\" {}\n"

// logDeadline is how long a test waits for a delivery to show in the logs.
const logDeadline = 60 * time.Second

// placeholderURL is the URL of webhooks that are never fired.
const placeholderURL = "https://example.com/tf-acc-authing"

// atServer checks the webhook id points at as the server reads it.
func atServer(api *liveAPI, id *string, check func(liveWebhook) error) statecheck.StateCheck {
	return fact(func() error {
		w, a, err := api.getWebhook(context.Background(), *id)
		if err != nil {
			return err
		}
		if !a.ok() || w.WebhookID != *id {
			return fmt.Errorf("get-webhook %s: %s", *id, a)
		}
		return check(w)
	})
}

// goneAtServer is a CheckDestroy that the webhook id points at no longer exists, in either
// style Authing may say so.
func goneAtServer(api *liveAPI, id *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		w, a, err := api.getWebhook(context.Background(), *id)
		switch {
		case err != nil:
			return err
		case a.StatusCode == http.StatusNotFound, a.ok() && w.WebhookID == "":
			return nil
		}
		return fmt.Errorf("webhook %s still exists after destroy: %s", *id, a)
	}
}

// Create, read by both data sources, update in place, import, destroy.
func TestAccLive_webhookLifecycle(t *testing.T) {
	target, api := requireLive(t)
	hookURL := target.receiver
	if hookURL == "" {
		hookURL = placeholderURL
	}
	name := liveName(t, "lifecycle")
	secret := "whsec-" + randomHex(t, 8)
	var id string
	cfg := func(name, extra string) string {
		return liveProvider + fmt.Sprintf(`
resource "authing_webhook" "deploy" {
  name   = %q
  url    = %q
  secret = %q
%s
}

data "authing_webhook" "one" {
  webhook_id = authing_webhook.deploy.webhook_id
}

data "authing_webhooks" "mine" {
  name = authing_webhook.deploy.name
}
`, name, hookURL, secret, extra)
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	first := cfg(name, `  events = ["user:created"]`)
	second := cfg(name+"-renamed", `  events  = ["user:created", "login"]
  enabled = false`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy:             goneAtServer(api, &id),
		Steps: []resource.TestStep{
			{
				Config: first,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("webhook_id"), captureString(&id)),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("content_type"), knownvalue.StringExact("application/json")),
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					sameID.AddStateValue(webhook, tfjsonpath.New("webhook_id")),
					sameID.AddStateValue("data.authing_webhook.one", tfjsonpath.New("webhook_id")),
					statecheck.ExpectKnownValue("data.authing_webhook.one", tfjsonpath.New("name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue("data.authing_webhook.one", tfjsonpath.New("url"), knownvalue.StringExact(hookURL)),
					statecheck.ExpectKnownValue("data.authing_webhooks.mine", tfjsonpath.New("ids"), knownvalue.ListSizeExact(1)),
					sameID.AddStateValue("data.authing_webhooks.mine", tfjsonpath.New("ids").AtSliceIndex(0)),
					atServer(api, &id, func(w liveWebhook) error {
						if w.Name != name || !w.Enabled || !slices.Equal(w.Events, []string{"user:created"}) {
							return fmt.Errorf("the server holds name %q enabled %v events %v", w.Name, w.Enabled, w.Events)
						}
						return nil
					}),
				},
			},
			{
				Config: second,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhook, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(webhook, tfjsonpath.New("webhook_id")),
					statecheck.ExpectKnownValue("data.authing_webhook.one", tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					atServer(api, &id, func(w liveWebhook) error {
						events := slices.Sorted(slices.Values(w.Events))
						if w.Name != name+"-renamed" || w.Enabled || !slices.Equal(events, []string{"login", "user:created"}) {
							return fmt.Errorf("the server holds name %q enabled %v events %v", w.Name, w.Enabled, events)
						}
						return nil
					}),
				},
			},
			{ResourceName: webhook, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"secret"}},
			{Config: second, PlanOnly: true},
		},
	})
}

// Import blocks by identity and by ID find the webhook (Terraform 1.12+).
func TestAccLive_identity(t *testing.T) {
	_, api := requireLive(t)
	var id string
	cfg := liveProvider + fmt.Sprintf(`
resource "authing_webhook" "deploy" {
  name   = %q
  url    = %q
  events = ["user:created"]
}
`, liveName(t, "identity"), placeholderURL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		CheckDestroy:             goneAtServer(api, &id),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("webhook_id"), captureString(&id)),
					statecheck.ExpectIdentityValueMatchesState(webhook, tfjsonpath.New("webhook_id")),
				},
			},
			{Config: cfg, ResourceName: webhook, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: cfg, ResourceName: webhook, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}

// terraform query finds the test's webhook among the pool's (Terraform 1.14+).
func TestAccLive_query(t *testing.T) {
	_, api := requireLive(t)
	name := liveName(t, "query")
	id := api.createWebhook(t, name, placeholderURL, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: liveProvider + fmt.Sprintf("data \"authing_webhooks\" \"mine\" {\n  name = %q\n}\n", name)},
			{
				Query:  true,
				Config: fmt.Sprintf("list \"authing_webhook\" \"found\" {\n  provider = authing\n  config {\n    name_regex = %q\n  }\n}\n", "^"+name+"$"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("authing_webhook.found", 1),
					querycheck.ExpectIdentity("authing_webhook.found", map[string]knownvalue.Check{"webhook_id": knownvalue.StringExact(id)}),
				},
			},
		},
	})
}
