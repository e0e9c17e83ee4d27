package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ function.Function = (*formulaFromExportFunction)(nil)

// NewFormulaFromExportFunction is provider::cloudelements::formula_from_export.
func NewFormulaFromExportFunction() function.Function { return &formulaFromExportFunction{} }

type formulaFromExportFunction struct{}

// The arguments' positions, for errors that name them.
const (
	argExportJSON    = 0
	argSubFormulaIDs = 1
	argScriptBodies  = 2
)

// formulaFromExportAttrs is the result: cloudelements_formula's
// configurable attributes, plus source_id.
var formulaFromExportAttrs = map[string]attr.Type{
	"name": types.StringType, "description": types.StringType, "active": types.BoolType,
	"single_threaded": types.BoolType, "configuration": types.ListType{ElemType: formulaConfigType},
	"triggers": types.ListType{ElemType: formulaTriggerType}, "steps": types.MapType{ElemType: formulaStepType},
	"source_id": types.StringType,
}

func (f *formulaFromExportFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "formula_from_export"
}

func (f *formulaFromExportFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Turns a formula export into cloudelements_formula's attributes",
		MarkdownDescription: "Turns one formula as the platform's export tool writes it (`GET /formulas/{id}/export`, " +
			"`GET /formulas/{id}`, one formula of the-doctor's files) into the attributes of `cloudelements_formula`: " +
			"`name`, `description`, `active`, `single_threaded`, `configuration`, `triggers` and `steps`, each in the " +
			"form the resource reads back, so a formula created from them plans no change afterwards. A step that " +
			"calls a sub-formula (`properties.formulaId`) names the exporting account's id; `sub_formula_ids` maps it " +
			"to the id of that formula here, typically `cloudelements_formula.<name>.id`. `source_id` is the " +
			"exporting account's id of the formula itself (null when the export has none), for building that map. " +
			"Ids, owner, dates and keys the resource does not manage (`engine`, `debugLoggingEnabled`, `subFormulas`, " +
			"...) are left out. Needs Terraform 1.8 or later.",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name:                "export_json",
				MarkdownDescription: "One formula export as JSON text, e.g. `file(\"exports/sync-tickets.json\")`.",
			},
			function.MapParameter{
				Name:        "sub_formula_ids",
				ElementType: types.StringType,
				MarkdownDescription: "The exporting account's formula ids (keys) mapped to the ids of the same " +
					"formulas here (values), e.g. `{ \"48213\" = cloudelements_formula.notify.id }`. Every sub-formula " +
					"the export calls needs an entry; other entries are ignored, so one map can serve every export. " +
					"`{}` or `null` when the formula calls none. Values not yet known (formulas still to be created) " +
					"leave only the calling steps' `properties` unknown in the plan.",
				AllowNullValue:     true,
				AllowUnknownValues: true,
			},
		},
		VariadicParameter: function.MapParameter{
			Name:        "script_bodies",
			ElementType: types.StringType,
			MarkdownDescription: "Optional: the code of script and filter steps by step name, for the-doctor's " +
				"directory form, which keeps it in `<step name>.js` beside `formula.json`: " +
				"`{ for f in fileset(dir, \"*.js\") : trimsuffix(f, \".js\") => file(\"${dir}/${f}\") }`.",
		},
		Return: function.ObjectReturn{AttributeTypes: formulaFromExportAttrs},
	}
}

func (f *formulaFromExportFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var text string
	var ids types.Map
	var bodies []map[string]string
	if resp.Error = req.Arguments.Get(ctx, &text, &ids, &bodies); resp.Error != nil {
		return
	}
	ex, err := parseFormulaExport(text)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(argExportJSON, err.Error())
		return
	}
	if len(bodies) > 1 {
		resp.Error = function.NewArgumentFuncError(argScriptBodies+int64(len(bodies)-1),
			"script_bodies is given more than once; merge the maps into one")
		return
	}
	merged := map[string]string{}
	for _, b := range bodies {
		merged = b
	}
	if err := ex.addScriptBodies(merged); err != nil {
		pos := int64(argScriptBodies)
		if errors.As(err, new(errMissingBody)) {
			pos = argExportJSON
		}
		resp.Error = function.NewArgumentFuncError(pos, err.Error())
		return
	}
	result, ferr := formulaFromExportValue(ex, ids)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	resp.Error = resp.Result.Set(ctx, result)
}

// formulaFromExportValue builds the result; ids maps the exporting
// account's sub-formula ids to the caller's (null, unknown or holding
// unknown values while plans are made).
func formulaFromExportValue(ex *exportedFormula, ids types.Map) (types.Object, *function.FuncError) {
	null := types.ObjectNull(formulaFromExportAttrs)
	steps := make(map[string]attr.Value, len(ex.Steps))
	for _, name := range ex.StepOrder {
		st := ex.Steps[name]
		props := types.StringNull()
		switch calls, known, err := subFormulaID(ids, name, st.Calls); {
		case err != nil:
			return null, function.NewArgumentFuncError(argSubFormulaIDs, err.Error())
		case !known:
			props = types.StringUnknown()
		case st.Properties != nil:
			props = types.StringValue(st.propertiesJSON(calls))
		}
		steps[name] = linkObject(formulaStepType, st, props)
	}
	triggers := make([]attr.Value, 0, len(ex.Triggers))
	for _, tr := range ex.Triggers {
		props := types.StringNull()
		if tr.Properties != nil {
			props = types.StringValue(tr.propertiesJSON(""))
		}
		triggers = append(triggers, linkObject(formulaTriggerType, tr, props))
	}
	cfg := make([]attr.Value, 0, len(ex.Configuration))
	for _, c := range ex.Configuration {
		cfg = append(cfg, types.ObjectValueMust(formulaConfigType.AttrTypes, map[string]attr.Value{
			"key": types.StringValue(c.Key), "name": types.StringValue(c.Name), "type": types.StringValue(c.Type)}))
	}
	single, source := types.BoolPointerValue(ex.SingleThreaded), types.StringNull()
	if ex.SourceID != "" {
		source = types.StringValue(ex.SourceID)
	}
	return types.ObjectValueMust(formulaFromExportAttrs, map[string]attr.Value{
		"name": types.StringValue(ex.Name), "description": types.StringValue(ex.Description),
		"active": types.BoolValue(ex.Active), "single_threaded": single, "source_id": source,
		// None is null, as the resource reads back what was left out.
		"configuration": nullIfEmpty(types.ListValueMust(formulaConfigType, cfg)),
		"triggers":      nullIfEmpty(types.ListValueMust(formulaTriggerType, triggers)),
		"steps":         nullIfEmptyMap(types.MapValueMust(formulaStepType, steps)),
	}), nil
}

// subFormulaID is the caller's id for the sub-formula a step calls (the
// exporting account's id source; "" for none). known is false while ids or
// the entry are not known yet.
func subFormulaID(ids types.Map, step, source string) (id string, known bool, err error) {
	switch {
	case source == "":
		return "", true, nil
	case ids.IsUnknown():
		return "", false, nil
	}
	v, ok := ids.Elements()[source]
	if !ok || v.IsNull() {
		return "", true, fmt.Errorf("step %q calls formula %s of the exporting account, which has no entry; "+
			"add %q = <that formula's id here>, e.g. cloudelements_formula.<name>.id", step, source, source)
	}
	if v.IsUnknown() {
		return "", false, nil
	}
	s, _ := v.(types.String)
	if strings.TrimSpace(s.ValueString()) == "" {
		return "", true, fmt.Errorf("the entry for %q (called by step %q) is blank; give the id of that formula here", source, step)
	}
	return s.ValueString(), true, nil
}

func linkObject(t types.ObjectType, l exportedLink, props types.String) attr.Value {
	return types.ObjectValueMust(t.AttrTypes, map[string]attr.Value{
		"type": types.StringValue(l.Type), "on_success": namesValue(l.OnSuccess),
		"on_failure": namesValue(l.OnFailure), "properties": jsonValue{StringValue: props},
	})
}

func namesValue(names []string) types.List {
	vals := make([]attr.Value, len(names))
	for i, n := range names {
		vals[i] = types.StringValue(n)
	}
	return nullIfEmpty(types.ListValueMust(types.StringType, vals))
}

func nullIfEmpty(l types.List) types.List {
	if len(l.Elements()) == 0 {
		return types.ListNull(l.ElementType(context.Background()))
	}
	return l
}

func nullIfEmptyMap(m types.Map) types.Map {
	if len(m.Elements()) == 0 {
		return types.MapNull(m.ElementType(context.Background()))
	}
	return m
}
