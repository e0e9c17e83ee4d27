package cloudelements

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// wireInstance mirrors Instance with the loose types the platform sends.
type wireInstance struct {
	ID            int64                 `json:"id"`
	Name          string                `json:"name"`
	CreatedDate   string                `json:"createdDate"`
	Token         string                `json:"token"`
	Element       ElementRef            `json:"element"`
	ElementID     int64                 `json:"elementId"`
	Tags          []wireTag             `json:"tags"`
	Valid         bool                  `json:"valid"`
	Disabled      bool                  `json:"disabled"`
	EventsEnabled bool                  `json:"eventsEnabled"`
	Configuration map[string]wireConfig `json:"configuration"`
}

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
	var w wireInstance
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("invalid instance JSON: %w", err)
	}
	return w.instance()
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
	var w wireInstance
	if err := json.Unmarshal(raw, &w); err != nil {
		return nil, err
	}
	return w.instance()
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

func (w *wireInstance) instance() (*Instance, error) {
	if w.ID <= 0 {
		return nil, fmt.Errorf("instance has no positive id (id %d)", w.ID)
	}
	inst := &Instance{
		ID: w.ID, Name: w.Name, CreatedDate: w.CreatedDate, Token: w.Token,
		Element: w.Element, ElementID: w.ElementID,
		Valid: w.Valid, Disabled: w.Disabled, EventsEnabled: w.EventsEnabled,
	}
	if w.Tags != nil {
		inst.Tags = make([]string, 0, len(w.Tags))
		for _, t := range w.Tags {
			if t.valid {
				inst.Tags = append(inst.Tags, t.name)
			}
		}
	}
	if w.Configuration != nil {
		inst.Configuration = make(map[string]string, len(w.Configuration))
		for k, v := range w.Configuration {
			if v.set {
				inst.Configuration[k] = v.value
			}
		}
	}
	return inst, nil
}

// encodeRequest marshals a create or replace body, sending empty tags and
// configuration as [] and {} rather than null.
func encodeRequest(req InstanceRequest) ([]byte, error) {
	if req.Tags == nil {
		req.Tags = []string{}
	}
	if req.Configuration == nil {
		req.Configuration = map[string]string{}
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encoding instance request: %w", err)
	}
	return b, nil
}

// encodePatch marshals a PATCH body; a non-nil Tags pointer to a nil slice
// means "clear the tags" and is sent as [].
func encodePatch(p InstancePatch) ([]byte, error) {
	if p.Tags != nil && *p.Tags == nil {
		empty := []string{}
		p.Tags = &empty
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encoding instance patch: %w", err)
	}
	return b, nil
}
