package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ action.ActionWithConfigure  = (*webhookTriggerAction)(nil)
	_ action.ActionWithModifyPlan = (*webhookTriggerAction)(nil)
)

// progressLimit caps the answer summary sent as progress, in characters: enough for an
// echo of a delivery's headers and body, which request-bin style endpoints answer.
const progressLimit = 500

// NewWebhookTriggerAction returns the authing_webhook_trigger action.
func NewWebhookTriggerAction() action.Action { return &webhookTriggerAction{} }

type webhookTriggerAction struct {
	data *providerData
}

type webhookTriggerActionModel struct {
	WebhookID      types.String   `tfsdk:"webhook_id"`
	RequestHeaders types.Map      `tfsdk:"request_headers"`
	RequestBody    types.String   `tfsdk:"request_body"`
	Expect         types.Object   `tfsdk:"expect"`
	Retry          types.Object   `tfsdk:"retry"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func (a *webhookTriggerAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_trigger"
}

func (a *webhookTriggerAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Fires a webhook once through Authing's TriggerWebhook call each time the action is invoked " +
			"(by an `action_trigger` in a resource's lifecycle, or with `terraform apply -invoke`), and fails the apply when Authing reports an error or the firing does not meet `expect`. With `retry`, it fires again until a firing meets `expect`, reporting each attempt in its progress. Nothing is kept in state. Each invocation sends a fresh firing ID in the `Idempotency-Key` request header (unless `request_headers` sets it), by which a firing whose answer was lost is found in Authing's delivery logs. Needs Terraform 1.14.1 or later (1.14.0 ran `after_*` events before the resource had finished applying).",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				Required:    true,
				Validators:  []validator.String{notBlankValidator},
				Description: "ID of the webhook to fire (`webhookId` in the API).",
			},
			"request_headers": schema.MapAttribute{
				Optional:    true,
				WriteOnly:   true,
				ElementType: types.StringType,
				Validators:  []validator.Map{headersValidator{}, ownIdempotencyKeyValidator{}},
				Description: "Extra HTTP headers Authing adds to the request it sends to the webhook (`requestHeaders`). Write-only: it accepts ephemeral values, " +
					"such as a token from an ephemeral resource or an `ephemeral = true` variable, and is not kept in state. A saved plan (`terraform plan -out`) holds the action's configuration, except ephemeral values: give secrets as ephemeral values. " +
					"A value of 8 characters or more that is named like a credential or is not plain lower-case words is hidden as `***` from an echo of it in the progress line and in `expect` errors.",
			},
			"request_body": schema.StringAttribute{
				Optional:   true,
				WriteOnly:  true,
				Validators: []validator.String{jsonObjectValidator},
				Description: "JSON object Authing sends as the webhook's body (`requestBody`), usually built with `jsonencode()`. Unset, Authing sends its own test event. " +
					"Write-only: it accepts ephemeral values and is not kept in state (a saved plan holds it unless it is ephemeral, as for `request_headers`). Text that is not JSON is refused at plan, saying where it breaks and never showing the value; " +
					"its strings that may be secrets (as for `request_headers`) are hidden from an echo of them in progress and `expect` errors.",
			},
			"expect": expectActionAttribute(),
			"retry":  retryActionAttribute(),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{InvokeDescription: "How long the invocation may take (default `2m`): every attempt of `retry`, the waits between them, and reading the endpoint's status from the logs included."}),
		},
	}
}

func (a *webhookTriggerAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks request_body once more at plan time. An ephemeral value is unknown when
// Terraform validates the configuration, so the validator passes it; the plan has it, and
// refusing broken JSON here stops the apply before the resource whose action_trigger
// invokes the action changes.
func (a *webhookTriggerAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var body types.String
	var headers types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("request_body"), &body)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("request_headers"), &headers)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !body.IsNull() && !body.IsUnknown() {
		resp.Diagnostics.Append(jsonObjectValidator.check(path.Root("request_body"), body.ValueString())...)
	}
	// Headers from an ephemeral value were unknown when the validator ran: its error is
	// given here (its warning, given at validate otherwise, is not repeated).
	resp.Diagnostics.Append(checkOwnIdempotencyKey(ctx, req.Config, headers).Errors()...)
}

func (a *webhookTriggerAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m webhookTriggerActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	inputs := firingInputs{webhookID: m.WebhookID, requestHeaders: m.RequestHeaders, requestBody: m.RequestBody, expect: m.Expect, retry: m.Retry}
	run, call, ok := a.data.openFiring(ctx, inputs, m.Timeouts.Invoke, actionOutcome, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	in, retry, hide := run.in, run.retry, run.mask
	run.progress = func(line string) { resp.SendProgress(action.InvokeProgressEvent{Message: line}) }
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Triggering Authing webhook %s", in.WebhookID)})
	result, diags := run.run(call.ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var facts []string
	if result.status != 0 {
		facts = append(facts, fmt.Sprintf("status %d", result.status))
	}
	if result.attempts > 1 {
		facts = append(facts, fmt.Sprintf("attempt %d of %d", result.attempts, retry.attempts))
	}
	answered := "answered"
	if len(facts) > 0 {
		answered += " (" + strings.Join(facts, ", ") + ")"
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Webhook %s %s: %s", in.WebhookID, answered, summarize(hide(result.response)))})
}

// summarize shortens an answer, already masked (echoMasker), for a progress line.
func summarize(response string) string {
	if utf8.RuneCountInString(response) <= progressLimit {
		return response
	}
	runes := []rune(response)
	return string(runes[:progressLimit]) + "… (truncated)"
}
