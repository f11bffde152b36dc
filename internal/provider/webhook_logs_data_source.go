package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

var _ datasource.DataSourceWithConfigure = (*webhookLogsDataSource)(nil)

// defaultLogLimit is how many deliveries authing_webhook_logs reads when limit is unset.
const defaultLogLimit = 20

// NewWebhookLogsDataSource returns the authing_webhook_logs data source.
func NewWebhookLogsDataSource() datasource.DataSource { return &webhookLogsDataSource{} }

type webhookLogsDataSource struct {
	data *providerData
}

type webhookLogsModel struct {
	ID        types.String   `tfsdk:"id"`
	WebhookID types.String   `tfsdk:"webhook_id"`
	Limit     types.Int64    `tfsdk:"limit"`
	Logs      types.List     `tfsdk:"logs"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

var webhookLogObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"event_name":           types.StringType,
	"success":              types.BoolType,
	"response_status_code": types.Int64Type,
	"timestamp":            types.StringType,
	"error_message":        types.StringType,
	"request_headers":      types.MapType{ElemType: types.StringType},
	"response_headers":     types.MapType{ElemType: types.StringType},
	"request_body":         types.StringType,
	"response_body":        types.StringType,
}}

func (d *webhookLogsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_logs"
}

func (d *webhookLogsDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "The latest deliveries of a webhook (get-webhook-logs), newest first, so that a smoke test can check that real deliveries succeeded. " +
			"The webhook's secret, which Authing sends in the `x-authing-token` and `x-authing-webhook-secret` headers and records in the logs, is never exposed.",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				Required: true, Validators: []validator.String{notBlankValidator},
				Description: "The webhook ID (`webhookId` in the API).",
			},
			"limit": schema.Int64Attribute{
				Optional: true, Validators: []validator.Int64{int64validator.Between(1, authing.MaxWebhookLogs)},
				Description: fmt.Sprintf("How many of the latest deliveries to read (1 to %d, default %d); pages are fetched concurrently.", authing.MaxWebhookLogs, defaultLogLimit),
			},
			"id": schema.StringAttribute{Computed: true, Description: "The webhook ID."},
			"logs": schema.ListAttribute{
				Computed: true, ElementType: webhookLogObjectType,
				Description: "Deliveries, newest first: `event_name`, `success`, `response_status_code`, `timestamp` (RFC 3339, for `timecmp()` and `timeadd()`), `error_message`, " +
					"`request_headers` and `response_headers` (lower-case names; without `x-authing-token`, `x-authing-webhook-secret` and any header whose value is a secret the provider knows), " +
					"and `request_body` and `response_body` as JSON strings (null when absent), for `jsondecode()`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: "How long the read may take, retries included (default `2m`)."}),
		},
	}
}

func (d *webhookLogsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookLogsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhookLogsModel
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
	limit := int64(defaultLogLimit)
	if !m.Limit.IsNull() {
		limit = m.Limit.ValueInt64()
	}
	logs, err := client.GetWebhookLogs(ctx, m.WebhookID.ValueString(), int(limit))
	if err != nil {
		resp.Diagnostics.AddError("Could not read webhook logs", errorDetail(err, noOutcome))
		return
	}
	items := make([]attr.Value, 0, len(logs))
	for _, l := range logs {
		items = append(items, types.ObjectValueMust(webhookLogObjectType.AttrTypes, map[string]attr.Value{
			"event_name":           types.StringValue(l.EventName),
			"success":              types.BoolValue(l.Success),
			"response_status_code": types.Int64Value(int64(l.ResponseStatusCode)),
			"timestamp":            types.StringValue(l.Timestamp),
			"error_message":        types.StringValue(l.ErrorMessage),
			"request_headers":      stringMap(l.RequestHeaders),
			"response_headers":     stringMap(l.ResponseHeaders),
			"request_body":         jsonString(l.RequestBody),
			"response_body":        jsonString(l.ResponseBody),
		}))
	}
	m.ID = m.WebhookID
	m.Logs = types.ListValueMust(webhookLogObjectType, items)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// stringMap is headers as a Terraform map. The client has already left out the headers
// that carry a secret.
func stringMap(headers map[string]string) types.Map {
	out := make(map[string]attr.Value, len(headers))
	for name, v := range headers {
		out[name] = types.StringValue(v)
	}
	return types.MapValueMust(types.StringType, out)
}

// jsonString is a JSON value in canonical form, or null when absent.
func jsonString(raw json.RawMessage) types.String {
	if len(raw) == 0 || string(raw) == "null" {
		return types.StringNull()
	}
	canon, err := authing.CanonicalJSON(raw)
	if err != nil {
		return types.StringValue(string(raw))
	}
	return types.StringValue(string(canon))
}
