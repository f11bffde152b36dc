package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// A server that answers delete-webhook with data.success false deleted nothing: destroy
// fails naming the webhook and Authing's answer, and the webhook stays in state. Once
// the server deletes again, the same configuration plans nothing, and destroy works.
func TestAccWebhook_refusedDeleteKeepsTheState(t *testing.T) {
	env := newTestEnv(t)
	var id string
	cfg := env.webhookConfig("deploy", `["user:created"]`, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.Webhooks()); n != 0 {
				return fmt.Errorf("%d webhooks left after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg, ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(webhook, tfjsonpath.New("id"), captureString(&id))}},
			{
				PreConfig:   func() { env.emu.SetRefuseDeletes(true) },
				Config:      cfg,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Could not delete webhook.*delete webhook [0-9a-f]{24}.*requestId.*success: false`),
			},
			{
				PreConfig: func() { env.emu.SetRefuseDeletes(false) },
				Config:    cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != id {
							return fmt.Errorf("id %s, want the kept %s", v, id)
						}
						return nil
					})),
					env.expectWebhookCount(1),
				},
			},
		},
	})
}
