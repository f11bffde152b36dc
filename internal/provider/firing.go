package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// triggerInput turns the Terraform values shared by the resource and the action into a
// client request. Validators have already checked them; this re-checks, because a
// value that was unknown at plan time is validated only now.
func triggerInput(webhookID types.String, headers types.Map, body jsontypes.Normalized) (authing.TriggerInput, diag.Diagnostics) {
	var diags diag.Diagnostics
	in := authing.TriggerInput{WebhookID: webhookID.ValueString()}
	if !headers.IsNull() {
		in.RequestHeaders = map[string]string{}
		for name, raw := range headers.Elements() {
			value, ok := raw.(types.String)
			if !ok || value.IsNull() || value.IsUnknown() {
				diags.Append(headerWithoutValue(name))
				continue
			}
			if err := checkHeaderName(name); err != nil {
				diags.AddError("Invalid request header", err.Error())
			}
			if err := checkHeaderValue(name, value.ValueString()); err != nil {
				diags.AddError("Invalid request header", err.Error())
			}
			in.RequestHeaders[name] = value.ValueString()
		}
	}
	if !body.IsNull() {
		if err := checkJSONObject(body.ValueString()); err != nil {
			diags.AddError("Invalid request body", "request_body "+err.Error()+".")
		}
		in.RequestBody = json.RawMessage(body.ValueString())
	}
	if strings.TrimSpace(in.WebhookID) == "" {
		diags.Append(emptyValue(path.Root("webhook_id")))
	}
	return in, diags
}

// headerWithoutValue is the error for a request header whose value is null. Sending the
// header without its value, or leaving it out, would fire a request other than the one
// configured. Validation refuses a null written in the configuration; at firing time a
// null is most often an ephemeral value that Terraform dropped: `terraform apply -invoke`
// invokes an action with the plan's copy of its configuration, where every ephemeral
// value is null.
func headerWithoutValue(name string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("request_headers").AtMapKey(name), "Request header without a value",
		fmt.Sprintf("Request header %q has no value, so the webhook was not fired. "+
			"If the value is ephemeral and this is `terraform apply -invoke`: Terraform (1.16.4 at least) invokes the action with the plan's copy of its configuration, "+
			"where ephemeral values are null; an action_trigger passes them. Give the header a sensitive variable that is not ephemeral to use -invoke, "+
			"or fire the action from an action_trigger.", name))
}

// fire makes one firing, the one path shared by the resource's create and destroy and by
// the action: it checks the input again (a value unknown at plan time is known only now),
// gets the client and calls TriggerWebhook within timeout. started, when not nil, is told
// just before the call. A failure is an error diagnostic that says, through outcome,
// whether the webhook may have fired; it is attributed to webhook_id only when the
// webhook does not exist.
func fire(ctx context.Context, data *providerData, timeout time.Duration, in authing.TriggerInput, inDiags diag.Diagnostics,
	outcome outcomeText, started func(),
) (authing.TriggerResult, diag.Diagnostics) {
	diags := inDiags
	if diags.HasError() {
		return authing.TriggerResult{}, diags
	}
	client, clientDiags := data.Client()
	diags.Append(clientDiags...)
	if diags.HasError() {
		return authing.TriggerResult{}, diags
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if started != nil {
		started()
	}
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
