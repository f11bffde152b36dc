package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

var _ datasource.DataSourceWithConfigure = (*webhookDataSource)(nil)

// NewWebhookDataSource returns the authing_webhook data source.
func NewWebhookDataSource() datasource.DataSource { return &webhookDataSource{} }

type webhookDataSource struct {
	data *providerData
}

type webhookDataModel struct {
	webhookElement
	ID       types.String   `tfsdk:"id"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *webhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (d *webhookDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "One webhook of the user pool, by its ID. The signing secret is not exposed.",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				Required: true, Validators: []validator.String{notBlankValidator},
				Description: "The webhook ID (`webhookId` in the API).",
			},
			"id":           computed("The webhook ID."),
			"name":         computed("Name of the webhook."),
			"url":          computed("URL Authing calls."),
			"content_type": computed("`application/json` or `application/x-www-form-urlencoded`."),
			"enabled":      schema.BoolAttribute{Computed: true, Description: "Whether Authing calls the webhook."},
			"events":       schema.ListAttribute{Computed: true, ElementType: types.StringType, Description: "Event names that call the webhook."},
			"created_at":   computed("When the webhook was created."),
			"updated_at":   computed("When the webhook was last changed."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: "How long the read may take, retries included (default `2m`)."}),
		},
	}
}

func (d *webhookDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhookDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	timeout, diags := m.Timeouts.Read(ctx, defaultTimeout)
	resp.Diagnostics.Append(diags...)
	client, diags := d.data.Client()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	w, err := client.GetWebhook(ctx, m.WebhookID.ValueString())
	if authing.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("webhook_id"), "Could not read webhook",
			"Webhook "+m.WebhookID.ValueString()+" does not exist at Authing.\n\n"+errorDetail(err, noOutcome))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not read webhook", errorDetail(err, noOutcome))
		return
	}
	m.webhookElement = newWebhookElement(w)
	m.ID = types.StringValue(w.WebhookID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
