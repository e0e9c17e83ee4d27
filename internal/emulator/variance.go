package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// eventsModeNames are the text forms of EventsMode (admin surface, flags).
var eventsModeNames = []string{"follow-config", "put-only", "never"}

// String names the mode as its text form.
func (m EventsMode) String() string {
	if m >= 0 && int(m) < len(eventsModeNames) {
		return eventsModeNames[m]
	}
	return "EventsMode(" + strconv.Itoa(int(m)) + ")"
}

// MarshalText writes the mode's name.
func (m EventsMode) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads a mode name ("follow-config", "put-only", "never").
func (m *EventsMode) UnmarshalText(b []byte) error {
	for i, n := range eventsModeNames {
		if string(b) == n {
			*m = EventsMode(i)
			return nil
		}
	}
	return fmt.Errorf("unknown events mode %q (known: %s)", b, strings.Join(eventsModeNames, ", "))
}

// reshapes says whether v changes the JSON shape of an instance, so the
// default answer can skip the generic rewrite.
func (v Variance) reshapes() bool {
	return v.IDsAsStrings || v.Empty != "" || v.ElementIDOnly || v.ExtraFields ||
		v.ConfigBoolsAsJSON || v.ShuffleTags || v.NullTagsWhenEmpty
}

// formatDate renders createdDate in the variance's layout.
func (v Variance) formatDate(t time.Time) string {
	switch v.DateFormat {
	case "":
		return t.UTC().Format(DateZ)
	case DateEpochMillis:
		return strconv.FormatInt(t.UnixMilli(), 10)
	}
	return t.UTC().Format(v.DateFormat)
}

// datePrecision is what a new createdDate is truncated to: milliseconds
// when the layout shows them, so the fraction is not always ".000".
func (v Variance) datePrecision() time.Duration {
	if v.DateFormat == DateEpochMillis || strings.Contains(v.DateFormat, ".000") {
		return time.Millisecond
	}
	return time.Second
}

// reshapeLocked rewrites a rendered instance as the variance answers it. It
// goes through a generic map so each switch is a small edit of the JSON.
func (s *Server) reshapeLocked(out instanceJSON) any {
	v := s.profile.Variance
	m, ok := jsonObject(out)
	if !ok {
		return out
	}
	el, _ := m["element"].(map[string]any)
	if v.IDsAsStrings {
		for _, o := range []map[string]any{m, el} {
			for _, k := range []string{"id", "elementId"} {
				if n, ok := o[k].(json.Number); ok {
					o[k] = n.String()
				}
			}
		}
	}
	if v.ElementIDOnly {
		el = map[string]any{"id": el["id"]}
		m["element"] = el
	}
	if v.ExtraFields {
		m["updatedDate"] = m["createdDate"]
		m["instanceSettings"] = map[string]any{"bulk": map[string]any{"enabled": true}, "limits": []any{1, "two", nil}}
		m["formulaInstances"] = []any{}
		m["organizationId"] = 98765
		m["notes"] = nil
		if !v.ElementIDOnly {
			el["emulatorExtra"] = "unknown element field"
		}
	}
	cfg, _ := m["configuration"].(map[string]any)
	for k, val := range cfg {
		switch {
		case val == "" && v.Empty == EmptyNull:
			cfg[k] = nil
		case val == "" && v.Empty == EmptyAbsent:
			delete(cfg, k)
		case v.ConfigBoolsAsJSON && (val == "true" || val == "false"):
			cfg[k] = val == "true"
		}
	}
	if tags, _ := m["tags"].([]any); v.ShuffleTags {
		s.rng.Shuffle(len(tags), func(i, j int) { tags[i], tags[j] = tags[j], tags[i] })
	}
	if tags, _ := m["tags"].([]any); len(tags) == 0 && v.NullTagsWhenEmpty {
		m["tags"] = nil
	}
	emptyAs(v.Empty, m, "tags", "provisionInteractions", "configuration")
	emptyAs(v.Empty, el, "resources", "parameters")
	return m
}

// emptyAs answers each named empty array or object of o as null or leaves
// it out, as mode says.
func emptyAs(mode string, o map[string]any, keys ...string) {
	for _, k := range keys {
		val, ok := o[k]
		if !ok {
			continue
		}
		empty := false
		switch t := val.(type) {
		case []any:
			empty = len(t) == 0
		case map[string]any:
			empty = len(t) == 0
		}
		switch {
		case !empty:
		case mode == EmptyNull:
			o[k] = nil
		case mode == EmptyAbsent:
			delete(o, k)
		}
	}
}

// configEvents is what event.notification.enabled asks for.
func configEvents(inst *Instance) bool {
	return inst.Configuration["event.notification.enabled"] == "true"
}

// eventsLocked is the eventsEnabled flag as answered now.
func (s *Server) eventsLocked(rec *record) bool {
	if s.profile.Variance.Events == EventsFollowConfig {
		return configEvents(&rec.inst)
	}
	return rec.events
}

// The writes that may move the eventsEnabled flag.
const (
	writePost = iota
	writePut
	writePatch
)

// wroteLocked applies what the variance does to the platform-decided flags
// after a write: eventsEnabled, valid and, on PATCH, the token.
func (s *Server) wroteLocked(rec *record, write int) {
	v := s.profile.Variance
	if v.Events == EventsFollowConfig || write == writePost || (write == writePut && v.Events == EventsOnPutOnly) {
		rec.events = configEvents(&rec.inst)
	}
	if write == writePost {
		return
	}
	if v.InvalidAfterWrite {
		rec.inst.Valid = false
	}
	if (write == writePut && !s.profile.KeepTokenOnPut) || (write == writePatch && v.TokenOnPatch) {
		delete(s.tokens, rec.inst.Token)
		rec.inst.Token = s.newTokenLocked()
		s.tokens[rec.inst.Token] = rec.inst.ID
	}
}

// disabledLocked is the disabled flag as answered at now: the value before
// the last enable/disable call while DisabledLag has not passed.
func (s *Server) disabledLocked(rec *record, now time.Time) bool {
	if lag := s.profile.Variance.DisabledLag; lag > 0 && now.Sub(rec.disabledAt) < lag {
		return rec.shownDisabled
	}
	return rec.inst.Disabled
}

// setDisabledLocked enables or disables an instance and answers it.
func (s *Server) setDisabledLocked(rec *record, disabled bool) reply {
	now := time.Now()
	rec.shownDisabled, rec.disabledAt = s.disabledLocked(rec, now), now
	rec.inst.Disabled = disabled
	return okReply(s.renderLocked(rec))
}

// listItemLocked is one listing item: the instance as the variance answers
// it, without configuration and token under ListAbridged.
func (s *Server) listItemLocked(rec *record) any {
	out := s.renderLocked(rec)
	if !s.profile.Variance.ListAbridged {
		return out
	}
	m, ok := jsonObject(out)
	if !ok {
		return out
	}
	delete(m, "configuration")
	delete(m, "token")
	return m
}

// jsonObject is v as a generic JSON object, numbers kept as written.
func jsonObject(v any) (map[string]any, bool) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return m, dec.Decode(&m) == nil
}
