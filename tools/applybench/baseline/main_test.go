package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"

	authing "github.com/authing/terraform-provider-authing/internal/provider"
)

// TestSchemaShapeIsTheRealOne holds the baseline's resource to the real
// authing_webhook_trigger: the same attributes, types and nesting, the same required,
// optional, computed, sensitive and write-only flags, and the same blocks. The framework
// spends time on every attribute of every plan, so a baseline with fewer attributes
// would make the provider look slower than it is, and one with more, faster.
func TestSchemaShapeIsTheRealOne(t *testing.T) {
	ctx := context.Background()
	var base resource.SchemaResponse
	(&nullTrigger{}).Schema(ctx, resource.SchemaRequest{}, &base)
	trigger := realTriggerSchema(t)

	if got, want := base.Schema.Type().TerraformType(ctx), trigger.Type().TerraformType(ctx); !got.Equal(want) {
		t.Errorf("the baseline's type differs from the real resource's:\nbaseline: %s\nreal:     %s", got, want)
	}
	got, want := shape("", base.Schema.Attributes), shape("", trigger.Attributes)
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if got[name] != want[name] {
			t.Errorf("%s: baseline %q, real %q", name, got[name], want[name])
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: only in the baseline", name)
		}
	}
}

func realTriggerSchema(t *testing.T) schema.Schema {
	t.Helper()
	ctx := context.Background()
	p := authing.New("test")()
	for _, newResource := range p.Resources(ctx) {
		r := newResource()
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "authing"}, &meta)
		if meta.TypeName != "authing_webhook_trigger" {
			continue
		}
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		return resp.Schema
	}
	t.Fatal("the provider has no authing_webhook_trigger resource")
	return schema.Schema{}
}

// shape maps each attribute path to its flags.
func shape(prefix string, attrs map[string]schema.Attribute) map[string]string {
	out := map[string]string{}
	for name, a := range attrs {
		p := prefix + name
		out[p] = fmt.Sprintf("required=%t optional=%t computed=%t sensitive=%t write-only=%t",
			a.IsRequired(), a.IsOptional(), a.IsComputed(), a.IsSensitive(), a.IsWriteOnly())
		if nested, ok := a.(schema.SingleNestedAttribute); ok {
			maps.Copy(out, shape(p+".", nested.Attributes))
		}
	}
	return out
}
