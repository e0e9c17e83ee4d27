package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// providerReady reports whether Configure has run, as every CRUD call
// needs the client.
func providerReady(pd *providerData, diags *diag.Diagnostics) bool {
	if pd == nil {
		diags.AddError("Provider not configured", "The cloudelements provider was not configured before use; "+
			"please report this issue to the provider developers.")
		return false
	}
	return true
}

// withTimeout bounds ctx by an operation's configured timeout (bound, e.g.
// m.Timeouts.Read), or fallback when none is set.
func withTimeout(ctx context.Context, bound func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	fallback time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, dd := bound(ctx, fallback)
	diags.Append(dd...)
	return context.WithTimeout(ctx, d)
}
