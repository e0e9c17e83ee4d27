package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// The admin surface's settings beyond faults and variance, the same as
// the command's -id-offset and -execution-* flags:
//
//	GET  /_emulator/ids             IDsJSON
//	POST /_emulator/ids             {"idOffset": n} -> IDsJSON; 409 while
//	                                anything is stored (ids would collide)
//	GET  /_emulator/execution-plan  ExecutionPlanJSON
//	POST /_emulator/execution-plan  ExecutionPlanJSON -> the plan now in force

// The first id of each kind before the offset. Formulas, formula
// instances and executions share one counter, VDRs and transformations
// another, far from instance ids and from each other, so that a test
// mixing them up fails.
const (
	instanceIDBase = 1000
	formulaIDBase  = 5000
	vdrIDBase      = 8000
)

// IDsJSON is the wire form of the id settings: the offset, and (answered
// only) the next ids to be handed out.
type IDsJSON struct {
	IDOffset       int64 `json:"idOffset"`
	NextInstanceID int64 `json:"nextInstanceId"`
	// NextFormulaID is the next formula, formula instance or execution id.
	NextFormulaID int64 `json:"nextFormulaId"`
	// NextVDRID is the next VDR or transformation id.
	NextVDRID int64 `json:"nextVdrId"`
}

// ExecutionPlanJSON is the wire form of an ExecutionPlan, e.g.
// {"stepDelay":"2s","failAtStep":"notify"}: each step of an execution takes
// stepDelay; an execution fails at the step named failAtStep, if its
// formula has one ("" fails none).
type ExecutionPlanJSON struct {
	StepDelay  Duration `json:"stepDelay"`
	FailAtStep string   `json:"failAtStep"`
}

// IDs answers the id offset and the next ids.
func (s *Server) IDs() IDsJSON {
	s.mu.Lock()
	defer s.mu.Unlock()
	return IDsJSON{IDOffset: s.idOffset, NextInstanceID: s.nextID, NextFormulaID: s.fxLocked().nextID + 1,
		NextVDRID: s.vdrLocked().nextID + 1}
}

// SetIDOffset starts the ids of every kind again at their base plus
// offset. It is refused while anything is stored: ids handed out before
// could then be handed out again.
func (s *Server) SetIDOffset(offset int64) error {
	if offset < 0 {
		return fmt.Errorf("idOffset must be 0 or more, got %d", offset)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fx, st := s.fxLocked(), s.vdrLocked()
	if n := len(s.instances) + len(fx.formulas) + len(fx.instances) + len(fx.executions) + len(st.vdrs) + len(st.transformations); n > 0 {
		return fmt.Errorf("%d instances, formulas, formula instances, executions, VDRs or transformations are stored; "+
			"POST %s/reset first, or start the emulator with -id-offset", n, AdminPath)
	}
	s.idOffset = offset
	s.restartIDsLocked()
	return nil
}

// restartIDsLocked drops the formula and VDR stores and the stale listing
// copies and starts every id counter again at its base plus the offset;
// the execution plan stays.
func (s *Server) restartIDsLocked() {
	s.nextID = instanceIDBase + s.idOffset
	s.nextCfgID = 1 + s.idOffset
	s.fx = formulaStore{plan: s.fx.plan}
	s.vdr = vdrStore{}
	s.history, s.frozen = nil, nil
}

// ExecutionPlan answers how executions run.
func (s *Server) ExecutionPlan() ExecutionPlan {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fxLocked().plan
}

// adminSetting answers the settings endpoints; ok is false for any other
// path.
func (s *Server) adminSetting(r *http.Request, path string) (rep reply, ok bool) {
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case path == "/ids" && get:
		return okReply(s.IDs()), true
	case path == "/ids" && post:
		var v struct {
			IDOffset *int64 `json:"idOffset"`
		}
		if err := json.NewDecoder(r.Body).Decode(&v); err != nil || v.IDOffset == nil {
			return errReply(http.StatusBadRequest, `Bad request: want {"idOffset": <a whole number, 0 or more>}`), true
		}
		if err := s.SetIDOffset(*v.IDOffset); err != nil {
			status := http.StatusConflict
			if *v.IDOffset < 0 {
				status = http.StatusBadRequest
			}
			return errReply(status, "%v", err), true
		}
		return okReply(s.IDs()), true
	case path == "/execution-plan" && get:
		p := s.ExecutionPlan()
		return okReply(ExecutionPlanJSON{StepDelay: Duration(p.StepDelay), FailAtStep: p.FailAtStep}), true
	case path == "/execution-plan" && post:
		var pj ExecutionPlanJSON
		if err := json.NewDecoder(r.Body).Decode(&pj); err != nil {
			return errReply(http.StatusBadRequest, "Bad request: malformed execution plan JSON: %v", err), true
		}
		if pj.StepDelay < 0 {
			return errReply(http.StatusBadRequest, "Bad request: stepDelay must be 0 or more, got %s", time.Duration(pj.StepDelay)), true
		}
		s.SetExecutionPlan(ExecutionPlan{StepDelay: time.Duration(pj.StepDelay), FailAtStep: pj.FailAtStep})
		return okReply(pj), true
	case path == "/ids" || path == "/execution-plan":
		return errReply(http.StatusMethodNotAllowed, "Method %s is not allowed on %s%s", r.Method, AdminPath, path), true
	}
	return reply{}, false
}
