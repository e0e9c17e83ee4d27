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

func TestSameJSON(t *testing.T) {
	for _, tc := range []struct {
		a, b types.String
		want bool
	}{
		{str(`{"a":1,"b":[1,2]}`), str("{\n  \"b\": [1, 2],\n  \"a\": 1.0\n}"), true},
		{str(`{}`), str(` { } `), true},
		{str(`"x"`), str(`"x"`), true},
		{str(`{"a":1}`), str(`{"a":2}`), false},
		{str(`{"b":[1,2]}`), str(`{"b":[2,1]}`), false}, // arrays keep their order
		{str(`{"a":null}`), str(`{}`), false},
		{str(`{not json`), str(`{not json`), false},
		{types.StringNull(), types.StringNull(), false},
		{types.StringUnknown(), str(`{}`), false},
		{str(`{}`), types.StringNull(), false},
	} {
		if got := SameJSON(tc.a, tc.b); got != tc.want {
			t.Errorf("SameJSON(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
		if got := SameJSON(tc.b, tc.a); got != tc.want {
			t.Errorf("SameJSON(%s, %s) = %v, want %v (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

// TestJSONKeepsStateIfSame: the stored spelling is planned when the
// configured document means the same; otherwise the plan is left alone,
// and no configuration plans null.
func TestJSONKeepsStateIfSame(t *testing.T) {
	stored := str(`{"incidents":{"url":"/hubs/helpdesk/incidents","idField":"id"}}`)
	respelled := str("{\n  \"incidents\": { \"idField\": \"id\", \"url\": \"/hubs/helpdesk/incidents\" }\n}")
	changed := str(`{"incidents":{"url":"/hubs/helpdesk/incidents","idField":"key"}}`)
	for _, tc := range []struct {
		name                string
		config, state, plan types.String
		want                types.String
	}{
		{name: "same meaning", config: respelled, state: stored, plan: respelled, want: stored},
		{name: "same text", config: stored, state: stored, plan: stored, want: stored},
		{name: "changed", config: changed, state: stored, plan: changed, want: changed},
		{name: "no config", config: types.StringNull(), state: stored, plan: types.StringUnknown(), want: types.StringNull()},
		{name: "config unknown", config: types.StringUnknown(), state: stored, plan: types.StringUnknown(), want: types.StringUnknown()},
		{name: "create", config: respelled, state: types.StringNull(), plan: respelled, want: respelled},
		{name: "state unknown", config: respelled, state: types.StringUnknown(), plan: respelled, want: respelled},
		{name: "invalid JSON", config: str("{x"), state: str("{x"), plan: str("{x"), want: str("{x")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := planmodifier.StringRequest{Path: path.Root("poller_configuration"),
				ConfigValue: tc.config, StateValue: tc.state, PlanValue: tc.plan}
			resp := &planmodifier.StringResponse{PlanValue: tc.plan}
			JSONKeepsStateIfSame().PlanModifyString(context.Background(), req, resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			if !resp.PlanValue.Equal(tc.want) {
				t.Errorf("planned %s, want %s", resp.PlanValue, tc.want)
			}
			if resp.RequiresReplace {
				t.Error("requires replace")
			}
		})
	}
	if d := JSONKeepsStateIfSame().Description(context.Background()); d == "" || d != JSONKeepsStateIfSame().MarkdownDescription(context.Background()) {
		t.Errorf("description %q", d)
	}
}

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
