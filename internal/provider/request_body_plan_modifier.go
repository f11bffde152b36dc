package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
)

// semanticJSONRequiresReplace keeps the stored JSON when the configured JSON means the
// same (formatting, key order), and otherwise requires a replacement. The attribute is
// Optional and Computed so that the plan may keep the stored text, which Terraform
// forbids for attributes that are only Optional.
type semanticJSONRequiresReplace struct{}

func (semanticJSONRequiresReplace) Description(context.Context) string {
	return "a change of JSON meaning forces a new firing; a change of formatting does not"
}

func (m semanticJSONRequiresReplace) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (semanticJSONRequiresReplace) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		// Creating or destroying: nothing to compare with.
		if req.ConfigValue.IsNull() {
			resp.PlanValue = req.ConfigValue
		}
		return
	}
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
		resp.RequiresReplace = !req.StateValue.IsNull()
		return
	}
	if req.ConfigValue.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	if !req.StateValue.IsNull() && !req.StateValue.IsUnknown() {
		equal, diags := jsontypes.NewNormalizedValue(req.StateValue.ValueString()).StringSemanticEquals(ctx, jsontypes.NewNormalizedValue(req.ConfigValue.ValueString()))
		resp.Diagnostics.Append(diags...)
		if equal {
			resp.PlanValue = req.StateValue
			return
		}
	}
	resp.PlanValue = req.ConfigValue
	resp.RequiresReplace = true
}
