package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
	Since     types.String   `tfsdk:"since"`
	EventName types.String   `tfsdk:"event_name"`
	Success   types.Bool     `tfsdk:"success"`
	FiringID  types.String   `tfsdk:"firing_id"`
	MinCount  types.Int64    `tfsdk:"min_count"`
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
		Description: "The latest deliveries of a webhook (get-webhook-logs), newest first, optionally filtered, so that a smoke test can check that real deliveries succeeded. " +
			"Authing may write a delivery's log a moment after the delivery: `min_count` waits for the deliveries a check needs. " +
			"The webhook's secret, which Authing sends in the `x-authing-token` and `x-authing-webhook-secret` headers and records in the logs, is never exposed.",
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				Required: true, Validators: []validator.String{notBlankValidator},
				Description: "The webhook ID (`webhookId` in the API).",
			},
			"limit": schema.Int64Attribute{
				Optional: true, Validators: []validator.Int64{int64validator.Between(1, authing.MaxWebhookLogs)},
				Description: fmt.Sprintf("How many of the latest deliveries to read (1 to %d, default %d); pages are fetched concurrently. The filters apply to these deliveries: raise `limit` for a busy webhook.", authing.MaxWebhookLogs, defaultLogLimit),
			},
			"since": schema.StringAttribute{
				Optional: true, Validators: []validator.String{rfc3339Validator},
				Description: "Keep only deliveries logged at or after this RFC 3339 time, such as `timeadd(authing_webhook_trigger.smoke.triggered_at, \"-1m\")` (a minute for the clocks of this machine and Authing to disagree).",
			},
			"event_name": schema.StringAttribute{
				Optional: true, Validators: []validator.String{eventNameValidator},
				Description: "Keep only deliveries of this event, such as `user:created` (a firing's own event is its body's `eventName`, `test` when it has none); checked as `authing_webhook` checks its `events`.",
			},
			"success": schema.BoolAttribute{
				Optional:    true,
				Description: "Keep only deliveries that succeeded (`true`: the endpoint answered 2xx) or that failed (`false`).",
			},
			"firing_id": schema.StringAttribute{
				Optional: true, Validators: []validator.String{notBlankValidator},
				Description: "Keep only the delivery of one firing: the `id` of an `authing_webhook_trigger`, which each firing sends in its `Idempotency-Key` header (matched in any letter case). " +
					"Authing does not document whether it logs manual triggers; where it does not, no delivery matches.",
			},
			"min_count": schema.Int64Attribute{
				Optional: true, Validators: []validator.Int64{int64validator.Between(0, authing.MaxWebhookLogs)},
				Description: "How many matching deliveries the read waits for (default 0, no waiting; at most `limit`). Until that many match, the read reads the logs again, with pauses growing to 2 s, " +
					"within `timeouts.read`; then it fails saying how many matched, how many were read, the newest time seen and the filters. " +
					"With `min_count = 1`, `logs[0]` is always there, so a postcondition can use it without a guard.",
			},
			"id": schema.StringAttribute{Computed: true, Description: "The webhook ID."},
			"logs": schema.ListAttribute{
				Computed: true, ElementType: webhookLogObjectType,
				Description: "The deliveries the filters kept, newest first by their timestamps whatever order Authing lists them in: `event_name`, `success`, `response_status_code`, `timestamp` (RFC 3339, for `timecmp()` and `timeadd()`), `error_message`, " +
					"`request_headers` and `response_headers` (lower-case names; without `x-authing-token`, `x-authing-webhook-secret` and any header whose value is a secret the provider knows), " +
					"and `request_body` and `response_body` as JSON strings (null when absent), for `jsondecode()`. " +
					"Every occurrence of a secret the provider knows (the webhook's own, the access key secret, the management token) in these values is replaced by `***`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: "How long the read may take, retries and the wait for `min_count` included (default `2m`)."}),
		},
	}
}

func (d *webhookLogsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookLogsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m webhookLogsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	call, ok := d.data.openCall(ctx, m.Timeouts.Read, &resp.Diagnostics)
	defer call.cancel()
	if !ok {
		return
	}
	q, diags := m.query(ctx, d.data, call.timeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, client, timeout := call.ctx, call.client, call.timeout
	seen, err := client.WaitForWebhookLogs(ctx, m.WebhookID.ValueString(), q.limit, q.minCount, q.filter)
	switch {
	case authing.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("webhook_id"), "Could not read webhook logs",
			"Webhook "+m.WebhookID.ValueString()+" does not exist at Authing (Authing answers the logs of an unknown webhook with an empty list, so the provider asks get-webhook first).\n\n"+errorDetail(err, noOutcome))
		return
	case seen.Reads > 0 && len(seen.Matched) < q.minCount:
		resp.Diagnostics.AddError("Too few webhook deliveries", q.tooFew(seen, timeout, err))
		return
	case err != nil:
		resp.Diagnostics.AddError("Could not read webhook logs", errorDetail(err, noOutcome))
		return
	}
	logs := seen.Matched
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

// logsQuery is what a read of authing_webhook_logs asks for.
type logsQuery struct {
	limit, minCount int
	filter          authing.LogFilter
	// filters describes the filters set, for an error.
	filters []string
}

// query reads the configuration's limit, min_count and filters, and checks event_name
// against the server's list of events.
func (m webhookLogsModel) query(ctx context.Context, data *providerData, timeout time.Duration) (logsQuery, diag.Diagnostics) {
	q := logsQuery{limit: defaultLogLimit}
	var diags diag.Diagnostics
	if !m.Limit.IsNull() {
		q.limit = int(m.Limit.ValueInt64())
	}
	if !m.MinCount.IsNull() {
		q.minCount = int(m.MinCount.ValueInt64())
	}
	if q.minCount > q.limit {
		diags.AddAttributeError(path.Root("min_count"), "min_count over limit",
			fmt.Sprintf("min_count is %d, but the read looks at the %d latest deliveries (limit), so it could never be met; raise limit to at least %d.", q.minCount, q.limit, q.minCount))
	}
	if !m.Since.IsNull() {
		// The validator has refused a value that does not parse.
		q.filter.Since, _ = time.Parse(time.RFC3339, m.Since.ValueString())
		q.filters = append(q.filters, "since = "+m.Since.ValueString())
	}
	if !m.EventName.IsNull() {
		diags.Append(data.checkEventFilter(ctx, path.Root("event_name"), m.EventName, timeout)...)
		q.filter.EventName = m.EventName.ValueString()
		q.filters = append(q.filters, fmt.Sprintf("event_name = %q", q.filter.EventName))
	}
	if !m.Success.IsNull() {
		q.filter.Success = m.Success.ValueBoolPointer()
		q.filters = append(q.filters, fmt.Sprintf("success = %t", m.Success.ValueBool()))
	}
	if !m.FiringID.IsNull() {
		q.filter.FiringID = m.FiringID.ValueString()
		q.filters = append(q.filters, fmt.Sprintf("firing_id = %q", q.filter.FiringID))
	}
	return q, diags
}

// tooFew says what a read that waited for min_count deliveries saw.
func (q logsQuery) tooFew(seen authing.LogsSeen, timeout time.Duration, err error) string {
	newest := "none"
	if !seen.Newest.IsZero() {
		newest = seen.Newest.Format(time.RFC3339Nano)
	}
	filters := "none"
	if len(q.filters) > 0 {
		filters = strings.Join(q.filters, ", ")
	}
	detail := fmt.Sprintf("%d of the %d latest deliveries read matched, and min_count is %d. The newest delivery read was logged at %s. Filters: %s. "+
		"The logs were read %d times within the read timeout (%s).\n\n"+
		"Authing may write a delivery's log a moment after the delivery: raise timeouts.read to wait longer, raise limit if the webhook is busy, or check the filters.",
		len(seen.Matched), seen.Read, q.minCount, newest, filters, seen.Reads, timeout)
	if err != nil && !errors.Is(err, authing.ErrTooFewLogs) {
		detail += "\n\nThe last read failed:\n" + errorDetail(err, noOutcome)
	}
	return detail
}
