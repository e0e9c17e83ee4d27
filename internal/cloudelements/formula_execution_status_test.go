package cloudelements

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestFormulaExecutionStatus(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/elements/api-v2/formulas/instances/executions/71":
			writeJSON(w, 200, map[string]any{"id": "71", "formulaInstanceId": 9, "status": "failed"})
		case "/elements/api-v2/formulas/instances/executions/72":
			writeJSON(w, 200, map[string]any{"id": 99, "status": "success"})
		case "/elements/api-v2/formulas/instances/executions/71/steps":
			if r.URL.Query().Get("includeValues") != "true" {
				t.Errorf("steps asked without values: %s", r.URL.RawQuery)
			}
			writeJSON(w, 200, []any{
				map[string]any{"stepName": "trigger", "status": "success",
					"stepExecutionValues": []any{map[string]any{"key": "trigger.args", "value": map[string]any{"a": 1}}}},
				map[string]any{"stepName": "send", "status": "failed",
					"stepExecutionValues": []any{map[string]any{"key": "send.error", "value": "boom \x1b[31m" + testUserSecret}}},
			})
		default:
			writeJSON(w, 404, map[string]string{"message": "Not found"})
		}
	}))
	ex, err := c.GetFormulaExecution(context.Background(), 71)
	if err != nil || ex.ID != 71 || ex.Status != "failed" {
		t.Fatalf("got %+v, %v", ex, err)
	}
	if _, err := c.GetFormulaExecution(context.Background(), 72); err == nil || !strings.Contains(err.Error(), "execution 99") {
		t.Fatalf("an answer about another execution: %v", err)
	}
	steps, err := c.FormulaExecutionSteps(context.Background(), 71)
	if err != nil || len(steps) != 2 || steps[0].Values["trigger.args"] != `{"a":1}` {
		t.Fatalf("got %+v, %v", steps, err)
	}
	if f := steps[1].Failure(); !strings.HasPrefix(f, "boom") || strings.Contains(f, testUserSecret) || strings.Contains(f, "\x1b") {
		t.Fatalf("failure %q: want the text, cleaned and masked", f)
	}
	for status, want := range map[string][2]bool{"success": {true, true}, "failed": {true, false}, "pending": {}, "retry": {}} {
		if done, ok := Finished(status); done != want[0] || ok != want[1] {
			t.Errorf("Finished(%q) = %v, %v", status, done, ok)
		}
	}
}
