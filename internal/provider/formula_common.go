package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// resourceConfigured is the Configure of a resource or list resource that
// needs only the provider's client.
type resourceConfigured struct{ provider *providerData }

func (r *resourceConfigured) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	r.provider = pd
}

// dataSourceClient is the same for a data source.
type dataSourceClient struct{ provider *providerData }

func (d *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	d.provider = pd
}

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
