package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// withPlanModifier gives the resource's expect its plan modifier.
func withPlanModifier(a schema.SingleNestedAttribute) schema.SingleNestedAttribute {
	a.PlanModifiers = []planmodifier.Object{expectRequiresReplaceUnlessMet{}}
	return a
}

// expectRequiresReplaceUnlessMet fires again when expect changes and the recorded firing
// does not meet the new expectations: its stored response and status are checked at plan.
// A firing that meets them stays (an update in place), so that tightening expect to what
// the endpoint already answered fires nothing, while state never holds a firing that does
// not meet its configuration's expect. Values unknown at plan cannot be checked, and fire
// again.
type expectRequiresReplaceUnlessMet struct{}

func (expectRequiresReplaceUnlessMet) Description(context.Context) string {
	return "a change fires again unless the recorded firing meets the new expectations"
}

func (m expectRequiresReplaceUnlessMet) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (expectRequiresReplaceUnlessMet) PlanModifyObject(ctx context.Context, req planmodifier.ObjectRequest, resp *planmodifier.ObjectResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() || req.PlanValue.Equal(req.StateValue) {
		return
	}
	if raw, err := req.PlanValue.ToTerraformValue(ctx); err != nil || !raw.IsFullyKnown() {
		resp.RequiresReplace = true
		return
	}
	exp, diags := readExpect(ctx, req.PlanValue)
	if diags.HasError() {
		// Validation reports the problem; a plan that goes on fires again.
		resp.RequiresReplace = true
		return
	}
	var response types.String
	var status types.Int64
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("response"), &response)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status_code"), &status)...)
	if response.IsNull() {
		resp.RequiresReplace = true
		return
	}
	if unmet := exp.unmetByRecord(response.ValueString(), status); len(unmet) > 0 {
		resp.RequiresReplace = true
		resp.Diagnostics.AddAttributeWarning(req.Path, "The new expect fires the webhook again",
			"The firing recorded in state does not meet the changed expect, so this plan replaces it, and the apply makes a real delivery:\n  - "+
				strings.Join(unmet, "\n  - ")+"\n\nTo keep the recorded firing, change expect back, or to what its response and status_code meet.")
	}
}
