package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// How a formula export (GET /formulas/{id}/export, a formula as GET
// /formulas/{id} answers it, or one formula of the-doctor's files) becomes
// cloudelements_formula's attributes. The export's shape is not documented
// (assets-api.md: UNCONFIRMED), so ids may be numbers or strings, empty
// lists null or absent, and keys the resource does not manage (ids,
// accountId, userId, createdDate, engine, debugLoggingEnabled, api,
// subFormulas, ...) are left out.

// exportedFormula is a parsed export, in the resource's terms.
type exportedFormula struct {
	SourceID       string // the exporting account's id; "" when the export has none
	Name           string
	Description    string
	Active         bool
	SingleThreaded *bool // nil: the export does not say; the platform decides
	Configuration  []exportedConfig
	Triggers       []exportedLink
	Steps          map[string]exportedLink
	StepOrder      []string // step names as exported, for errors in order
}

type exportedConfig struct{ Key, Name, Type string }

// exportedLink is a step or a trigger.
type exportedLink struct {
	Type      string
	OnSuccess []string
	OnFailure []string
	// Properties is the decoded properties object; nil for none.
	Properties map[string]any
	// Calls is the exporting account's id of the formula a sub-formula step
	// calls (properties.formulaId, when a whole number); "" for none.
	Calls string
	// callsNumber: formulaId was a JSON number (else a string), kept so.
	callsNumber bool
}

// exportError is a fault in the export, located by where (a step, a
// trigger, a key) when known.
func exportError(where, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if where != "" {
		msg = where + ": " + msg
	}
	return fmt.Errorf("%s", msg)
}

// parseFormulaExport reads one formula export.
func parseFormulaExport(text string) (*exportedFormula, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, exportError("", "not valid JSON (%v); pass the file's text, e.g. file(\"exports/sync.json\")", err)
	}
	if dec.More() {
		return nil, exportError("", "more than one JSON value; pass one formula export")
	}
	if list, ok := doc.([]any); ok {
		return nil, exportError("", "a JSON array of %d values, as the-doctor's `export --file` writes; pass one formula: "+
			"for_each = { for f in jsondecode(file(\"formulas.json\")) : f.name => jsonencode(f) } and each.value", len(list))
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, exportError("", "%s, not a formula object", jsonKind(doc))
	}
	f := &exportedFormula{Active: true, Steps: map[string]exportedLink{}}
	var err error
	if f.SourceID, err = idText(obj["id"]); err != nil {
		return nil, exportError("id", "%v", err)
	}
	if f.Name, err = optString(obj, "name"); err != nil {
		return nil, err
	}
	if strings.TrimSpace(f.Name) == "" {
		return nil, exportError("name", "missing or blank; a formula export always names its formula")
	}
	if f.Description, err = optString(obj, "description"); err != nil {
		return nil, err
	}
	if v, ok, err := optBool(obj, "active"); err != nil {
		return nil, err
	} else if ok {
		f.Active = v
	}
	if v, ok, err := optBool(obj, "singleThreaded"); err != nil {
		return nil, err
	} else if ok {
		f.SingleThreaded = &v
	}
	if err := f.parseConfiguration(obj["configuration"]); err != nil {
		return nil, err
	}
	if err := f.parseSteps(obj["steps"]); err != nil {
		return nil, err
	}
	return f, f.parseTriggers(obj["triggers"])
}

func (f *exportedFormula) parseConfiguration(raw any) error {
	items, err := objectList("configuration", raw)
	if err != nil {
		return err
	}
	for i, c := range items {
		where := fmt.Sprintf("configuration[%d]", i)
		var e exportedConfig
		if e.Key, err = optString(c, "key"); err != nil || e.Key == "" {
			return exportError(where, "needs a key (a string)")
		}
		where = fmt.Sprintf("configuration %q", e.Key)
		if e.Type, err = optString(c, "type"); err != nil || e.Type == "" {
			return exportError(where, "needs a type, e.g. \"elementInstance\" or \"value\"")
		}
		if e.Name, err = optString(c, "name"); err != nil {
			return exportError(where, "name must be a string")
		}
		if e.Name == "" {
			e.Name = e.Key // the resource needs one; the platform shows the key
		}
		if slices.ContainsFunc(f.Configuration, func(o exportedConfig) bool { return o.Key == e.Key }) {
			return exportError(where, "declared twice")
		}
		f.Configuration = append(f.Configuration, e)
	}
	return nil
}

func (f *exportedFormula) parseSteps(raw any) error {
	items, err := objectList("steps", raw)
	if err != nil {
		return err
	}
	for i, st := range items {
		name, err := optString(st, "name")
		if err != nil || strings.TrimSpace(name) == "" {
			return exportError(fmt.Sprintf("steps[%d]", i), "needs a name (a string)")
		}
		where := fmt.Sprintf("step %q", name)
		if _, dup := f.Steps[name]; dup {
			return exportError(where, "two steps have this name; step names are unique in a formula")
		}
		l, err := parseLink(where, st)
		if err != nil {
			return err
		}
		if l.Calls, l.callsNumber, err = subFormulaCall(l.Properties); err != nil {
			return exportError(where, "%v", err)
		}
		f.Steps[name] = l
		f.StepOrder = append(f.StepOrder, name)
	}
	for _, name := range f.StepOrder {
		if err := f.checkLinks(fmt.Sprintf("step %q", name), f.Steps[name]); err != nil {
			return err
		}
	}
	return nil
}

func (f *exportedFormula) parseTriggers(raw any) error {
	items, err := objectList("triggers", raw)
	if err != nil {
		return err
	}
	for i, tr := range items {
		where := fmt.Sprintf("triggers[%d]", i)
		l, err := parseLink(where, tr)
		if err != nil {
			return err
		}
		if err := f.checkLinks(where, l); err != nil {
			return err
		}
		f.Triggers = append(f.Triggers, l)
	}
	return nil
}

// scriptStep reports whether a step's code lives in properties.body, which
// the-doctor's directory form (`doctor export --dir`) moves to
// "<step name>.js" beside formula.json.
func scriptStep(l exportedLink) bool { return l.Type == "script" || l.Type == "filter" }

// errMissingBody tells apart a script body missing from the export.
type errMissingBody struct{ step, kind string }

func (e errMissingBody) Error() string {
	return fmt.Sprintf("step %q (%s) has no properties.body: the-doctor's directory form keeps it in %q beside "+
		"formula.json; pass the bodies as the third argument, "+
		`{ for f in fileset(dir, "*.js") : trimsuffix(f, ".js") => file("${dir}/${f}") }`, e.step, e.kind, e.step+".js")
}

// addScriptBodies puts bodies (step name -> code) into the script and
// filter steps that have none, then checks that every one has a body.
func (f *exportedFormula) addScriptBodies(bodies map[string]string) error {
	for _, name := range sortedMapKeys(bodies) {
		st, ok := f.Steps[name]
		switch {
		case !ok || !scriptStep(st):
			return fmt.Errorf("%q names no script or filter step of the export; those are %s",
				name, strings.Join(quoted(slices.DeleteFunc(slices.Clone(f.StepOrder),
					func(n string) bool { return !scriptStep(f.Steps[n]) })), ", "))
		case st.Properties["body"] != nil:
			return fmt.Errorf("step %q has a body in the export already; leave %q out", name, name)
		}
		props := map[string]any{"body": bodies[name]}
		for k, v := range st.Properties {
			props[k] = v
		}
		st.Properties = props
		f.Steps[name] = st
	}
	for _, name := range f.StepOrder {
		if st := f.Steps[name]; scriptStep(st) && st.Properties["body"] == nil {
			return errMissingBody{step: name, kind: st.Type}
		}
	}
	return nil
}

// checkLinks: every step a step or trigger runs next is one of the export.
func (f *exportedFormula) checkLinks(where string, l exportedLink) error {
	for _, n := range slices.Concat(l.OnSuccess, l.OnFailure) {
		if _, ok := f.Steps[n]; !ok {
			return exportError(where, "runs step %q next, which the export does not have; its steps are %s",
				n, strings.Join(quoted(f.StepOrder), ", "))
		}
	}
	return nil
}

func parseLink(where string, o map[string]any) (exportedLink, error) {
	var l exportedLink
	var err error
	if l.Type, err = optString(o, "type"); err != nil || strings.TrimSpace(l.Type) == "" {
		return l, exportError(where, "needs a type (a string)")
	}
	for key, dst := range map[string]*[]string{"onSuccess": &l.OnSuccess, "onFailure": &l.OnFailure} {
		if *dst, err = exportNames(o[key]); err != nil {
			return l, exportError(where, "%s: %v", key, err)
		}
	}
	switch p := o["properties"].(type) {
	case nil:
	case map[string]any:
		if len(p) > 0 {
			l.Properties = p
		}
	default:
		return l, exportError(where, "properties must be a JSON object, not %s", jsonKind(p))
	}
	return l, nil
}

// subFormulaCall finds the exporting account's id a step calls: a whole
// number in properties.formulaId, as a number or a string. Any other
// string (a ${variable}) is no id and stays as it is.
func subFormulaCall(props map[string]any) (id string, number bool, err error) {
	switch v := props["formulaId"].(type) {
	case json.Number:
		if _, err := strconv.ParseInt(v.String(), 10, 64); err != nil {
			return "", false, fmt.Errorf("properties.formulaId %s is not a formula id", v)
		}
		return v.String(), true, nil
	case string:
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return v, false, nil
		}
	}
	return "", false, nil
}

// propertiesJSON is l's properties as jsonencode writes them, with
// formulaId set to calls (the caller's id for the sub-formula) when the
// step calls one; "" for none.
func (l exportedLink) propertiesJSON(calls string) string {
	if l.Properties == nil {
		return ""
	}
	props := l.Properties
	if l.Calls != "" {
		props = make(map[string]any, len(l.Properties))
		for k, v := range l.Properties {
			props[k] = v
		}
		props["formulaId"] = calls
		if _, err := strconv.ParseInt(calls, 10, 64); err == nil && l.callsNumber {
			props["formulaId"] = json.Number(calls)
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	_ = enc.Encode(props) // decoded JSON always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
