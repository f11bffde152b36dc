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

// withSettleReserve is ctx with a deadline that leaves a quarter of what remains of the
// operation's timeout (at most defaultSettleWindow) for settling, so that a call that
// waits until its timeout for an answer still leaves time to read the logs.
func withSettleReserve(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(ctx, deadline.Add(-min(defaultSettleWindow, time.Until(deadline)/4)))
}

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

// settleFiring looks for a firing whose answer was lost in the webhook's delivery logs.
// When a delivery carried its ID, it returns what the logs show of it (delivered or
// failed, its status and answer), to be judged like any answer; otherwise what was looked
// at, for the error. A firing that the logs do not show may still have happened.
func settleFiring(ctx context.Context, client *authing.Client, webhookID, firingID string, carried bool) (observation, bool, string) {
	if !carried {
		return observation{}, false, "The request carried your own " + authing.FiringIDHeader + " header instead of the firing ID, so Authing's delivery logs could not tell whether it was delivered."
	}
	ctx, cancel := context.WithTimeout(ctx, defaultSettleWindow)
	defer cancel()
	start := time.Now()
	s := client.FindDelivery(ctx, webhookID, firingID)
	if s.Found {
		obs := observation{firingID: firingID, response: s.Delivery.Response, at: s.Delivery.At.UTC(), status: s.Delivery.StatusCode, statusRead: true}
		if !s.Delivery.Success {
			obs.failed = loggedFailure(s.Delivery)
		}
		return obs, true, ""
	}
	looked := time.Since(start).Round(100 * time.Millisecond)
	if s.Reads == 0 {
		return observation{}, false, fmt.Sprintf("The provider could not read the webhook's delivery logs to settle it (for %s): %v", looked, s.Err)
	}
	return observation{}, false, fmt.Sprintf("The provider read the webhook's latest delivery logs %d times over %s and found no delivery with this firing ID. "+
		"Authing does not document whether, or how soon, a manual trigger appears there, so this does not mean that the webhook did not fire.", s.Reads, looked)
}

// firingSettledWarning tells the user that a lost answer was settled from the logs.
func firingSettledWarning(webhookID, firingID string) diag.Diagnostic {
	return diag.NewWarningDiagnostic("Webhook firing confirmed from Authing's logs",
		"The answer to the firing of webhook "+webhookID+" was lost on the way back, but Authing's delivery logs show its delivery (firing ID "+firingID+"), "+
			"so it happened exactly once and the provider did not send it again. What the logs show of the delivery (its status and answer) is judged like any answer, and is what is recorded.")
}

// claims are the webhooks this provider process created, adopted or read, and the creates
// it has in flight, so that a lost create is never settled with a webhook another resource
// holds, nor with one that a create still running in this process is about to receive.
type claims struct {
	mu       sync.Mutex
	ids      map[string]bool
	inFlight int
	idle     chan struct{} // closed when inFlight drops to zero; nil while none run
}

// begin records a create about to be sent; end, its return.
func (c *claims) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.inFlight == 0 {
		c.idle = make(chan struct{})
	}
	c.inFlight++
}

func (c *claims) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.inFlight--
	if c.inFlight == 0 {
		close(c.idle)
	}
}

// waitIdle waits until no create of this process is in flight, or ctx ends.
func (c *claims) waitIdle(ctx context.Context) error {
	c.mu.Lock()
	idle := c.idle
	busy := c.inFlight > 0
	c.mu.Unlock()
	if !busy {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// adoptSole leaves out of found the webhooks already held, and claims the one left when
// exactly one is, in one step, so that two lost creates never adopt the same webhook.
func (c *claims) adoptSole(found []authing.Webhook) []authing.Webhook {
	c.mu.Lock()
	defer c.mu.Unlock()
	var free []authing.Webhook
	for _, w := range found {
		if !c.ids[w.WebhookID] {
			free = append(free, w)
		}
	}
	if len(free) == 1 {
		if c.ids == nil {
			c.ids = map[string]bool{}
		}
		c.ids[free[0].WebhookID] = true
	}
	return free
}

// add records that a resource holds id: one it created, or read from state.
func (c *claims) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil {
		c.ids = map[string]bool{}
	}
	c.ids[id] = true
}

// settleCreate looks, after a create whose answer was lost, for the webhook it may have
// made. It adopts only exactly one match; otherwise it says what the listing showed.
//
// It first waits for the other creates of this process to return, so that a webhook one of
// them made is theirs, not this one's, and it never adopts a webhook a resource of this
// process holds.
func settleCreate(ctx context.Context, client *authing.Client, in authing.WebhookInput, since time.Time, claimed *claims) (authing.Webhook, bool, string) {
	if err := claimed.waitIdle(ctx); err != nil {
		return authing.Webhook{}, false, "The provider could not settle it: other creates of this apply were still running when the timeout ran out."
	}
	listed, err := client.FindCreated(ctx, in, since)
	if err != nil {
		return authing.Webhook{}, false, "The provider could not list the webhooks to settle it: " + err.Error()
	}
	found := claimed.adoptSole(listed)
	switch {
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
