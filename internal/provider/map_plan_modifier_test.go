package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestRequiresReplaceUnlessNoKeys(t *testing.T) {
	empty := types.MapValueMust(types.StringType, map[string]attr.Value{})
	one := types.MapValueMust(types.StringType, map[string]attr.Value{"release": types.StringValue("1")})
	two := types.MapValueMust(types.StringType, map[string]attr.Value{"release": types.StringValue("2")})
	null, unknown := types.MapNull(types.StringType), types.MapUnknown(types.StringType)
	exists := tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})
	for _, tt := range []struct {
		name        string
		state, plan types.Map
		replace     bool
	}{
		{"null to empty", null, empty, false},
		{"empty to null", empty, null, false},
		{"null to null", null, null, false},
		{"same keys", one, one, false},
		{"null to a key", null, one, true},
		{"empty to a key", empty, one, true},
		{"a key to empty", one, empty, true},
		{"another value", one, two, true},
		{"null to unknown", null, unknown, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var resp planmodifier.MapResponse
			requiresReplaceUnlessNoKeys.PlanModifyMap(t.Context(), planmodifier.MapRequest{
				State: tfsdk.State{Raw: exists}, Plan: tfsdk.Plan{Raw: exists}, StateValue: tt.state, PlanValue: tt.plan,
			}, &resp)
			if resp.RequiresReplace != tt.replace {
				t.Fatalf("requires replace %v, want %v", resp.RequiresReplace, tt.replace)
			}
		})
	}
}
