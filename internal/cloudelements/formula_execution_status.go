package cloudelements

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// StepExecution is one step of a formula execution as the platform reports
// it (GET /formulas/instances/executions/{id}/steps?includeValues=true).
type StepExecution struct {
	StepName string            `json:"stepName"`
	Status   string            `json:"status"`
	Values   map[string]string `json:"-"` // stepExecutionValues, key to value
}

// Finished reports whether an execution status is final, and whether it
// means success. Statuses other than these ("pending", "retry", ...) mean
// the execution is still going.
func Finished(status string) (done, ok bool) {
	switch strings.ToLower(status) {
	case "success", "succeeded", "completed":
		return true, true
	case "failed", "failure", "error", "cancelled", "canceled", "stopped":
		return true, false
	}
	return false, false
}

// Failure is the step's error text: the value of "<step>.error" (or any
// key ending in ".error" or ".message"), "" when it left none.
func (s StepExecution) Failure() string {
	if v := s.Values[s.StepName+".error"]; v != "" {
		return v
	}
	for k, v := range s.Values {
		if strings.HasSuffix(k, ".error") || strings.HasSuffix(k, ".message") {
			return v
		}
	}
	return ""
}

func executionPath(id int64) string {
	return "/formulas/instances/executions/" + strconv.FormatInt(id, 10)
}

// GetFormulaExecution reads one execution (GET
// /formulas/instances/executions/{id}); an answer about another execution
// is an error.
func (c *Client) GetFormulaExecution(ctx context.Context, id int64) (*FormulaExecution, error) {
	cl := &call{method: http.MethodGet, path: executionPath(id)}
	if err := checkAssetID(cl.method, cl.path, "formula execution", id); err != nil {
		return nil, err
	}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, err
	}
	ex, err := decodeFormulaExecutionItem(resp.body)
	if err != nil {
		return nil, c.decodeError(cl, err)
	}
	if err := checkAnswerAbout("formula execution", id, ex.ID); err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	return ex, nil
}

// FormulaExecutionSteps lists the steps an execution has reached, with
// their values (GET /formulas/instances/executions/{id}/steps).
func (c *Client) FormulaExecutionSteps(ctx context.Context, id int64) ([]StepExecution, error) {
	cl := &call{method: http.MethodGet, path: executionPath(id) + "/steps", query: "includeValues=true"}
	if err := checkAssetID(cl.method, cl.path, "formula execution", id); err != nil {
		return nil, err
	}
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, err
	}
	if err := expectJSON(resp.body, '[', "an array"); err != nil {
		return nil, c.decodeError(cl, err)
	}
	var raw []struct {
		StepExecution
		Values []struct {
			Key   string          `json:"key"`
			Value json.RawMessage `json:"value"`
		} `json:"stepExecutionValues"`
	}
	if err := json.Unmarshal(resp.body, &raw); err != nil {
		return nil, c.decodeError(cl, err)
	}
	out := make([]StepExecution, len(raw))
	for i, r := range raw {
		out[i] = r.StepExecution
		out[i].Values = map[string]string{}
		for _, v := range r.Values {
			var s string
			if json.Unmarshal(v.Value, &s) != nil {
				s = string(v.Value) // an object or number, as JSON
			}
			out[i].Values[v.Key] = c.platformText(s, 2000)
		}
	}
	return out, nil
}
