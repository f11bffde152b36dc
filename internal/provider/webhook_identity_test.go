package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authing/terraform-provider-authing/internal/emulator"
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

// terraform query finds webhooks with the list resource (Terraform 1.14+).
func TestAccWebhook_query(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PageSize: 10})
	ids := env.emu.SeedWebhooks("seeded", 12)
	login := env.emu.AddWebhook(emulator.Webhook{Name: "login-hook", URL: env.emu.ReceiverURL("login"), Enabled: false, Events: []string{"login"}})
	// The provider block is the one of the configuration step before.
	query := func(body string) string {
		return fmt.Sprintf("list \"authing_webhook\" \"found\" {\n  provider = authing\n%s\n}\n", body)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			{Config: env.config(`data "authing_webhooks" "all" {}`)},
			{
				Query:  true,
				Config: query(""),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("authing_webhook.found", 13),
					querycheck.ExpectIdentity("authing_webhook.found", map[string]knownvalue.Check{"webhook_id": knownvalue.StringExact(ids[11])}),
					querycheck.ExpectResourceDisplayName("authing_webhook.found",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"webhook_id": knownvalue.StringExact(login)}),
						knownvalue.StringExact("login-hook ("+env.emu.ReceiverURL("login")+")")),
				},
			},
			{
				Query:  true,
				Config: query("  include_resource = true\n  config {\n    event = \"login\"\n  }"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("authing_webhook.found", 1),
					querycheck.ExpectResourceKnownValues("authing_webhook.found",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"webhook_id": knownvalue.StringExact(login)}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("login-hook")},
							{Path: tfjsonpath.New("enabled"), KnownValue: knownvalue.Bool(false)},
							{Path: tfjsonpath.New("secret"), KnownValue: knownvalue.Null()},
						}),
				},
			},
			{
				Query:  true,
				Config: query("  limit = 4\n  config {\n    name_regex = \"^seeded-\"\n  }"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("authing_webhook.found", 4),
				},
			},
		},
	})
}

// terraform query -generate-config-out writes configuration that, applied as generated,
// imports every webhook found and changes nothing.
func TestCLIQueryGeneratedConfigImportsWithoutChanges(t *testing.T) {
	env := newTestEnv(t)
	env.emu.SeedWebhooks("found", 3)
	env.emu.AddWebhook(emulator.Webhook{Name: "form", URL: env.emu.ReceiverURL("form"), ContentType: "application/x-www-form-urlencoded", Events: []string{"login", "test"}})
	provider := fmt.Sprintf("provider \"authing\" {\n  host = %q\n  access_key_id = %q\n  access_key_secret = %q\n}\n", env.emu.URL(), testKeyID, testSecret)
	w := newWorkspace(t, provider)
	w.skipBelowTerraform("1.14.0")
	query := "list \"authing_webhook\" \"all\" {\n  provider = authing\n  include_resource = true\n}\n"
	if err := os.WriteFile(filepath.Join(w.dir, "webhooks.tfquery.hcl"), []byte(query), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := w.run("query", "-no-color", "-generate-config-out=generated.tf"); err != nil {
		t.Fatalf("terraform query: %v\n%s", err, out)
	}
	out, err := w.run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	// -detailed-exitcode: 2 means the plan has changes, which imports are.
	if err == nil || !regexp.MustCompile(`Plan: 4 to import, 0 to add, 0 to change, 0 to destroy`).MatchString(out) {
		t.Fatalf("plan of the generated configuration: %v\n%s", err, out)
	}
	before := len(env.emu.Webhooks())
	if out, err := w.run("apply", "-input=false", "-auto-approve"); err != nil {
		t.Fatalf("apply: %v\n%s", err, out)
	}
	if out, err := w.run("plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		t.Fatalf("a plan after the import is not empty: %v\n%s", err, out)
	}
	if after := len(env.emu.Webhooks()); after != before {
		t.Fatalf("%d webhooks before, %d after", before, after)
	}
}
