package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// formulaStore holds formulas, formula instances and executions. Their ids
// come from their own counter, far from instance ids, so that a test mixing
// them up fails.
type formulaStore struct {
	formulas   map[int64]*Formula
	instances  map[int64]*FormulaInstance
	executions map[int64]*Execution
	nextID     int64
	nextSubID  int64 // step and trigger ids
	plan       ExecutionPlan
}

// fxLocked returns the formula store, made on first use.
func (s *Server) fxLocked() *formulaStore {
	if s.fx.formulas == nil {
		s.fx = formulaStore{formulas: map[int64]*Formula{}, instances: map[int64]*FormulaInstance{},
			executions: map[int64]*Execution{}, nextID: formulaIDBase + s.idOffset, nextSubID: 1 + s.idOffset, plan: s.fx.plan}
	}
	return &s.fx
}

func (fx *formulaStore) newID() int64 { fx.nextID++; return fx.nextID }

// The formula routes, after the instance routes (none overlap). Fixed
// paths come before the {id} patterns that would match them too.
func init() {
	routes = append(routes,
		routeDef{pattern: "/formulas", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listFormulas, http.MethodPost: (*Server).createFormula}},
		routeDef{pattern: "/formulas/instances", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listFormulaInstances}},
		routeDef{pattern: "/formulas/instances/{instanceId}/executions", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listExecutions, http.MethodPost: (*Server).startExecutionByInstance}},
		routeDef{pattern: "/formulas/{id}", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).getFormula, http.MethodPut: (*Server).putFormula,
			http.MethodPatch: (*Server).patchFormula, http.MethodDelete: (*Server).deleteFormula}},
		routeDef{pattern: "/formulas/{id}/instances", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listInstancesOfFormula, http.MethodPost: (*Server).createFormulaInstance}},
		routeDef{pattern: "/formulas/{id}/instances/{instanceId}", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).getFormulaInstance, http.MethodPut: (*Server).putFormulaInstance,
			http.MethodDelete: (*Server).deleteFormulaInstance}},
		routeDef{pattern: "/formulas/{id}/instances/{instanceId}/active", methods: map[string]handlerFunc{
			http.MethodPut: activator(true), http.MethodDelete: activator(false)}},
		routeDef{pattern: "/formulas/{id}/instances/{instanceId}/executions", methods: map[string]handlerFunc{
			http.MethodPost: (*Server).startExecution}},
	)
}

// formulaBody is a POST, PUT or PATCH body.
type formulaBody struct {
	Name           *string         `json:"name"`
	Description    *string         `json:"description"`
	Active         *bool           `json:"active"`
	SingleThreaded *bool           `json:"singleThreaded"`
	Engine         *string         `json:"engine"`
	DebugLogging   *bool           `json:"debugLoggingEnabled"`
	Configuration  []FormulaConfig `json:"configuration"`
	Triggers       []struct {
		Type       string          `json:"type"`
		OnSuccess  []string        `json:"onSuccess"`
		OnFailure  []string        `json:"onFailure"`
		Properties json.RawMessage `json:"properties"`
	} `json:"triggers"`
	Steps []struct {
		Name       string          `json:"name"`
		Type       string          `json:"type"`
		OnSuccess  []string        `json:"onSuccess"`
		OnFailure  []string        `json:"onFailure"`
		Properties json.RawMessage `json:"properties"`
	} `json:"steps"`
}

func decodeJSONBody(body []byte, v any) reply {
	if len(strings.TrimSpace(string(body))) == 0 {
		return errReply(http.StatusBadRequest, "Bad request: a JSON request body is required")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errReply(http.StatusBadRequest, "Bad request: malformed JSON in request body: %v", err)
	}
	return reply{}
}

// validFormulaLocked checks a full body and builds the formula it asks for
// (without id, date or step ids). self is the formula being replaced (0 on
// create), whose name may stay.
func (s *Server) validFormulaLocked(b *formulaBody, self int64) (Formula, reply) {
	var f Formula
	if b.Name == nil || strings.TrimSpace(stripHTML(*b.Name)) == "" {
		return f, errReply(http.StatusBadRequest, "Missing required field: name")
	}
	f.Name = stripHTML(*b.Name)
	if rep := s.nameFreeLocked(f.Name, self); rep.status != 0 {
		return f, rep
	}
	if b.Description != nil {
		f.Description = *b.Description
	}
	f.Active = b.Active != nil && *b.Active
	f.SingleThreaded = b.SingleThreaded != nil && *b.SingleThreaded
	if b.Engine != nil {
		f.Engine = *b.Engine
	}
	f.DebugLogging = b.DebugLogging != nil && *b.DebugLogging
	keys := map[string]bool{}
	for _, c := range b.Configuration {
		if c.Key == "" || c.Type == "" || keys[c.Key] {
			return f, errReply(http.StatusBadRequest, "Invalid configuration: every entry needs a unique key and a type")
		}
		keys[c.Key] = true
		f.Configuration = append(f.Configuration, c)
	}
	names := map[string]bool{}
	for _, st := range b.Steps {
		if st.Name == "" || st.Type == "" || names[st.Name] {
			return f, errReply(http.StatusBadRequest, "Invalid step: every step needs a unique name and a type")
		}
		names[st.Name] = true
	}
	for _, st := range b.Steps {
		props, rep := s.validPropertiesLocked("step "+st.Name, st.Properties, names, st.OnSuccess, st.OnFailure)
		if rep.status != 0 {
			return f, rep
		}
		if s.profile.Variance.FormulaRewrite {
			props = trimmedScript(props)
		}
		f.Steps = append(f.Steps, FormulaStep{Name: st.Name, Type: st.Type, OnSuccess: st.OnSuccess, OnFailure: st.OnFailure, Properties: props})
	}
	for i, tr := range b.Triggers {
		if tr.Type == "" {
			return f, errReply(http.StatusBadRequest, "Invalid trigger %d: type is required", i)
		}
		props, rep := s.validPropertiesLocked("trigger "+tr.Type, tr.Properties, names, tr.OnSuccess, tr.OnFailure)
		if rep.status != 0 {
			return f, rep
		}
		f.Triggers = append(f.Triggers, FormulaTrigger{Type: tr.Type, OnSuccess: tr.OnSuccess, OnFailure: tr.OnFailure, Properties: props})
	}
	return f, reply{}
}

func (s *Server) nameFreeLocked(name string, self int64) reply {
	for id, other := range s.fxLocked().formulas {
		if id != self && other.Name == name {
			return errReply(http.StatusConflict, "A formula with the name '%s' already exists", name)
		}
	}
	return reply{}
}

// validPropertiesLocked checks a step's or trigger's links and properties:
// an object, whose formulaId (a sub-formula call) names an existing formula.
func (s *Server) validPropertiesLocked(what string, raw json.RawMessage, steps map[string]bool, links ...[]string) (json.RawMessage, reply) {
	for _, l := range links {
		for _, n := range l {
			if !steps[n] {
				return nil, errReply(http.StatusBadRequest, "Invalid %s: no step named '%s'", what, n)
			}
		}
	}
	if len(raw) == 0 || string(raw) == "null" {
		return json.RawMessage("{}"), reply{}
	}
	var props map[string]any
	if json.Unmarshal(raw, &props) != nil {
		return nil, errReply(http.StatusBadRequest, "Invalid %s: properties must be an object", what)
	}
	if ref, ok := props["formulaId"]; ok {
		id, err := strconv.ParseInt(strings.Trim(string(mustJSON(ref)), `"`), 10, 64)
		if err != nil || s.fxLocked().formulas[id] == nil {
			return nil, errReply(http.StatusBadRequest, "Invalid %s: no formula with id %v to call", what, ref)
		}
	}
	return compactJSON(raw), reply{}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func compactJSON(raw json.RawMessage) json.RawMessage {
	var v any
	_ = json.Unmarshal(raw, &v)
	return mustJSON(v)
}

// assignSubIDsLocked gives steps and triggers ids: kept from old (by step
// name, by trigger position) unless the variance reassigns them on PUT.
func (s *Server) assignSubIDsLocked(f *Formula, old *Formula) {
	fx := s.fxLocked()
	keep := old != nil && s.profile.Variance.FormulaStepIDs != StepIDsReassigned
	for i := range f.Steps {
		f.Steps[i].ID = 0
		if keep {
			if j := slices.IndexFunc(old.Steps, func(o FormulaStep) bool { return o.Name == f.Steps[i].Name }); j >= 0 {
				f.Steps[i].ID = old.Steps[j].ID
			}
		}
		if f.Steps[i].ID == 0 {
			f.Steps[i].ID, fx.nextSubID = fx.nextSubID, fx.nextSubID+1
		}
	}
	for i := range f.Triggers {
		if keep && i < len(old.Triggers) {
			f.Triggers[i].ID = old.Triggers[i].ID
		} else {
			f.Triggers[i].ID, fx.nextSubID = fx.nextSubID, fx.nextSubID+1
		}
	}
}

func (s *Server) createFormula(_ *http.Request, _ []string, body []byte) reply {
	var b formulaBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, rep := s.validFormulaLocked(&b, 0)
	if rep.status != 0 {
		return rep
	}
	f.ID = s.fxLocked().newID()
	f.CreatedDate = time.Now().UTC().Truncate(s.profile.Variance.datePrecision())
	s.assignSubIDsLocked(&f, nil)
	s.fx.formulas[f.ID] = &f
	return okReply(s.renderFormulaLocked(&f))
}

// withFormula runs fn on the formula named by params[0] under the mutex.
func (s *Server) withFormula(params []string, fn func(*Formula) reply) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := strconv.ParseInt(params[0], 10, 64)
	f := s.fxLocked().formulas[id]
	if err != nil || f == nil {
		return errReply(http.StatusNotFound, "No formula found with id %s", params[0])
	}
	return fn(f)
}

func (s *Server) getFormula(_ *http.Request, params []string, _ []byte) reply {
	return s.withFormula(params, func(f *Formula) reply { return okReply(s.renderFormulaLocked(f)) })
}

func (s *Server) putFormula(_ *http.Request, params []string, body []byte) reply {
	var b formulaBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withFormula(params, func(old *Formula) reply {
		f, rep := s.validFormulaLocked(&b, old.ID)
		if rep.status != 0 {
			return rep
		}
		f.ID, f.CreatedDate = old.ID, old.CreatedDate
		if !s.profile.Variance.FormulaRewrite { // a merge keeps what the body leaves out
			if b.Engine == nil {
				f.Engine = old.Engine
			}
			if b.DebugLogging == nil {
				f.DebugLogging = old.DebugLogging
			}
		}
		s.assignSubIDsLocked(&f, old)
		*old = f
		return okReply(s.renderFormulaLocked(old))
	})
}

func (s *Server) patchFormula(_ *http.Request, params []string, body []byte) reply {
	var b formulaBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	if b.Configuration != nil || b.Steps != nil || b.Triggers != nil {
		return errReply(http.StatusBadRequest, "PATCH /formulas/{id} accepts name, active, description and engine only")
	}
	return s.withFormula(params, func(f *Formula) reply {
		if b.Name != nil {
			name := stripHTML(*b.Name)
			if strings.TrimSpace(name) == "" {
				return errReply(http.StatusBadRequest, "Invalid name: the formula name cannot be empty")
			}
			if rep := s.nameFreeLocked(name, f.ID); rep.status != 0 {
				return rep
			}
			f.Name = name
		}
		if b.Description != nil {
			f.Description = *b.Description
		}
		if b.Active != nil {
			f.Active = *b.Active
		}
		if b.Engine != nil {
			f.Engine = *b.Engine
		}
		return okReply(s.renderFormulaLocked(f))
	})
}

func (s *Server) deleteFormula(_ *http.Request, params []string, _ []byte) reply {
	return s.withFormula(params, func(f *Formula) reply {
		bound := s.boundInstancesLocked(func(fi *FormulaInstance) bool { return fi.FormulaID == f.ID })
		if len(bound) > 0 && s.profile.Variance.FormulaDelete == AssetsRefuse {
			return errReply(http.StatusConflict, "Formula %d has %d formula instances; delete them first", f.ID, len(bound))
		}
		for _, id := range bound {
			delete(s.fx.instances, id)
		}
		delete(s.fx.formulas, f.ID)
		return okReply(struct{}{})
	})
}

// listFormulas pages by id, as GET /instances does.
func (s *Server) listFormulas(r *http.Request, _ []string, _ []byte) reply {
	return listPaged(s, r, func(*formulaStore) map[int64]*Formula { return s.fxListViewLocked(time.Now()).formulas },
		func(*Formula) bool { return true }, func(f *Formula) any {
			return s.listedLocked(s.renderFormulaLocked(f), "configuration", "triggers", "steps")
		})
}

// listedLocked is a rendered asset as a listing answers it: without keys
// under ListAbridged.
func (s *Server) listedLocked(o object, abridged ...string) object {
	if !s.profile.Variance.ListAbridged {
		return o
	}
	return slices.DeleteFunc(o, func(p kv) bool { return slices.Contains(abridged, p.k) })
}

// listPaged answers one page of the items of the formula store that keep
// accepts, rendered, paged by id.
func listPaged[V any](s *Server, r *http.Request, items func(*formulaStore) map[int64]V, keep func(V) bool, render func(V) any) reply {
	size, after, header, rep := s.pageParams(r)
	if rep.status != 0 {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := items(s.fxLocked())
	ids, more := pageOf(sortedIDs(m), after, size, func(id int64) bool { return keep(m[id]) })
	page := make([]any, 0, len(ids))
	for _, id := range ids {
		page = append(page, render(m[id]))
	}
	return pageReply(page, ids, more, header)
}

func sortedIDs[V any](m map[int64]V) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// pageOf is one page of the sorted ids after the cursor that keep accepts.
func pageOf(ids []int64, after int64, size int, keep func(int64) bool) (page []int64, more bool) {
	for _, id := range ids {
		switch {
		case id <= after || !keep(id):
		case len(page) == size:
			return page, true
		default:
			page = append(page, id)
		}
	}
	return page, false
}

func pageReply(page []any, ids []int64, more bool, header http.Header) reply {
	if more {
		header.Set("Elements-Next-Page-Token", encodeCursor(ids[len(ids)-1]))
	}
	header.Set("Elements-Returned-Count", strconv.Itoa(len(page)))
	return reply{status: http.StatusOK, body: page, header: header}
}
