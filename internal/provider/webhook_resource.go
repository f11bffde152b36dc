package provider

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

var (
	_ resource.ResourceWithConfigure   = (*webhookResource)(nil)
	_ resource.ResourceWithImportState = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*webhookResource)(nil)
	_ resource.ResourceWithIdentity    = (*webhookResource)(nil)
)

// delayUnits are the units of retry_config.delay.
var delayUnits = []string{"Second", "Minute", "Hour", "Day"}

const (
	contentTypeJSON = "application/json"
	contentTypeForm = "application/x-www-form-urlencoded"
)

// NewWebhookResource returns the authing_webhook resource.
func NewWebhookResource() resource.Resource { return &webhookResource{} }

type webhookResource struct {
	data *providerData
}

type webhookModel struct {
	webhookFields
	ID              types.String   `tfsdk:"id"`
	Events          types.Set      `tfsdk:"events"`
	Secret          types.String   `tfsdk:"secret"`
	SecretWO        types.String   `tfsdk:"secret_wo"`
	SecretWOVersion types.Int64    `tfsdk:"secret_wo_version"`
	RetryConfig     types.Object   `tfsdk:"retry_config"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

// retryConfigModel is retry_config, the API's retryConfig.
type retryConfigModel struct {
	Enabled   types.Bool   `tfsdk:"enabled"`
	Count     types.Int64  `tfsdk:"count"`
	Delay     types.Int64  `tfsdk:"delay"`
	DelayUnit types.String `tfsdk:"delay_unit"`
}

// webhookTimeoutsAttrTypes are the attributes of authing_webhook's timeouts block.
var webhookTimeoutsAttrTypes = map[string]attr.Type{
	"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType,
}

var retryConfigAttrTypes = map[string]attr.Type{
	"enabled": types.BoolType, "count": types.Int64Type, "delay": types.Int64Type, "delay_unit": types.StringType,
}

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan plans an update for a secret_wo that has not been sent yet, and checks the
// event names against the server's list as soon as they are known.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(planUnsentSecret(ctx, req, resp)...)
	}
	if r.data == nil {
		return
	}
	var events types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("events"), &events)...)
	if resp.Diagnostics.HasError() || events.IsUnknown() || events.IsNull() {
		return
	}
	var names []string
	for _, v := range events.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsUnknown() {
			return
		}
		names = append(names, s.ValueString())
	}
	var bounds timeouts.Value
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("timeouts"), &bounds)...)
	timeout, diags := bounds.Read(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.checkEvents(ctx, path.Root("events"), names, timeout)...)
}

// secretWOKey is the private state key that says whether secret_wo was configured at the
// last apply: a write-only value leaves nothing in state to compare with, and the apply
// that brings secret_wo in must send it.
const secretWOKey = "secret_wo"

// privateGetter and privateSetter are the private state of a request and of a response.
type (
	privateGetter interface {
		GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	}
	privateSetter interface {
		SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
	}
)

// secretWOSent reports whether the configured secret_wo was already sent. A state kept
// before the key existed counts as sent when it has a secret_wo_version and no secret,
// the only way such a state used secret_wo.
func secretWOSent(ctx context.Context, private privateGetter, state webhookModel) (bool, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, secretWOKey)
	if raw == nil {
		return state.Secret.IsNull() && !state.SecretWOVersion.IsNull(), diags
	}
	return string(raw) == "true", diags
}

// recordSecretWO notes in private state whether secret_wo was configured (see secretWOKey).
func recordSecretWO(ctx context.Context, private privateSetter, config webhookModel) diag.Diagnostics {
	return private.SetKey(ctx, secretWOKey, []byte(strconv.FormatBool(!config.SecretWO.IsNull())))
}

// planUnsentSecret makes a plan that would otherwise change nothing an update when the
// configuration brings in a secret_wo that was never sent (added, or replacing secret,
// with secret_wo_version unchanged): updated_at becomes unknown, as for any change.
func planUnsentSecret(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) diag.Diagnostics {
	var config, state webhookModel
	diags := req.Config.Get(ctx, &config)
	diags.Append(req.State.Get(ctx, &state)...)
	if diags.HasError() || config.SecretWO.IsNull() {
		return diags
	}
	sent, d := secretWOSent(ctx, req.Private, state)
	diags.Append(d...)
	if !sent {
		diags.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_at"), types.StringUnknown())...)
	}
	return diags
}

// secretToSend is the secret an update sends, or nil to leave Authing's as it is. A
// configured secret_wo is sent when it was not yet and whenever secret_wo_version
// changes; otherwise a change of secret is sent, and removing secret clears it.
func secretToSend(plan, state, config webhookModel, woSent bool) *string {
	switch {
	case !config.SecretWO.IsNull():
		if !woSent || !plan.SecretWOVersion.Equal(state.SecretWOVersion) {
			return config.SecretWO.ValueStringPointer()
		}
		return nil
	case !plan.Secret.Equal(state.Secret):
		if plan.Secret.IsNull() {
			empty := ""
			return &empty
		}
		return plan.Secret.ValueStringPointer()
	}
	return nil
}

// input builds the API's fields from a plan; the secret is sent only when secret is not
// nil, and retryConfig only when retry_config is set.
func (m webhookModel) input(ctx context.Context, secret *string) (authing.WebhookInput, diag.Diagnostics) {
	var events []string
	diags := m.Events.ElementsAs(ctx, &events, false)
	in := authing.WebhookInput{
		Name: m.Name.ValueStringPointer(), URL: m.URL.ValueStringPointer(), Events: &events,
		ContentType: m.ContentType.ValueStringPointer(), Enabled: m.Enabled.ValueBoolPointer(), Secret: secret,
	}
	if !m.RetryConfig.IsNull() && !m.RetryConfig.IsUnknown() {
		var rc retryConfigModel
		diags.Append(m.RetryConfig.As(ctx, &rc, basetypes.ObjectAsOptions{})...)
		in.RetryConfig = &authing.RetryConfig{
			Enabled: rc.Enabled.ValueBool(), Count: rc.Count.ValueInt64Pointer(), Delay: rc.Delay.ValueInt64Pointer(), DelayUnit: rc.DelayUnit.ValueString(),
		}
	}
	return in, diags
}

// fillRetryConfig follows the server's retryConfig for the fields the configuration
// sets, and leaves the rest alone: unset fields stay null, so that Authing's defaults
// never show as a difference.
func (m *webhookModel) fillRetryConfig(rc *authing.RetryConfig) {
	if m.RetryConfig.IsNull() || m.RetryConfig.IsUnknown() || rc == nil {
		return
	}
	attrs := m.RetryConfig.Attributes()
	set := func(name string, v attr.Value) {
		if old, ok := attrs[name]; ok && !old.IsNull() {
			attrs[name] = v
		}
	}
	set("enabled", types.BoolValue(rc.Enabled))
	set("count", types.Int64PointerValue(rc.Count))
	set("delay", types.Int64PointerValue(rc.Delay))
	set("delay_unit", types.StringValue(rc.DelayUnit))
	m.RetryConfig = types.ObjectValueMust(retryConfigAttrTypes, attrs)
}

// fill copies what the API returned into the model.
func (m *webhookModel) fill(w authing.Webhook) {
	m.webhookFields = newWebhookFields(w)
	m.ID = types.StringValue(w.WebhookID)
	m.Events = types.SetValueMust(types.StringType, eventValues(w))
	m.fillRetryConfig(w.RetryConfig)
	// A write-only value is never kept.
	m.SecretWO = types.StringNull()
	// The stored secret follows the server only when the configuration manages it.
	if !m.Secret.IsNull() && w.Secret != "" {
		m.Secret = types.StringValue(w.Secret)
	}
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	secret := plan.Secret.ValueStringPointer()
	if !config.SecretWO.IsNull() {
		secret = config.SecretWO.ValueStringPointer()
	}
	in, diags := plan.input(ctx, secret)
	resp.Diagnostics.Append(diags...)
	call, ok := r.data.openCall(ctx, plan.Timeouts.Create, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	ctx, client := call.ctx, call.client
	since := time.Now()
	r.data.claimed.begin()
	w, err := client.CreateWebhook(ctx, in)
	r.data.claimed.end()
	if authing.OutcomeOf(err) == authing.MayHaveTakenEffect {
		adopted, ok, looked := settleCreate(ctx, client, in, since, &r.data.claimed)
		if !ok {
			resp.Diagnostics.AddError("Could not create webhook", errorDetail(err, createOutcome)+"\n\n"+looked)
			return
		}
		resp.Diagnostics.AddWarning("Webhook creation confirmed from Authing's listing",
			"The answer to the create was lost on the way back, but the user pool's webhooks show exactly one created since the attempt began with every configured field: "+
				adopted.WebhookID+". It is now in state; nothing was created twice.")
		w, err = adopted, nil
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not create webhook", errorDetail(err, createOutcome))
		return
	}
	r.data.claimed.add(w.WebhookID) // adopted webhooks are claimed already
	plan.fill(w)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, w.WebhookID)...)
	resp.Diagnostics.Append(recordSecretWO(ctx, resp.Private, config)...)
}

// Read refreshes the webhook; one deleted outside Terraform leaves the state, so that the
// next plan creates it again.
func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	call, ok := r.data.openCall(ctx, state.Timeouts.Read, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	ctx, client := call.ctx, call.client
	w, err := client.GetWebhook(ctx, state.ID.ValueString())
	if authing.IsNotFound(err) {
		resp.Diagnostics.AddWarning("Webhook deleted outside Terraform",
			"Webhook "+state.ID.ValueString()+" no longer exists at Authing, so it was removed from the state; the next apply creates it again.")
		resp.State.RemoveResource(ctx)
		// The framework wants an identity after every read without errors, a removal
		// included; Terraform before 1.12 keeps none to carry over.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ID.ValueString())...)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read webhook", errorDetail(err, noOutcome))
		return
	}
	r.data.claimed.add(w.WebhookID)
	state.fill(w)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, w.WebhookID)...)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config webhookModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	sent, diags := secretWOSent(ctx, req.Private, state)
	resp.Diagnostics.Append(diags...)
	in, diags := plan.input(ctx, secretToSend(plan, state, config, sent))
	resp.Diagnostics.Append(diags...)
	call, ok := r.data.openCall(ctx, plan.Timeouts.Update, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	ctx, client := call.ctx, call.client
	w, err := client.UpdateWebhook(ctx, state.ID.ValueString(), in)
	if err != nil {
		resp.Diagnostics.AddError("Could not update webhook", errorDetail(err, noOutcome))
		return
	}
	plan.fill(w)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, w.WebhookID)...)
	resp.Diagnostics.Append(recordSecretWO(ctx, resp.Private, config)...)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	call, ok := r.data.openCall(ctx, state.Timeouts.Delete, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	ctx, client := call.ctx, call.client
	if err := client.DeleteWebhook(ctx, state.ID.ValueString()); err != nil {
		resp.Diagnostics.AddError("Could not delete webhook", errorDetail(err, noOutcome))
	}
}

// ImportState takes a webhook ID, or an identity with one (import blocks, Terraform
// 1.12+); Read fills in the rest. A secret cannot be read back into secret_wo, and is
// imported into secret only if the configuration sets it.
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := strings.TrimSpace(req.ID)
	// terraform import with an empty ID sends an identity whose webhook_id is null (or no
	// identity at all): read the attribute, which may be null, rather than the whole
	// identity into a struct, which the framework cannot do with a null value.
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var webhookID types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root("webhook_id"), &webhookID)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = strings.TrimSpace(webhookID.ValueString())
	}
	if id == "" {
		resp.Diagnostics.AddError("Missing webhook ID", "Import an authing_webhook by its webhook ID, for example: terraform import authing_webhook.deploy 6229ffaxxxxxxxxcade3e3d9, "+
			"or with an import block whose identity is { webhook_id = \"6229ffaxxxxxxxxcade3e3d9\" }.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, id)...)
}
