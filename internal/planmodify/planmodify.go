// Package planmodify holds the provider's shared plan modifiers.
package planmodify

import (
	"context"
	"encoding/json"
	"reflect"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// SameJSON reports whether two known JSON texts mean the same: equal after
// decoding, so whitespace and key order do not matter. Null, unknown or
// invalid JSON is never the same as anything.
func SameJSON(a, b types.String) bool {
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return false
	}
	var x, y any
	return json.Unmarshal([]byte(a.ValueString()), &x) == nil &&
		json.Unmarshal([]byte(b.ValueString()), &y) == nil && reflect.DeepEqual(x, y)
}

// SameJSONLoosely is SameJSON where a number or a boolean and a string of
// the same text are the same.
func SameJSONLoosely(a, b types.String) bool {
	if a.IsNull() || a.IsUnknown() || b.IsNull() || b.IsUnknown() {
		return false
	}
	var x, y any
	return json.Unmarshal([]byte(a.ValueString()), &x) == nil &&
		json.Unmarshal([]byte(b.ValueString()), &y) == nil && reflect.DeepEqual(scalarsAsText(x), scalarsAsText(y))
}

func scalarsAsText(v any) any {
	switch t := v.(type) {
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case map[string]any:
		for k, x := range t {
			t[k] = scalarsAsText(x)
		}
	case []any:
		for i, x := range t {
			t[i] = scalarsAsText(x)
		}
	}
	return v
}

// JSONKeepsStateIfSame plans the stored value when the configured JSON
// means the same (SameJSON), so that reformatting or reordering a document
// shows no change, and null when none is configured. It is meant for an
// Optional+Computed string attribute (Computed only so that the plan can
// keep the stored spelling).
func JSONKeepsStateIfSame() planmodifier.String { return jsonKeepsStateIfSame{same: SameJSON} }

// JSONKeepsStateIfLooselySame is JSONKeepsStateIfSame with SameJSONLoosely:
// for documents the platform may answer with numbers or booleans as
// strings (formula step and trigger properties).
func JSONKeepsStateIfLooselySame() planmodifier.String {
	return jsonKeepsStateIfSame{same: SameJSONLoosely}
}

type jsonKeepsStateIfSame struct{ same func(a, b types.String) bool }

func (jsonKeepsStateIfSame) Description(context.Context) string {
	return "keeps the stored JSON when the configured JSON has the same meaning"
}

func (m jsonKeepsStateIfSame) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m jsonKeepsStateIfSame) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
		return
	}
	if req.ConfigValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	if m.same(req.ConfigValue, req.StateValue) {
		resp.PlanValue = req.StateValue
	}
}

// RequiresReplaceIfStateSet replaces the resource when the value changes,
// except when the state has none: an imported resource whose value the
// platform does not report adopts the configured one instead of being
// replaced. description says what a change does.
func RequiresReplaceIfStateSet(description string) planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.StateValue.IsNull()
		}, description, description)
}
