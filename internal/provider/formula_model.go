package provider

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// formulaModel is a formula as the resource, the data sources and the list
// resource show it.
type formulaModel struct {
	ID             types.String `tfsdk:"id"`
	Name           nameValue    `tfsdk:"name"`
	Description    types.String `tfsdk:"description"`
	Active         types.Bool   `tfsdk:"active"`
	SingleThreaded types.Bool   `tfsdk:"single_threaded"`
	CreatedDate    types.String `tfsdk:"created_date"`
	Configuration  types.List   `tfsdk:"configuration"` // of formulaConfigModel
	Triggers       types.List   `tfsdk:"triggers"`      // of formulaTriggerModel
	Steps          types.Map    `tfsdk:"steps"`         // of formulaStepModel, keyed by step name
}

type formulaConfigModel struct {
	Key  types.String `tfsdk:"key"`
	Name types.String `tfsdk:"name"`
	Type types.String `tfsdk:"type"`
}

type formulaTriggerModel struct {
	Type       types.String `tfsdk:"type"`
	OnSuccess  types.List   `tfsdk:"on_success"`
	OnFailure  types.List   `tfsdk:"on_failure"`
	Properties jsonValue    `tfsdk:"properties"`
}

type formulaStepModel struct {
	Type       types.String `tfsdk:"type"`
	OnSuccess  types.List   `tfsdk:"on_success"`
	OnFailure  types.List   `tfsdk:"on_failure"`
	Properties jsonValue    `tfsdk:"properties"`
}

var (
	stringList        = types.ListType{ElemType: types.StringType}
	formulaConfigType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"key": types.StringType, "name": types.StringType, "type": types.StringType}}
	formulaLinkAttrs = map[string]attr.Type{"type": types.StringType, "on_success": stringList,
		"on_failure": stringList, "properties": meaningType[looseJSON]{}}
	formulaTriggerType = types.ObjectType{AttrTypes: formulaLinkAttrs}
	formulaStepType    = types.ObjectType{AttrTypes: formulaLinkAttrs}
)

// formulaRequest builds the PUT/POST body from a known model.
func formulaRequest(ctx context.Context, m *formulaModel) (cloudelements.FormulaRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	req := cloudelements.FormulaRequest{Name: m.Name.ValueString(), Description: m.Description.ValueString(),
		Active: m.Active.ValueBool()}
	if !m.SingleThreaded.IsNull() && !m.SingleThreaded.IsUnknown() {
		v := m.SingleThreaded.ValueBool()
		req.SingleThreaded = &v
	}
	var cfg []formulaConfigModel
	diags.Append(m.Configuration.ElementsAs(ctx, &cfg, false)...)
	for _, c := range cfg {
		req.Configuration = append(req.Configuration, cloudelements.FormulaConfig{
			Key: c.Key.ValueString(), Name: c.Name.ValueString(), Type: c.Type.ValueString()})
	}
	var triggers []formulaTriggerModel
	diags.Append(m.Triggers.ElementsAs(ctx, &triggers, false)...)
	for _, t := range triggers {
		tr := cloudelements.FormulaTrigger{Type: t.Type.ValueString(), Properties: jsonText(t.Properties)}
		diags.Append(t.OnSuccess.ElementsAs(ctx, &tr.OnSuccess, false)...)
		diags.Append(t.OnFailure.ElementsAs(ctx, &tr.OnFailure, false)...)
		req.Triggers = append(req.Triggers, tr)
	}
	var steps map[string]formulaStepModel
	diags.Append(m.Steps.ElementsAs(ctx, &steps, false)...)
	for _, name := range sortedMapKeys(steps) { // the platform chains steps by name; order is ours
		s := steps[name]
		st := cloudelements.FormulaStep{Name: name, Type: s.Type.ValueString(), Properties: jsonText(s.Properties)}
		diags.Append(s.OnSuccess.ElementsAs(ctx, &st.OnSuccess, false)...)
		diags.Append(s.OnFailure.ElementsAs(ctx, &st.OnFailure, false)...)
		req.Steps = append(req.Steps, st)
	}
	return req, diags
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func jsonText(s jsonValue) json.RawMessage {
	if s.IsNull() || s.IsUnknown() {
		return nil
	}
	return json.RawMessage(s.ValueString())
}

// formulaFrom fills m from an answer. prior (nil on import or listing) is
// what state or the plan held: where the answer has none ([] or {}) and
// prior has null, null is kept. Spellings that mean the same (a name as
// stored, properties by meaning) are the framework's to keep through the
// values' semantic equality (meaning.go).
func formulaFrom(ctx context.Context, f *cloudelements.Formula, prior *formulaModel) (formulaModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if prior == nil {
		prior = &formulaModel{}
	}
	m := formulaModel{
		ID: types.StringValue(strconv.FormatInt(f.ID, 10)), Name: meant[storedName](f.Name),
		Description: types.StringValue(f.Description), Active: types.BoolValue(f.Active),
		SingleThreaded: types.BoolValue(f.SingleThreaded), CreatedDate: types.StringValue(normalizeCreatedDate(f.CreatedDate)),
	}
	var oldCfg []formulaConfigModel
	var oldTriggers []formulaTriggerModel
	oldSteps := map[string]formulaStepModel{}
	diags.Append(listElems(ctx, prior.Configuration, &oldCfg)...)
	diags.Append(listElems(ctx, prior.Triggers, &oldTriggers)...)
	if !prior.Steps.IsNull() && !prior.Steps.IsUnknown() {
		diags.Append(prior.Steps.ElementsAs(ctx, &oldSteps, false)...)
	}
	cfg := make([]attr.Value, 0, len(f.Configuration))
	for _, c := range f.Configuration {
		cfg = append(cfg, types.ObjectValueMust(formulaConfigType.AttrTypes, map[string]attr.Value{
			"key": types.StringValue(c.Key), "name": types.StringValue(c.Name), "type": types.StringValue(c.Type)}))
	}
	m.Configuration = emptyAsPrior(types.ListValueMust(formulaConfigType, cfg), prior.Configuration)
	m.Triggers = emptyAsPrior(types.ListValueMust(formulaTriggerType, triggersLike(ctx, f.Triggers, oldTriggers)), prior.Triggers)
	steps := make(map[string]attr.Value, len(f.Steps))
	for _, s := range f.Steps {
		old := oldSteps[s.Name]
		steps[s.Name] = linkValue(formulaStepType, s.Type, s.OnSuccess, s.OnFailure, s.Properties,
			old.OnSuccess, old.OnFailure, old.Properties)
	}
	m.Steps = types.MapValueMust(formulaStepType, steps)
	if len(steps) == 0 && (prior.Steps.IsNull() || prior.Steps.IsUnknown()) {
		m.Steps = types.MapNull(formulaStepType)
	}
	return m, diags
}

func listElems[T any](ctx context.Context, l types.List, out *[]T) diag.Diagnostics {
	if l.IsNull() || l.IsUnknown() {
		return nil
	}
	return l.ElementsAs(ctx, out, false)
}

// emptyAsPrior answers an empty list as prior does: null when prior is
// null (or unknown, on import), else empty.
func emptyAsPrior(l types.List, prior types.List) types.List {
	if len(l.Elements()) == 0 && (prior.IsNull() || prior.IsUnknown()) {
		return types.ListNull(l.ElementType(context.Background()))
	}
	return l
}

// triggersLike is the answered triggers in prior's order, each where it
// means the same as one of prior's (the platform may answer them in
// another order, and no trigger depends on another's place); the others
// follow in the answer's order.
func triggersLike(ctx context.Context, answered []cloudelements.FormulaTrigger, prior []formulaTriggerModel) []attr.Value {
	value := func(t cloudelements.FormulaTrigger, old formulaTriggerModel) attr.Value {
		return linkValue(formulaTriggerType, t.Type, t.OnSuccess, t.OnFailure, t.Properties, old.OnSuccess, old.OnFailure, old.Properties)
	}
	used := make([]bool, len(answered))
	out := make([]attr.Value, 0, len(answered))
	for _, p := range prior {
		pv, diags := types.ObjectValueFrom(ctx, formulaTriggerType.AttrTypes, p)
		for i, a := range answered {
			if v := value(a, p); !used[i] && !diags.HasError() && sameMeaning(ctx, v, pv) {
				used[i] = true
				out = append(out, v)
				break
			}
		}
	}
	for i, a := range answered {
		if !used[i] {
			var old formulaTriggerModel
			if i < len(prior) {
				old = prior[i]
			}
			out = append(out, value(a, old))
		}
	}
	return out
}

// linkValue is one step or trigger: its type, links and properties, with
// prior's null for none.
func linkValue(t types.ObjectType, kind string, onSuccess, onFailure []string, props json.RawMessage,
	oldSuccess, oldFailure types.List, oldProps jsonValue) attr.Value {
	return types.ObjectValueMust(t.AttrTypes, map[string]attr.Value{
		"type":       types.StringValue(kind),
		"on_success": namesLike(onSuccess, oldSuccess),
		"on_failure": namesLike(onFailure, oldFailure),
		"properties": propertiesLike(props, oldProps),
	})
}

func namesLike(names []string, prior types.List) types.List {
	vals := make([]attr.Value, len(names))
	for i, n := range names {
		vals[i] = types.StringValue(n)
	}
	return emptyAsPrior(types.ListValueMust(types.StringType, vals), prior)
}

// propertiesLike is the answered properties as JSON text in jsonencode's
// form (compact, keys sorted), so imports match configuration; null for
// none when prior is null.
func propertiesLike(props json.RawMessage, prior jsonValue) jsonValue {
	got := canonicalJSON(props)
	if got == "{}" && (prior.IsNull() || prior.IsUnknown()) {
		return meantOrNull[looseJSON]("")
	}
	return meant[looseJSON](got)
}
