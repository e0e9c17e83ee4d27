package cloudelements

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The decoder accepts every answer shape the platform's documentation
// allows (see issue 12, "the envelope"): ids as numbers or numeric strings,
// booleans as JSON booleans or "true"/"false", null, empty or absent arrays
// and objects, configuration values of any JSON type, unknown fields. Keys
// match exactly: a "Token" or "ID" key is an unknown field, never the token
// or the id. A duplicate key in any object, at any depth, is an error: the
// answer is ambiguous, and the last "id" would otherwise win.

// instanceFields are the top-level keys the decoder reads, in the order of
// the spans objectFields fills.
var instanceFields = []string{"id", "name", "createdDate", "token", "element", "elementId", "tags",
	"valid", "disabled", "eventsEnabled", "configuration"}

const (
	fID = iota
	fName
	fCreatedDate
	fToken
	fElement
	fElementID
	fTags
	fValid
	fDisabled
	fEventsEnabled
	fConfiguration
	fCount
)

var elementFields = []string{"id", "key", "name", "hub"}

// wireTag accepts a tag as a string or in the older {"id":..,"name":".."} form.
type wireTag struct {
	name  string
	valid bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *wireTag) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case 'n':
		return nil
	case '"':
		t.valid = true
		return json.Unmarshal(b, &t.name)
	case '{':
		var obj struct {
			Name *string `json:"name"`
		}
		if err := json.Unmarshal(b, &obj); err != nil {
			return fmt.Errorf("tag object: %w", err)
		}
		if obj.Name == nil {
			return errors.New("tag object has no name")
		}
		t.name, t.valid = *obj.Name, true
		return nil
	}
	return fmt.Errorf("tag is neither a string nor an object: %s", shorten(string(b), 40))
}

// wireConfig normalises a configuration value to a string: strings as is,
// booleans and numbers as written, objects and arrays as compact JSON (for
// example event.poller.configuration), null as absent.
type wireConfig struct {
	value string
	set   bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (v *wireConfig) UnmarshalJSON(b []byte) error {
	switch firstByte(b) {
	case 'n':
		return nil
	case '"':
		v.set = true
		return json.Unmarshal(b, &v.value)
	case '{', '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, b); err != nil {
			return err
		}
		v.value, v.set = buf.String(), true
		return nil
	}
	// true, false or a number: the decoder has already validated the token.
	v.value, v.set = string(bytes.TrimSpace(b)), true
	return nil
}

func firstByte(b []byte) byte {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// DecodeInstance parses one instance as the platform returns it. It rejects
// anything but a JSON object with a positive id, and never panics.
func DecodeInstance(body []byte) (*Instance, error) {
	if err := expectJSON(body, '{', "an object"); err != nil {
		return nil, err
	}
	inst, err := decodeObject(body)
	if err != nil {
		return nil, fmt.Errorf("invalid instance JSON: %w", err)
	}
	return inst, nil
}

// DecodeInstances parses the bare JSON array GET /instances returns. Every
// element must be an instance with a positive id.
func DecodeInstances(body []byte) ([]Instance, error) {
	if err := expectJSON(body, '[', "an array"); err != nil {
		return nil, err
	}
	var ws []json.RawMessage
	if err := json.Unmarshal(body, &ws); err != nil {
		return nil, fmt.Errorf("invalid instance list JSON: %w", err)
	}
	out := make([]Instance, 0, len(ws))
	for i, raw := range ws {
		inst, err := decodeInstanceItem(raw)
		if err != nil {
			return nil, fmt.Errorf("instance list item %d: %w", i, err)
		}
		out = append(out, *inst)
	}
	return out, nil
}

// decodeInstanceItem decodes one instance object of a list answer.
func decodeInstanceItem(raw json.RawMessage) (*Instance, error) {
	if firstByte(raw) != '{' {
		return nil, errors.New("not an object")
	}
	return decodeObject(raw)
}

// decodeObject decodes a JSON object that should be an instance.
func decodeObject(b []byte) (*Instance, error) {
	if !json.Valid(b) {
		// Unmarshal stops at the syntax check and says where it failed.
		return nil, json.Unmarshal(b, new(struct{}))
	}
	var f [fCount]json.RawMessage
	if err := scanItem(b, instanceFields, f[:], &instanceCaps.capSet); err != nil {
		return nil, nameItem(err, f[fID])
	}
	var d fieldDecoder
	inst := Instance{
		ID:            d.id("id", f[fID]),
		Name:          d.str("name", f[fName]),
		CreatedDate:   d.date(f[fCreatedDate]),
		Token:         d.str("token", f[fToken]),
		Element:       d.element(f[fElement]),
		ElementID:     d.id("elementId", f[fElementID]),
		Tags:          d.tags(f[fTags]),
		Valid:         d.boolean("valid", f[fValid]),
		Disabled:      d.boolean("disabled", f[fDisabled]),
		EventsEnabled: d.boolean("eventsEnabled", f[fEventsEnabled]),
		Configuration: d.configuration(f[fConfiguration]),
	}
	if d.err != nil {
		return nil, d.err
	}
	if inst.ID <= 0 {
		return nil, fmt.Errorf("instance has no positive id (id %d)", inst.ID)
	}
	// Either form of the element id names the element: fill in the other.
	if inst.ElementID == 0 {
		inst.ElementID = inst.Element.ID
	} else if inst.Element.ID == 0 {
		inst.Element.ID = inst.ElementID
	}
	return &inst, nil
}

// fieldDecoder converts the raw values of known keys, keeping the first
// error. A null or absent value is the zero value.
type fieldDecoder struct{ err error }

func (d *fieldDecoder) fail(key string, raw json.RawMessage, want string) {
	if d.err == nil {
		d.err = fmt.Errorf("%s is not %s: %s", key, want, shorten(string(raw), 40))
	}
}

func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }

// id reads a non-negative whole number, written as a JSON number or a
// numeric string.
func (d *fieldDecoder) id(key string, raw json.RawMessage) int64 {
	if isNull(raw) {
		return 0
	}
	s := raw
	if len(s) >= 2 && s[0] == '"' {
		s = s[1 : len(s)-1]
	}
	n, ok := parseWholeNumber(string(s))
	if !ok {
		d.fail(key, raw, "a whole number")
	}
	return n
}

// parseWholeNumber reads a number that parses exactly: digits only (no
// sign, fraction, exponent or leading zero) within int64. Anything else,
// 9223372036854775808 included, is refused with 0, never clamped: an id
// that is not the platform's must not be used in a request.
func parseWholeNumber(s string) (int64, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, false
	}
	return n, true
}

func (d *fieldDecoder) str(key string, raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	if len(raw) < 2 || raw[0] != '"' {
		d.fail(key, raw, "a string")
		return ""
	}
	// Most strings need no unescaping; json.Unmarshal handles the rest
	// (escapes, and invalid UTF-8, which it replaces).
	if s := raw[1 : len(raw)-1]; bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return string(s)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		d.fail(key, raw, "a string")
	}
	return s
}

// date keeps createdDate as written: a string, or the digits of a number
// (epoch milliseconds). ParseCreatedDate reads either.
func (d *fieldDecoder) date(raw json.RawMessage) string {
	if !isNull(raw) && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
		return string(raw)
	}
	return d.str("createdDate", raw)
}

// boolean reads a JSON boolean or the strings "true" and "false".
func (d *fieldDecoder) boolean(key string, raw json.RawMessage) bool {
	switch s := string(raw); {
	case s == "true" || strings.EqualFold(s, `"true"`):
		return true
	case isNull(raw) || s == "false" || strings.EqualFold(s, `"false"`):
		return false
	}
	d.fail(key, raw, "a boolean")
	return false
}

// element reads the element summary: a full object or {"id": n} alone.
func (d *fieldDecoder) element(raw json.RawMessage) ElementRef {
	if isNull(raw) {
		return ElementRef{}
	}
	var f [4]json.RawMessage // elementFields
	if err := objectFields(raw, elementFields, f[:]); err != nil {
		d.fail("element", raw, "an object")
		return ElementRef{}
	}
	return ElementRef{
		ID: d.id("element.id", f[0]), Key: d.str("element.key", f[1]),
		Name: d.str("element.name", f[2]), Hub: d.str("element.hub", f[3]),
	}
}

// tags reads the tags in the order answered, without duplicates. null is
// nil and [] is empty, so a caller can tell them apart if it must.
func (d *fieldDecoder) tags(raw json.RawMessage) []string {
	if isNull(raw) {
		return nil
	}
	var ws []wireTag
	if err := json.Unmarshal(raw, &ws); err != nil {
		d.fail("tags", raw, "an array of tags")
		return nil
	}
	out := make([]string, 0, len(ws))
	seen := make(map[string]bool, len(ws))
	for _, t := range ws {
		if t.valid && !seen[t.name] {
			seen[t.name] = true
			out = append(out, t.name)
		}
	}
	return out
}

func (d *fieldDecoder) configuration(raw json.RawMessage) map[string]string {
	return d.stringMap("configuration", raw)
}

// stringMap reads an object of values of any JSON type as strings (see
// wireConfig); null or absent is nil.
func (d *fieldDecoder) stringMap(key string, raw json.RawMessage) map[string]string {
	if isNull(raw) {
		return nil
	}
	var m map[string]wireConfig
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		d.fail(key, raw, "an object")
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		if v.set {
			out[k] = v.value
		}
	}
	return out
}

// expectJSON gives a readable error for the common wrong answers: empty,
// an HTML page, or JSON of the wrong shape.
func expectJSON(body []byte, want byte, what string) error {
	switch c := firstByte(body); {
	case c == 0:
		return errors.New("empty body")
	case c == want:
		return nil
	case c == '<':
		return fmt.Errorf("not JSON but markup (an HTML page?): %q", textSnippet(string(body)))
	case c == '{' || c == '[' || c == '"' || c == 'n' || c == 't' || c == 'f' || c == '-' || (c >= '0' && c <= '9'):
		return fmt.Errorf("JSON is not %s", what)
	default:
		return fmt.Errorf("not JSON: %q", shorten(strings.TrimSpace(string(body)), 60))
	}
}

// createdDateLayouts are the ISO-8601 forms the platform may answer: with
// "Z", "+00:00", "+0000" or "+00", or no zone at all (read as UTC), with a
// "T" or a space. Fractional seconds are optional in every one (time.Parse
// accepts them after the seconds even where the layout has none).
var createdDateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05Z07",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02 15:04:05",
}

// ParseCreatedDate reads a createdDate in any form the platform may answer
// (ISO 8601 as above, or epoch milliseconds) and returns it in UTC. ok is
// false when s is none of them.
func ParseCreatedDate(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	for _, l := range createdDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 0 {
		return time.UnixMilli(ms).UTC(), true
	}
	return time.Time{}, false
}
