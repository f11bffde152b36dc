package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

// listResult is one result of the ListResource RPC, decoded.
type listResult struct {
	display  string
	identity map[string]tftypes.Value
	resource map[string]tftypes.Value // nil without include_resource
}

// listWebhooks calls ListResource for authing_webhook as terraform query does.
func (p *protocolServer) listWebhooks(filters map[string]tftypes.Value, includeResource bool, limit int64) ([]listResult, string) {
	p.t.Helper()
	server, ok := p.server.(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // ListResource is not in tfprotov6.ProviderServer yet.
	if !ok {
		p.t.Fatalf("the provider server (%T) does not serve list resources", p.server)
	}
	stream, err := server.ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName: "authing_webhook", Config: dynamicValue(p.t, p.schema.ListResourceSchemas["authing_webhook"], filters),
		IncludeResource: includeResource, Limit: limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []listResult
	var errs strings.Builder
	for r := range stream.Results {
		errs.WriteString(errorText(r.Diagnostics))
		if r.Identity == nil {
			continue
		}
		res := listResult{display: r.DisplayName, identity: p.object(r.Identity.IdentityData, p.schema.ResourceSchemas["authing_webhook"], true)}
		if r.Resource != nil {
			res.resource = p.object(r.Resource, p.schema.ResourceSchemas["authing_webhook"], false)
		}
		out = append(out, res)
	}
	return out, errs.String()
}

// object decodes a resource (or, with identity set, its identity) into its attributes.
func (p *protocolServer) object(dv *tfprotov6.DynamicValue, s *tfprotov6.Schema, identity bool) map[string]tftypes.Value {
	p.t.Helper()
	typ := s.ValueType()
	if identity {
		ids, err := p.server.GetResourceIdentitySchemas(p.t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
		if err != nil {
			p.t.Fatal(err)
		}
		typ = ids.IdentitySchemas["authing_webhook"].ValueType()
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	return attrs
}

func asString(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var s string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// The ListResource RPC, as terraform query (Terraform 1.14+) calls it: every webhook over
// pages served 10 at a time, the data source's filters, the limit, identities, display
// names, and the resource without its secret when asked for.
func TestListResourceWebhooks(t *testing.T) {
	env := newTestEnv(t, emulator.Options{PageSize: 10})
	var ids []string
	for i := range 23 {
		events := []string{"user:created"}
		if i%2 == 1 {
			events = []string{"login"}
		}
		ids = append(ids, env.emu.AddWebhook(emulator.Webhook{
			Name: fmt.Sprintf("hook-%02d", i), URL: env.emu.ReceiverURL(fmt.Sprintf("r%d", i)),
			Enabled: i%3 != 0, Events: events, Secret: "whsec-never-listed",
		}))
	}
	p := newProtocolServer(t)
	p.configure(map[string]tftypes.Value{"host": str(env.emu.URL()), "access_key_id": str(testKeyID), "access_key_secret": str(testSecret)})
	listIDs := func(rs []listResult) []string {
		var out []string
		for _, r := range rs {
			out = append(out, asString(t, r.identity["webhook_id"]))
		}
		return out
	}

	all, errs := p.listWebhooks(nil, false, 100)
	if errs != "" || !slices.Equal(listIDs(all), ids) {
		t.Fatalf("listed %d of 23 webhooks in order (errors: %s)", len(all), errs)
	}
	if want := "hook-00 (" + env.emu.ReceiverURL("r0") + ")"; all[0].display != want || all[0].resource != nil {
		t.Fatalf("first result: display %q, resource %v; want %q and no resource", all[0].display, all[0].resource, want)
	}

	tests := []struct {
		name    string
		filters map[string]tftypes.Value
		limit   int64
		want    func(i int) bool
	}{
		{"name", map[string]tftypes.Value{"name": str("hook-07")}, 100, func(i int) bool { return i == 7 }},
		{"name_regex", map[string]tftypes.Value{"name_regex": str(`-1\d$`)}, 100, func(i int) bool { return i >= 10 && i <= 19 }},
		{"enabled", map[string]tftypes.Value{"enabled": tftypes.NewValue(tftypes.Bool, false)}, 100, func(i int) bool { return i%3 == 0 }},
		{"event", map[string]tftypes.Value{"event": str("login")}, 100, func(i int) bool { return i%2 == 1 }},
		{"limit", nil, 5, func(i int) bool { return i < 5 }},
		{"no limit", nil, 0, func(int) bool { return true }},
		{"event and limit", map[string]tftypes.Value{"event": str("login")}, 3, func(i int) bool { return i%2 == 1 && i < 6 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := p.listWebhooks(tt.filters, false, tt.limit)
			var want []string
			for i, id := range ids {
				if tt.want(i) {
					want = append(want, id)
				}
			}
			if errs != "" || !slices.Equal(listIDs(got), want) {
				t.Fatalf("got %v (errors: %s), want %v", listIDs(got), errs, want)
			}
		})
	}

	t.Run("include_resource", func(t *testing.T) {
		got, errs := p.listWebhooks(map[string]tftypes.Value{"name": str("hook-01")}, true, 100)
		if errs != "" || len(got) != 1 || got[0].resource == nil {
			t.Fatalf("got %+v (errors: %s)", got, errs)
		}
		r := got[0].resource
		if asString(t, r["webhook_id"]) != ids[1] || asString(t, r["id"]) != ids[1] || asString(t, r["name"]) != "hook-01" ||
			asString(t, r["url"]) != env.emu.ReceiverURL("r1") || asString(t, r["content_type"]) != "application/json" {
			t.Fatalf("resource %v", r)
		}
		if !r["secret"].IsNull() || !r["secret_wo"].IsNull() || !r["retry_config"].IsNull() {
			t.Fatalf("secret %v, secret_wo %v, retry_config %v: want null", r["secret"], r["secret_wo"], r["retry_config"])
		}
	})

	t.Run("bad regex", func(t *testing.T) {
		_, errs := p.listWebhooks(map[string]tftypes.Value{"name_regex": str("a(")}, false, 100)
		if !strings.Contains(errs, "Invalid regular expression") {
			t.Fatalf("errors: %q", errs)
		}
	})
	t.Run("misspelt event", func(t *testing.T) {
		// Checked against the server's list before listing, so it adds no listing.
		got, errs := p.listWebhooks(map[string]tftypes.Value{"event": str("user:creatd")}, false, 100)
		if len(got) != 0 || !strings.Contains(errs, `Unknown webhook event: "user:creatd" is not a webhook event; did you mean "user:created"?`) {
			t.Fatalf("%d results, errors %q", len(got), errs)
		}
	})
	if n := env.emu.Stats().Requests["list-webhooks"]; n != 3*(2+len(tests)) {
		t.Fatalf("%d list requests, want 3 a listing (23 webhooks at 10 a page), %d listings", n, 2+len(tests))
	}
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
	w := newWorkspace(t, env.config(""))
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
