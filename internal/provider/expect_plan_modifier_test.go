package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A changed expect that the recorded firing still meets is an update in place; one it does
// not meet replaces the firing, with a warning that says which expectation fails and that
// the apply makes a real delivery.
func TestChangedExpectSaysWhyItFiresAgain(t *testing.T) {
	ctx := t.Context()
	var sch resource.SchemaResponse
	(&webhookTriggerResource{}).Schema(ctx, resource.SchemaRequest{}, &sch)
	objType := sch.Schema.Type().TerraformType(ctx)
	state := tfsdk.State{Schema: sch.Schema, Raw: tftypes.NewValue(objType, nil)}
	for p, v := range map[string]attr.Value{"webhook_id": types.StringValue("w"), "response": types.StringValue(`{"data":{"token":"***","version":"v2"}}`), "status_code": types.Int64Value(200)} {
		if d := state.SetAttribute(ctx, path.Root(p), v); d.HasError() {
			t.Fatal(d)
		}
	}
	plan := tfsdk.Plan{Schema: sch.Schema, Raw: state.Raw}
	expectTypes := map[string]attr.Type{"status_codes": types.SetType{ElemType: types.Int64Type}, "present": types.ListType{ElemType: types.StringType}, "equals": types.MapType{ElemType: types.StringType}}
	expect := func(codes []int64, version string) types.Object {
		set := types.SetNull(types.Int64Type)
		if codes != nil {
			var elems []attr.Value
			for _, c := range codes {
				elems = append(elems, types.Int64Value(c))
			}
			set = types.SetValueMust(types.Int64Type, elems)
		}
		return types.ObjectValueMust(expectTypes, map[string]attr.Value{
			"status_codes": set, "present": types.ListNull(types.StringType),
			"equals": types.MapValueMust(types.StringType, map[string]attr.Value{"/data/version": types.StringValue(version)}),
		})
	}
	expectAt := func(pointer, value string) types.Object {
		return types.ObjectValueMust(expectTypes, map[string]attr.Value{
			"status_codes": types.SetNull(types.Int64Type), "present": types.ListNull(types.StringType),
			"equals": types.MapValueMust(types.StringType, map[string]attr.Value{pointer: types.StringValue(value)}),
		})
	}
	old := expect(nil, "v2")
	for _, tt := range []struct {
		name    string
		next    types.Object
		replace bool
		warning string
	}{
		{"still met", expect([]int64{200, 204}, "v2"), false, ""},
		{"a value not met", expect(nil, "v3"), true, `equals "/data/version": the recorded answer has "v2" there, another value`},
		{"a status not met", expect([]int64{204}, "v2"), true, "status_codes: expected one of 204; the recorded firing's status is 200"},
		{"a hidden value", expectAt("/data/token", "sk-live-ABCDEFGH"), true, `equals "/data/token": the recorded answer hides its value there (***), so it cannot be compared at plan`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := planmodifier.ObjectRequest{Path: path.Root("expect"), State: state, Plan: plan, StateValue: old, PlanValue: tt.next, ConfigValue: tt.next}
			var resp planmodifier.ObjectResponse
			expectRequiresReplaceUnlessMet{}.PlanModifyObject(ctx, req, &resp)
			var warned []string
			for _, d := range resp.Diagnostics.Warnings() {
				warned = append(warned, d.Summary()+": "+d.Detail())
			}
			got := strings.Join(warned, "\n")
			if resp.RequiresReplace != tt.replace || (tt.warning == "") != (got == "") || !strings.Contains(got, tt.warning) {
				t.Fatalf("replace %t, warnings %q; want replace %t, a warning with %q", resp.RequiresReplace, got, tt.replace, tt.warning)
			}
			if tt.replace && !strings.Contains(got, "The new expect fires the webhook again") || strings.Contains(got, "sk-live") {
				t.Fatalf("warning %q", got)
			}
		})
	}
}
