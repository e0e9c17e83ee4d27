package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// commonResourceModel is a common resource (VDR v2) as the resource, the
// data sources and the list resource show it.
type commonResourceModel struct {
	ID          types.String `tfsdk:"id"`
	ObjectName  types.String `tfsdk:"object_name"`
	DisplayName nameValue    `tfsdk:"display_name"`
	Description types.String `tfsdk:"description"`
	Fields      types.Set    `tfsdk:"fields"` // of commonResourceFieldModel
}

type commonResourceFieldModel struct {
	Path  types.String `tfsdk:"path"`
	Type  types.String `tfsdk:"type"`
	Level types.String `tfsdk:"level"`
}

var (
	commonResourceFieldAttrs = map[string]attr.Type{"path": types.StringType, "type": types.StringType, "level": types.StringType}
	commonResourceFieldType  = types.ObjectType{AttrTypes: commonResourceFieldAttrs}
)

// commonResourceRequest builds the POST/PUT body from a known model.
func commonResourceRequest(ctx context.Context, m *commonResourceModel) (cloudelements.VDRRequest, diag.Diagnostics) {
	req := cloudelements.VDRRequest{ObjectName: m.ObjectName.ValueString(), DisplayName: m.DisplayName.ValueString(),
		Description: m.Description.ValueString()}
	fields, diags := commonResourceFields(ctx, m.Fields)
	for _, f := range fields {
		req.Fields = append(req.Fields, cloudelements.VDRField{Path: f.Path.ValueString(), Type: f.Type.ValueString(),
			Level: f.Level.ValueString()})
	}
	return req, diags
}

// commonResourceFields reads a fields set; null or unknown is none.
func commonResourceFields(ctx context.Context, s types.Set) ([]commonResourceFieldModel, diag.Diagnostics) {
	var out []commonResourceFieldModel
	if s.IsNull() || s.IsUnknown() {
		return nil, nil
	}
	return out, s.ElementsAs(ctx, &out, false)
}

// commonResourceFrom fills a model from an answer. prior (nil on import or
// listing) is what state or the plan held: a system field the platform
// added (level system) shows only where prior has its path, so that what
// the platform adds never shows as drift. An answer without a level is the
// platform's default one.
func commonResourceFrom(ctx context.Context, v *cloudelements.VDR, prior *commonResourceModel) (commonResourceModel, diag.Diagnostics) {
	var known map[string]bool
	var diags diag.Diagnostics
	if prior != nil {
		old, d := commonResourceFields(ctx, prior.Fields)
		diags.Append(d...)
		known = make(map[string]bool, len(old))
		for _, f := range old {
			known[f.Path.ValueString()] = true
		}
	}
	seen := map[cloudelements.VDRField]bool{}
	fields := make([]attr.Value, 0, len(v.Fields))
	for _, f := range v.Fields {
		f.ID = 0 // the platform's, never shown
		if f.Level == "" {
			f.Level = vdrDefaultLevel
		}
		if (f.Level == "system" && !known[f.Path]) || seen[f] {
			continue
		}
		seen[f] = true
		fields = append(fields, types.ObjectValueMust(commonResourceFieldAttrs, map[string]attr.Value{
			"path": types.StringValue(f.Path), "type": types.StringValue(f.Type), "level": types.StringValue(f.Level)}))
	}
	return commonResourceModel{
		ID: types.StringValue(strconv.FormatInt(v.ID, 10)), ObjectName: types.StringValue(v.ObjectName),
		DisplayName: meant[storedName](v.DisplayName), Description: types.StringValue(v.Description),
		Fields: types.SetValueMust(commonResourceFieldType, fields),
	}, diags
}

// duplicatePaths reports, at fields, every path given to more than one
// field: the platform keys fields by path.
func duplicatePaths(ctx context.Context, fields types.Set, diags *diag.Diagnostics) {
	list, d := commonResourceFields(ctx, fields)
	diags.Append(d...)
	count := map[string]int{}
	for _, f := range list {
		if f.Path.IsNull() || f.Path.IsUnknown() {
			continue
		}
		if count[f.Path.ValueString()]++; count[f.Path.ValueString()] == 2 {
			diags.AddAttributeError(path.Root("fields"), "Duplicate field path",
				fmt.Sprintf("fields: the path %q is given to more than one field; each field's path must be unique "+
					"(a field has one type and one level). Keep one of them.", f.Path.ValueString()))
		}
	}
}
