package provider

import (
	"context"

	listtimeouts "github.com/hashicorp/terraform-plugin-framework-timeouts/list/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

var _ list.ListResourceWithConfigure = (*webhookListResource)(nil)

// NewWebhookListResource returns the authing_webhook list resource, which terraform query
// (Terraform 1.14+) uses to find webhooks and generate their configuration.
func NewWebhookListResource() list.ListResource { return &webhookListResource{} }

type webhookListResource struct {
	data *providerData
}

type webhookListModel struct {
	Name      types.String       `tfsdk:"name"`
	NameRegex types.String       `tfsdk:"name_regex"`
	Enabled   types.Bool         `tfsdk:"enabled"`
	Event     types.String       `tfsdk:"event"`
	Timeouts  listtimeouts.Value `tfsdk:"timeouts"`
}

func (l *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (l *webhookListResource) ListResourceConfigSchema(ctx context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Finds the webhooks of the user pool for `terraform query`, with the filters of the `authing_webhooks` data source. " +
			"Each result has the webhook's identity and, with `include_resource = true`, the webhook itself (never its secret).",
		Attributes: map[string]schema.Attribute{
			"name":       schema.StringAttribute{Optional: true, Description: "Keep only webhooks with exactly this name."},
			"name_regex": schema.StringAttribute{Optional: true, Validators: []validator.String{regexValidator}, Description: "Keep only webhooks whose name matches this regular expression (RE2, unanchored)."},
			"enabled":    schema.BoolAttribute{Optional: true, Description: "Keep only enabled (`true`) or disabled (`false`) webhooks."},
			"event": schema.StringAttribute{
				Optional: true, Validators: []validator.String{eventNameValidator},
				Description: "Keep only webhooks subscribed to this event name, such as `user:created`, checked as `authing_webhook` checks its `events`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": listtimeouts.BlockWithOpts(ctx, listtimeouts.Opts{ListDescription: "How long listing may take, retries included (default `2m`)."}),
		},
	}
}

func (l *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// List lists every webhook (all pages, fetched concurrently, as the data source does) and
// streams those that pass the filters, up to the query's limit.
func (l *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m webhookListModel
	diags := req.Config.Get(ctx, &m)
	filter, err := newWebhookFilter(m.Name, m.NameRegex, m.Enabled, m.Event)
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid regular expression", err.Error())
	}
	call, ok := l.data.openCall(ctx, m.Timeouts.List, &diags)
	defer call.cancel()
	if ok {
		diags.Append(l.data.checkEventFilter(ctx, path.Root("event"), m.Event, call.timeout)...)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	all, err := call.client.ListWebhooks(call.ctx)
	if err != nil {
		diags.AddError("Could not list webhooks", errorDetail(err, noOutcome))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var sent int64
		for _, w := range all {
			if !filter.keep(w) {
				continue
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			sent++
			if !push(l.result(ctx, req, w)) {
				return
			}
		}
	}
}

// result is one webhook as terraform query shows it: "name (url)", its identity, and the
// resource when asked for, as a fresh import would read it.
func (l *webhookListResource) result(ctx context.Context, req list.ListRequest, w authing.Webhook) list.ListResult {
	r := req.NewListResult(ctx)
	r.DisplayName = w.Name + " (" + w.URL + ")"
	r.Diagnostics.Append(r.Identity.Set(ctx, webhookIdentity{WebhookID: types.StringValue(w.WebhookID)})...)
	if req.IncludeResource {
		m := webhookModel{
			Secret: types.StringNull(), SecretWOVersion: types.Int64Null(),
			RetryConfig: types.ObjectNull(retryConfigAttrTypes),
			Timeouts:    timeouts.Value{Object: types.ObjectNull(webhookTimeoutsAttrTypes)},
		}
		m.fill(w)
		r.Diagnostics.Append(r.Resource.Set(ctx, &m)...)
	}
	return r
}
