package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// triggerInput turns the Terraform values shared by the resource and the action into a
// client request. Validators have already checked them; this re-checks, because a
// value that was unknown at plan time is validated only now.
func triggerInput(ctx context.Context, webhookID types.String, headers types.Map, body jsontypes.Normalized) (authing.TriggerInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := authing.TriggerInput{WebhookID: webhookID.ValueString()}
	if !headers.IsNull() {
		diags.Append(headers.ElementsAs(ctx, &in.RequestHeaders, false)...)
		for name, value := range in.RequestHeaders {
			if err := checkHeaderName(name); err != nil {
				diags.AddError("Invalid request header", err.Error())
			}
			if err := checkHeaderValue(name, value); err != nil {
				diags.AddError("Invalid request header", err.Error())
			}
		}
	}
	if !body.IsNull() {
		if err := checkJSONObject(body.ValueString()); err != nil {
			diags.AddError("Invalid request body", "request_body "+err.Error()+".")
		}
		in.RequestBody = json.RawMessage(body.ValueString())
	}
	if in.WebhookID == "" {
		diags.AddError("Empty webhook ID", "webhook_id must not be empty.")
	}
	return in, diags
}
