package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// requiresReplaceUnlessNoKeys requires a replacement when a map changes, except between
// null and an empty map: both hold no keys, and a replacement fires the webhook. The
// change is then an update in place that fires nothing.
var requiresReplaceUnlessNoKeys = mapplanmodifier.RequiresReplaceIf(
	func(_ context.Context, req planmodifier.MapRequest, resp *mapplanmodifier.RequiresReplaceIfFuncResponse) {
		resp.RequiresReplace = !noKeys(req.StateValue) || !noKeys(req.PlanValue)
	},
	"a change fires again, except between no map and an empty map",
	"a change fires again, except between no map and an empty map",
)

// noKeys reports a map that is null or known and empty.
func noKeys(m types.Map) bool {
	return m.IsNull() || (!m.IsUnknown() && len(m.Elements()) == 0)
}
