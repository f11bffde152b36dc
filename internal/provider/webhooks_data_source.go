package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

var _ datasource.DataSourceWithConfigure = (*webhooksDataSource)(nil)

// NewWebhooksDataSource returns the authing_webhooks data source.
func NewWebhooksDataSource() datasource.DataSource { return &webhooksDataSource{} }

type webhooksDataSource struct {
	data *providerData
}

type webhooksModel struct {
	ID        types.String   `tfsdk:"id"`
	Name      types.String   `tfsdk:"name"`
	NameRegex types.String   `tfsdk:"name_regex"`
	Enabled   types.Bool     `tfsdk:"enabled"`
	Event     types.String   `tfsdk:"event"`
	IDs       types.List     `tfsdk:"ids"`
	Webhooks  types.List     `tfsdk:"webhooks"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

var webhookObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"webhook_id":   types.StringType,
	"name":         types.StringType,
	"url":          types.StringType,
	"content_type": types.StringType,
	"enabled":      types.BoolType,
	"events":       types.ListType{ElemType: types.StringType},
	"created_at":   types.StringType,
	"updated_at":   types.StringType,
}}

func (d *webhooksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhooks"
}

func (d *webhooksDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the webhooks of the user pool, in the API's order, optionally filtered. All pages are read (up to 50 webhooks a request, as many as the server serves); the filters apply after listing. The signing secret is never exposed.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:    true,
				Description: "Identifier derived from the filters: the same filters give the same ID.",
			},
			"name": schema.StringAttribute{
				Optional:    true,
				Description: "Keep only webhooks with exactly this name.",
			},
			"name_regex": schema.StringAttribute{
				Optional:    true,
				Validators:  []validator.String{regexValidator},
				Description: "Keep only webhooks whose name matches this regular expression (RE2 syntax, unanchored: use `^...$` for a whole-name match).",
			},
			"enabled": schema.BoolAttribute{
				Optional:    true,
				Description: "Keep only enabled (`true`) or disabled (`false`) webhooks.",
			},
			"event": schema.StringAttribute{
				Optional:    true,
				Validators:  []validator.String{eventNameValidator},
				Description: "Keep only webhooks subscribed to this event name, such as `user:created`. The name is checked as `authing_webhook` checks its `events`, so a misspelt filter fails instead of matching nothing.",
			},
			"ids": schema.ListAttribute{
				Computed:    true,
				ElementType: types.StringType,
				Description: "The `webhook_id` of every webhook that passed the filters, in order. Empty, not null, when none did.",
			},
			"webhooks": schema.ListAttribute{
				Computed:    true,
				ElementType: webhookObjectType,
				Description: "The webhooks that passed the filters, in the API's order: `webhook_id`, `name`, `url`, `content_type`, `enabled`, `events`, `created_at`, `updated_at`. Empty, not null, when none did.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: "How long the read may take, retries included (default `2m`)."}),
		},
	}
}

func (d *webhooksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhooksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhooksModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	filter, err := newWebhookFilter(m.Name, m.NameRegex, m.Enabled, m.Event)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("name_regex"), "Invalid regular expression", err.Error())
		return
	}
	call, ok := d.data.openCall(ctx, m.Timeouts.Read, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	resp.Diagnostics.Append(d.data.checkEventFilter(ctx, path.Root("event"), m.Event, call.timeout)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, client := call.ctx, call.client
	all, err := client.ListWebhooks(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list webhooks", errorDetail(err, noOutcome))
		return
	}
	ids := []attr.Value{}
	objects := []attr.Value{}
	for _, w := range all {
		if !filter.keep(w) {
			continue
		}
		obj, diags := types.ObjectValueFrom(ctx, webhookObjectType.AttrTypes, newWebhookElement(w))
		resp.Diagnostics.Append(diags...)
		ids = append(ids, types.StringValue(w.WebhookID))
		objects = append(objects, obj)
	}
	m.ID = types.StringValue(filter.id())
	m.IDs = types.ListValueMust(types.StringType, ids)
	m.Webhooks = types.ListValueMust(webhookObjectType, objects)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// webhookFilter applies the data source's optional filters.
type webhookFilter struct {
	Name      *string `json:"name,omitempty"`
	NameRegex *string `json:"name_regex,omitempty"`
	Enabled   *bool   `json:"enabled,omitempty"`
	Event     *string `json:"event,omitempty"`
	re        *regexp.Regexp
}

// newWebhookFilter builds the filters of the authing_webhooks data source and the
// authing_webhook list resource, which mean the same in both.
func newWebhookFilter(name, nameRegex types.String, enabled types.Bool, event types.String) (webhookFilter, error) {
	f := webhookFilter{
		Name:      name.ValueStringPointer(),
		NameRegex: nameRegex.ValueStringPointer(),
		Enabled:   enabled.ValueBoolPointer(),
		Event:     event.ValueStringPointer(),
	}
	if f.NameRegex != nil {
		re, err := regexp.Compile(*f.NameRegex)
		if err != nil {
			return f, err
		}
		f.re = re
	}
	return f, nil
}

func (f webhookFilter) keep(w authing.Webhook) bool {
	return (f.Name == nil || w.Name == *f.Name) &&
		(f.re == nil || f.re.MatchString(w.Name)) &&
		(f.Enabled == nil || w.Enabled == *f.Enabled) &&
		(f.Event == nil || slices.Contains(w.Events, *f.Event))
}

// id is a digest of the filters, so that the same filters always give the same ID.
func (f webhookFilter) id() string {
	b, _ := json.Marshal(f)
	sum := sha256.Sum256(b)
	return "webhooks-" + hex.EncodeToString(sum[:8])
}
