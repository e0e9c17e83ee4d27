package provider

import (
	"slices"
	"testing"
)

// TestVariableReferences: only whole-value references are found (script
// bodies are JavaScript with template literals of their own), in document
// order, with where they are.
func TestVariableReferences(t *testing.T) {
	props := `{"b": ["x", "${config.crm}"], "a": "${trigger_instance}", "body": "const s = ` + "`${who}`" + `;",
		"n": {"deep": "${ steps.check.id }"}, "empty": "${ }", "num": 5}`
	var got []string
	for _, r := range variableReferences(props) {
		got = append(got, r.at+"="+r.name)
	}
	want := []string{"a=trigger_instance", "b[1]=config.crm", "n.deep=steps.check.id"}
	if !slices.Equal(got, want) {
		t.Errorf("references %v, want %v", got, want)
	}
	if variableReferences(`{not json`) != nil {
		t.Error("invalid JSON has references")
	}
	for ref, want := range map[string]string{"config.crm": "crm", "crm.instance.id": "crm.instance.id",
		"trigger_instance": "trigger_instance", "steps.check.id": "", "trigger.event": "", "info.formulaId": ""} {
		v, isVariable := referencedVariable(ref, []string{"crm.instance.id"})
		if want == "" && isVariable || want != "" && (!isVariable || v != want) {
			t.Errorf("referencedVariable(%q) = %q, %v; want %q", ref, v, isVariable, want)
		}
	}
}
