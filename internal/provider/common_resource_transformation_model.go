package provider

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// scriptText is a transformation script body: two bodies mean the same
// when they differ in whitespace only (the platform may trim a body, its
// lines' ends and its last newline, or turn CRLF into LF).
type scriptText struct{}

func (scriptText) name() string { return "script body, whitespace aside" }

func (scriptText) same(a, b string) bool {
	x, y := strings.Fields(a), strings.Fields(b)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// elementKey is an element's key, compared without regard to case as the
// platform matches it.
type elementKey struct{}

func (elementKey) name() string          { return "element key" }
func (elementKey) same(a, b string) bool { return strings.EqualFold(a, b) }

// transformationModel is a transformation as the resource, the data
// sources and the list resource show it.
type transformationModel struct {
	ID               types.String             `tfsdk:"id"`
	CommonResourceID types.String             `tfsdk:"common_resource_id"`
	ElementKey       meaningValue[elementKey] `tfsdk:"element_key"`
	InstanceID       types.String             `tfsdk:"instance_id"`
	VendorName       types.String             `tfsdk:"vendor_name"`
	Fields           types.Set                `tfsdk:"fields"`
	Configuration    jsonValue                `tfsdk:"configuration"`
	Script           types.Object             `tfsdk:"script"`
	Level            types.String             `tfsdk:"level"`
}

// transformationFieldAttrTypes is one element of fields.
var transformationFieldAttrTypes = map[string]attr.Type{
	"path": types.StringType, "type": types.StringType, "vendor_path": types.StringType,
	"vendor_type": types.StringType, "configuration": meaningType[looseJSON]{},
}

// transformationScriptAttrTypes is script.
var transformationScriptAttrTypes = map[string]attr.Type{
	"body": meaningType[scriptText]{}, "mime_type": types.StringType, "filter_empty_response": types.BoolType,
}

type transformationFieldModel struct {
	Path          types.String `tfsdk:"path"`
	Type          types.String `tfsdk:"type"`
	VendorPath    types.String `tfsdk:"vendor_path"`
	VendorType    types.String `tfsdk:"vendor_type"`
	Configuration jsonValue    `tfsdk:"configuration"`
}

type transformationScriptModel struct {
	Body                meaningValue[scriptText] `tfsdk:"body"`
	MimeType            types.String             `tfsdk:"mime_type"`
	FilterEmptyResponse types.Bool               `tfsdk:"filter_empty_response"`
}

// transformationIDs parses common_resource_id and id (0 when unknown).
func transformationIDs(m *transformationModel) (vdrID, id int64) {
	vdrID, _ = strconv.ParseInt(m.CommonResourceID.ValueString(), 10, 64)
	id, _ = strconv.ParseInt(m.ID.ValueString(), 10, 64)
	return vdrID, id
}

// transformationRequest builds the POST/PUT body from a plan.
func transformationRequest(ctx context.Context, m *transformationModel) (cloudelements.VDRTransformationRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	req := cloudelements.VDRTransformationRequest{ElementKey: m.ElementKey.ValueString(), VendorName: m.VendorName.ValueString(),
		Fields: []cloudelements.TransformationField{}}
	req.InstanceID, _ = strconv.ParseInt(m.InstanceID.ValueString(), 10, 64)
	if !m.Configuration.IsNull() && !m.Configuration.IsUnknown() {
		req.Configuration = json.RawMessage(m.Configuration.ValueString())
	}
	var fields []transformationFieldModel
	if !m.Fields.IsNull() && !m.Fields.IsUnknown() {
		diags.Append(m.Fields.ElementsAs(ctx, &fields, false)...)
	}
	for _, f := range fields {
		tf := cloudelements.TransformationField{Path: f.Path.ValueString(), Type: f.Type.ValueString(),
			VendorPath: f.VendorPath.ValueString(), VendorType: f.VendorType.ValueString()}
		if !f.Configuration.IsNull() && !f.Configuration.IsUnknown() {
			tf.Configuration = json.RawMessage(f.Configuration.ValueString())
		}
		req.Fields = append(req.Fields, tf)
	}
	if !m.Script.IsNull() && !m.Script.IsUnknown() {
		var sc transformationScriptModel
		diags.Append(m.Script.As(ctx, &sc, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
		req.Script = &cloudelements.TransformationScript{Body: sc.Body.ValueString(), MimeType: sc.MimeType.ValueString(),
			FilterEmptyResponse: sc.FilterEmptyResponse.ValueBool()}
	}
	return req, diags
}

// transformationFrom is t as state shows it. A field whose type the
// answer leaves out keeps prior's (nil on import); parts answered empty
// are null.
func transformationFrom(t *cloudelements.VDRTransformation, prior *transformationModel) transformationModel {
	m := transformationModel{ID: types.StringValue(strconv.FormatInt(t.ID, 10)),
		CommonResourceID: types.StringValue(strconv.FormatInt(t.VDRID, 10)),
		ElementKey:       meantOrNull[elementKey](""), InstanceID: types.StringNull(),
		VendorName: types.StringValue(t.VendorName), Configuration: meantOrNull[looseJSON](jsonArray(t.Configuration)),
		Level: stringOrNull(t.Level), Script: types.ObjectNull(transformationScriptAttrTypes)}
	if t.InstanceID != 0 {
		m.InstanceID = types.StringValue(strconv.FormatInt(t.InstanceID, 10))
	} else {
		m.ElementKey = meantOrNull[elementKey](t.ElementKey)
		if t.ElementKey == "" && prior != nil {
			m.ElementKey = prior.ElementKey // not answered: unknown, never different
		}
	}
	priorTypes := map[string]types.String{}
	if prior != nil && !prior.Fields.IsNull() && !prior.Fields.IsUnknown() {
		var fs []transformationFieldModel
		_ = prior.Fields.ElementsAs(context.Background(), &fs, false)
		for _, f := range fs {
			priorTypes[f.Path.ValueString()] = f.Type
		}
	}
	elems := make([]attr.Value, 0, len(t.Fields))
	for _, f := range t.Fields {
		typ := types.StringValue(f.Type)
		if was, ok := priorTypes[f.Path]; f.Type == "" && ok {
			typ = was
		}
		elems = append(elems, types.ObjectValueMust(transformationFieldAttrTypes, map[string]attr.Value{
			"path": types.StringValue(f.Path), "type": typ, "vendor_path": types.StringValue(f.VendorPath),
			"vendor_type": stringOrNull(f.VendorType), "configuration": meantOrNull[looseJSON](jsonArray(f.Configuration)),
		}))
	}
	m.Fields = types.SetNull(types.ObjectType{AttrTypes: transformationFieldAttrTypes})
	if len(elems) > 0 {
		m.Fields = types.SetValueMust(types.ObjectType{AttrTypes: transformationFieldAttrTypes}, elems)
	}
	if sc := t.Script; sc != nil {
		m.Script = types.ObjectValueMust(transformationScriptAttrTypes, map[string]attr.Value{
			"body": meant[scriptText](sc.Body), "mime_type": stringOrNull(sc.MimeType),
			"filter_empty_response": types.BoolValue(sc.FilterEmptyResponse),
		})
	}
	return m
}

// jsonArray is a configuration array as text, "" for none.
func jsonArray(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	return string(raw)
}

func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// transformationTarget describes what a transformation maps its common
// resource onto, for messages and display names.
func transformationTarget(t *cloudelements.VDRTransformation) string {
	if t.InstanceID != 0 {
		return "instance " + strconv.FormatInt(t.InstanceID, 10)
	}
	return "element " + t.ElementKey
}
