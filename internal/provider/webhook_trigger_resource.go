package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

var (
	_ resource.ResourceWithConfigure   = (*webhookTriggerResource)(nil)
	_ resource.ResourceWithImportState = (*webhookTriggerResource)(nil)
)

// NewWebhookTriggerResource returns the authing_webhook_trigger resource.
func NewWebhookTriggerResource() resource.Resource { return &webhookTriggerResource{} }

type webhookTriggerResource struct {
	data *providerData
}

type webhookTriggerModel struct {
	ID             types.String   `tfsdk:"id"`
	WebhookID      types.String   `tfsdk:"webhook_id"`
	RequestHeaders types.Map      `tfsdk:"request_headers"`
	RequestBody    types.String   `tfsdk:"request_body"`
	Triggers       types.Map      `tfsdk:"triggers"`
	Response       types.String   `tfsdk:"response"`
	TriggeredAt    types.String   `tfsdk:"triggered_at"`
	OnDestroy      types.Object   `tfsdk:"on_destroy"`
	Expect         types.Object   `tfsdk:"expect"`
	Retry          types.Object   `tfsdk:"retry"`
	StatusCode     types.Int64    `tfsdk:"status_code"`
	Attempts       types.Int64    `tfsdk:"attempts"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// onDestroyModel is on_destroy: what a destroy sends when it fires the webhook.
type onDestroyModel struct {
	RequestHeaders types.Map    `tfsdk:"request_headers"`
	RequestBody    types.String `tfsdk:"request_body"`
}

func (r *webhookTriggerResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_trigger"
}

func (r *webhookTriggerResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Fires a webhook once through Authing's TriggerWebhook call when created, and again whenever an input changes, " +
			"and stores what the webhook's endpoint answered. Reading never calls the API; destroying only forgets the firing, unless `on_destroy` is set.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "Unique identifier of this firing; a new firing gets a new one. With `retry`, it is the firing that met the expectations. It is sent to the endpoint as the `Idempotency-Key` request header (unless `request_headers` sets that header), so that a receiver can de-duplicate, and lets a firing whose answer was lost be found in Authing's delivery logs.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"webhook_id": schema.StringAttribute{
				Required:      true,
				Validators:    []validator.String{notBlankValidator},
				Description:   "ID of the webhook to fire (`webhookId` in the API). Changing it fires again.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"request_headers": schema.MapAttribute{
				Optional:      true,
				ElementType:   types.StringType,
				Validators:    []validator.Map{headersValidator{}, ownIdempotencyKeyValidator{}},
				Description:   "Extra HTTP headers Authing adds to the request it sends to the webhook (`requestHeaders`). Changing them fires again (going between no map and an empty one does not). They are kept in state like every input; pass credentials through a `sensitive` variable so that plans hide them.",
				PlanModifiers: []planmodifier.Map{requiresReplaceUnlessNoKeys},
			},
			"request_body": schema.StringAttribute{
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{jsonObjectValidator},
				Description: "JSON object Authing sends as the webhook's body (`requestBody`), usually built with `jsonencode()`; text that is not JSON is refused at plan, saying where it breaks and never showing the value. " +
					"Only a change of meaning fires again: re-formatting or re-ordering keys does not. Unset, Authing sends its own test event.",
				PlanModifiers: []planmodifier.String{semanticJSONRequiresReplace{}},
			},
			"triggers": schema.MapAttribute{
				Optional:      true,
				ElementType:   types.StringType,
				Description:   "Arbitrary keys and values; any change fires the webhook again, except going between no map and an empty one, which hold the same keys. Use it to re-fire on a deploy, for example `{ version = var.release }`.",
				PlanModifiers: []planmodifier.Map{requiresReplaceUnlessNoKeys},
			},
			"response": schema.StringAttribute{
				Computed:      true,
				Description:   "What the webhook's endpoint answered (`data.response` of the API's answer), as canonical JSON, with every occurrence of a secret the provider knows (the webhook's own, the access key secret, the management token; one shorter than 8 characters only where it stands alone) replaced by `***`, and so is every value of `request_headers` or `request_body` under a name like a credential's (such as `Authorization`, `X-Api-Key`, `token`, `password`; 8 characters or more) that the endpoint echoes. Decode it with `jsondecode()`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"on_destroy": schema.SingleNestedAttribute{
				Optional: true,
				Description: "When set, destroying this resource fires the webhook once more, with these headers and body: a teardown notice. " +
					"The destroy half of a replacement fires it too, with the values of the firing being replaced, before the new firing. " +
					"Changing it is an update in place and fires nothing. A teardown firing that fails fails the destroy and keeps the state; " +
					"remove `on_destroy` and apply to destroy silently. Works with OpenTofu and every Terraform version; on Terraform 1.16+ the action's `before_destroy` and `after_destroy` events are an alternative.",
				Attributes: map[string]schema.Attribute{
					"request_headers": schema.MapAttribute{
						Optional:    true,
						ElementType: types.StringType,
						Validators:  []validator.Map{headersValidator{}},
						Description: "Extra HTTP headers Authing adds to the teardown request (`requestHeaders`).",
					},
					"request_body": schema.StringAttribute{
						Optional:    true,
						Validators:  []validator.String{jsonObjectValidator},
						Description: "JSON object Authing sends as the teardown request's body (`requestBody`). Unset, Authing sends its own test event.",
					},
				},
			},
			"expect": withPlanModifier(expectResourceAttribute()),
			"retry":  retryResourceAttribute(),
			"status_code": schema.Int64Attribute{
				Computed: true,
				Description: "The HTTP status the endpoint answered the recorded firing with, as Authing's delivery logs show it. " +
					"Read only when `expect.status_codes` is set (or when a lost answer was settled from the logs); null otherwise.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"attempts": schema.Int64Attribute{
				Computed:      true,
				Description:   "How many firings were made to reach the recorded one, which is the last of them: 1 unless `retry` fired again. Each was a real delivery.",
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"triggered_at": schema.StringAttribute{
				Computed:      true,
				Description:   "When the webhook was fired, in RFC 3339 format (UTC).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, CreateDescription: "How long the firing may take (default `2m`): every attempt of `retry`, the waits between them, and reading the endpoint's status from the logs included. A firing that times out may have reached the webhook and is not retried.",
				Delete: true, DeleteDescription: "How long the `on_destroy` firing may take (default `2m`).",
			}),
		},
	}
}

func (r *webhookTriggerResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// Create fires the webhook until a firing meets the expectations (once, without retry).
// On any failure it writes no state, so the next apply fires again.
func (r *webhookTriggerResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookTriggerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	inputs := firingInputs{webhookID: plan.WebhookID, requestHeaders: plan.RequestHeaders, requestBody: plan.RequestBody, expect: plan.Expect, retry: plan.Retry}
	run, call, ok := r.data.openFiring(ctx, inputs, plan.Timeouts.Create, triggerOutcome, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	result, diags := run.run(call.ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(result.id)
	plan.Response = types.StringValue(result.response)
	plan.TriggeredAt = types.StringValue(result.at.Format(time.RFC3339))
	plan.Attempts = types.Int64Value(int64(result.attempts))
	plan.StatusCode = types.Int64Null()
	if result.status != 0 {
		plan.StatusCode = types.Int64Value(int64(result.status))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read keeps the state as it is: a firing is a past event, and there is nothing at
// Authing to compare it with.
func (r *webhookTriggerResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

// Update is never called with a change of inputs (every input forces a replacement); it
// only carries changes of on_destroy, retry, timeouts, and of an expect that the recorded
// firing meets, into state, and fires nothing.
func (r *webhookTriggerResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan webhookTriggerModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the firing; nothing at Authing is undone. With on_destroy set, it first
// fires the webhook once with on_destroy's headers and body, under the same rules as a
// create; if that fails, the destroy fails and the state is kept.
func (r *webhookTriggerResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookTriggerModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.OnDestroy.IsNull() || state.OnDestroy.IsUnknown() {
		return
	}
	var teardown onDestroyModel
	resp.Diagnostics.Append(state.OnDestroy.As(ctx, &teardown, basetypes.ObjectAsOptions{})...)
	in, diags := triggerInput(ctx, state.WebhookID, teardown.RequestHeaders, teardown.RequestBody, path.Root("on_destroy"))
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	call, ok := r.data.openCall(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	_, diags = fire(call.ctx, call.client, in, teardownOutcome)
	resp.Diagnostics.Append(diags...)
}

// ImportState refuses: a firing cannot be imported, only made.
func (r *webhookTriggerResource) ImportState(_ context.Context, _ resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.AddError("Import not supported",
		"authing_webhook_trigger records a firing made by this configuration; there is nothing at Authing to import. "+
			"Add the resource to the configuration and apply it to fire the webhook.")
}

func newFiringID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
