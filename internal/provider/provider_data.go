package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// providerData is what Configure hands to data sources, resources and actions: the
// resolved configuration and an API client built once, on first use.
type providerData struct {
	version          string
	terraformVersion string
	// unknown lists provider attributes whose values were not known at configure time.
	unknown []string
	cfg     authing.Config
	// missing lists the credentials that neither the configuration nor the environment set.
	missing []string
	// invalid is set when the configuration had an error already reported by Configure.
	invalid bool

	once   sync.Once
	client *authing.Client
	err    error

	// claimed are the webhooks this process created, adopted or read, and its creates in
	// flight (settleCreate).
	claimed claims

	eventsMu   sync.Mutex
	events     []string // the server's list, once read
	eventsRead *eventsRead
}

// resolve fills the configuration from the provider block and the environment. The
// client's rules (authing.Config.Normalize) decide what is usable; this says where each
// problem came from: a bad host at once, missing credentials when something calls the API.
func (d *providerData) resolve(cfg providerModel, diags *diag.Diagnostics) {
	id, _ := setting(cfg.AccessKeyID, EnvAccessKeyID)
	secret, _ := setting(cfg.AccessKeySecret, EnvAccessKeySecret)
	host, hostFrom := setting(cfg.Host, EnvHost)
	tenant, _ := setting(cfg.TenantID, EnvTenantID)
	caFile, caFrom := setting(cfg.CAFile, EnvCAFile)

	d.cfg = authing.Config{
		Host:            host,
		AccessKeyID:     id,
		AccessKeySecret: secret,
		TenantID:        tenant,
		Version:         d.version,
		Logger:          tflogLogger{},
	}
	if d.terraformVersion != "" {
		d.cfg.Platform = "terraform " + d.terraformVersion
	}
	if !cfg.ListConcurrency.IsNull() {
		d.cfg.ListConcurrency = int(cfg.ListConcurrency.ValueInt64())
	}
	normalized, err := d.cfg.Normalize()
	d.cfg = normalized
	var problems *authing.ConfigError
	if errors.As(err, &problems) {
		if problems.Host != nil {
			diags.AddAttributeError(path.Root("host"), "Invalid Authing host", fmt.Sprintf("The host set by %s is not usable: %s.", hostFrom, problems.Host))
			d.invalid = true
		}
		for _, field := range problems.Missing {
			d.missing = append(d.missing, credentialSettings[field])
		}
	}
	if strings.TrimSpace(caFile) != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			diags.AddAttributeError(path.Root("ca_file"), "Could not read the CA file", fmt.Sprintf("The CA file set by %s could not be read: %s.", caFrom, err))
			d.invalid = true
		}
		d.cfg.CAPEM = pem
	}
}

// credentialSettings names, for each credential field of authing.Config, where a user
// sets it.
var credentialSettings = map[string]string{
	"AccessKeyID":     "access_key_id (or the " + EnvAccessKeyID + " environment variable)",
	"AccessKeySecret": "access_key_secret (or the " + EnvAccessKeySecret + " environment variable)",
}

// Client returns the API client, building it on first use. It reports missing
// credentials and unknown configuration as errors that say what to do.
func (d *providerData) Client() (*authing.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case d == nil:
		diags.AddError("Provider not configured", "The authing provider was not configured before use. This is a bug in the provider; please report it.")
		return nil, diags
	case len(d.unknown) > 0:
		diags.AddError("Provider configuration not known yet",
			fmt.Sprintf("The authing provider's %s depends on values that are known only after apply, so it cannot call the Authing API during this plan. "+
				"Set these attributes from values known at plan time, or apply the resources they depend on first (for example with -target).", strings.Join(d.unknown, ", ")))
		return nil, diags
	case d.invalid:
		diags.AddError("Invalid provider configuration", "The authing provider's configuration has errors, reported above; fix them first.")
		return nil, diags
	case len(d.missing) > 0:
		diags.AddError("Missing Authing credentials",
			"Calling the Authing API needs an access key, and these are not set: "+strings.Join(d.missing, "; ")+
				". Find the access key in the Authing console, then set it in the provider block or the environment.")
		return nil, diags
	}
	d.once.Do(func() { d.client, d.err = authing.New(d.cfg) })
	if d.err != nil {
		diags.AddError("Invalid provider configuration", d.err.Error())
	}
	return d.client, diags
}

// knownEvents returns the valid webhook event names and where they came from. With
// credentials configured, the names are the server's list, and a list that cannot be read
// (credentials refused, a host that cannot be reached, a timeout) is an error, as the
// apply would be: a plan must not pass on a stand-in list then. Only a plan that cannot
// call the API at all uses the documented list: no credentials configured (neither the
// access key ID nor its secret), or a provider configuration not known until apply. The
// server's list is kept once read; a failure is not, so that the next plan asks again.
// Callers that ask while a read is under way share it, whichever of them started it and
// however long each waits; the read stops after timeout.
func (d *providerData) knownEvents(ctx context.Context, timeout time.Duration) ([]string, string, diag.Diagnostics) {
	if len(d.unknown) > 0 || d.invalid || len(d.missing) == len(credentialSettings) {
		return documentedEvents, documentedEventsSource, nil
	}
	d.eventsMu.Lock()
	if d.events != nil {
		d.eventsMu.Unlock()
		return d.events, serverEventsSource, nil
	}
	read := d.eventsRead
	leader := read == nil
	if leader {
		read = &eventsRead{done: make(chan struct{})}
		d.eventsRead = read
	}
	d.eventsMu.Unlock()

	if leader {
		// Shared, so detached from this caller's cancellation; readEvents bounds it.
		go func() {
			read.names, read.err = d.readEvents(context.WithoutCancel(ctx), timeout)
			d.eventsMu.Lock()
			if read.err == nil {
				d.events = read.names
			}
			d.eventsRead = nil
			d.eventsMu.Unlock()
			close(read.done)
		}()
	}
	select {
	case <-read.done:
	case <-ctx.Done():
		return nil, "", eventsError(ctx.Err())
	}
	if read.err != nil {
		return nil, "", eventsError(read.err)
	}
	return read.names, serverEventsSource, nil
}

// Where knownEvents' names came from, as the event name errors say.
const (
	serverEventsSource     = "the server's list of events"
	documentedEventsSource = "the documented list of events"
)

// eventsRead is one read of the server's list of events, shared by the callers that
// wait for it.
type eventsRead struct {
	done  chan struct{}
	names []string
	err   error
}

// readEvents reads the server's event names within timeout.
func (d *providerData) readEvents(ctx context.Context, timeout time.Duration) ([]string, error) {
	var diags diag.Diagnostics
	call, ok := d.openCall(ctx, fixedTimeout(timeout), &diags)
	defer call.cancel()
	if !ok {
		return nil, errors.New(diags.Errors()[0].Detail())
	}
	list, err := call.client.ListWebhookEvents(call.ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(list.Events))
	for _, e := range list.Events {
		names = append(names, e.Value)
	}
	if len(names) == 0 {
		return nil, errors.New("the server's list of events is empty")
	}
	return names, nil
}

// eventsError says that event names could not be checked because the server's list
// could not be read with the configured credentials.
func eventsError(err error) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError("Could not check event names",
		"The server's list of webhook events could not be read with the configured credentials, so the event names cannot be checked, "+
			"and the apply would fail the same way. The documented list stands in only when no credentials are configured.\n\n"+errorDetail(err, noOutcome))
	return diags
}

// tflogLogger routes the client's request logs into Terraform's log.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// configuredData is what every Configure keeps of the provider's data: nil before the
// provider is configured (Terraform configures data sources and resources during validate
// too), else *providerData. Any other type is a bug in the provider, reported as the
// framework's scaffolding does.
func configuredData(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected Configure Type",
			fmt.Sprintf("Expected *provider.providerData, got: %T. Please report this issue to the provider developers.", raw))
	}
	return data
}
