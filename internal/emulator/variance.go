package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
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

// listView is what a listing pages through under Variance.ListStale: a copy
// of the store as it was at a moment.
type listView struct {
	at   time.Time
	ids  []int64
	recs map[int64]*record
}

// listViewLocked is the store a listing answers from: the live one, or the
// copy ListStale keeps, retaken once it is that old.
func (s *Server) listViewLocked(now time.Time) ([]int64, map[int64]*record) {
	lag := s.profile.Variance.ListStale
	if lag <= 0 {
		s.stale = nil
		return s.sortedIDsLocked(), s.instances
	}
	if s.stale == nil || now.Sub(s.stale.at) >= lag {
		v := &listView{at: now, ids: slices.Clone(s.sortedIDsLocked()), recs: make(map[int64]*record, len(s.instances))}
		for id, rec := range s.instances {
			c := *rec
			c.inst.Tags = slices.Clone(rec.inst.Tags)
			c.inst.Configuration = maps.Clone(rec.inst.Configuration)
			c.cfgIDs = nil // listings do not render configuration entries
			v.recs[id] = &c
		}
		s.stale = v
	}
	return s.stale.ids, s.stale.recs
}

// snapshot is what a listing pages through under Variance.ListStale: a
// copy of a store as it was at a moment.
type snapshot[T any] struct {
	at time.Time
	v  T
}

// staleLocked is the store a listing answers from: live, or the copy
// ListStale keeps in *slot, retaken by take once it is that old.
func staleLocked[T any](s *Server, now time.Time, slot **snapshot[T], live *T, take func() T) *T {
	lag := s.profile.Variance.ListStale
	if lag <= 0 {
		*slot = nil
		return live
	}
	if *slot == nil || now.Sub((*slot).at) >= lag {
		*slot = &snapshot[T]{at: now, v: take()}
	}
	return &(*slot).v
}

// fxListViewLocked is the formula store formula and formula instance
// listings answer from (see staleLocked).
func (s *Server) fxListViewLocked(now time.Time) *formulaStore {
	live := s.fxLocked()
	return staleLocked(s, now, &s.fxStale, live, func() formulaStore {
		c := formulaStore{formulas: map[int64]*Formula{}, instances: map[int64]*FormulaInstance{}}
		for id, f := range live.formulas {
			cf := f.clone()
			c.formulas[id] = &cf
		}
		for id, fi := range live.instances {
			cfi := *fi
			cfi.Configuration, cfi.Settings = maps.Clone(fi.Configuration), maps.Clone(fi.Settings)
			c.instances[id] = &cfi
		}
		return c
	})
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
