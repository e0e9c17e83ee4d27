package emulator

import (
	"net/http"
	"strconv"
	"time"
)

// StepFailureMessage is the error a failing step (ExecutionPlan.FailAtStep)
// reports in its step execution values, under "<step name>.error".
const StepFailureMessage = "TypeError: Cannot read property 'id' of undefined"

func init() {
	routes = append(routes,
		routeDef{pattern: "/formulas/instances/executions/{executionId}", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).getExecution}},
		routeDef{pattern: "/formulas/instances/executions/{executionId}/steps", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listStepExecutions}},
	)
}

// withExecution runs fn on the execution named by params[0] under the mutex.
func (s *Server) withExecution(params []string, fn func(*Execution) reply) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := strconv.ParseInt(params[0], 10, 64)
	ex := s.fxLocked().executions[id]
	if err != nil || ex == nil {
		return errReply(http.StatusNotFound, "No formula instance execution found with id %s", params[0])
	}
	return fn(ex)
}

// getExecution is GET /formulas/instances/executions/{executionId}.
func (s *Server) getExecution(_ *http.Request, params []string, _ []byte) reply {
	return s.withExecution(params, func(ex *Execution) reply { return okReply(s.renderExecutionLocked(ex, time.Now())) })
}

// listStepExecutions is GET /formulas/instances/executions/{id}/steps: the
// steps reached so far, in order, each after the plan's StepDelay: the
// trigger, then "success" per step done, "pending" for the one running,
// "failed" with its error value for the plan's failing step.
func (s *Server) listStepExecutions(r *http.Request, params []string, _ []byte) reply {
	values := r.URL.Query().Get("includeValues") == "true"
	return s.withExecution(params, func(ex *Execution) reply {
		fi := s.fx.instances[ex.FormulaInstanceID]
		var steps []FormulaStep
		if fi != nil && s.fx.formulas[fi.FormulaID] != nil {
			steps = s.fx.formulas[fi.FormulaID].Steps
		}
		elapsed := time.Since(ex.Started)
		out := []any{s.stepExecutionLocked(ex, 0, "trigger", "success", values, map[string]string{"trigger.args": string(ex.Input)})}
		for i, st := range steps {
			status, vals := "success", map[string]string{}
			switch {
			case elapsed < time.Duration(i+1)*s.fx.plan.StepDelay:
				status = "pending"
			case st.Name == s.fx.plan.FailAtStep:
				status, vals = "failed", map[string]string{st.Name + ".error": StepFailureMessage}
			}
			out = append(out, s.stepExecutionLocked(ex, i+1, st.Name, status, values, vals))
			if status != "success" {
				break
			}
		}
		return okReply(out)
	})
}

// stepExecutionLocked renders one step execution; its values only when asked.
func (s *Server) stepExecutionLocked(ex *Execution, n int, name, status string, withValues bool, vals map[string]string) object {
	o := object{{"id", s.idLocked(ex.ID*100 + int64(n))}, {"stepName", name}, {"status", status}}
	if withValues {
		list := []any{}
		for _, k := range sortedKeys(vals) {
			list = append(list, map[string]string{"key": k, "value": vals[k]})
		}
		o = append(o, kv{"stepExecutionValues", list})
	}
	return s.shapeLocked(o)
}
