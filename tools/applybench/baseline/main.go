// Command baseline is the floor that `make bench` measures the provider against: a
// minimal terraform-plugin-framework provider named authing whose authing_webhook_trigger
// resource has the real resource's schema and does nothing. It pays what every external
// provider pays (process start, schema, plugin protocol) and nothing else.
package main

import (
	"context"
	"log"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return &nullProvider{} }, providerserver.ServeOpts{
		Address: "registry.terraform.io/authing/authing",
	})
	if err != nil {
		log.Fatal(err)
	}
}

type nullProvider struct{}

func (p *nullProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "authing"
}

func (p *nullProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"access_key_id":     pschema.StringAttribute{Optional: true},
		"access_key_secret": pschema.StringAttribute{Optional: true, Sensitive: true},
		"host":              pschema.StringAttribute{Optional: true},
		"tenant_id":         pschema.StringAttribute{Optional: true},
		"ca_file":           pschema.StringAttribute{Optional: true},
		"list_concurrency":  pschema.Int64Attribute{Optional: true},
	}}
}

func (p *nullProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *nullProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &nullTrigger{} }}
}

func (p *nullProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type nullTrigger struct{}

type model struct {
	ID             types.String   `tfsdk:"id"`
	WebhookID      types.String   `tfsdk:"webhook_id"`
	RequestHeaders types.Map      `tfsdk:"request_headers"`
	RequestBody    types.String   `tfsdk:"request_body"`
	Triggers       types.Map      `tfsdk:"triggers"`
	Response       types.String   `tfsdk:"response"`
	OnDestroy      types.Object   `tfsdk:"on_destroy"`
	Expect         types.Object   `tfsdk:"expect"`
	Retry          types.Object   `tfsdk:"retry"`
	StatusCode     types.Int64    `tfsdk:"status_code"`
	Attempts       types.Int64    `tfsdk:"attempts"`
	TriggeredAt    types.String   `tfsdk:"triggered_at"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func (r *nullTrigger) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_trigger"
}

// Schema is the real resource's schema in shape (names, types, nesting, which attributes
// are required, optional or computed, and the framework's own plan modifiers where the
// real one has its own), without descriptions or validators; TestSchemaShapeIsTheRealOne
// holds it to the real one, since every attribute costs the framework time on each plan.
func (r *nullTrigger) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	keepInt := []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":              schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"webhook_id":      schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
			"request_headers": schema.MapAttribute{Optional: true, ElementType: types.StringType, PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()}},
			"request_body":    schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}},
			"triggers":        schema.MapAttribute{Optional: true, ElementType: types.StringType, PlanModifiers: []planmodifier.Map{mapplanmodifier.RequiresReplace()}},
			"response":        schema.StringAttribute{Computed: true, PlanModifiers: keep},
			"on_destroy": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
				"request_headers": schema.MapAttribute{Optional: true, ElementType: types.StringType},
				"request_body":    schema.StringAttribute{Optional: true},
			}},
			"expect": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
				"status_codes": schema.SetAttribute{Optional: true, ElementType: types.Int64Type},
				"present":      schema.ListAttribute{Optional: true, ElementType: types.StringType},
				"equals":       schema.MapAttribute{Optional: true, ElementType: types.StringType},
			}},
			"retry": schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
				"attempts":  schema.Int64Attribute{Optional: true},
				"min_delay": schema.StringAttribute{Optional: true},
				"max_delay": schema.StringAttribute{Optional: true},
			}},
			"status_code":  schema.Int64Attribute{Computed: true, PlanModifiers: keepInt},
			"attempts":     schema.Int64Attribute{Computed: true, PlanModifiers: keepInt},
			"triggered_at": schema.StringAttribute{Computed: true, PlanModifiers: keep},
		},
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true})},
	}
}

func (r *nullTrigger) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = types.StringValue("null")
	m.Response = types.StringValue("{}")
	m.TriggeredAt = types.StringValue(time.Now().UTC().Format(time.RFC3339))
	m.StatusCode = types.Int64Null()
	m.Attempts = types.Int64Value(1)
	if m.RequestBody.IsUnknown() {
		m.RequestBody = types.StringNull()
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *nullTrigger) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *nullTrigger) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m model
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *nullTrigger) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
