package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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
		headerDiags := checkHeaders(parent.AtName("request_headers"), headers.Elements())
		diags.Append(headerDiags...)
		if !headerDiags.HasError() {
			diags.Append(headers.ElementsAs(ctx, &in.RequestHeaders, false)...)
		}
	}
	if !body.IsNull() {
		diags.Append(jsonObjectValidator.check(parent.AtName("request_body"), body.ValueString())...)
		in.RequestBody = json.RawMessage(body.ValueString())
	}
	return in, diags
}

// headerWithoutValue is the error for a request header whose value is null. Sending the
// header without its value, or leaving it out, would fire a request other than the one
// configured. Validation refuses a null written in the configuration; at firing time a
// null is most often an ephemeral value that Terraform dropped: `terraform apply -invoke`
// invokes an action with the plan's copy of its configuration, where every ephemeral
// value is null.
func headerWithoutValue(at path.Path, name string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(at, "Request header without a value",
		fmt.Sprintf("Request header %q has no value, so the webhook was not fired. "+
			"If the value is ephemeral and this is `terraform apply -invoke`: Terraform (1.16.4 at least) invokes the action with the plan's copy of its configuration, "+
			"where ephemeral values are null; an action_trigger passes them. Give the header a sensitive variable that is not ephemeral to use -invoke, "+
			"or fire the action from an action_trigger.", name))
}

// firing is what a firing recorded: the endpoint's answer and when it was delivered.
type firing struct {
	response string
	at       time.Time
}

// fire makes one firing within ctx's deadline: the one path shared by the resource's
// create and destroy and by the action. The request carries firingID in
// authing.FiringIDHeader. When the answer is lost, the webhook's delivery logs settle the
// outcome where they show it (DESIGN.md, promise 3); otherwise a failure is an error
// diagnostic that names the firing ID and says, through outcome, whether the webhook may
// have fired. It is attributed to webhook_id only when the webhook does not exist.
func fire(ctx context.Context, client *authing.Client, in authing.TriggerInput, firingID string, outcome outcomeText) (firing, diag.Diagnostics) {
	result, diags := fireOnce(ctx, client, in, firingID, outcome)
	return result, masked(client, diags)
}

func fireOnce(ctx context.Context, client *authing.Client, in authing.TriggerInput, firingID string, outcome outcomeText) (firing, diag.Diagnostics) {
	var diags diag.Diagnostics
	var carried bool
	in.RequestHeaders, carried = withFiringID(in.RequestHeaders, firingID)
	tflog.Debug(ctx, "Triggering Authing webhook", map[string]any{"webhook_id": in.WebhookID, "firing_id": firingID})
	callCtx, cancel := withSettleReserve(ctx)
	result, err := client.TriggerWebhook(callCtx, in)
	cancel()
	if err == nil {
		return firing{response: result.Response, at: time.Now().UTC()}, diags
	}
	detail := errorDetail(err, outcome) + "\n" + fmt.Sprintf("%-12s %s", "Firing ID:", firingID)
	if authing.OutcomeOf(err) == authing.MayHaveTakenEffect {
		settled, ok, looked := settleFiring(ctx, client, in.WebhookID, firingID, carried)
		if ok {
			diags.Append(firingSettledWarning(in.WebhookID, firingID))
			return settled, diags
		}
		detail += "\n\n" + looked
	}
	if authing.IsNotFound(err) {
		diags.AddAttributeError(path.Root("webhook_id"), "Could not trigger webhook", "Webhook "+in.WebhookID+" does not exist at Authing.\n\n"+detail)
	} else {
		diags.AddError("Could not trigger webhook", detail)
	}
	return firing{}, diags
}
