package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// instanceIdentityModel is the identity of every instance resource
// (Terraform 1.12 and later): the platform id alone names an instance for
// the credentials in use.
type instanceIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

func (e *instanceEngine[M]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = instanceIdentitySchema()
}

// instanceIdentitySchema is shared by the resources and the list resource,
// which must report the same identity.
func instanceIdentitySchema() identityschema.Schema { return idIdentitySchema("instance") }

// idIdentitySchema is an identity of one numeric id, the what's (an
// instance's, a formula's): only the description differs.
func idIdentitySchema(what string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The " + what + "'s numeric id on the platform.",
				RequiredForImport: true,
			},
		},
	}
}

// setInstanceIdentity records id as the identity. Create, Read and Update
// all call it, so that state written before identity existed gains it on
// the next refresh. identity is nil when Terraform sends no identity.
func setInstanceIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id types.String) diag.Diagnostics {
	if identity == nil || id.IsNull() || id.IsUnknown() {
		return nil
	}
	return identity.Set(ctx, instanceIdentityModel{ID: id})
}

// importID is the instance id being imported: the import id (terraform
// import, or an import block's id), else the identity's id (an import block's
// identity, or terraform query). It is checked here so that a bad value fails
// before any request.
func importID(ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, bool) {
	return importIDOf(ctx, "instance", req, diags)
}

// importIDOf is importID for an object of another kind ("formula"), named
// so in its error.
func importIDOf(ctx context.Context, kind string, req resource.ImportStateRequest, diags *diag.Diagnostics) (string, bool) {
	raw, at := req.ID, path.Root("id")
	if raw == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var identity instanceIdentityModel
		diags.Append(req.Identity.Get(ctx, &identity)...)
		if diags.HasError() {
			return "", false
		}
		raw = identity.ID.ValueString()
	}
	if _, err := validate.ParseID(kind, raw); err != nil {
		diags.AddAttributeError(at, "Invalid import id", err.Error())
		return "", false
	}
	return raw, true
}
