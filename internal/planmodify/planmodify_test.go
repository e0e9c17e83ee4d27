package planmodify

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func str(s string) types.String { return types.StringValue(s) }

// TestRequiresReplaceIfStateSet: a change replaces, except when the state
// has no value (an import that could not learn it) or on create/destroy.
func TestRequiresReplaceIfStateSet(t *testing.T) {
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}
	present := tftypes.NewValue(obj, map[string]tftypes.Value{})
	absent := tftypes.NewValue(obj, nil)
	for _, tc := range []struct {
		name              string
		state, plan       tftypes.Value
		stateVal, planVal types.String
		want              bool
	}{
		{name: "changed", state: present, plan: present, stateVal: str("jira"), planVal: str("zendesk"), want: true},
		{name: "unchanged", state: present, plan: present, stateVal: str("jira"), planVal: str("jira")},
		{name: "adopted after import", state: present, plan: present, stateVal: types.StringNull(), planVal: str("jira")},
		{name: "create", state: absent, plan: present, stateVal: types.StringNull(), planVal: str("jira")},
		{name: "destroy", state: present, plan: absent, stateVal: str("jira"), planVal: types.StringNull()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := planmodifier.StringRequest{Path: path.Root("element_key"),
				State: tfsdk.State{Raw: tc.state}, Plan: tfsdk.Plan{Raw: tc.plan},
				ConfigValue: tc.planVal, StateValue: tc.stateVal, PlanValue: tc.planVal}
			resp := &planmodifier.StringResponse{PlanValue: tc.planVal}
			RequiresReplaceIfStateSet("A change replaces the instance.").PlanModifyString(context.Background(), req, resp)
			if resp.RequiresReplace != tc.want || resp.Diagnostics.HasError() {
				t.Errorf("RequiresReplace = %v (%v), want %v", resp.RequiresReplace, resp.Diagnostics, tc.want)
			}
		})
	}
	if d := RequiresReplaceIfStateSet("A change replaces the instance.").Description(context.Background()); d != "A change replaces the instance." {
		t.Errorf("description %q", d)
	}
}
