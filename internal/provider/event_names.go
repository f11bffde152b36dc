package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// documentedEvents is the API's documented list of webhook event names, and the one the
// Node SDK 4.x adds. The provider
// validates against the server's own list (get-webhook-event-list) when it can reach the
// API, and against this list when it cannot.
var documentedEvents = []string{
	"test",
	"register",
	"login",
	"mfa:verified",
	"kick",
	"user:created",
	"user:password-changed",
	"user:updated",
	"user:email-verified",
	"user:archived",
	"user:unarchived",
	"user:blocked",
	"user:unblocked",
	"user:deleted",
	"user:register-whitelist-added",
	"user:register-whitelist-deleted",
	"user:udv-changed",
	"user:link-account",
	"user:password-update-remind",
	"user:organization-node-update",
	"permission:revoke",
	"permission:add",
	"resource:created",
	"resource:delete",
	"resource:updated",
	"role:created",
	"role:updated",
	"role:deleted",
	"role:disable",
	"role:assigned",
	"subject:remove",
	"role:unassigned",
	"role:udv-changed",
	"application:mfa:enabled",
	"application:mfa:disabled",
	"group:created",
	"group:updated",
	"group:deleted",
	"group:member-added",
	"group:member-removed",
	"organization:created",
	"organization:imported",
	"organization:deleted",
	"organization:node-added",
	"organization:node-updated",
	"organization:tree-updated",
	"organization:node-deleted",
	"organization:node-moved",
	"organization:member-added",
	"organization:member-removed",
	"organization:udv-changed",
	"privilege-namespace:created",
	"privilege-namespace:updated",
	"privilege-namespace:deleted",
	"user-pool:cooperator-added",
	"user-pool:cooperator-removed",
	"user-pool:secret-refreshed",
	"user-pool:updated",
	"user-pool:udf-added",
	"user-pool:udf-deleted",
	"user-pool:env-added",
	"user-pool:env-deleted",
	"user-pool:env-updated",
	"user-pool:launchpad-app-installed",
	"user-pool:launchpad-app-uninstalled",
	"application:created",
	"application:updated",
	"application:deleted",
	"application:secret-refreshed",
	"data-resource:created",
	"data-resource:updated",
	"data-resource:deleted",
	"data-strategy-permission:revoke",
	"data-strategy-permission:add",
	"unusual-location:login",
	// Newer than the published OpenAPI: the Node SDK 4.x types list it.
	"refresh-token",
}

// eventNameSyntax is the shape of every event name: lower-case words joined by colons.
var eventNameSyntax = regexp.MustCompile(`^[a-z0-9-]+(:[a-z0-9-]+)*$`)

// unknownEvents explains each name that known does not contain, with the closest valid name.
func unknownEvents(names, known []string) []string {
	var problems []string
	for _, name := range names {
		if slices.Contains(known, name) {
			continue
		}
		msg := fmt.Sprintf("%q is not a webhook event", name)
		if s := suggestEvent(name, known); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		problems = append(problems, msg)
	}
	return problems
}

// suggestEvent returns the known name closest to name, or "" when none is close.
func suggestEvent(name string, known []string) string {
	colons := strings.NewReplacer(".", ":", "_", "-", "/", ":").Replace(strings.ToLower(name))
	if slices.Contains(known, colons) {
		return colons
	}
	best, bestDist := "", 4
	for _, k := range known {
		if d := editDistance(colons, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// checkEventFilter checks an event name that filters webhooks (authing_webhooks, the list
// resource) or deliveries (authing_webhook_logs) against the names the server knows, as
// authing_webhook checks its events: a filter on a name no webhook can have would match
// nothing, silently.
func (d *providerData) checkEventFilter(ctx context.Context, p path.Path, event types.String, timeout time.Duration) diag.Diagnostics {
	if event.IsNull() || event.IsUnknown() {
		return nil
	}
	return d.checkEvents(ctx, p, []string{event.ValueString()}, timeout)
}

// checkEvents checks event names against the names the server knows (knownEvents),
// reporting every unknown one at p with the nearest known name.
func (d *providerData) checkEvents(ctx context.Context, p path.Path, names []string, timeout time.Duration) diag.Diagnostics {
	known, from, diags := d.knownEvents(ctx, timeout)
	if diags.HasError() {
		return diags
	}
	if problems := unknownEvents(names, known); len(problems) > 0 {
		diags.AddAttributeError(p, "Unknown webhook event",
			strings.Join(problems, "\n")+"\n\nChecked against "+from+"; the authing_webhook_events data source lists them.")
	}
	return diags
}
