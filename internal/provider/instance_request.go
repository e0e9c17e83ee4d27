package provider

import (
	"context"
	"maps"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// fullRequest is the create or PUT body: every managed key, the secrets and
// the events; cleared keys are sent empty so a PUT leaves none behind.
func fullRequest(ctx context.Context, s instanceSpec, c *instanceCommonModel, cleared []string) (cloudelements.InstanceRequest, diag.Diagnostics) {
	tags, diags := tagList(ctx, c.Tags)
	events, d := eventsConfiguration(ctx, c.Events, true)
	diags.Append(d...)
	cfg := map[string]string{}
	for _, k := range cleared {
		cfg[k] = ""
	}
	maps.Copy(cfg, events)
	maps.Copy(cfg, s.Configuration)
	maps.Copy(cfg, s.Secrets)
	var secrets []string
	for _, v := range s.Secrets {
		secrets = append(secrets, v)
	}
	if v := events[cloudelements.ConfigEventsSignatureKey]; v != "" {
		secrets = append(secrets, v)
	}
	return cloudelements.InstanceRequest{
		Element:                cloudelements.ElementRef{Key: s.ElementKey},
		Name:                   s.Name,
		Configuration:          cfg,
		Tags:                   tags,
		ExternalAuthentication: s.ExternalAuthentication,
		Secrets:                secrets,
		MatchKeys:              s.MatchKeys,
	}, diags
}
