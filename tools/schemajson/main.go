// Command schemajson prints the provider's schema in the format of
// `terraform providers schema -json`, read straight from the provider server.
//
// tfplugindocs takes this file with --providers-schema, so the docs do not depend on the
// Terraform version on the machine: Terraform before 1.14 would omit the action and list
// resource schemas.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/authing/terraform-provider-authing/internal/provider"
)

// address keys the schema in the output. tfplugindocs looks a provider up by its short
// name (or under the hashicorp namespace), so the short name is what it finds.
const address = "authing"

func main() {
	out := flag.String("o", "", "write to this file instead of standard output")
	flag.Parse()
	server, err := providerserver.NewProtocol6WithError(provider.New("docs")())()
	if err != nil {
		log.Fatal(err)
	}
	resp, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			log.Fatalf("%s: %s", d.Summary, d.Detail)
		}
	}
	p := map[string]any{
		"provider":            schema(resp.Provider),
		"resource_schemas":    schemas(resp.ResourceSchemas),
		"data_source_schemas": schemas(resp.DataSourceSchemas),
	}
	actions := map[string]any{}
	for name, a := range resp.ActionSchemas {
		actions[name] = map[string]any{"block": block(a.Schema.Block)}
	}
	p["action_schemas"] = actions
	p["list_resource_schemas"] = schemas(resp.ListResourceSchemas)
	ids, err := server.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		log.Fatal(err)
	}
	identities := map[string]any{}
	for name, is := range ids.IdentitySchemas {
		attrs := map[string]any{}
		for _, a := range is.IdentityAttributes {
			attr := map[string]any{"type": typeJSON(a.Type)}
			if a.Description != "" {
				attr["description"] = a.Description
			}
			flags(attr, map[string]bool{"required_for_import": a.RequiredForImport, "optional_for_import": a.OptionalForImport})
			attrs[a.Name] = attr
		}
		identities[name] = map[string]any{"version": is.Version, "attributes": attrs}
	}
	p["resource_identity_schemas"] = identities
	doc, err := json.MarshalIndent(map[string]any{
		"format_version":   "1.0",
		"provider_schemas": map[string]any{address: p},
	}, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	doc = append(doc, '\n')
	if *out == "" {
		_, err = os.Stdout.Write(doc)
	} else {
		err = os.WriteFile(*out, doc, 0o644)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func schemas(in map[string]*tfprotov6.Schema) map[string]any {
	out := map[string]any{}
	for name, s := range in {
		out[name] = schema(s)
	}
	return out
}

func schema(s *tfprotov6.Schema) map[string]any {
	return map[string]any{"version": s.Version, "block": block(s.Block)}
}

func block(b *tfprotov6.SchemaBlock) map[string]any {
	out := map[string]any{}
	describe(out, b.Description, b.DescriptionKind, b.Deprecated)
	attrs := attributes(b.Attributes)
	if len(attrs) > 0 {
		out["attributes"] = attrs
	}
	blocks := map[string]any{}
	for _, bt := range b.BlockTypes {
		nb := map[string]any{"nesting_mode": nesting(bt.Nesting), "block": block(bt.Block)}
		if bt.MinItems > 0 {
			nb["min_items"] = bt.MinItems
		}
		if bt.MaxItems > 0 {
			nb["max_items"] = bt.MaxItems
		}
		blocks[bt.TypeName] = nb
	}
	if len(blocks) > 0 {
		out["block_types"] = blocks
	}
	return out
}

// attributes writes attributes as Terraform does, nested ones under nested_type.
func attributes(in []*tfprotov6.SchemaAttribute) map[string]any {
	attrs := map[string]any{}
	for _, a := range in {
		attr := map[string]any{}
		if a.NestedType != nil {
			attr["nested_type"] = map[string]any{
				"attributes":   attributes(a.NestedType.Attributes),
				"nesting_mode": objectNesting(a.NestedType.Nesting),
			}
		} else {
			attr["type"] = typeJSON(a.Type)
		}
		describe(attr, a.Description, a.DescriptionKind, a.Deprecated)
		flags(attr, map[string]bool{"required": a.Required, "optional": a.Optional, "computed": a.Computed, "sensitive": a.Sensitive, "write_only": a.WriteOnly})
		attrs[a.Name] = attr
	}
	return attrs
}

func objectNesting(n tfprotov6.SchemaObjectNestingMode) string {
	switch n {
	case tfprotov6.SchemaObjectNestingModeSingle:
		return "single"
	case tfprotov6.SchemaObjectNestingModeList:
		return "list"
	case tfprotov6.SchemaObjectNestingModeSet:
		return "set"
	case tfprotov6.SchemaObjectNestingModeMap:
		return "map"
	}
	panic(fmt.Sprintf("unknown object nesting mode %v", n))
}

// typeJSON writes a type as Terraform's JSON schema output does: "string",
// ["list","string"], ["object",{"name":"string"}].
func typeJSON(t tftypes.Type) any {
	switch {
	case t.Is(tftypes.String):
		return "string"
	case t.Is(tftypes.Number):
		return "number"
	case t.Is(tftypes.Bool):
		return "bool"
	case t.Is(tftypes.DynamicPseudoType):
		return "dynamic"
	}
	switch t := t.(type) {
	case tftypes.List:
		return []any{"list", typeJSON(t.ElementType)}
	case tftypes.Set:
		return []any{"set", typeJSON(t.ElementType)}
	case tftypes.Map:
		return []any{"map", typeJSON(t.ElementType)}
	case tftypes.Object:
		attrs := map[string]any{}
		for name, at := range t.AttributeTypes {
			attrs[name] = typeJSON(at)
		}
		return []any{"object", attrs}
	}
	panic(fmt.Sprintf("unsupported type %s", t))
}

func describe(m map[string]any, text string, kind tfprotov6.StringKind, deprecated bool) {
	if text != "" {
		m["description"] = text
		m["description_kind"] = "plain"
		if kind == tfprotov6.StringKindMarkdown {
			m["description_kind"] = "markdown"
		}
	}
	if deprecated {
		m["deprecated"] = true
	}
}

func flags(m map[string]any, f map[string]bool) {
	for k, v := range f {
		if v {
			m[k] = true
		}
	}
}

func nesting(n tfprotov6.SchemaNestedBlockNestingMode) string {
	switch n {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return "single"
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return "list"
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return "set"
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return "map"
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return "group"
	}
	panic(fmt.Sprintf("unknown nesting mode %v", n))
}
