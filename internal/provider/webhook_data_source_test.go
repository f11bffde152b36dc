package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func TestAccWebhookDataSource(t *testing.T) {
	env := newTestEnv(t)
	id := env.emu.AddWebhook(emulator.Webhook{
		Name: "audit", URL: env.emu.ReceiverURL("audit"), ContentType: "application/x-www-form-urlencoded",
		Enabled: false, Events: []string{"user:deleted", "login"}, Secret: "whsec-hidden",
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: env.config(fmt.Sprintf(`
data "authing_webhook" "audit" {
  webhook_id = %q
}
`, id)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.authing_webhook.audit", tfjsonpath.New("name"), knownvalue.StringExact("audit")),
					statecheck.ExpectKnownValue("data.authing_webhook.audit", tfjsonpath.New("url"), knownvalue.StringExact(env.emu.ReceiverURL("audit"))),
					statecheck.ExpectKnownValue("data.authing_webhook.audit", tfjsonpath.New("content_type"), knownvalue.StringExact("application/x-www-form-urlencoded")),
					statecheck.ExpectKnownValue("data.authing_webhook.audit", tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.authing_webhook.audit", tfjsonpath.New("events"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("user:deleted"), knownvalue.StringExact("login"),
					})),
				},
			},
			{
				Config: env.config(`
data "authing_webhook" "missing" {
  webhook_id = "000000000000000000000000"
}
`),
				ExpectError: regexp.MustCompile(`(?s)Could not read webhook.*statusCode:\s+404`),
			},
		},
	})
}

func TestAccWebhookEventsDataSource(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: env.config(`data "authing_webhook_events" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.authing_webhook_events.all", tfjsonpath.New("names"), knownvalue.ListSizeExact(76)),
				statecheck.ExpectKnownValue("data.authing_webhook_events.all", tfjsonpath.New("names"), knownvalue.ListPartial(map[int]knownvalue.Check{
					0: knownvalue.StringExact("test"), 5: knownvalue.StringExact("user:created"), 75: knownvalue.StringExact("refresh-token"),
				})),
				statecheck.ExpectKnownValue("data.authing_webhook_events.all", tfjsonpath.New("events").AtSliceIndex(5), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"name": knownvalue.StringExact("创建用户"), "name_en": knownvalue.StringExact("User created"),
					"value": knownvalue.StringExact("user:created"), "category": knownvalue.StringExact("user"),
				})),
				statecheck.ExpectKnownValue("data.authing_webhook_events.all", tfjsonpath.New("categories").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"value": knownvalue.StringExact("user"), "name": knownvalue.StringExact("用户"), "name_en": knownvalue.StringExact("User"),
				})),
			},
		}},
	})
}
