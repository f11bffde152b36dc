package provider

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// defaultSettleWindow bounds how long a firing whose answer was lost is looked for in the
// webhook's delivery logs; what is left of the operation's timeout bounds it too.
const defaultSettleWindow = 20 * time.Second

// withFiringID returns the request headers with the firing's ID under
// authing.FiringIDHeader, unless the user set that header in any letter case: a header the
// user configured is never overridden. carried says whether the ID went out.
func withFiringID(headers map[string]string, firingID string) (out map[string]string, carried bool) {
	for k := range headers {
		if strings.EqualFold(k, authing.FiringIDHeader) {
			return headers, false
		}
	}
	out = maps.Clone(headers)
	if out == nil {
		out = map[string]string{}
	}
	out[authing.FiringIDHeader] = firingID
	return out, true
}

// settledFiring is a firing whose answer was lost and whose delivery the logs showed.
func settledFiring(d authing.Delivery) firing {
	f := firing{response: d.Response, at: d.At.UTC()}
	if d.At.IsZero() {
		f.at = time.Now().UTC()
	}
	return f
}

// settleFiring looks for a firing whose answer was lost in the webhook's delivery logs.
// It returns the firing when a delivery carried its ID, and otherwise what was looked at,
// for the error. A firing that the logs do not show may still have happened.
func settleFiring(ctx context.Context, client *authing.Client, webhookID, firingID string, carried bool) (firing, bool, string) {
	if !carried {
		return firing{}, false, "The request carried your own " + authing.FiringIDHeader + " header instead of the firing ID, so Authing's delivery logs could not tell whether it was delivered."
	}
	ctx, cancel := context.WithTimeout(ctx, defaultSettleWindow)
	defer cancel()
	start := time.Now()
	s := client.FindDelivery(ctx, webhookID, firingID)
	if s.Found {
		return settledFiring(s.Delivery), true, ""
	}
	looked := time.Since(start).Round(100 * time.Millisecond)
	if s.Reads == 0 {
		return firing{}, false, fmt.Sprintf("The provider could not read the webhook's delivery logs to settle it (for %s): %v", looked, s.Err)
	}
	return firing{}, false, fmt.Sprintf("The provider read the webhook's latest delivery logs %d times over %s and found no delivery with this firing ID. "+
		"Authing does not document whether, or how soon, a manual trigger appears there, so this does not mean that the webhook did not fire.", s.Reads, looked)
}

// firingSettledWarning tells the user that a lost answer was settled from the logs.
func firingSettledWarning(webhookID, firingID string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Webhook firing confirmed from Authing's logs",
		"The answer to the firing of webhook "+webhookID+" was lost on the way back, but Authing's delivery logs show its delivery (firing ID "+firingID+"), "+
			"so it happened exactly once and was not repeated. The response recorded is the one the logs show.")
}

// claims are the webhooks this provider process created or adopted, so that a lost
// create is never settled with a webhook another resource already holds.
type claims struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (c *claims) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil {
		c.ids = map[string]bool{}
	}
	c.ids[id] = true
}

func (c *claims) has(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ids[id]
}

// settleCreate looks, after a create whose answer was lost, for the webhook it may have
// made. It adopts only exactly one match; otherwise it says what the listing showed.
func settleCreate(ctx context.Context, client *authing.Client, in authing.WebhookInput, since time.Time, claimed *claims) (authing.Webhook, bool, string) {
	found, err := client.FindCreated(ctx, in, since, claimed.has)
	switch {
	case err != nil:
		return authing.Webhook{}, false, "The provider could not list the webhooks to settle it: " + err.Error()
	case len(found) == 1:
		return found[0], true, ""
	case len(found) == 0:
		return authing.Webhook{}, false, "The listing of the user pool's webhooks shows none with these fields created since the attempt began; " +
			"a create still in flight may appear later, so the provider does not create again."
	}
	var b strings.Builder
	b.WriteString("The listing shows several webhooks with these fields created since the attempt began, so the provider cannot tell which one is this resource's:\n")
	for _, w := range found {
		fmt.Fprintf(&b, "  - %s (created %s): terraform import <address> %s\n", w.WebhookID, w.CreatedAt, w.WebhookID)
	}
	b.WriteString("Import the right one, and delete the others in the Authing console.")
	return authing.Webhook{}, false, b.String()
}
