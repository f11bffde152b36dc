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

// By name, the data source finds the one webhook with that exact name, and fails naming
// each webhook (ID and URL) when several share the name, or when none has it; exactly one
// of webhook_id and name is set.
func TestAccWebhookDataSource_byName(t *testing.T) {
	env := newTestEnv(t)
	solo := env.emu.AddWebhook(emulator.Webhook{Name: "solo", URL: env.emu.ReceiverURL("solo"), Enabled: true, Events: []string{"login"}})
	var dups []string
	for _, path := range []string{"dup-a", "dup-b"} {
		dups = append(dups, env.emu.AddWebhook(emulator.Webhook{Name: "dup-name", URL: env.emu.ReceiverURL(path), Enabled: true, Events: []string{"login"}}))
	}
	byName := func(name string) string {
		return env.config(fmt.Sprintf("data \"authing_webhook\" \"one\" {\n  name = %q\n}\n", name))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: byName("dup-name"),
				ExpectError: regexp.MustCompile(`(?s)Several webhooks have this name.*2 webhooks are named "dup-name"` +
					`.*` + dups[0] + ` \(url ` + regexp.QuoteMeta(env.emu.ReceiverURL("dup-a")) + `\)` +
					`.*` + dups[1] + ` \(url ` + regexp.QuoteMeta(env.emu.ReceiverURL("dup-b")) + `\)`),
			},
			{
				Config:      byName("Solo"),
				ExpectError: regexp.MustCompile(`(?s)No webhook with this name.*None of the 3 webhooks of the user pool is named "Solo"`),
			},
			{
				Config:      env.config(fmt.Sprintf("data \"authing_webhook\" \"one\" {\n  name       = \"solo\"\n  webhook_id = %q\n}\n", solo)),
				ExpectError: regexp.MustCompile(`(?s)(Invalid Attribute Combination|Missing Attribute Configuration).*webhook_id.*name`),
			},
			{
				Config:      env.config("data \"authing_webhook\" \"one\" {}\n"),
				ExpectError: regexp.MustCompile(`(?s)(Invalid Attribute Combination|Missing Attribute Configuration).*webhook_id.*name`),
			},
			// Last, so that the test's final destroy has a valid configuration.
			{
				Config: byName("solo"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.authing_webhook.one", tfjsonpath.New("webhook_id"), knownvalue.StringExact(solo)),
					statecheck.ExpectKnownValue("data.authing_webhook.one", tfjsonpath.New("id"), knownvalue.StringExact(solo)),
					statecheck.ExpectKnownValue("data.authing_webhook.one", tfjsonpath.New("url"), knownvalue.StringExact(env.emu.ReceiverURL("solo"))),
				},
			},
		},
	})
}
