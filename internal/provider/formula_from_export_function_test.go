package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// runFormulaFromExport calls the function as Terraform would.
func runFormulaFromExport(t *testing.T, text string, ids attr.Value, bodies ...map[string]string) (map[string]attr.Value, *function.FuncError) {
	t.Helper()
	var types_ []attr.Type
	var vals []attr.Value
	for _, b := range bodies {
		m, diags := types.MapValueFrom(context.Background(), types.StringType, b)
		if diags.HasError() {
			t.Fatal(diags)
		}
		types_ = append(types_, types.MapType{ElemType: types.StringType})
		vals = append(vals, m)
	}
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{
		types.StringValue(text), ids, types.TupleValueMust(types_, vals)})}
	resp := &function.RunResponse{Result: function.NewResultData(types.ObjectUnknown(formulaFromExportAttrs))}
	NewFormulaFromExportFunction().Run(context.Background(), req, resp)
	if resp.Error != nil {
		return nil, resp.Error
	}
	return must[types.Object](t, resp.Result.Value()).Attributes(), nil
}

// must is v as a T, or the test's end.
func must[T any](t *testing.T, v any) T {
	t.Helper()
	x, ok := v.(T)
	if !ok {
		t.Fatalf("got %T, want %T", v, x)
	}
	return x
}

func exportFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(exportMigrationDir, "exports", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func idMap(kv ...string) types.Map {
	m := map[string]attr.Value{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = types.StringValue(kv[i+1])
	}
	return types.MapValueMust(types.StringType, m)
}

// step is one step of a result, as its attributes.
func step(t *testing.T, got map[string]attr.Value, name string) map[string]attr.Value {
	t.Helper()
	st, ok := must[types.Map](t, got["steps"]).Elements()[name]
	if !ok {
		t.Fatalf("no step %q in %s", name, got["steps"])
	}
	return must[types.Object](t, st).Attributes()
}

func wantAttr(t *testing.T, what string, got attr.Value, want attr.Value) {
	t.Helper()
	if v, ok := got.(jsonValue); ok { // properties: compared by meaning in the resource, as written here
		got = v.StringValue
	}
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// TestFormulaFromExport_example: the guide's exports become the resource's
// attributes: platform keys left out, none as null, the sub-formula call
// remapped keeping its JSON kind, properties as jsonencode writes them.
func TestFormulaFromExport_example(t *testing.T) {
	got, err := runFormulaFromExport(t, exportFile(t, "sync-tickets.json"), idMap("48213", "75001", "1", "unused"))
	if err != nil {
		t.Fatal(err)
	}
	wantAttr(t, "name", got["name"], types.StringValue("sync-tickets"))
	wantAttr(t, "description", got["description"], types.StringValue("Checks new tickets and notifies operations"))
	wantAttr(t, "active", got["active"], types.BoolValue(true))
	wantAttr(t, "single_threaded", got["single_threaded"], types.BoolValue(false))
	wantAttr(t, "source_id", got["source_id"], types.StringValue("48240"))
	wantAttr(t, "configuration", got["configuration"], types.ListValueMust(formulaConfigType, []attr.Value{
		types.ObjectValueMust(formulaConfigType.AttrTypes, map[string]attr.Value{"key": types.StringValue("helpdesk"),
			"name": types.StringValue("Helpdesk"), "type": types.StringValue("elementInstance")})}))
	tr := must[types.Object](t, must[types.List](t, got["triggers"]).Elements()[0]).Attributes()
	wantAttr(t, "trigger type", tr["type"], types.StringValue("event"))
	wantAttr(t, "trigger on_success", tr["on_success"], types.ListValueMust(types.StringType, []attr.Value{types.StringValue("check")}))
	wantAttr(t, "trigger on_failure", tr["on_failure"], types.ListNull(types.StringType))
	wantAttr(t, "trigger properties", tr["properties"], types.StringValue(`{"elementInstanceId":"${helpdesk}"}`))
	check := step(t, got, "check")
	wantAttr(t, "check type", check["type"], types.StringValue("filter"))
	wantAttr(t, "check properties", check["properties"], types.StringValue(`{"body":"done(trigger.event.eventType === 'CREATED');"}`))
	wantAttr(t, "notify properties", step(t, got, "notify")["properties"], types.StringValue(`{"formulaId":75001}`))

	// Ids as strings, null for none, absent keys: the platform's other forms.
	got, err = runFormulaFromExport(t, exportFile(t, "nightly-report.json"), idMap("48213", "75001"))
	if err != nil {
		t.Fatal(err)
	}
	wantAttr(t, "description", got["description"], types.StringValue(""))
	wantAttr(t, "active", got["active"], types.BoolValue(false))
	wantAttr(t, "configuration", got["configuration"], types.ListNull(formulaConfigType))
	wantAttr(t, "source_id", got["source_id"], types.StringValue("48257"))
	wantAttr(t, "tell-ops properties", step(t, got, "tell-ops")["properties"], types.StringValue(`{"formulaId":"75001"}`))
	wantAttr(t, "collect properties", step(t, got, "collect")["properties"],
		types.StringValue(`{"body":"done({ tickets: 0 });","scriptEngine":"v2","timeout":120}`))

	// A sub-formula calls none: {} and null both do.
	for _, ids := range []attr.Value{idMap(), types.MapNull(types.StringType)} {
		got, err = runFormulaFromExport(t, exportFile(t, "sub-formulas/notify-ops.json"), ids)
		if err != nil {
			t.Fatal(err)
		}
		tr := must[types.Object](t, must[types.List](t, got["triggers"]).Elements()[0]).Attributes()
		wantAttr(t, "empty properties", tr["properties"], types.StringNull())
		wantAttr(t, "single_threaded", got["single_threaded"], types.BoolValue(false))
		if body := must[jsonValue](t, step(t, got, "post")["properties"]).ValueString(); !strings.Contains(body, `\u0026\u0026`) {
			t.Errorf("properties %s: want & escaped as jsonencode does", body)
		}
	}
}

// TestFormulaFromExport_unknownIDs: while the sub-formulas are still to be
// created, only the calling steps' properties are unknown, so the plan
// shows everything else.
func TestFormulaFromExport_unknownIDs(t *testing.T) {
	unknownEntry := types.MapValueMust(types.StringType, map[string]attr.Value{"48213": types.StringUnknown()})
	for name, ids := range map[string]types.Map{"unknown map": types.MapUnknown(types.StringType), "unknown entry": unknownEntry} {
		got, err := runFormulaFromExport(t, exportFile(t, "sync-tickets.json"), ids)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !step(t, got, "notify")["properties"].IsUnknown() {
			t.Errorf("%s: the calling step's properties are known: %s", name, step(t, got, "notify")["properties"])
		}
		if p := step(t, got, "check")["properties"]; p.IsUnknown() || got["name"].IsUnknown() || got["triggers"].IsUnknown() {
			t.Errorf("%s: more than the calling step's properties is unknown: %s", name, got)
		}
	}
}

// TestFormulaFromExport_theDoctorDirectory: the-doctor's directory form
// has no ids and keeps script bodies in <step>.js; the third argument
// puts them back.
func TestFormulaFromExport_theDoctorDirectory(t *testing.T) {
	formulaJSON := `{"name": "doc", "active": true, "configuration": [], "triggers": [{"type": "manual", "onSuccess": ["a"], "onFailure": [], "properties": {}}],
  "steps": [{"name": "a", "type": "script", "onSuccess": ["b"], "onFailure": [], "properties": {"scriptEngine": "v2"}},
            {"name": "b", "type": "filter", "onSuccess": [], "onFailure": [], "properties": {}}]}`
	got, err := runFormulaFromExport(t, formulaJSON, idMap(), map[string]string{"a": "done(1);", "b": "done(true);"})
	if err != nil {
		t.Fatal(err)
	}
	wantAttr(t, "source_id", got["source_id"], types.StringNull())
	wantAttr(t, "a properties", step(t, got, "a")["properties"], types.StringValue(`{"body":"done(1);","scriptEngine":"v2"}`))
	wantAttr(t, "b properties", step(t, got, "b")["properties"], types.StringValue(`{"body":"done(true);"}`))
	// Without the bodies, the export would create empty scripts.
	_, ferr := runFormulaFromExport(t, formulaJSON, idMap())
	if ferr == nil || *ferr.FunctionArgument != argExportJSON || !strings.Contains(ferr.Text, `step "a" (script) has no properties.body`) ||
		!strings.Contains(ferr.Text, "third argument") {
		t.Errorf("missing bodies: %v", ferr)
	}
}

// TestFormulaFromExport_errors: each fault names the argument and says
// what is wrong and where.
func TestFormulaFromExport_errors(t *testing.T) {
	valid := exportFile(t, "sync-tickets.json")
	subs := idMap("48213", "75001")
	replace := func(old, with string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("the example lacks %q", old)
		}
		return strings.Replace(valid, old, with, 1)
	}
	for _, tc := range []struct {
		name   string
		text   string
		ids    attr.Value
		bodies []map[string]string
		arg    int64
		want   string
	}{
		{"not JSON", "{", subs, nil, argExportJSON, "not valid JSON"},
		{"the-doctor's file", "[" + valid + "]", subs, nil, argExportJSON, "a JSON array of 1 values, as the-doctor's"},
		{"two documents", valid + valid, subs, nil, argExportJSON, "more than one JSON value"},
		{"a string", `"sync"`, subs, nil, argExportJSON, "a string, not a formula object"},
		{"no name", replace(`"name": "sync-tickets",`, ""), subs, nil, argExportJSON, "name: missing or blank"},
		{"name a number", replace(`"name": "sync-tickets"`, `"name": 7`), subs, nil, argExportJSON, "name: must be a string, not a number"},
		{"active a word", replace(`"active": true`, `"active": "maybe"`), subs, nil, argExportJSON, `active: must be true or false, not "maybe"`},
		{"steps an object", replace(`"steps": [`, `"steps": {"x": [`) + "}", subs, nil, argExportJSON, "steps: must be a JSON array, not an object"},
		{"step without name", replace(`"name": "check",`, ""), subs, nil, argExportJSON, "steps[0]: needs a name"},
		{"step twice", replace(`"name": "notify",`, `"name": "check",`), subs, nil, argExportJSON, `step "check": two steps have this name`},
		{"step without type", replace(`"type": "filter",`, ""), subs, nil, argExportJSON, `step "check": needs a type`},
		{"dangling link", replace(`"onSuccess": ["notify"]`, `"onSuccess": ["notfy"]`), subs, nil, argExportJSON,
			`step "check": runs step "notfy" next, which the export does not have; its steps are "check", "notify"`},
		{"trigger link", replace(`"onSuccess": ["check"]`, `"onSuccess": ["chek"]`), subs, nil, argExportJSON, `triggers[0]: runs step "chek" next`},
		{"properties a list", replace(`"properties": { "formulaId": 48213 }`, `"properties": [48213]`), subs, nil, argExportJSON,
			`step "notify": properties must be a JSON object, not an array`},
		{"links a word", replace(`"onSuccess": ["notify"]`, `"onSuccess": "notify"`), subs, nil, argExportJSON,
			`step "check": onSuccess: must be a list of step names, not a string`},
		{"fractional id", replace(`"formulaId": 48213`, `"formulaId": 48.5`), subs, nil, argExportJSON, "properties.formulaId 48.5 is not a formula id"},
		{"configuration without type", replace(`"type": "elementInstance"`, `"kind": "elementInstance"`), subs, nil, argExportJSON,
			`configuration "helpdesk": needs a type`},
		{"unmapped sub-formula", valid, idMap("1", "2"), nil, argSubFormulaIDs,
			`step "notify" calls formula 48213 of the exporting account, which has no entry; add "48213" = <that formula's id here>`},
		{"null map, a call", valid, types.MapNull(types.StringType), nil, argSubFormulaIDs, `add "48213" =`},
		{"blank id", valid, idMap("48213", " "), nil, argSubFormulaIDs, `the entry for "48213" (called by step "notify") is blank`},
		{"body for no script", valid, subs, []map[string]string{{"notify": "x"}}, argScriptBodies,
			`"notify" names no script or filter step of the export; those are "check"`},
		{"body twice", valid, subs, []map[string]string{{"check": "x"}}, argScriptBodies, `step "check" has a body in the export already`},
		{"bodies twice", valid, subs, []map[string]string{{}, {}}, argScriptBodies + 1, "more than once"},
	} {
		_, err := runFormulaFromExport(t, tc.text, tc.ids, tc.bodies...)
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
		case err.FunctionArgument == nil || *err.FunctionArgument != tc.arg || !strings.Contains(err.Text, tc.want):
			t.Errorf("%s: argument %v, %q; want argument %d and %q", tc.name, err.FunctionArgument, err.Text, tc.arg, tc.want)
		}
	}
}
