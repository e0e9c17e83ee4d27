package provider

// What cloudelements_formula's configuration must get right, checked at
// plan time without an API call: links between steps, variables declared
// once, and ${...} references to declared variables.
//
// Errors point at the step (steps["name"]) or trigger (triggers[i]) they
// are about: Terraform can show the source of a map entry or list item of
// an attribute, but not of an attribute nested deeper (it would point at
// the resource's first line), so the text names the nested attribute.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// ValidateConfig runs the checks above on the formula's configuration.
func (r *formulaResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m formulaResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	steps := map[string]formulaStepModel{}
	if !m.Steps.IsNull() && !m.Steps.IsUnknown() {
		resp.Diagnostics.Append(m.Steps.ElementsAs(ctx, &steps, false)...)
	}
	var triggers []formulaTriggerModel
	resp.Diagnostics.Append(listElems(ctx, m.Triggers, &triggers)...)
	vars, varsKnown := declaredVariables(ctx, m.Configuration, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	c := formulaChecker{steps: sortedMapKeys(steps), stepsKnown: !m.Steps.IsUnknown(), vars: vars,
		varsKnown: varsKnown, diags: &resp.Diagnostics}
	for _, name := range c.steps {
		s := steps[name]
		c.check(path.Root("steps").AtMapKey(name), fmt.Sprintf("Step %q", name), s.OnSuccess, s.OnFailure, s.Properties.StringValue)
	}
	for i, t := range triggers {
		what := fmt.Sprintf("Trigger %d (type %q)", i+1, t.Type.ValueString())
		c.check(path.Root("triggers").AtListIndex(i), what, t.OnSuccess, t.OnFailure, t.Properties.StringValue)
	}
}

// declaredVariables is the set of configuration keys; known is false while
// the list or a key is unknown. A key declared twice is an error at its
// item.
func declaredVariables(ctx context.Context, l types.List, diags *diag.Diagnostics) (vars []string, known bool) {
	if l.IsUnknown() {
		return nil, false
	}
	var cfg []formulaConfigModel
	diags.Append(listElems(ctx, l, &cfg)...)
	known = true
	for i, c := range cfg {
		if c.Key.IsUnknown() {
			known = false
			continue
		}
		k := c.Key.ValueString()
		if slices.Contains(vars, k) {
			diags.AddAttributeError(path.Root("configuration").AtListIndex(i), "Duplicate configuration key",
				fmt.Sprintf("configuration[%d].key: %q is declared twice; keep one.", i, k))
			continue
		}
		vars = append(vars, k)
	}
	return vars, known
}

// formulaChecker checks the steps and triggers of one formula.
type formulaChecker struct {
	steps      []string // the step names, sorted
	stepsKnown bool
	vars       []string // declared variable keys
	varsKnown  bool
	diags      *diag.Diagnostics
}

// check checks one step or trigger at at; what names it in messages.
func (c formulaChecker) check(at path.Path, what string, onSuccess, onFailure types.List, props types.String) {
	if c.stepsKnown {
		c.links(at, what, "on_success", "on success", onSuccess)
		c.links(at, what, "on_failure", "on failure", onFailure)
	}
	if c.varsKnown && !props.IsNull() && !props.IsUnknown() {
		c.references(at, what, props.ValueString())
	}
}

// links refuses a name in on_success or on_failure that is no step.
func (c formulaChecker) links(at path.Path, what, attr, when string, l types.List) {
	for i, v := range l.Elements() {
		s, ok := v.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() || slices.Contains(c.steps, s.ValueString()) {
			continue
		}
		name := s.ValueString()
		c.diags.AddAttributeError(at, "Unknown step",
			fmt.Sprintf("%s runs %q %s (%s[%d]), but the formula has no step of that name.%s Its steps are %s: "+
				"add a step named %q to steps, or name one of them.", what, name, when, attr, i,
				validate.DidYouMean(name, c.steps), validate.QuotedList(c.steps), name))
	}
}

// references refuses a ${...} reference naming no declared variable.
func (c formulaChecker) references(at path.Path, what, props string) {
	for _, ref := range variableReferences(props) {
		v, isVariable := referencedVariable(ref.name, c.vars)
		if !isVariable || slices.Contains(c.vars, v) {
			continue
		}
		c.diags.AddAttributeError(at, "Unknown variable",
			fmt.Sprintf("%s refers to ${%s} in properties.%s, but the formula declares no variable %q.%s Its "+
				"variables are %s: declare %q in configuration (key, name and type), or refer to one of them.",
				what, ref.name, ref.at, v, validate.DidYouMean(v, c.vars), validate.QuotedList(c.vars), v))
	}
}

// contextRoots begin references to what a formula execution provides
// besides its variables (steps.<name>.…, trigger.event, info.…): never
// checked. config.<key> names a variable.
var contextRoots = []string{"steps", "trigger", "info", "env", "execution", "formula"}

// referencedVariable says which variable ref names, if it names one:
// "key" (keys may hold dots, e.g. crm.instance.id) or "config.key".
func referencedVariable(ref string, vars []string) (string, bool) {
	if slices.Contains(vars, ref) {
		return ref, true
	}
	root, rest, _ := strings.Cut(ref, ".")
	switch {
	case root == "config" && rest != "":
		return rest, true
	case slices.Contains(contextRoots, root):
		return "", false
	}
	return ref, true
}

type variableReference struct {
	name string // inside ${...}
	at   string // the JSON path of the value holding it, e.g. elementInstanceId
}

// wholeReference is a JSON string value that is one reference. References
// inside longer text are not checked: script bodies are JavaScript, whose
// template literals use the same ${...} for their own variables.
var wholeReference = regexp.MustCompile(`^\$\{([^{}]+)\}$`)

// variableReferences lists the references in a step's or trigger's
// properties JSON, in document order; invalid JSON (refused by the
// attribute's own validator) has none.
func variableReferences(props string) []variableReference {
	dec := json.NewDecoder(bytes.NewReader([]byte(props)))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var refs []variableReference
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch t := v.(type) {
		case string:
			if m := wholeReference.FindStringSubmatch(t); m != nil && strings.TrimSpace(m[1]) != "" {
				refs = append(refs, variableReference{name: strings.TrimSpace(m[1]), at: at})
			}
		case []any:
			for i, e := range t {
				walk(at+"["+strconv.Itoa(i)+"]", e)
			}
		case map[string]any:
			for _, k := range sortedMapKeys(t) {
				sub := k
				if at != "" {
					sub = at + "." + k
				}
				walk(sub, t[k])
			}
		}
	}
	walk("", v)
	return refs
}
