package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

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
