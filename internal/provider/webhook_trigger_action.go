package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ action.ActionWithConfigure = (*webhookTriggerAction)(nil)

// progressLimit caps the answer summary sent as progress, in characters: enough for an
// echo of a delivery's headers and body, which request-bin style endpoints answer.
const progressLimit = 500

// NewWebhookTriggerAction returns the authing_webhook_trigger action.
func NewWebhookTriggerAction() action.Action { return &webhookTriggerAction{} }

type webhookTriggerAction struct {
	data *providerData
}

type webhookTriggerActionModel struct {
	WebhookID      types.String         `tfsdk:"webhook_id"`
	RequestHeaders types.Map            `tfsdk:"request_headers"`
	RequestBody    jsontypes.Normalized `tfsdk:"request_body"`
	Expect         types.Map            `tfsdk:"expect"`
	Timeouts       timeouts.Value       `tfsdk:"timeouts"`
}

func (a *webhookTriggerAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_trigger"
}

func (a *webhookTriggerAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Fires a webhook once through Authing's TriggerWebhook call each time the action is invoked " +
			"(by an `action_trigger` in a resource's lifecycle, or with `terraform apply -invoke`), and fails the apply when Authing reports an error. Nothing is kept in state. Each invocation sends a fresh firing ID in the `Idempotency-Key` request header (unless `request_headers` sets it), by which a firing whose answer was lost is found in Authing's delivery logs. Needs Terraform 1.14.1 or later (1.14.0 ran `after_*` events before the resource had finished applying).",
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
				Validators:  []validator.Map{headersValidator{}},
				Description: "Extra HTTP headers Authing adds to the request it sends to the webhook (`requestHeaders`). Write-only: it accepts ephemeral values, " +
					"such as a token from an ephemeral resource or an `ephemeral = true` variable, and is never stored.",
			},
			"request_body": schema.StringAttribute{
				Optional:   true,
				WriteOnly:  true,
				CustomType: jsontypes.NormalizedType{},
				Validators: []validator.String{jsonObjectValidator},
				Description: "JSON object Authing sends as the webhook's body (`requestBody`), usually built with `jsonencode()`. Unset, Authing sends its own test event. " +
					"Write-only: it accepts ephemeral values and is never stored.",
			},
			"expect": schema.MapAttribute{
				Optional:    true,
				ElementType: types.StringType,
				Description: "Top-level keys the webhook's answer must have, with their values: a string value is compared as is, any other JSON value by its compact JSON text (`true`, `42`). The action fails when one differs or is missing; the webhook has fired all the same.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{InvokeDescription: "How long one firing may take, throttling retries included (default `2m`)."}),
		},
	}
}

func (a *webhookTriggerAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (a *webhookTriggerAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m webhookTriggerActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := m.Timeouts.Invoke(ctx, defaultTriggerTimeout)
	resp.Diagnostics.Append(diags...)
	expect := map[string]string{}
	if !m.Expect.IsNull() {
		resp.Diagnostics.Append(m.Expect.ElementsAs(ctx, &expect, false)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	in, diags := triggerInput(ctx, m.WebhookID, m.RequestHeaders, m.RequestBody, path.Empty())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, diags := a.data.Client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Triggering Authing webhook %s", in.WebhookID)})
	result, diags := fire(ctx, client, in, newFiringID(), triggerOutcome)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	hide := echoMasker(client, in)
	summary := summarize(hide(result.response))
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Webhook %s answered: %s", in.WebhookID, summary)})
	if problems := unmetExpectations(result.response, expect); len(problems) > 0 {
		resp.Diagnostics.AddError("Webhook answer did not match expect",
			hide(fmt.Sprintf("Webhook %s fired, but its answer did not have what expect asks for:\n- %s", in.WebhookID, strings.Join(problems, "\n- ")))+
				"\n\nThe answer began: "+summary)
	}
}

// summarize shortens an answer, already masked (echoMasker), for a progress line.
func summarize(response string) string {
	if utf8.RuneCountInString(response) <= progressLimit {
		return response
	}
	runes := []rune(response)
	return string(runes[:progressLimit]) + "… (truncated)"
}

// unmetExpectations compares top-level keys of the answer with expect.
func unmetExpectations(response string, expect map[string]string) []string {
	if len(expect) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(response), &obj); err != nil || obj == nil {
		return []string{"the answer is not a JSON object, so it has none of the expected keys"}
	}
	keys := make([]string, 0, len(expect))
	for k := range expect {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var problems []string
	for _, k := range keys {
		raw, ok := obj[k]
		if !ok {
			problems = append(problems, fmt.Sprintf("key %q is missing", k))
			continue
		}
		got := string(raw)
		var s string
		if json.Unmarshal(raw, &s) == nil {
			got = s
		}
		if got != expect[k] {
			problems = append(problems, fmt.Sprintf("key %q is %q, expected %q", k, got, expect[k]))
		}
	}
	return problems
}
