package provider

import (
	"context"
	"encoding/json"
	"reflect"

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

func (semanticJSONRequiresReplace) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
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
		if sameJSON(req.StateValue.ValueString(), req.ConfigValue.ValueString()) {
			resp.PlanValue = req.StateValue
			return
		}
	}
	resp.PlanValue = req.ConfigValue
	resp.RequiresReplace = true
}

// sameJSON reports whether two texts are the same JSON document: key order, formatting
// and number notation aside (1.0 and 1 are the same number), as the framework's JSON type
// compared them. Text that is not JSON is the same only as itself.
func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	var va, vb any
	if json.Unmarshal([]byte(a), &va) != nil || json.Unmarshal([]byte(b), &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}
