package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// More than two pages: every webhook, in the API's order, with all its fields.
func TestAccWebhooksDataSource_pagination(t *testing.T) {
	env := newTestEnv(t)
	ids := env.emu.SeedWebhooks("hook", 123)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: env.config(`data "authing_webhooks" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(123)),
				statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("ids").AtSliceIndex(0), knownvalue.StringExact(ids[0])),
				statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("ids").AtSliceIndex(122), knownvalue.StringExact(ids[122])),
				statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("webhooks").AtSliceIndex(122), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"webhook_id":   knownvalue.StringExact(ids[122]),
					"name":         knownvalue.StringExact("hook-123"),
					"url":          knownvalue.StringExact(env.emu.ReceiverURL("hook-123")),
					"content_type": knownvalue.StringExact("application/json"),
					"enabled":      knownvalue.Bool(true),
					"events":       knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("user:created")}),
					"created_at":   knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`)),
					"updated_at":   knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`)),
				})),
			},
		}},
	})
}

func TestAccWebhooksDataSource_filters(t *testing.T) {
	env := newTestEnv(t)
	deploy := env.emu.AddWebhook(emulator.Webhook{Name: "deploy", URL: env.emu.ReceiverURL("d"), Enabled: true, Events: []string{"user:created", "login"}})
	deployOld := env.emu.AddWebhook(emulator.Webhook{Name: "deploy-old", URL: env.emu.ReceiverURL("o"), Enabled: false, Events: []string{"login"}})
	audit := env.emu.AddWebhook(emulator.Webhook{Name: "audit", URL: env.emu.ReceiverURL("a"), Enabled: true, Events: []string{"user:deleted"}, Secret: "whsec-must-not-show"})
	idsOf := func(name string, want ...string) statecheck.StateCheck {
		checks := []knownvalue.Check{}
		for _, w := range want {
			checks = append(checks, knownvalue.StringExact(w))
		}
		return statecheck.ExpectKnownValue("data.authing_webhooks."+name, tfjsonpath.New("ids"), knownvalue.ListExact(checks))
	}
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "authing_webhooks" "all" {}
data "authing_webhooks" "by_name" {
  name = "deploy"
}
data "authing_webhooks" "by_regex" {
  name_regex = "^deploy"
}
data "authing_webhooks" "disabled" {
  enabled = false
}
data "authing_webhooks" "by_event" {
  event = "login"
}
data "authing_webhooks" "combined" {
  name_regex = "^deploy"
  enabled    = true
  event      = "login"
}
data "authing_webhooks" "none" {
  name = "no-such-webhook"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsOf("all", deploy, deployOld, audit),
					idsOf("by_name", deploy),
					idsOf("by_regex", deploy, deployOld),
					idsOf("disabled", deployOld),
					idsOf("by_event", deploy, deployOld),
					idsOf("combined", deploy),
					idsOf("none"),
					statecheck.ExpectKnownValue("data.authing_webhooks.none", tfjsonpath.New("webhooks"), knownvalue.ListExact([]knownvalue.Check{})),
					sameID.AddStateValue("data.authing_webhooks.by_name", tfjsonpath.New("id")),
				},
			},
			{
				// The same filters give the same ID.
				Config: env.config(`
data "authing_webhooks" "by_name" {
  name = "deploy"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue("data.authing_webhooks.by_name", tfjsonpath.New("id")),
				},
			},
		},
	})
}

func TestAccWebhooksDataSource_invalidRegex(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: env.config(`
data "authing_webhooks" "bad" {
  name_regex = "deploy("
}
`),
			ExpectError: regexp.MustCompile(`(?s)Invalid regular expression.*missing closing \)`),
		}},
	})
	if n := len(env.emu.Stats().Requests); n != 0 {
		t.Fatalf("an invalid filter reached the API: %v", env.emu.Stats().Requests)
	}
}

func TestAccWebhooksDataSource_listFailure(t *testing.T) {
	env := newTestEnv(t)
	env.emu.InjectFault("list-webhooks", emulator.Fault{Kind: emulator.FaultBusinessError, StatusCode: 403, APICode: 2030, Message: "no permission"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config:      env.config(`data "authing_webhooks" "all" {}`),
			ExpectError: regexp.MustCompile(`(?s)Could not list webhooks.*statusCode:\s+403.*apiCode:\s+2030.*requestId:`),
		}},
	})
}

// A server that serves 10 webhooks a page whatever limit asks: every webhook is listed,
// in the API's order.
func TestAccWebhooks_everyWebhookListedWhenPagesAreSmall(t *testing.T) {
	for _, w := range []int{0, 1, 9, 10, 11, 123} {
		t.Run(fmt.Sprintf("%d webhooks", w), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{PageSize: 10})
			ids := env.emu.SeedWebhooks("w", w)
			want := make([]knownvalue.Check, len(ids))
			for i, id := range ids {
				want[i] = knownvalue.StringExact(id)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: env.config(`data "authing_webhooks" "all" {}`),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("ids"), knownvalue.ListExact(want)),
						statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("webhooks"), knownvalue.ListSizeExact(w)),
					},
				}},
			})
		})
	}
}

// An event filter is checked as authing_webhook checks its events, so that a misspelt
// name fails with a suggestion instead of matching nothing: its shape when the
// configuration is validated, and the server's list of events before anything is listed.
func TestAccWebhooksDataSource_eventFilterIsChecked(t *testing.T) {
	env := newTestEnv(t)
	env.emu.AddWebhook(emulator.Webhook{Name: "deploy", URL: env.emu.ReceiverURL("d"), Enabled: true, Events: []string{"user:created"}})
	filter := func(event string) string {
		return env.config(fmt.Sprintf("data \"authing_webhooks\" \"by_event\" {\n  event = %q\n}\n", event))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:      filter("user.created"),
				ExpectError: regexp.MustCompile(`(?s)Invalid webhook event.*"user\.created" is not a webhook event.*[dD]id you mean "user:created"`),
			},
			{
				Config:      filter("user:creatd"),
				ExpectError: regexp.MustCompile(`(?s)Unknown webhook event.*"user:creatd" is not a webhook event; did you mean "user:created"\?.*Checked against the server's list of events`),
			},
		},
	})
	if n := env.emu.Stats().Requests["list-webhooks"]; n != 0 {
		t.Fatalf("%d list-webhooks requests: a misspelt filter was listed", n)
	}
}
