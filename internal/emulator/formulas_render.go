package emulator

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// kv is one key of an ordered JSON object.
type kv struct {
	k string
	v any
}

// object is a JSON object that keeps its key order, so that a variance can
// answer keys in another order than the default.
type object []kv

// MarshalJSON writes the keys in order.
func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(p.k)
		v, err := json.Marshal(p.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// shapeLocked applies the variance to a rendered formula object: empty
// lists null or absent, keys reversed under FormulaReordered.
func (s *Server) shapeLocked(o object) object {
	return s.shapeOrderLocked(o, s.profile.Variance.FormulaReordered)
}

// shapeOrderLocked applies the variance to a rendered object: empty lists
// null or absent, keys reversed when reorder.
func (s *Server) shapeOrderLocked(o object, reorder bool) object {
	v := s.profile.Variance
	out := make(object, 0, len(o))
	for _, p := range o {
		if l, ok := p.v.([]string); ok && len(l) == 0 || isEmptyList(p.v) {
			switch v.Empty {
			case EmptyNull:
				p.v = nil
			case EmptyAbsent:
				continue
			}
		}
		out = append(out, p)
	}
	if reorder {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

func isEmptyList(v any) bool {
	switch l := v.(type) {
	case []any:
		return len(l) == 0
	case []string:
		return len(l) == 0
	}
	return false
}

// idLocked answers an id as a number, or a string under IDsAsStrings.
func (s *Server) idLocked(id int64) any {
	if s.profile.Variance.IDsAsStrings {
		return strconv.FormatInt(id, 10)
	}
	return id
}

// propertiesLocked answers step or trigger properties: as sent, or with
// keys sorted (reordered) and numbers as strings (IDsAsStrings).
func (s *Server) propertiesLocked(raw json.RawMessage) any {
	v := s.profile.Variance
	if !v.FormulaReordered && !v.IDsAsStrings {
		return raw
	}
	var val any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&val) != nil {
		return raw
	}
	if v.IDsAsStrings {
		val = numbersAsStrings(val)
	}
	return val // a map: encoding/json writes its keys sorted
}

func numbersAsStrings(v any) any {
	switch t := v.(type) {
	case json.Number:
		return t.String()
	case map[string]any:
		for k, x := range t {
			t[k] = numbersAsStrings(x)
		}
	case []any:
		for i, x := range t {
			t[i] = numbersAsStrings(x)
		}
	}
	return v
}

// trimmedScript is step properties with a script body stored as the
// platform may: without its trailing line breaks.
func trimmedScript(props json.RawMessage) json.RawMessage {
	var m map[string]any
	if json.Unmarshal(props, &m) != nil {
		return props
	}
	if body, ok := m["body"].(string); ok {
		m["body"] = strings.TrimRight(body, "\r\n")
	}
	return mustJSON(m)
}

func nonNilStrings(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// renderFormulaLocked is a formula as the platform answers it.
func (s *Server) renderFormulaLocked(f *Formula) object {
	v := s.profile.Variance
	cfg := make([]any, 0, len(f.Configuration))
	for _, c := range f.Configuration {
		cfg = append(cfg, s.shapeLocked(object{{"key", c.Key}, {"name", c.Name}, {"type", c.Type}}))
	}
	triggers := make([]any, 0, len(f.Triggers))
	for _, t := range f.Triggers {
		o := object{{"type", t.Type}, {"onSuccess", nonNilStrings(t.OnSuccess)}, {"onFailure", nonNilStrings(t.OnFailure)},
			{"properties", s.propertiesLocked(t.Properties)}}
		if v.FormulaStepIDs != "" {
			o = append(object{{"id", s.idLocked(t.ID)}}, o...)
		}
		if v.FormulaDefaults {
			o = append(o, kv{"async", true})
		}
		triggers = append(triggers, s.shapeLocked(o))
	}
	steps := make([]any, 0, len(f.Steps))
	for _, st := range f.Steps {
		o := object{{"name", st.Name}, {"type", st.Type}, {"onSuccess", nonNilStrings(st.OnSuccess)},
			{"onFailure", nonNilStrings(st.OnFailure)}, {"properties", s.propertiesLocked(st.Properties)}}
		if v.FormulaStepIDs != "" {
			o = append(object{{"id", s.idLocked(st.ID)}}, o...)
		}
		steps = append(steps, s.shapeLocked(o))
	}
	o := object{{"id", s.idLocked(f.ID)}, {"name", f.Name}, {"userId", s.idLocked(userID)}, {"accountId", s.idLocked(userID + 1)},
		{"createdDate", v.formatDate(f.CreatedDate)}, {"active", f.Active}, {"description", f.Description},
		{"singleThreaded", f.SingleThreaded}, {"configuration", cfg}, {"triggers", triggers}, {"steps", steps}}
	engine := f.Engine
	if engine == "" && v.FormulaDefaults {
		engine = "v3"
	}
	if engine != "" {
		o = append(o, kv{"engine", engine})
	}
	if v.FormulaDefaults || f.DebugLogging {
		o = append(o, kv{"debugLoggingEnabled", f.DebugLogging})
	}
	if v.FormulaDefaults {
		o = append(o, kv{"api", "GET /formulas"})
	}
	if v.FormulaRewrite { // answered in another order than sent
		slices.Reverse(triggers)
	}
	return s.shapeLocked(o)
}
