// Package provider translates between Terraform and the Authing API client.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// Environment variables read when the provider block leaves an attribute unset.
const (
	EnvAccessKeyID     = "AUTHING_ACCESS_KEY_ID"
	EnvAccessKeySecret = "AUTHING_ACCESS_KEY_SECRET"
	EnvHost            = "AUTHING_HOST"
	EnvTenantID        = "AUTHING_TENANT_ID"
	EnvCAFile          = "AUTHING_CA_FILE"
)

var (
	_ provider.Provider                   = (*AuthingProvider)(nil)
	_ provider.ProviderWithActions        = (*AuthingProvider)(nil)
	_ provider.ProviderWithValidateConfig = (*AuthingProvider)(nil)
	_ provider.ProviderWithListResources  = (*AuthingProvider)(nil)
)

// AuthingProvider is the authing provider.
type AuthingProvider struct {
	version string
}

// New returns a constructor of the provider for providerserver; an empty version is
// authing.DevVersion.
func New(version string) func() provider.Provider {
	if version == "" {
		version = authing.DevVersion
	}
	return func() provider.Provider { return &AuthingProvider{version: version} }
}

type providerModel struct {
	AccessKeyID     types.String `tfsdk:"access_key_id"`
	AccessKeySecret types.String `tfsdk:"access_key_secret"`
	Host            types.String `tfsdk:"host"`
	TenantID        types.String `tfsdk:"tenant_id"`
	CAFile          types.String `tfsdk:"ca_file"`
	ListConcurrency types.Int64  `tfsdk:"list_concurrency"`
}

// Metadata names the provider.
func (p *AuthingProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "authing"
	resp.Version = p.version
}

// Schema describes the provider block.
func (p *AuthingProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages, lists and triggers the webhooks of an Authing user pool through the Authing v3 management API.",
		Attributes: map[string]schema.Attribute{
			"access_key_id": schema.StringAttribute{
				Optional:    true,
				Description: "ID of the Authing access key (a user pool's own key pair, or a collaborator admin's). Defaults to the `" + EnvAccessKeyID + "` environment variable. Needed only when a data source or resource calls the API.",
			},
			"access_key_secret": schema.StringAttribute{
				Optional:    true,
				Sensitive:   true,
				Description: "Secret of the Authing access key. Defaults to the `" + EnvAccessKeySecret + "` environment variable. Never logged.",
			},
			"host": schema.StringAttribute{
				Optional:    true,
				Validators:  []validator.String{hostValidator},
				Description: "Base URL of the Authing API: `" + authing.DefaultHost + "` (the default), or a private deployment's `https://` URL with no path. Plain `http://` is accepted only for loopback addresses, such as the local emulator. Defaults to the `" + EnvHost + "` environment variable.",
			},
			"tenant_id": schema.StringAttribute{
				Optional:    true,
				Description: "Tenant ID, sent as the `x-authing-app-tenant-id` header. Defaults to the `" + EnvTenantID + "` environment variable; unset means no tenant.",
			},
			"ca_file": schema.StringAttribute{
				Optional:    true,
				Description: "Path of a PEM file with extra certificate authorities to trust, for a private deployment whose certificate a private CA signed. The system's authorities stay trusted and certificates are always verified. Defaults to the `" + EnvCAFile + "` environment variable.",
			},
			"list_concurrency": schema.Int64Attribute{
				Optional:    true,
				Validators:  []validator.Int64{int64validator.Between(1, 32)},
				Description: fmt.Sprintf("How many list pages are fetched at once when listing, after the first page (1 to 32, default %d). The provider slows all requests down together when the API throttles.", authing.DefaultListConcurrency),
			},
		},
	}
}

// ValidateConfig checks what is known at validate time. The host validator does the rest.
func (p *AuthingProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !cfg.CAFile.IsNull() && !cfg.CAFile.IsUnknown() && strings.TrimSpace(cfg.CAFile.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("ca_file"), "Invalid CA file", "ca_file is empty; remove it or give the path of a PEM file.")
	}
}

// Configure resolves the configuration against the environment. It sends nothing: the
// API client is built on first use, so that validate and plans without Authing objects
// need no credentials.
func (p *AuthingProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	data := &providerData{version: p.version, terraformVersion: req.TerraformVersion}
	unknown := map[string]bool{
		"access_key_id": cfg.AccessKeyID.IsUnknown(), "access_key_secret": cfg.AccessKeySecret.IsUnknown(),
		"host": cfg.Host.IsUnknown(), "tenant_id": cfg.TenantID.IsUnknown(), "ca_file": cfg.CAFile.IsUnknown(),
		"list_concurrency": cfg.ListConcurrency.IsUnknown(),
	}
	for _, name := range sortedKeys(unknown) {
		if unknown[name] {
			data.unknown = append(data.unknown, name)
		}
	}
	if len(data.unknown) > 0 && req.ClientCapabilities.DeferralAllowed {
		resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
	}
	if len(data.unknown) == 0 {
		data.resolve(cfg, &resp.Diagnostics)
	}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

// setting returns the configured value, or the environment variable when unset.
func setting(v types.String, env string) (string, string) {
	if !v.IsNull() {
		return v.ValueString(), "the provider's configuration"
	}
	return os.Getenv(env), "the " + env + " environment variable"
}

// Resources lists the resource types.
func (p *AuthingProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewWebhookTriggerResource, NewWebhookResource}
}

// DataSources lists the data source types.
func (p *AuthingProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewWebhooksDataSource, NewWebhookDataSource, NewWebhookEventsDataSource, NewWebhookLogsDataSource}
}

// Actions lists the action types.
func (p *AuthingProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{NewWebhookTriggerAction, NewWebhookReplayAction}
}

// ListResources lists the list resource types, for terraform query.
func (p *AuthingProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewWebhookListResource}
}
