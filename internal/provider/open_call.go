package provider

import (
	"context"
	"time"

	"github.com/authing/terraform-provider-authing/internal/authing"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// defaultTimeout bounds each operation that calls the API (a data source's read, a list,
// a create, read, update or delete, a firing, the plan-time event list), retries
// included, unless a timeouts block sets another.
const defaultTimeout = 2 * time.Minute

// timeoutFunc reads one operation's timeout from a timeouts block, or gives the default:
// the Create, Read, Update, Delete, List and Invoke methods of the framework's timeouts
// values have this type.
type timeoutFunc func(ctx context.Context, def time.Duration) (time.Duration, diag.Diagnostics)

// apiCall is an opened operation: the client, and a context bounded by the operation's
// timeout. cancel is always set, so it can be deferred before ok is checked.
type apiCall struct {
	ctx     context.Context
	cancel  context.CancelFunc
	client  *authing.Client
	timeout time.Duration
}

// openCall is the one opening of every operation that calls the API: the timeout the
// configuration sets (defaultTimeout unless it says otherwise), the provider's client,
// and ctx bounded by that timeout, so that no call can outlive it. Problems join diags;
// ok is false when diags holds an error, then or before, and nothing may be sent.
func (d *providerData) openCall(ctx context.Context, timeout timeoutFunc, diags *diag.Diagnostics) (call apiCall, ok bool) {
	t, tdiags := timeout(ctx, defaultTimeout)
	diags.Append(tdiags...)
	client, cdiags := d.Client()
	diags.Append(cdiags...)
	call.ctx, call.cancel = context.WithTimeout(ctx, t)
	call.client, call.timeout = client, t
	return call, !diags.HasError()
}

// withDefault reads a timeout with another default than defaultTimeout, for an operation
// that makes many calls.
func withDefault(timeout timeoutFunc, def time.Duration) timeoutFunc {
	return func(ctx context.Context, _ time.Duration) (time.Duration, diag.Diagnostics) {
		return timeout(ctx, def)
	}
}

// fixedTimeout is a timeout the caller already knows.
func fixedTimeout(d time.Duration) timeoutFunc {
	return func(context.Context, time.Duration) (time.Duration, diag.Diagnostics) { return d, nil }
}
