package emulator

import (
	"encoding/json"
	"net/http"
	"time"
)

func (s *Server) startExecution(_ *http.Request, params []string, body []byte) reply {
	return s.withFormulaInstance(params, func(_ *Formula, fi *FormulaInstance) reply {
		return s.startLocked(fi, body)
	})
}

// startExecutionByInstance is POST /formulas/instances/{id}/executions.
func (s *Server) startExecutionByInstance(_ *http.Request, params []string, body []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, rep := s.formulaInstanceLocked(params[0])
	if rep.status != 0 {
		return rep
	}
	return s.startLocked(fi, body)
}

func (s *Server) startLocked(fi *FormulaInstance, body []byte) reply {
	if !fi.Active {
		return errReply(http.StatusBadRequest, "Formula instance %d is not active", fi.ID)
	}
	if len(body) > 0 && !json.Valid(body) {
		return errReply(http.StatusBadRequest, "Bad request: malformed JSON in request body")
	}
	ex := &Execution{ID: s.fx.newID(), FormulaInstanceID: fi.ID, Started: time.Now(), Input: append(json.RawMessage(nil), body...)}
	s.fx.executions[ex.ID] = ex
	return okReply(s.renderExecutionLocked(ex, time.Now()))
}

// executionStatusLocked is "pending" until every step has taken the
// plan's StepDelay, then "success", or "failed" once the plan's failing
// step was reached; failedStep names it.
func (s *Server) executionStatusLocked(ex *Execution, now time.Time) (status, failedStep string) {
	fi := s.fx.instances[ex.FormulaInstanceID]
	var steps []FormulaStep
	if fi != nil && s.fx.formulas[fi.FormulaID] != nil {
		steps = s.fx.formulas[fi.FormulaID].Steps
	}
	elapsed := now.Sub(ex.Started)
	for i, st := range steps {
		if elapsed < time.Duration(i+1)*s.fx.plan.StepDelay {
			return "pending", ""
		}
		if st.Name == s.fx.plan.FailAtStep {
			return "failed", st.Name
		}
	}
	return "success", ""
}

func (s *Server) renderExecutionLocked(ex *Execution, now time.Time) object {
	status, failed := s.executionStatusLocked(ex, now)
	o := object{{"id", s.idLocked(ex.ID)}, {"formulaInstanceId", s.idLocked(ex.FormulaInstanceID)}, {"status", status},
		{"createdDate", s.profile.Variance.formatDate(ex.Started)}}
	if failed != "" {
		o = append(o, kv{"failedStep", failed})
	}
	return s.shapeLocked(o)
}

// listExecutions is GET /formulas/instances/{id}/executions, paged.
func (s *Server) listExecutions(r *http.Request, params []string, _ []byte) reply {
	s.mu.Lock()
	fi, rep := s.formulaInstanceLocked(params[0])
	s.mu.Unlock()
	if rep.status != 0 {
		return rep
	}
	now := time.Now()
	return listPaged(s, r, func(fx *formulaStore) map[int64]*Execution { return fx.executions },
		func(ex *Execution) bool { return ex.FormulaInstanceID == fi.ID },
		func(ex *Execution) any { return s.renderExecutionLocked(ex, now) })
}
