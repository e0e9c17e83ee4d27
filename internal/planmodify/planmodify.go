// Package planmodify holds the provider's shared plan modifiers.
package planmodify

import (
	"context"
	"encoding/json"
	"reflect"

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

// JSONKeepsStateIfSame plans the stored value when the configured JSON
// means the same (SameJSON), so that reformatting or reordering a document
// shows no change, and null when none is configured. It is meant for an
// Optional+Computed string attribute (Computed only so that the plan can
// keep the stored spelling).
func JSONKeepsStateIfSame() planmodifier.String { return jsonKeepsStateIfSame{} }

type jsonKeepsStateIfSame struct{}

func (jsonKeepsStateIfSame) Description(context.Context) string {
	return "keeps the stored JSON when the configured JSON has the same meaning"
}

func (m jsonKeepsStateIfSame) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (jsonKeepsStateIfSame) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.ConfigValue.IsNull() {
		resp.PlanValue = req.ConfigValue
		return
	}
	if req.ConfigValue.IsUnknown() || req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	if SameJSON(req.ConfigValue, req.StateValue) {
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
