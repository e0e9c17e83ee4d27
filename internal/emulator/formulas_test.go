package emulator

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func testFormula(name string, extraSteps ...map[string]any) map[string]any {
	steps := append([]any{map[string]any{"name": "hello", "type": "script",
		"properties": map[string]any{"scriptEngine": "v2", "body": "done(true);", "n": 5}}}, toAny(extraSteps)...)
	return map[string]any{
		"name": name, "active": true,
		"configuration": []any{map[string]any{"key": "trigger_instance", "name": "trigger_instance", "type": "elementInstance"}},
		"triggers": []any{map[string]any{"type": "event", "onSuccess": []string{"hello"},
			"properties": map[string]any{"elementInstanceId": "${trigger_instance}"}}},
		"steps": steps,
	}
}

func toAny(ms []map[string]any) []any {
	out := make([]any, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
}

func (e *env) createFormula(name string, extraSteps ...map[string]any) map[string]any {
	e.t.Helper()
	resp, b := e.do(http.MethodPost, "/formulas", testFormula(name, extraSteps...))
	if resp.StatusCode != 200 {
		e.t.Fatalf("create formula: %d %s", resp.StatusCode, b)
	}
	return decode(e.t, b)
}

func TestFormulaLifecycleAndValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	f := e.createFormula("flow")
	id := fidOf(f)
	if steps := as[[]any](f["steps"]); len(steps) != 1 || as[map[string]any](steps[0])["id"] != nil {
		t.Fatalf("default answer has step ids or lost steps: %v", f["steps"])
	}
	resp, b := e.do(http.MethodPost, "/formulas", testFormula("flow"))
	wantError(t, resp, b, http.StatusConflict)
	resp, b = e.do(http.MethodPost, "/formulas", testFormula("sub", map[string]any{"name": "call", "type": "formula",
		"properties": map[string]any{"formulaId": 999999}}))
	wantError(t, resp, b, http.StatusBadRequest)
	sub := e.createFormula("caller", map[string]any{"name": "call", "type": "formula", "properties": map[string]any{"formulaId": f["id"]}})

	inst := e.create("helpdesk")
	fiBody := map[string]any{"name": "fi", "active": true, "configuration": map[string]any{"trigger_instance": idOf(inst)},
		"settings": map[string]any{"notification.email": "ops@example.com", "formula.instance.time.to.live": 3600}}
	resp, b = e.do(http.MethodPost, "/formulas/"+id+"/instances", fiBody)
	if resp.StatusCode != 200 {
		t.Fatalf("create formula instance: %d %s", resp.StatusCode, b)
	}
	fi := decode(t, b)
	fiPath := "/formulas/" + id + "/instances/" + fidOf(fi)
	if resp, b = e.do(http.MethodDelete, fiPath+"/active", nil); resp.StatusCode != 200 || decode(t, b)["active"] != false {
		t.Fatalf("deactivate: %d %s", resp.StatusCode, b)
	}
	resp, b = e.do(http.MethodPost, fiPath+"/executions", map[string]any{})
	wantError(t, resp, b, http.StatusBadRequest) // inactive
	resp, b = e.do(http.MethodGet, fmt.Sprintf("/formulas/instances?elementInstanceId=%s", idOf(inst)), nil)
	if list := as[[]any](decodeAny(t, b)); resp.StatusCode != 200 || len(list) != 1 {
		t.Fatalf("list by element instance: %d %s", resp.StatusCode, b)
	}
	bad := map[string]any{"name": "x", "configuration": map[string]any{"trigger_instance": "424242"}}
	resp, b = e.do(http.MethodPost, "/formulas/"+id+"/instances", bad)
	wantError(t, resp, b, http.StatusBadRequest)

	// Default: deleting the formula deletes its instances.
	if resp, _ = e.do(http.MethodDelete, "/formulas/"+id, nil); resp.StatusCode != 200 || len(e.s.FormulaInstances()) != 0 {
		t.Fatalf("delete formula: %d, %d instances left", resp.StatusCode, len(e.s.FormulaInstances()))
	}
	resp, b = e.do(http.MethodGet, fiPath, nil)
	wantError(t, resp, b, http.StatusNotFound)
	_ = sub
}

func decodeAny(t *testing.T, b []byte) any {
	var v any
	mustUnmarshal(t, b, &v)
	return v
}

func TestFormulaVariance(t *testing.T) {
	t.Parallel()
	for name, check := range map[string]func(t *testing.T, e *env, f map[string]any){
		"strings": func(t *testing.T, e *env, f map[string]any) {
			step := as[map[string]any](as[[]any](f["steps"])[0])
			if _, ok := f["id"].(string); !ok || step["id"] == nil || as[map[string]any](step["properties"])["n"] != "5" {
				t.Fatalf("strings: %v", f)
			}
			resp, b := e.do(http.MethodPut, "/formulas/"+fidOf(f), testFormula("flow"))
			if resp.StatusCode != 200 {
				t.Fatalf("PUT: %d %s", resp.StatusCode, b)
			}
			again := as[map[string]any](as[[]any](decode(t, b)["steps"])[0])
			if resp.StatusCode != 200 || again["id"] != step["id"] {
				t.Fatalf("stable step id changed on PUT: %v -> %v", step["id"], again["id"])
			}
		},
		"token-churn": func(t *testing.T, e *env, f map[string]any) {
			step := as[map[string]any](as[[]any](f["steps"])[0])
			_, b := e.do(http.MethodPut, "/formulas/"+fidOf(f), testFormula("flow"))
			if again := as[map[string]any](as[[]any](decode(t, b)["steps"])[0]); again["id"] == step["id"] {
				t.Fatalf("step id kept on PUT: %v", again["id"])
			}
		},
		"noisy": func(t *testing.T, e *env, f map[string]any) {
			_, b := e.do(http.MethodGet, "/formulas/"+fidOf(f), nil)
			if f["engine"] != "v3" || !strings.HasPrefix(string(b), `{"api"`) {
				t.Fatalf("noisy: %s", b)
			}
		},
		"assets-refuse": func(t *testing.T, e *env, f map[string]any) {
			inst := e.create("helpdesk")
			e.do(http.MethodPost, "/formulas/"+fidOf(f)+"/instances", map[string]any{"name": "fi",
				"configuration": map[string]any{"trigger_instance": idOf(inst)}})
			resp, b := e.do(http.MethodDelete, "/formulas/"+fidOf(f), nil)
			wantError(t, resp, b, http.StatusConflict)
			resp, b = e.do(http.MethodDelete, "/instances/"+idOf(inst), nil)
			wantError(t, resp, b, http.StatusConflict)
		},
		"assets-cascade": func(t *testing.T, e *env, f map[string]any) {
			inst := e.create("helpdesk")
			e.do(http.MethodPost, "/formulas/"+fidOf(f)+"/instances", map[string]any{"name": "fi",
				"configuration": map[string]any{"trigger_instance": idOf(inst)}})
			if resp, _ := e.do(http.MethodDelete, "/instances/"+idOf(inst), nil); resp.StatusCode != 200 || len(e.s.FormulaInstances()) != 0 {
				t.Fatalf("element instance delete did not cascade")
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts, _ := Options{}.WithProfile(name)
			e := newEnv(t, opts)
			check(t, e, e.createFormula("flow"))
		})
	}
}

func TestFormulaListPagesAndExecutionsRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for i := range 5 {
		e.createFormula(fmt.Sprintf("f%d", i))
	}
	seen, next := 0, ""
	for pages := 0; ; pages++ {
		path := "/formulas?pageSize=2"
		if next != "" {
			path += "&nextPage=" + next
		}
		resp, b := e.do(http.MethodGet, path, nil)
		seen += len(as[[]any](decodeAny(t, b)))
		if next = resp.Header.Get("Elements-Next-Page-Token"); next == "" {
			if seen != 5 || pages != 2 {
				t.Fatalf("paged %d formulas over %d pages", seen, pages+1)
			}
			break
		}
	}
	f := e.s.Formulas()[0]
	inst := e.create("helpdesk")
	fi := e.s.PutFormulaInstance(FormulaInstance{FormulaID: f.ID, Name: "fi", Active: true,
		Configuration: map[string]string{"trigger_instance": idOf(inst)}})
	e.s.SetExecutionPlan(ExecutionPlan{StepDelay: 50 * time.Millisecond, FailAtStep: "hello"})
	_, b := e.do(http.MethodPost, fmt.Sprintf("/formulas/instances/%d/executions", fi.ID), map[string]any{"x": 1})
	if ex := decode(t, b); ex["status"] != "pending" {
		t.Fatalf("new execution: %s", b)
	}
	time.Sleep(60 * time.Millisecond)
	_, b = e.do(http.MethodGet, fmt.Sprintf("/formulas/instances/%d/executions", fi.ID), nil)
	if list := as[[]any](decodeAny(t, b)); len(list) != 1 || as[map[string]any](list[0])["status"] != "failed" ||
		as[map[string]any](list[0])["failedStep"] != "hello" {
		t.Fatalf("executions: %s", b)
	}
}

// fidOf is an answer's id as a path segment, whether a number or a string.
func fidOf(o map[string]any) string { return strings.Trim(jsonNum(o["id"]), `"`) }
