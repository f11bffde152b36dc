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
