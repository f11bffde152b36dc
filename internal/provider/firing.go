package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// triggerInput turns the Terraform values shared by the resource and the action into a
// client request. It checks them again with the validators' own checks, because a value
// that was unknown at plan time is known only now; headers and body sit under parent (the
// root, or on_destroy), so each problem has the path the validator would have given it.
func triggerInput(ctx context.Context, webhookID types.String, headers types.Map, body jsontypes.Normalized, parent path.Path) (authing.TriggerInput, diag.Diagnostics) {
	in := authing.TriggerInput{WebhookID: webhookID.ValueString()}
	diags := notBlankValidator.check(path.Root("webhook_id"), in.WebhookID)
	if !headers.IsNull() {
		diags.Append(checkHeaders(parent.AtName("request_headers"), headers.Elements())...)
		diags.Append(headers.ElementsAs(ctx, &in.RequestHeaders, false)...)
	}
	if !body.IsNull() {
		diags.Append(jsonObjectValidator.check(parent.AtName("request_body"), body.ValueString())...)
		in.RequestBody = json.RawMessage(body.ValueString())
	}
	return in, diags
}

// fire makes one firing within ctx's deadline: the one path shared by the resource's
// create and destroy and by the action. A failure is an error diagnostic that says,
// through outcome, whether the webhook may have fired; it is attributed to webhook_id
// only when the webhook does not exist.
func fire(ctx context.Context, client *authing.Client, in authing.TriggerInput, outcome outcomeText) (authing.TriggerResult, diag.Diagnostics) {
	var diags diag.Diagnostics
	tflog.Debug(ctx, "Triggering Authing webhook", map[string]any{"webhook_id": in.WebhookID})
	result, err := client.TriggerWebhook(ctx, in)
	switch {
	case authing.IsNotFound(err):
		diags.AddAttributeError(path.Root("webhook_id"), "Could not trigger webhook",
			"Webhook "+in.WebhookID+" does not exist at Authing.\n\n"+errorDetail(err, outcome))
	case err != nil:
		diags.AddError("Could not trigger webhook", errorDetail(err, outcome))
	}
	return result, diags
}
