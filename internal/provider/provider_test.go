package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Without credentials, a configuration that needs no API call validates and plans.
func TestAccProvider_noCredentialsNeededWithoutAuthingObjects(t *testing.T) {
	clearAuthingEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: `
provider "authing" {}

resource "terraform_data" "unrelated" {
  input = "ok"
}
`,
		}},
	})
}

func TestAccProvider_missingCredentials(t *testing.T) {
	clearAuthingEnv(t)
	env := newTestEnv(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
provider "authing" {
  host = %q
}

data "authing_webhooks" "all" {}
`, env.emu.URL()),
				ExpectError: regexp.MustCompile(`(?s)Missing Authing credentials.*access_key_id \(or the\s+AUTHING_ACCESS_KEY_ID.*access_key_secret \(or\s+the\s+AUTHING_ACCESS_KEY_SECRET`),
			},
			{
				Config: fmt.Sprintf(`
provider "authing" {
  host          = %q
  access_key_id = "some-id"
}

resource "authing_webhook_trigger" "smoke" {
  webhook_id = "abc"
}
`, env.emu.URL()),
				ExpectError: regexp.MustCompile(`(?s)Missing Authing credentials.*access_key_secret`),
			},
		},
	})
	if n := env.emu.Stats().Deliveries; n != 0 {
		t.Fatalf("%d deliveries without credentials", n)
	}
}

func TestAccProvider_environmentAndPrecedence(t *testing.T) {
	clearAuthingEnv(t)
	env := newTestEnv(t)
	env.emu.SeedWebhooks("hook", 3)
	check := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.authing_webhooks.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(3)),
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { t.Setenv(EnvHost, "http://authing.example.com") },
				Config:      `data "authing_webhooks" "all" {}`,
				ExpectError: regexp.MustCompile(`(?s)Invalid Authing host.*AUTHING_HOST.*only for\s+loopback`),
			},
			{
				PreConfig: func() {
					t.Setenv(EnvHost, env.emu.URL())
					t.Setenv(EnvAccessKeyID, testKeyID)
					t.Setenv(EnvAccessKeySecret, testSecret)
				},
				Config:            `data "authing_webhooks" "all" {}`,
				ConfigStateChecks: check,
			},
			{
				// The provider block wins over the environment.
				PreConfig: func() {
					t.Setenv(EnvHost, "http://127.0.0.1:1")
					t.Setenv(EnvAccessKeySecret, "wrong-secret")
				},
				Config:            env.config(`data "authing_webhooks" "all" {}`),
				ConfigStateChecks: check,
			},
		},
	})
}

func TestAccProvider_invalidHosts(t *testing.T) {
	clearAuthingEnv(t)
	for host, want := range map[string]string{
		"api.authing.cn":                 `not an absolute URL`,
		"http://api.authing.cn":          `only for\s+loopback`,
		"https://api.authing.cn/v3":      `must not have a path`,
		"https://api.authing.cn/?env=qa": `must not have a query`,
		"ftp://api.authing.cn":           `use https`,
	} {
		t.Run(host, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6Factories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "authing" {
  host = %q
}

data "authing_webhooks" "all" {}
`, host),
					ExpectError: regexp.MustCompile(`(?s)Invalid Authing host.*` + want),
				}},
			})
		})
	}
}

// A provider block whose values come from another resource does not crash: resources
// that need no API call at plan time plan and apply; a data source says what is wrong.
func TestAccProvider_unknownConfiguration(t *testing.T) {
	clearAuthingEnv(t)
	env := newTestEnv(t)
	id := env.emu.SeedWebhooks("hook", 1)[0]
	provider := fmt.Sprintf(`
resource "terraform_data" "endpoint" {
  input = %q
}

provider "authing" {
  host              = terraform_data.endpoint.output
  access_key_id     = %q
  access_key_secret = %q
}
`, env.emu.URL(), testKeyID, testSecret)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{
			{
				Config: provider + `
data "authing_webhooks" "all" {}
`,
				ExpectError: regexp.MustCompile(`(?s)Provider configuration not known yet.*host`),
			},
			{
				Config:            provider + triggerConfig(id, ""),
				ConfigStateChecks: []statecheck.StateCheck{env.expectDeliveries(1)},
			},
		},
	})
}

func TestAccProvider_wrongCredentials(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6Factories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "authing" {
  host              = %q
  access_key_id     = %q
  access_key_secret = "not-the-secret"
}

data "authing_webhooks" "all" {}
`, env.emu.URL(), testKeyID),
			ExpectError: regexp.MustCompile(`(?s)Could not list webhooks.*get management token.*statusCode:\s+401.*requestId`),
		}},
	})
}
