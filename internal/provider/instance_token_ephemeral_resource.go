package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Ensure provider defined types fully satisfy framework interfaces.
var (
	_ ephemeral.EphemeralResource              = (*instanceTokenEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure = (*instanceTokenEphemeralResource)(nil)
)

// NewInstanceTokenEphemeralResource returns the cloudelements_instance_token ephemeral resource.
func NewInstanceTokenEphemeralResource() ephemeral.EphemeralResource {
	return &instanceTokenEphemeralResource{}
}

// instanceTokenEphemeralResource reads an instance's token without it ever
// reaching the plan or state.
type instanceTokenEphemeralResource struct {
	provider *providerData
}

// instanceTokenModel is the ephemeral resource's result.
type instanceTokenModel struct {
	ID    types.String `tfsdk:"id"`
	Token types.String `tfsdk:"token"`
}

func (e *instanceTokenEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance_token"
}

func (e *instanceTokenEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The token of an element instance of any element, read with one " +
			"`GET /instances/{id}` (Terraform 1.10 and later). Being ephemeral, it is never stored in the plan " +
			"or state: hand it to a provider configuration or a write-only argument.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id.",
				Required:            true,
				Validators:          []validator.String{validate.InstanceID()},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: "The element-instance token, for calling the hub with " +
					"`Authorization: User <user secret>, Element <token>`.",
				Computed:  true,
				Sensitive: true,
			},
		},
	}
}

func (e *instanceTokenEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	e.provider = pd
}

func (e *instanceTokenEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var data instanceTokenModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(e.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()

	inst := getInstanceByID(ctx, e.provider, data.ID.ValueString(), &resp.Diagnostics)
	if inst == nil {
		return
	}
	data.Token = types.StringValue(inst.Token)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &data)...)
}
