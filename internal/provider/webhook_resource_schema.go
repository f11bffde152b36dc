package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func (r *webhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Description: "A webhook of the user pool: Authing calls its URL when one of its events happens. Changes are made in place; import it by its webhook ID.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "The webhook ID, as `webhook_id`."},
			"webhook_id": schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "The webhook ID (`webhookId` in the API)."},
			"name": schema.StringAttribute{
				Required: true, Validators: []validator.String{notBlankValidator},
				Description: "Name of the webhook.",
			},
			"url": schema.StringAttribute{
				Required: true, Validators: []validator.String{webhookURLValidator},
				Description: "URL Authing calls when an event happens.",
			},
			"events": schema.SetAttribute{
				Required: true, ElementType: types.StringType,
				Validators: []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(eventNameValidator)},
				Description: "Event names that call the webhook, such as `user:created` or `login`. Checked at plan time against the server's list of events " +
					"(the `authing_webhook_events` data source), or the documented list when the API cannot be reached; a near miss such as `user.created` gets a suggestion.",
			},
			"content_type": schema.StringAttribute{
				Optional: true, Computed: true, Default: stringdefault.StaticString(contentTypeJSON),
				Validators:  []validator.String{stringvalidator.OneOf(contentTypeJSON, contentTypeForm)},
				Description: "How Authing encodes the body it sends: `" + contentTypeJSON + "` (the default) or `" + contentTypeForm + "`.",
			},
			"enabled": schema.BoolAttribute{
				Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				Description: "Whether Authing calls the webhook (default `true`).",
			},
			"secret": schema.StringAttribute{
				Optional: true, Sensitive: true,
				Description: "Signing secret Authing uses for the webhook's requests. It is stored in state (as sensitive); with Terraform 1.11 or later prefer `secret_wo`, which is not.",
			},
			"secret_wo": schema.StringAttribute{
				Optional: true, Sensitive: true, WriteOnly: true,
				Validators:  []validator.String{secretConflictValidator{}},
				Description: "Signing secret, write-only: sent to Authing by the apply that brings it in (on create, or replacing `secret`) and whenever `secret_wo_version` changes, never stored in state or plan. Needs Terraform 1.11 or later.",
			},
			"secret_wo_version": schema.Int64Attribute{
				Optional:    true,
				Description: "Change this number to send `secret_wo` again (a write-only value leaves no trace to compare).",
			},
			"retry_config": schema.SingleNestedAttribute{
				Optional: true,
				Description: "How Authing retries a delivery that failed (`retryConfig` in the API). Unset, nothing is sent and Authing keeps its own setting; " +
					"removing the block later likewise leaves Authing's setting as it was.",
				Attributes: map[string]schema.Attribute{
					"enabled": schema.BoolAttribute{Required: true, Description: "Whether failed deliveries are retried."},
					"count": schema.Int64Attribute{
						Optional: true, Validators: []validator.Int64{int64validator.Between(0, 10)},
						Description: "How many times a failed delivery is retried (0 to 10).",
					},
					"delay": schema.Int64Attribute{
						Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)},
						Description: "Wait before each retry, in `delay_unit`s.",
					},
					"delay_unit": schema.StringAttribute{
						Optional: true, Validators: []validator.String{stringvalidator.OneOf(delayUnits...)},
						Description: "Unit of `delay`: `Second`, `Minute`, `Hour` or `Day`.",
					},
				},
			},
			"created_at": schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "When the webhook was created."},
			"updated_at": schema.StringAttribute{Computed: true, Description: "When the webhook was last changed; unknown in a plan that changes it, so a `triggers` keyed on it re-fires a smoke test after every change."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, CreateDescription: "How long creating the webhook may take (default `2m`). A create that times out may have happened and is not retried.",
				Read: true, ReadDescription: "How long reading the webhook may take, retries included (default `2m`); it also bounds the plan-time read of the server's list of events, which fails the plan when it cannot be read with the configured credentials.",
				Update: true, UpdateDescription: "How long updating the webhook may take, retries included (default `2m`).",
				Delete: true, DeleteDescription: "How long deleting the webhook may take, retries included (default `2m`).",
			}),
		},
	}
}

// webhookIdentity is the resource identity of authing_webhook: import blocks name a
// webhook by it (Terraform 1.12+), and terraform query reports it.
type webhookIdentity struct {
	WebhookID types.String `tfsdk:"webhook_id"`
}

func (r *webhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"webhook_id": identityschema.StringAttribute{RequiredForImport: true, Description: "The webhook ID (`webhookId` in the API)."},
		},
	}
}

// setIdentity records the identity of the webhook in state, where the Terraform version
// keeps identities.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, webhookID string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, webhookIdentity{WebhookID: types.StringValue(webhookID)})
}
