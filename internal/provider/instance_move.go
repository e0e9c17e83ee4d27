package provider

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// MoveState accepts `moved { from = cloudelements_freshdesk_instance.x }`
// (Terraform 1.8+): the Freshdesk state is rewritten as the equivalent
// generic state, so that the equivalent configuration plans no change and
// apply makes no API call.
func (r *instanceResource) MoveState(ctx context.Context) []resource.StateMover {
	source := FreshdeskInstanceSchema(ctx)
	return []resource.StateMover{{SourceSchema: &source, StateMover: moveFromFreshdesk}}
}

func moveFromFreshdesk(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if req.SourceTypeName != "cloudelements_freshdesk_instance" ||
		!strings.HasSuffix(req.SourceProviderAddress, "/cloudelements") || req.SourceState == nil {
		return // not ours: another mover, or Terraform, reports it
	}
	var fd freshdeskInstanceModel
	resp.Diagnostics.Append(req.SourceState.Get(ctx, &fd)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg := map[string]string{configSubdomain: fd.Subdomain.ValueString()}
	if !fd.FilterResponseNulls.IsNull() && !fd.FilterResponseNulls.ValueBool() {
		cfg[configFilterResponseNulls] = "false" // the default (true) is not carried
	}
	configuration, diags := types.MapValueFrom(ctx, types.StringType, cfg)
	resp.Diagnostics.Append(diags...)
	secrets := types.MapNull(types.StringType)
	if !fd.APIKey.IsNull() {
		secrets, diags = types.MapValueFrom(ctx, types.StringType, map[string]string{configUsername: fd.APIKey.ValueString()})
		resp.Diagnostics.Append(diags...)
	}
	m := instanceModel{
		instanceCommonModel:          fd.instanceCommonModel,
		ElementKey:                   types.StringValue(freshdeskElementKey),
		Configuration:                configuration,
		SecretConfiguration:          secrets,
		SecretConfigurationWO:        types.MapNull(types.StringType),
		SecretConfigurationWOVersion: fd.APIKeyWOVersion,
		ExternalAuthentication:       types.StringNull(),
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.TargetState.Set(ctx, &m)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.TargetIdentity, fd.ID)...)
	if resp.TargetPrivate != nil {
		// Carry an import's adoption mark over (one key for every instance
		// resource; an earlier release's mark is read as one).
		adopt, diags := adoptionFrom(ctx, req.SourcePrivate)
		resp.Diagnostics.Append(diags...)
		if adopt != nil {
			raw, _ := json.Marshal(adopt)
			resp.Diagnostics.Append(resp.TargetPrivate.SetKey(ctx, privateAdopt, raw)...)
		}
	}
}
