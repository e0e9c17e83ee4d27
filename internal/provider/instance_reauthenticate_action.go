package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Ensure provider defined types fully satisfy framework interfaces.
var (
	_ action.Action                     = (*instanceReauthenticateAction)(nil)
	_ action.ActionWithConfigure        = (*instanceReauthenticateAction)(nil)
	_ action.ActionWithConfigValidators = (*instanceReauthenticateAction)(nil)
)

// NewInstanceReauthenticateAction returns the cloudelements_instance_reauthenticate action.
func NewInstanceReauthenticateAction() action.Action {
	return &instanceReauthenticateAction{}
}

// instanceReauthenticateAction sends new credentials to an instance: an
// operation, not desired state, so that a one-time OAuth code never lands
// in state.
type instanceReauthenticateAction struct {
	actionConfigure
}

type instanceReauthenticateModel struct {
	InstanceID          types.String   `tfsdk:"instance_id"`
	OAuthCode           types.String   `tfsdk:"oauth_code"`
	RefreshToken        types.String   `tfsdk:"refresh_token"`
	SecretConfiguration types.Map      `tfsdk:"secret_configuration"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

func (a *instanceReauthenticateAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance_reauthenticate"
}

func (a *instanceReauthenticateAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Re-authenticates an element instance (Terraform 1.14 and later): sends new credentials " +
			"with `PUT /instances/{id}?reAuthenticate=true`, for an instance whose OAuth grant was revoked, whose " +
			"password changed at the vendor, or that a platform release asks to re-authenticate. The instance keeps " +
			"its id, name, tags and configuration; the platform issues a new token, which the next refresh of the " +
			"instance's resource reads, without a change to anything written in its configuration.\n\n" +
			"Give `oauth_code` (from the browser step, see the `cloudelements_oauth_url` ephemeral resource), " +
			"`refresh_token`, or `secret_configuration`. Every credential argument is write-only: it is not stored in " +
			"the plan or state and accepts ephemeral values. An OAuth code works once, so a request that carried " +
			"one is never repeated after a failure in which it may have reached the platform.",
		Attributes: map[string]schema.Attribute{
			"instance_id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id, e.g. `cloudelements_instance.crm.id`.",
				Required:            true,
				Validators:          []validator.String{validate.InstanceID()},
			},
			"oauth_code": schema.StringAttribute{
				MarkdownDescription: "The one-time code the vendor handed to the callback URL after the browser step " +
					"(sent as `providerData.code`).",
				Optional:   true,
				WriteOnly:  true,
				Validators: []validator.String{validate.NotBlank()},
			},
			"refresh_token": schema.StringAttribute{
				MarkdownDescription: "An existing OAuth refresh token, instead of a code (sent as configuration " +
					"`oauth.user.refresh_token` with `externalAuthentication = \"initial\"`).",
				Optional:   true,
				WriteOnly:  true,
				Validators: []validator.String{validate.NotBlank()},
			},
			"secret_configuration": schema.MapAttribute{
				MarkdownDescription: "New credential configuration keys and values, e.g. `{ username = <new Freshdesk " +
					"API key> }` or `{ password = ... }`, sent over the instance's configuration; may come with a code " +
					"or refresh token (a new OAuth client secret, say).",
				ElementType: types.StringType,
				Optional:    true,
				WriteOnly:   true,
				Validators:  []validator.Map{mapvalidator.KeysAre(validate.NotBlank()), mapvalidator.SizeAtLeast(1)},
			},
			"timeouts": timeouts.Attributes(ctx),
		},
	}
}

func (a *instanceReauthenticateAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{
		actionvalidator.AtLeastOneOf(path.MatchRoot("oauth_code"), path.MatchRoot("refresh_token"),
			path.MatchRoot("secret_configuration")),
		actionvalidator.Conflicting(path.MatchRoot("oauth_code"), path.MatchRoot("refresh_token")),
	}
}

func (a *instanceReauthenticateAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m instanceReauthenticateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(a.provider, &resp.Diagnostics) {
		return
	}
	id, err := validate.ParseInstanceID(m.InstanceID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Invalid instance_id", "instance_id: "+err.Error())
		return
	}
	r := cloudelements.Reauthentication{OAuthCode: m.OAuthCode.ValueString(), RefreshToken: m.RefreshToken.ValueString(),
		Configuration: map[string]string{}}
	resp.Diagnostics.Append(stringMap(ctx, m.SecretConfiguration, r.Configuration)...)
	resp.Diagnostics.Append(checkCredentials(r)...)
	timeout, diags := m.Timeouts.Invoke(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Re-authenticating instance %d", id)})
	inst, err := a.provider.client.ReauthenticateInstance(ctx, id, r)
	var dropped *cloudelements.DroppedKeysError
	switch {
	case errors.As(err, &dropped): // it took, but the platform lost keys it showed masked
		resp.Diagnostics.AddError(fmt.Sprintf("Instance %d re-authenticated, but configuration was lost", id),
			a.provider.errorDetail(err))
		return
	case cloudelements.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("instance_id"), "Instance not found",
			fmt.Sprintf("There is no instance with id %d that these credentials can see; nothing was sent.", id))
		return
	case err != nil:
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot re-authenticate instance %d", id), a.provider.errorDetail(err))
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Instance %d (%s) re-authenticated; the next "+
		"refresh of its resource reads the new token", id, inst.Name)})
	if !inst.Valid {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Instance %d is not valid yet", id),
			"The platform accepted the new credentials but reports the instance's credentials as not valid. It may "+
				"still be checking them with the vendor: look at `valid` after the next refresh.")
	}
}

// checkCredentials refuses, before any request, what the configuration
// validators could not see while values were unknown (an ephemeral variable
// that turns out null): no credentials at all, or both a code and a token.
func checkCredentials(r cloudelements.Reauthentication) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case r.OAuthCode == "" && r.RefreshToken == "" && len(r.Configuration) == 0:
		diags.AddAttributeError(path.Root("oauth_code"), "No new credentials",
			"oauth_code, refresh_token and secret_configuration are all null or empty, so there is nothing to send "+
				"(a value known only at invoke time, such as an ephemeral variable, may have been null). Set one: "+
				"oauth_code to the code of the browser step (see the cloudelements_oauth_url ephemeral resource), "+
				"refresh_token to an existing OAuth refresh token, or secret_configuration to the new credential "+
				"keys, e.g. { password = ... }. Nothing was sent.")
	case r.OAuthCode != "" && r.RefreshToken != "":
		diags.AddAttributeError(path.Root("refresh_token"), "Both oauth_code and refresh_token",
			"oauth_code and refresh_token are both set; keep one of them (a code from the browser step, or an "+
				"existing refresh token). Nothing was sent.")
	}
	return diags
}
