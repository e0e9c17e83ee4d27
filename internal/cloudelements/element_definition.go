package cloudelements

import (
	"encoding/json"
	"strings"
)

// An element's own definition lists its configuration entries (key, name,
// type, required, defaultValue, hideFromConsole, internal, ...), as the
// element export shows them [cloudelements-api.md §4.7, OL-CE]. Whether
// GET /elements/{keyOrId} carries that list is not documented: when the
// answer has no list, nothing is known, and nothing is called required.

// ElementDefinition is an element as GET /elements/{keyOrId} answers it.
type ElementDefinition struct {
	ElementRef
	// Configuration holds the entries of the answer's configuration list;
	// DefinesConfiguration is false when the answer had no such list.
	Configuration        []ElementConfigField
	DefinesConfiguration bool
}

// ElementConfigField is one configuration entry of an element.
type ElementConfigField struct {
	Key  string
	Name string
	Type string // e.g. TEXTFIELD_32, PASSWORD, BOOLEAN
	// Required, and what says the user need not give it anyway: a default
	// the platform fills in, an entry the console never asks for (hidden or
	// internal), or one marked inactive.
	Required, HasDefault, Hidden, Internal, Inactive bool
}

// Secret reports whether the entry holds a secret (a PASSWORD field).
func (f ElementConfigField) Secret() bool { return strings.EqualFold(f.Type, "PASSWORD") }

// RequiredConfiguration lists the entries a create must give: marked
// required, with no default, not hidden from the console, not internal and
// not inactive. Empty when the definition says nothing.
func (d *ElementDefinition) RequiredConfiguration() []ElementConfigField {
	var out []ElementConfigField
	for _, f := range d.Configuration {
		if f.Required && !f.HasDefault && !f.Hidden && !f.Internal && !f.Inactive && f.Key != "" {
			out = append(out, f)
		}
	}
	return out
}

// wireConfigField reads an entry leniently: flags may come as booleans or
// as "true"/"false" strings, and anything unreadable is not a flag.
type wireConfigField struct {
	Key             string          `json:"key"`
	Name            string          `json:"name"`
	Type            string          `json:"type"`
	Required        json.RawMessage `json:"required"`
	DefaultValue    json.RawMessage `json:"defaultValue"`
	HideFromConsole json.RawMessage `json:"hideFromConsole"`
	Internal        json.RawMessage `json:"internal"`
	Active          json.RawMessage `json:"active"`
}

// decodeElementConfiguration reads the configuration list of an element
// answer; ok is false when there is no list (absent, null or another
// shape). An entry that is not an object is skipped.
func decodeElementConfiguration(body []byte) (fields []ElementConfigField, ok bool) {
	var top struct {
		Configuration json.RawMessage `json:"configuration"`
	}
	if json.Unmarshal(body, &top) != nil || firstByte(top.Configuration) != '[' {
		return nil, false
	}
	var raw []json.RawMessage
	if json.Unmarshal(top.Configuration, &raw) != nil {
		return nil, false
	}
	for _, r := range raw {
		var w wireConfigField
		if json.Unmarshal(r, &w) != nil {
			continue
		}
		fields = append(fields, ElementConfigField{
			Key: w.Key, Name: w.Name, Type: w.Type,
			Required: flag(w.Required, false), HasDefault: hasValue(w.DefaultValue),
			Hidden: flag(w.HideFromConsole, false), Internal: flag(w.Internal, false),
			Inactive: !flag(w.Active, true),
		})
	}
	return fields, true
}

// flag reads true, false, "true" or "false"; anything else is def.
func flag(raw json.RawMessage, def bool) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(string(raw)), `"`)) {
	case "true":
		return true
	case "false":
		return false
	}
	return def
}

// hasValue reports a default that is present and not null or "".
func hasValue(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null" && s != `""`
}
