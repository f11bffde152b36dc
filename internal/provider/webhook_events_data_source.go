package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*webhookEventsDataSource)(nil)

// NewWebhookEventsDataSource returns the authing_webhook_events data source.
func NewWebhookEventsDataSource() datasource.DataSource { return &webhookEventsDataSource{} }

type webhookEventsDataSource struct {
	data *providerData
}

type webhookEventsModel struct {
	ID         types.String   `tfsdk:"id"`
	Names      types.List     `tfsdk:"names"`
	Events     types.List     `tfsdk:"events"`
	Categories types.List     `tfsdk:"categories"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

var (
	eventObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name": types.StringType, "name_en": types.StringType, "value": types.StringType, "category": types.StringType,
	}}
	categoryObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"name": types.StringType, "name_en": types.StringType, "value": types.StringType,
	}}
)

func (d *webhookEventsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_events"
}

func (d *webhookEventsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The webhook events the server knows (get-webhook-event-list), for `for_each` and for checking event names.",
		Attributes: map[string]schema.Attribute{
			"id":         schema.StringAttribute{Computed: true, Description: "Always `webhook-events`."},
			"names":      schema.ListAttribute{Computed: true, ElementType: types.StringType, Description: "Every event name (`value`), such as `user:created`, in the server's order."},
			"events":     schema.ListAttribute{Computed: true, ElementType: eventObjectType, Description: "Every event: `name`, `name_en`, `value` (the name to use in `events`) and `category`."},
			"categories": schema.ListAttribute{Computed: true, ElementType: categoryObjectType, Description: "The event categories: `name`, `name_en` and `value`."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: "How long the read may take, retries included (default `2m`)."}),
		},
	}
}

func (d *webhookEventsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookEventsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhookEventsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	call, ok := d.data.openCall(ctx, m.Timeouts.Read, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	ctx, client := call.ctx, call.client
	list, err := client.ListWebhookEvents(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Could not list webhook events", errorDetail(err, noOutcome))
		return
	}
	names := make([]attr.Value, 0, len(list.Events))
	events := make([]attr.Value, 0, len(list.Events))
	for _, e := range list.Events {
		names = append(names, types.StringValue(e.Value))
		events = append(events, types.ObjectValueMust(eventObjectType.AttrTypes, map[string]attr.Value{
			"name": types.StringValue(e.Name), "name_en": types.StringValue(e.NameEn), "value": types.StringValue(e.Value), "category": types.StringValue(e.Category),
		}))
	}
	categories := make([]attr.Value, 0, len(list.Categories))
	for _, c := range list.Categories {
		categories = append(categories, types.ObjectValueMust(categoryObjectType.AttrTypes, map[string]attr.Value{
			"name": types.StringValue(c.Name), "name_en": types.StringValue(c.NameEn), "value": types.StringValue(c.Value),
		}))
	}
	m.ID = types.StringValue("webhook-events")
	m.Names = types.ListValueMust(types.StringType, names)
	m.Events = types.ListValueMust(eventObjectType, events)
	m.Categories = types.ListValueMust(categoryObjectType, categories)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
