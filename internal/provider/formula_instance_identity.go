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

// diagAdder is what a helper needs to report: *diag.Diagnostics.
type diagAdder interface {
	AddError(summary, detail string)
}

// formulaInstanceIdentityModel names a formula instance: its formula and
// its own id, the two ids every call about it needs.
type formulaInstanceIdentityModel struct {
	FormulaID types.String `tfsdk:"formula_id"`
	ID        types.String `tfsdk:"id"`
}

func formulaInstanceIdentitySchema() identityschema.Schema {
	return identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"formula_id": identityschema.StringAttribute{Description: "The formula's numeric id.", RequiredForImport: true},
		"id":         identityschema.StringAttribute{Description: "The formula instance's numeric id.", RequiredForImport: true},
	}}
}

func (r *formulaInstanceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = formulaInstanceIdentitySchema()
}

func setFormulaInstanceIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m *formulaInstanceModel) diag.Diagnostics {
	if identity == nil || m.ID.IsNull() || m.ID.IsUnknown() {
		return nil
	}
	return identity.Set(ctx, formulaInstanceIdentityModel{FormulaID: m.FormulaID, ID: m.ID})
}

// ImportState takes "<formula_id>/<id>" (or the identity); Read fills in
// the rest.
func (r *formulaInstanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	fid, id, found := strings.Cut(req.ID, "/")
	if req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var ident formulaInstanceIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		fid, id, found = ident.FormulaID.ValueString(), ident.ID.ValueString(), true
	}
	_, err1 := validate.ParseFormulaID(fid)
	_, err2 := validate.ParseID("formula instance", id)
	if !found || err1 != nil || err2 != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid import id",
			"Expected <formula_id>/<formula instance id>, two positive whole numbers such as 5001/5002, got "+
				"\""+req.ID+"\".")
		return
	}
	m := formulaInstanceModel{FormulaID: types.StringValue(fid), ID: types.StringValue(id)}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("formula_id"), fid)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("active"), true)...)
	resp.Diagnostics.Append(setFormulaInstanceIdentity(ctx, resp.Identity, &m)...)
}

// setFormulaInstanceIdentityOn sets a list result's identity.
func setFormulaInstanceIdentityOn(ctx context.Context, r *list.ListResult, m *formulaInstanceModel) diag.Diagnostics {
	return r.Identity.Set(ctx, formulaInstanceIdentityModel{FormulaID: m.FormulaID, ID: m.ID})
}
