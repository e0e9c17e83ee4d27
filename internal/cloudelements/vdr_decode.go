package cloudelements

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Decoding common resources (VDRs) and transformations, with the same
// tolerance as DecodeInstance (ids as numbers or numeric strings,
// booleans as strings, null or absent lists, unknown fields such as the
// ids and system fields the platform may add; a duplicate key at any depth
// is an error), and the caps that bound what a listing of them holds.

// Caps on one VDR or transformation in a listing, and on all of them
// together. A real common resource has tens of fields, a real script some
// kilobytes; the byte caps of a listing alone would let 64 MiB of tiny
// fields grow the provider far past that once decoded.
const (
	MaxItemVDRFields = 2000    // fields of one listed VDR or transformation
	MaxListVDRFields = 200000  // fields of all listed VDRs or transformations together
	MaxScriptBytes   = 1 << 20 // one transformation script body
)

var vdrKeys = []string{"id", "objectName", "displayName", "description", "fields"}

// DecodeVDR parses one VDR as the platform returns it.
func DecodeVDR(body []byte) (*VDR, error) {
	if err := expectJSON(body, '{', "an object"); err != nil {
		return nil, err
	}
	v, err := decodeVDRItem(body)
	if err != nil {
		return nil, fmt.Errorf("invalid VDR JSON: %w", err)
	}
	return v, nil
}

func decodeVDRItem(raw json.RawMessage) (*VDR, error) {
	if !json.Valid(raw) {
		return nil, json.Unmarshal(raw, new(struct{}))
	}
	var f [5]json.RawMessage
	if err := objectFields(raw, vdrKeys, f[:]); err != nil {
		return nil, err
	}
	var d fieldDecoder
	out := VDR{ID: d.id("id", f[0]), ObjectName: d.str("objectName", f[1]), DisplayName: d.str("displayName", f[2]),
		Description: d.str("description", f[3]), whole: !isNull(f[4])}
	for i, o := range d.objects("fields", f[4]) {
		at := fmt.Sprintf("fields[%d].", i)
		out.Fields = append(out.Fields, VDRField{ID: d.id(at+"id", o["id"]), Path: d.str(at+"path", o["path"]),
			Type: d.str(at+"type", o["type"]), Level: d.str(at+"level", o["level"])})
	}
	if d.err != nil {
		return nil, d.err
	}
	if out.ID <= 0 {
		return nil, fmt.Errorf("VDR has no positive id (id %d)", out.ID)
	}
	return &out, nil
}

var transformationKeys = []string{"id", "vdrId", "level", "elementKey", "element", "instanceId", "vendorName",
	"fields", "configuration", "script"}

// DecodeVDRTransformation parses one transformation of a VDR.
func DecodeVDRTransformation(body []byte) (*VDRTransformation, error) {
	if err := expectJSON(body, '{', "an object"); err != nil {
		return nil, err
	}
	t, err := decodeTransformationItem(body)
	if err != nil {
		return nil, fmt.Errorf("invalid transformation JSON: %w", err)
	}
	return t, nil
}

func decodeTransformationItem(raw json.RawMessage) (*VDRTransformation, error) {
	if !json.Valid(raw) {
		return nil, json.Unmarshal(raw, new(struct{}))
	}
	var f [10]json.RawMessage
	if err := objectFields(raw, transformationKeys, f[:]); err != nil {
		return nil, err
	}
	var d fieldDecoder
	out := VDRTransformation{ID: d.id("id", f[0]), VDRID: d.id("vdrId", f[1]), Level: d.str("level", f[2]),
		ElementKey: d.str("elementKey", f[3]), InstanceID: d.id("instanceId", f[5]), VendorName: d.str("vendorName", f[6]),
		Configuration: d.array("configuration", f[8]), whole: !isNull(f[7])}
	if out.ElementKey == "" && !isNull(f[4]) {
		out.ElementKey = d.element(f[4]).Key // an element object instead of its key
	}
	for i, o := range d.objects("fields", f[7]) {
		at := fmt.Sprintf("fields[%d].", i)
		out.Fields = append(out.Fields, TransformationField{Path: d.str(at+"path", o["path"]),
			VDRFieldID: d.id(at+"vdrFieldId", o["vdrFieldId"]), Type: d.str(at+"type", o["type"]),
			VendorPath: d.str(at+"vendorPath", o["vendorPath"]), VendorType: d.str(at+"vendorType", o["vendorType"]),
			Level: d.str(at+"level", o["level"]), Configuration: d.array(at+"configuration", o["configuration"])})
	}
	if !isNull(f[9]) {
		var sc [3]json.RawMessage
		if objectFields(f[9], []string{"body", "mimeType", "filterEmptyResponse"}, sc[:]) != nil {
			d.fail("script", f[9], "an object")
		} else {
			out.Script = &TransformationScript{Body: d.str("script.body", sc[0]), MimeType: d.str("script.mimeType", sc[1]),
				FilterEmptyResponse: d.boolean("script.filterEmptyResponse", sc[2])}
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if out.ID <= 0 {
		return nil, fmt.Errorf("transformation has no positive id (id %d)", out.ID)
	}
	return &out, nil
}

// array keeps a JSON array as compact raw JSON; null, absent or empty is
// nil (the platform may answer an empty list any of these ways).
func (d *fieldDecoder) array(key string, raw json.RawMessage) json.RawMessage {
	if isNull(raw) {
		return nil
	}
	var buf bytes.Buffer
	if firstByte(raw) != '[' || json.Compact(&buf, raw) != nil {
		d.fail(key, raw, "an array")
		return nil
	}
	if buf.String() == "[]" {
		return nil
	}
	return buf.Bytes()
}

// vdrCaps counts the fields of one listing of VDRs or transformations
// against the caps above.
type vdrCaps struct{ fields int }

func (l *vdrCaps) count(what string, id int64, fields int, long string) error {
	narrow := "the provider's cap on one listing"
	switch {
	case fields > MaxItemVDRFields:
		return fmt.Errorf("%w: %s %d has %d fields, more than %d (%s)", errListCap, what, id, fields, MaxItemVDRFields, narrow)
	case long != "":
		return fmt.Errorf("%w: %s %d has a %s longer than the provider's cap", errListCap, what, id, long)
	}
	if l.fields += fields; l.fields > MaxListVDRFields {
		return fmt.Errorf("%w: more than %d fields over all listed %ss (%s)", errListCap, MaxListVDRFields, what, narrow)
	}
	return nil
}

func (l *vdrCaps) addVDR(v *VDR) error {
	long := longOf("objectName", v.ObjectName, "displayName", v.DisplayName, "description", v.Description)
	for _, f := range v.Fields {
		if long == "" {
			long = longOf("field path", f.Path, "field type", f.Type, "field level", f.Level)
		}
	}
	return l.count("VDR", v.ID, len(v.Fields), long)
}

func (l *vdrCaps) addTransformation(t *VDRTransformation) error {
	long := longOf("vendorName", t.VendorName, "elementKey", t.ElementKey, "level", t.Level)
	switch {
	case len(t.Configuration) > MaxItemStringBytes:
		long = "configuration"
	case t.Script != nil && (len(t.Script.Body) > MaxScriptBytes || len(t.Script.MimeType) > MaxItemStringBytes):
		long = "script"
	}
	for _, f := range t.Fields {
		if long == "" {
			long = longOf("field path", f.Path, "field type", f.Type, "field vendorPath", f.VendorPath,
				"field vendorType", f.VendorType, "field level", f.Level)
		}
		if long == "" && len(f.Configuration) > MaxItemStringBytes {
			long = "field configuration"
		}
	}
	return l.count("transformation", t.ID, len(t.Fields), long)
}

// longOf names the first value longer than MaxItemStringBytes, or "";
// pairs alternate a name and its value.
func longOf(pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		if len(pairs[i+1]) > MaxItemStringBytes {
			return pairs[i]
		}
	}
	return ""
}
