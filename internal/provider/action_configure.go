package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
)

// actionConfigure is what every action embeds: the provider's client, handed
// over by Configure.
type actionConfigure struct {
	provider *providerData
}

func (a *actionConfigure) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	a.provider = pd
}
