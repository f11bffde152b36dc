package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// authing_webhook has an identity, { webhook_id }, kept by every read, and import blocks
// may name a webhook by it or by ID (Terraform 1.12+).
func TestAccWebhook_identityAndImportBlocks(t *testing.T) {
	env := newTestEnv(t)
	var id string
	cfg := env.webhookConfig("deploy", `["user:created"]`, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhook, tfjsonpath.New("webhook_id"), captureString(&id)),
					statecheck.ExpectIdentity(webhook, map[string]knownvalue.Check{"webhook_id": knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))}),
					statecheck.ExpectIdentityValueMatchesState(webhook, tfjsonpath.New("webhook_id")),
				},
			},
			{Config: cfg, ResourceName: webhook, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{Config: cfg, ResourceName: webhook, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			{Config: cfg, ResourceName: webhook, ImportState: true, ImportStateKind: resource.ImportCommandWithID, ImportStateVerify: true},
			{
				// A rename is read back with the same identity.
				Config: env.webhookConfig("deploy-renamed", `["user:created"]`, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState(webhook, tfjsonpath.New("webhook_id")),
					statecheck.ExpectIdentityValue(webhook, tfjsonpath.New("webhook_id"), knownvalue.StringFunc(func(v string) error {
						if v != id {
							return fmt.Errorf("identity %q, want %q", v, id)
						}
						return nil
					})),
				},
			},
		},
	})
}

// terraform import with an empty or blank ID says how to import, the same for both: an
// empty ID must not reach the framework as an identity it cannot convert.
func TestAccCLI_importWithoutAnIDSaysHow(t *testing.T) {
	env := newTestEnv(t)
	w := newWorkspace(t, env.webhookConfig("deploy", `["user:created"]`, ""))
	for _, id := range []string{"", " "} {
		out, err := w.run("import", "-no-color", "-input=false", webhook, id)
		if err == nil || !strings.Contains(out, "Missing webhook ID") || strings.Contains(out, "Value Conversion Error") {
			t.Fatalf("import %q: %v\n%s", id, err, out)
		}
	}
	if n := env.emu.Stats().Requests["get-webhook"]; n != 0 {
		t.Fatalf("%d get-webhook requests", n)
	}
}
