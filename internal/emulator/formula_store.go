package emulator

import (
	"encoding/json"
	"maps"
	"slices"
	"time"
)

// The formula store's test surface: deep copies of what is stored, seeds
// for assets made by hand, and the execution plan.

func (f Formula) clone() Formula {
	f.Configuration = slices.Clone(f.Configuration)
	f.Triggers = slices.Clone(f.Triggers)
	f.Steps = slices.Clone(f.Steps)
	return f
}

// Formulas returns copies of the stored formulas, sorted by id.
func (s *Server) Formulas() []Formula {
	s.mu.Lock()
	defer s.mu.Unlock()
	fx := s.fxLocked()
	out := []Formula{}
	for _, id := range sortedIDs(fx.formulas) {
		out = append(out, fx.formulas[id].clone())
	}
	return out
}

// FormulaInstances returns copies of the stored formula instances.
func (s *Server) FormulaInstances() []FormulaInstance {
	s.mu.Lock()
	defer s.mu.Unlock()
	fx := s.fxLocked()
	out := []FormulaInstance{}
	for _, id := range sortedIDs(fx.instances) {
		fi := *fx.instances[id]
		fi.Configuration, fi.Settings = maps.Clone(fi.Configuration), maps.Clone(fi.Settings)
		out = append(out, fi)
	}
	return out
}

// Executions returns copies of the executions, sorted by id.
func (s *Server) Executions() []Execution {
	s.mu.Lock()
	defer s.mu.Unlock()
	fx := s.fxLocked()
	out := []Execution{}
	for _, id := range sortedIDs(fx.executions) {
		out = append(out, *fx.executions[id])
	}
	return out
}

// PutFormula seeds a formula as if built in the platform's UI and returns
// it as stored (a zero ID or CreatedDate gets a fresh one; steps and
// triggers get ids; empty properties become {}).
func (s *Server) PutFormula(f Formula) Formula {
	f = f.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	fx := s.fxLocked()
	if f.ID == 0 {
		f.ID = fx.newID()
	} else if f.ID > fx.nextID {
		fx.nextID = f.ID
	}
	if f.CreatedDate.IsZero() {
		f.CreatedDate = time.Now().UTC().Truncate(time.Second)
	}
	for i := range f.Steps {
		f.Steps[i].Properties = compactOrEmpty(f.Steps[i].Properties)
	}
	for i := range f.Triggers {
		f.Triggers[i].Properties = compactOrEmpty(f.Triggers[i].Properties)
	}
	s.assignSubIDsLocked(&f, fx.formulas[f.ID])
	fx.formulas[f.ID] = &f
	return f.clone()
}

// PutFormulaInstance seeds a formula instance of an existing formula.
func (s *Server) PutFormulaInstance(fi FormulaInstance) FormulaInstance {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	fx := s.fxLocked()
	if fi.ID == 0 {
		fi.ID = fx.newID()
	}
	if fi.CreatedDate.IsZero() {
		fi.CreatedDate = time.Now().UTC().Truncate(time.Second)
	}
	fi.Configuration, fi.Settings = maps.Clone(fi.Configuration), maps.Clone(fi.Settings)
	fx.instances[fi.ID] = &fi
	return fi
}

// RemoveFormulaInstance deletes a formula instance as if by hand in the
// platform's UI; it reports whether there was one.
func (s *Server) RemoveFormulaInstance(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	fx := s.fxLocked()
	_, ok := fx.instances[id]
	delete(fx.instances, id)
	return ok
}

// RemoveFormula deletes a formula as if by hand in the platform's UI,
// with the formula instances bound to it; it reports whether there was
// one.
func (s *Server) RemoveFormula(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	fx := s.fxLocked()
	_, ok := fx.formulas[id]
	for _, fi := range s.boundInstancesLocked(func(fi *FormulaInstance) bool { return fi.FormulaID == id }) {
		delete(fx.instances, fi)
	}
	delete(fx.formulas, id)
	return ok
}

// ModifyFormula changes a stored formula behind Terraform's back; fn gets
// a copy whose changes are saved (except the ID). It reports whether the
// formula exists.
func (s *Server) ModifyFormula(id int64, fn func(*Formula)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	f, ok := s.fxLocked().formulas[id]
	if ok {
		c := f.clone()
		fn(&c)
		c.ID = id
		*f = c
	}
	return ok
}

// SetExecutionPlan says how executions run (statuses are derived when
// answered, so it applies to running executions too).
func (s *Server) SetExecutionPlan(p ExecutionPlan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fxLocked().plan = p
}

func compactOrEmpty(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return json.RawMessage("{}")
	}
	return compactJSON(raw)
}
