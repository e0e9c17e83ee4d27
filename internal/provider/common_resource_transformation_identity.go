package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// transformationIdentityModel names a transformation: its common resource
// and its own id, the two ids every call about it needs.
type transformationIdentityModel struct {
	CommonResourceID types.String `tfsdk:"common_resource_id"`
	ID               types.String `tfsdk:"id"`
}

func (r *transformationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"common_resource_id": identityschema.StringAttribute{Description: "The common resource's (VDR's) numeric id.",
			RequiredForImport: true},
		"id": identityschema.StringAttribute{Description: "The transformation's numeric id.", RequiredForImport: true},
	}}
}

func transformationIdentityOf(m *transformationModel) transformationIdentityModel {
	return transformationIdentityModel{CommonResourceID: m.CommonResourceID, ID: m.ID}
}

func setTransformationIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m *transformationModel) diag.Diagnostics {
	if identity == nil || m.ID.IsNull() || m.ID.IsUnknown() {
		return nil
	}
	return identity.Set(ctx, transformationIdentityOf(m))
}

// ImportState takes "<common_resource_id>/<id>" (or the identity); Read
// fills in the rest.
func (r *transformationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	vdr, id, found := strings.Cut(req.ID, "/")
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var ident transformationIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		vdr, id, found = ident.CommonResourceID.ValueString(), ident.ID.ValueString(), true
	}
	_, err1 := validate.ParseID("common resource", vdr)
	_, err2 := validate.ParseID("transformation", id)
	if !found || err1 != nil || err2 != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid import id",
			"Expected <common_resource_id>/<transformation id>, two positive whole numbers such as 8001/8002, got "+
				"\""+req.ID+"\".")
		return
	}
	m := transformationModel{CommonResourceID: types.StringValue(vdr), ID: types.StringValue(id)}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("common_resource_id"), vdr)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setTransformationIdentity(ctx, resp.Identity, &m)...)
}

// setTransformationIdentityOn sets a list result's identity.
func setTransformationIdentityOn(ctx context.Context, r *list.ListResult, m *transformationModel) diag.Diagnostics {
	return r.Identity.Set(ctx, transformationIdentityOf(m))
}
