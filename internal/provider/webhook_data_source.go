package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

var (
	_ datasource.DataSourceWithConfigure        = (*webhookDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*webhookDataSource)(nil)
)

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
		Description: "One webhook of the user pool, by its ID or by its name. The signing secret is not exposed.",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				Optional: true, Computed: true, Validators: []validator.String{notBlankValidator},
				Description: "The webhook ID (`webhookId` in the API). Set exactly one of `webhook_id` and `name`.",
			},
			"id": computed("The webhook ID."),
			"name": schema.StringAttribute{
				Optional: true, Computed: true, Validators: []validator.String{notBlankValidator},
				Description: "Name of the webhook. Set it instead of `webhook_id` to look the webhook up by name: names are not unique at Authing, " +
					"so the read fails when no webhook or several webhooks have this exact name, naming each of them (the whole user pool is listed).",
			},
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

// ConfigValidators requires exactly one way of naming the webhook.
func (d *webhookDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("webhook_id"), path.MatchRoot("name"))}
}

func (d *webhookDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhookDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	call, ok := d.data.openCall(ctx, m.Timeouts.Read, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	ctx, client := call.ctx, call.client
	var w authing.Webhook
	if !m.Name.IsNull() {
		var diags diag.Diagnostics
		w, diags = webhookNamed(ctx, client, m.Name.ValueString())
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	} else {
		var err error
		w, err = client.GetWebhook(ctx, m.WebhookID.ValueString())
		if authing.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("webhook_id"), "Could not read webhook",
				"Webhook "+m.WebhookID.ValueString()+" does not exist at Authing.\n\n"+errorDetail(err, noOutcome))
			return
		}
		if err != nil {
			resp.Diagnostics.AddError("Could not read webhook", errorDetail(err, noOutcome))
			return
		}
	}
	m.webhookElement = newWebhookElement(w)
	m.ID = types.StringValue(w.WebhookID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// webhookNamed is the one webhook with exactly this name. Names are not unique at Authing,
// so none and several are errors, several naming each webhook so that the user can pick
// one by its ID.
func webhookNamed(ctx context.Context, client *authing.Client, name string) (authing.Webhook, diag.Diagnostics) {
	var diags diag.Diagnostics
	all, err := client.ListWebhooks(ctx)
	if err != nil {
		diags.AddError("Could not list webhooks", errorDetail(err, noOutcome))
		return authing.Webhook{}, diags
	}
	var found []authing.Webhook
	for _, w := range all {
		if w.Name == name {
			found = append(found, w)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		diags.AddAttributeError(path.Root("name"), "No webhook with this name",
			fmt.Sprintf("None of the %d webhooks of the user pool is named %q (names are matched exactly, letter case included). "+
				"The authing_webhooks data source lists them all; look the webhook up by webhook_id if you know it.", len(all), name))
	default:
		lines := make([]string, len(found))
		for i, w := range found {
			lines[i] = fmt.Sprintf("  %s (url %s)", w.WebhookID, w.URL)
		}
		diags.AddAttributeError(path.Root("name"), "Several webhooks have this name",
			fmt.Sprintf("%d webhooks are named %q, so the name does not say which one is meant:\n%s\n\n"+
				"Look the webhook up by webhook_id instead, or rename the others.", len(found), name, strings.Join(lines, "\n")))
	}
	return authing.Webhook{}, diags
}
