package cloudelements

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// formulaFields are the top-level keys of a formula the decoder reads.
var formulaFields = []string{"id", "name", "description", "active", "singleThreaded", "engine",
	"createdDate", "configuration", "triggers", "steps", "debugLoggingEnabled"}

// DecodeFormula parses one formula as the platform returns it, with the
// same tolerance as DecodeInstance: ids as numbers or numeric strings,
// booleans as strings, null or absent lists, unknown fields; a duplicate
// key at any depth is an error.
func DecodeFormula(body []byte) (*Formula, error) {
	if err := expectJSON(body, '{', "an object"); err != nil {
		return nil, err
	}
	f, err := decodeFormulaItem(body)
	if err != nil {
		return nil, fmt.Errorf("invalid formula JSON: %w", err)
	}
	return f, nil
}

func decodeFormulaItem(raw json.RawMessage) (*Formula, error) {
	if !json.Valid(raw) {
		return nil, json.Unmarshal(raw, new(struct{}))
	}
	var f [11]json.RawMessage
	if err := scanItem(raw, formulaFields, f[:], &formulaCaps.capSet); err != nil {
		return nil, nameItem(err, f[0])
	}
	var d fieldDecoder
	out := Formula{
		ID: d.id("id", f[0]), Name: d.str("name", f[1]), Description: d.str("description", f[2]),
		Active: d.boolean("active", f[3]), SingleThreaded: d.boolean("singleThreaded", f[4]),
		Engine: d.str("engine", f[5]), CreatedDate: d.date(f[6]),
		whole: !isNull(f[7]) && !isNull(f[8]) && !isNull(f[9]),
	}
	if !isNull(f[10]) {
		debug := d.boolean("debugLoggingEnabled", f[10])
		out.DebugLogging = &debug
	}
	for i, o := range d.objects("configuration", f[7]) {
		out.Configuration = append(out.Configuration, FormulaConfig{
			Key:  d.str(fmt.Sprintf("configuration[%d].key", i), o["key"]),
			Name: d.str(fmt.Sprintf("configuration[%d].name", i), o["name"]),
			Type: d.str(fmt.Sprintf("configuration[%d].type", i), o["type"]),
		})
	}
	for i, o := range d.objects("triggers", f[8]) {
		at := fmt.Sprintf("triggers[%d].", i)
		out.Triggers = append(out.Triggers, FormulaTrigger{
			ID: d.id(at+"id", o["id"]), Type: d.str(at+"type", o["type"]),
			OnSuccess: d.strings(at+"onSuccess", o["onSuccess"]), OnFailure: d.strings(at+"onFailure", o["onFailure"]),
			Properties: d.object(at+"properties", o["properties"]),
		})
	}
	for i, o := range d.objects("steps", f[9]) {
		at := fmt.Sprintf("steps[%d].", i)
		out.Steps = append(out.Steps, FormulaStep{
			ID: d.id(at+"id", o["id"]), Name: d.str(at+"name", o["name"]), Type: d.str(at+"type", o["type"]),
			OnSuccess: d.strings(at+"onSuccess", o["onSuccess"]), OnFailure: d.strings(at+"onFailure", o["onFailure"]),
			Properties: d.object(at+"properties", o["properties"]),
		})
	}
	if d.err != nil {
		return nil, d.err
	}
	if out.ID <= 0 {
		return nil, fmt.Errorf("formula has no positive id (id %d)", out.ID)
	}
	return &out, nil
}

// objects reads an array of objects; null or absent is none.
func (d *fieldDecoder) objects(key string, raw json.RawMessage) []map[string]json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var out []map[string]json.RawMessage
	if firstByte(raw) != '[' || json.Unmarshal(raw, &out) != nil {
		d.fail(key, raw, "an array of objects")
		return nil
	}
	return out
}

// strings reads an array of strings; null or absent is none.
func (d *fieldDecoder) strings(key string, raw json.RawMessage) []string {
	if isNull(raw) {
		return nil
	}
	var out []string
	if firstByte(raw) != '[' || json.Unmarshal(raw, &out) != nil {
		d.fail(key, raw, "an array of strings")
		return nil
	}
	return out
}

// object keeps a JSON object as compact raw JSON; null or absent is nil.
func (d *fieldDecoder) object(key string, raw json.RawMessage) json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var buf bytes.Buffer
	buf.Grow(len(raw)) // no more: a listing keeps every step's properties
	if firstByte(raw) != '{' || json.Compact(&buf, raw) != nil {
		d.fail(key, raw, "an object")
		return nil
	}
	return buf.Bytes()
}
