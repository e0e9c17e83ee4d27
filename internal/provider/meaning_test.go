package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Comparison by meaning (issue 26 items 6 and 7, "also suspected"): each
// meaning, both ways round.
func TestMeanings(t *testing.T) {
	for _, tc := range []struct {
		m    meaning
		a, b string
		want bool
	}{
		{looseJSON{}, `{"a":1,"b":[1,2]}`, "{\n  \"b\": [1, 2],\n  \"a\": 1.0\n}", true},
		{looseJSON{}, `{"timeout":3600000}`, `{"timeout":"3600000"}`, true},
		{looseJSON{}, `{"timeout":3600000}`, `{"timeout":3.6e+06}`, true},
		{looseJSON{}, `{"timeout":"3.6e+06"}`, `{"timeout":3600000}`, true},
		{looseJSON{}, `{"formulaId":1005001}`, `{"formulaId":"1005001"}`, true},
		{looseJSON{}, `{"rate":0.00001}`, `{"rate":"1e-05"}`, true},
		{looseJSON{}, `{"big":123456789012345678901234567890}`, `{"big":"123456789012345678901234567890"}`, true},
		{looseJSON{}, `{"big":123456789012345678901234567890}`, `{"big":"123456789012345678901234567891"}`, false},
		{looseJSON{}, `{"n":7}`, `{"n":"07"}`, false},
		{looseJSON{}, `{"n":7}`, `{"n":"seven"}`, false},
		{looseJSON{}, `{"on":true}`, `{"on":"true"}`, true},
		{looseJSON{}, `{"on":true}`, `{"on":"1"}`, false},
		{looseJSON{}, `{"body":"done(true);\n"}`, `{"body":"done(true);"}`, true},
		{looseJSON{}, `{"body":"done(true);"}`, `{"body":"done(false);"}`, false},
		{looseJSON{}, `{"b":[1,2]}`, `{"b":[2,1]}`, false},
		{looseJSON{}, `{"a":null}`, `{}`, false},
		{looseJSON{}, `{x`, `{x`, true},
		{looseJSON{}, `{x`, `{y`, false},
		{strictJSON{}, `{"a":1,"b":[1,2]}`, "{\n  \"b\": [1, 2],\n  \"a\": 1.0\n}", true},
		{strictJSON{}, `{"a":1}`, `{"a":"1"}`, false},
		{strictJSON{}, `{"b":[1,2]}`, `{"b":[2,1]}`, false},
		{storedName{}, "  Sync <b>tickets</b> ", "Sync tickets", true},
		{storedName{}, "Sync tickets", "Sync Tickets", false},
	} {
		if got := tc.m.same(tc.a, tc.b); got != tc.want {
			t.Errorf("%s: same(%s, %s) = %v, want %v", tc.m.name(), tc.a, tc.b, got, tc.want)
		}
		if got := tc.m.same(tc.b, tc.a); got != tc.want {
			t.Errorf("%s: same(%s, %s) = %v, want %v (not symmetric)", tc.m.name(), tc.b, tc.a, got, tc.want)
		}
	}
}

// sameMeaning compares through collections and objects; null and unknown
// are equal only to themselves.
func TestSameMeaning(t *testing.T) {
	ctx := context.Background()
	obj := func(props string) attr.Value {
		return types.ObjectValueMust(formulaStepType.AttrTypes, map[string]attr.Value{
			"type": types.StringValue("script"), "on_success": types.ListNull(types.StringType),
			"on_failure": types.ListNull(types.StringType), "properties": meant[looseJSON](props)})
	}
	steps := func(props string) attr.Value {
		return types.MapValueMust(formulaStepType, map[string]attr.Value{"s": obj(props)})
	}
	if !sameMeaning(ctx, steps(`{"n":3600000}`), steps(`{"n":"3600000"}`)) {
		t.Error("steps that mean the same differ")
	}
	if sameMeaning(ctx, steps(`{"n":1}`), steps(`{"n":2}`)) {
		t.Error("steps that differ are the same")
	}
	if sameMeaning(ctx, meant[storedName]("x"), meaningValue[storedName]{StringValue: types.StringNull()}) {
		t.Error("null is the same as a value")
	}
}

// keepStateIfSame plans the stored spelling when the configured one means
// the same; otherwise the plan is left alone, and no configuration plans
// null.
func TestKeepStateIfSame(t *testing.T) {
	str := types.StringValue
	stored := str(`{"incidents":{"url":"/hubs/helpdesk/incidents","idField":"id"}}`)
	respelled := str("{\n  \"incidents\": { \"idField\": \"id\", \"url\": \"/hubs/helpdesk/incidents\" }\n}")
	changed := str(`{"incidents":{"url":"/hubs/helpdesk/incidents","idField":"key"}}`)
	for _, tc := range []struct {
		name                      string
		config, state, plan, want types.String
	}{
		{"same meaning", respelled, stored, respelled, stored},
		{"same text", stored, stored, stored, stored},
		{"changed", changed, stored, changed, changed},
		{"no config", types.StringNull(), stored, types.StringUnknown(), types.StringNull()},
		{"config unknown", types.StringUnknown(), stored, types.StringUnknown(), types.StringUnknown()},
		{"create", respelled, types.StringNull(), respelled, respelled},
		{"state unknown", respelled, types.StringUnknown(), respelled, respelled},
	} {
		req := planmodifier.StringRequest{Path: path.Root("poller_configuration"), ConfigValue: tc.config,
			StateValue: tc.state, PlanValue: tc.plan}
		resp := &planmodifier.StringResponse{PlanValue: tc.plan}
		keepStateIfSame[strictJSON]().PlanModifyString(context.Background(), req, resp)
		if !resp.PlanValue.Equal(tc.want) || resp.Diagnostics.HasError() {
			t.Errorf("%s: planned %s, want %s (%v)", tc.name, resp.PlanValue, tc.want, resp.Diagnostics)
		}
	}
}
