package emulator

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAdminSurface(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.create("one", "t")
	call := func(method, path, body string) (int, string) { return adminCall(t, e, method, path, body) }
	if c, b := call("GET", "/stats", ""); c != 200 || !strings.Contains(b, `"creates":1`) {
		t.Fatalf("stats %d %s", c, b)
	}
	if c, b := call("GET", "/instances", ""); c != 200 || !strings.Contains(b, `"elementKey":"freshdeskv2"`) || !strings.Contains(b, `"token"`) {
		t.Fatalf("instances %d %s", c, b)
	}
	if c, b := call("POST", "/faults", `{"latency":"50ms","rateLimit":3,"serverErrorEndpoints":["GET /instances"]}`); c != 200 || !strings.Contains(b, `"50ms"`) {
		t.Fatalf("faults %d %s", c, b)
	}
	e.s.mu.Lock()
	f := e.s.faults
	e.s.mu.Unlock()
	if f.Latency != 50*time.Millisecond || f.RateLimit != 3 {
		t.Fatalf("faults not applied: %+v", f)
	}
	if c, _ := call("POST", "/faults", `{"latency":"soon"}`); c != 400 {
		t.Fatalf("bad faults accepted: %d", c)
	}
	if c, _ := call("POST", "/reset", ""); c != 200 || len(e.s.Instances()) != 0 || e.s.Stats().Requests != 0 {
		t.Fatal("reset")
	}
	if c, _ := call("GET", "/reset", ""); c != 405 {
		t.Fatalf("GET reset: %d", c)
	}
	if len(e.s.Requests()) != 0 {
		t.Fatal("admin calls recorded")
	}
}

// adminCall sends one request to the admin surface of e.
func adminCall(t *testing.T, e *env, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, strings.TrimSuffix(e.url, BasePath)+AdminPath+path, strings.NewReader(body))
	resp, err := e.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// TestAdminIDOffset: POST /_emulator/ids moves every kind of id (instance,
// configuration entry, formula, step, formula instance, execution) by the
// offset, as Options.IDOffset does; it is refused while ids are handed out,
// and a reset starts them again at the offset (issue 28 item 4).
func TestAdminIDOffset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	if c, b := adminCall(t, e, "GET", "/ids", ""); c != 200 || b != `{"idOffset":0,"nextInstanceId":1000,"nextFormulaId":5001,"nextVdrId":8001}` {
		t.Fatalf("GET ids: %d %s", c, b)
	}
	if c, b := adminCall(t, e, "POST", "/ids", `{"idOffset":70000}`); c != 200 || !strings.Contains(b, `"nextInstanceId":71000`) {
		t.Fatalf("POST ids: %d %s", c, b)
	}
	inst := e.create("helpdesk")
	f := e.createFormula("f")
	_, b := e.do(http.MethodPost, "/formulas/"+fidOf(f)+"/instances",
		map[string]any{"name": "fi", "configuration": map[string]any{"trigger_instance": idOf(inst)}})
	fi := decode(t, b)
	_, b = e.do(http.MethodPost, "/formulas/instances/"+fidOf(fi)+"/executions", nil)
	ex := decode(t, b)
	_, b = e.do(http.MethodGet, "/instances/"+idOf(inst)+"/configuration", nil)
	entry := as[map[string]any](as[[]any](decodeAny(t, b))[0])
	stored := e.s.Formulas()[0]
	got := []string{idOf(inst), jsonNum(entry["id"]), fidOf(f), fmt.Sprint(stored.Steps[0].ID), fidOf(fi), fidOf(ex)}
	if want := []string{"71000", "70001", "75001", "70001", "75002", "75003"}; !slices.Equal(got, want) {
		t.Fatalf("ids (instance, configuration entry, formula, step, formula instance, execution) %v, want %v", got, want)
	}
	if c, b := adminCall(t, e, "POST", "/ids", `{"idOffset":0}`); c != 409 || !strings.Contains(b, "reset") {
		t.Fatalf("POST ids with assets stored: %d %s, want 409 pointing at reset", c, b)
	}
	for _, bad := range []string{`{"idOffset":-1}`, `{}`, `{"idOffset":"many"}`} {
		if c, b := adminCall(t, e, "POST", "/ids", bad); c != 400 {
			t.Fatalf("POST ids %s: %d %s, want 400", bad, c, b)
		}
	}
	if c, _ := adminCall(t, e, "DELETE", "/ids", ""); c != 405 {
		t.Fatalf("DELETE ids: %d", c)
	}
	if c, _ := adminCall(t, e, "POST", "/reset", ""); c != 200 {
		t.Fatal("reset")
	}
	if again := e.create("again"); again.ID != 71000 {
		t.Fatalf("after reset: instance id %d, want 71000 (ids start again at the offset)", again.ID)
	}
}

// TestAdminExecutionPlan: POST /_emulator/execution-plan makes executions
// slow and failing as SetExecutionPlan does, and a reset keeps it.
func TestAdminExecutionPlan(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Executions: ExecutionPlan{StepDelay: time.Hour}})
	if c, b := adminCall(t, e, "GET", "/execution-plan", ""); c != 200 || b != `{"stepDelay":"1h0m0s","failAtStep":""}` {
		t.Fatalf("GET execution-plan from Options: %d %s", c, b)
	}
	if c, b := adminCall(t, e, "POST", "/execution-plan", `{"stepDelay":"40ms","failAtStep":"hello"}`); c != 200 || !strings.Contains(b, `"40ms"`) {
		t.Fatalf("POST execution-plan: %d %s", c, b)
	}
	if c, _ := adminCall(t, e, "POST", "/reset", ""); c != 200 {
		t.Fatal("reset")
	}
	if p := e.s.ExecutionPlan(); p != (ExecutionPlan{StepDelay: 40 * time.Millisecond, FailAtStep: "hello"}) {
		t.Fatalf("plan after reset %+v", p)
	}
	inst := e.create("helpdesk")
	f := e.createFormula("f")
	_, b := e.do(http.MethodPost, "/formulas/"+fidOf(f)+"/instances",
		map[string]any{"name": "fi", "configuration": map[string]any{"trigger_instance": idOf(inst)}})
	_, b = e.do(http.MethodPost, "/formulas/instances/"+fidOf(decode(t, b))+"/executions", nil)
	ex := decode(t, b)
	if ex["status"] != "pending" {
		t.Fatalf("new execution: %s", b)
	}
	time.Sleep(50 * time.Millisecond)
	_, b = e.do(http.MethodGet, "/formulas/instances/executions/"+fidOf(ex), nil)
	if got := decode(t, b); got["status"] != "failed" || got["failedStep"] != "hello" {
		t.Fatalf("execution after the delay: %s", b)
	}
	for _, bad := range []string{`{"stepDelay":"soon"}`, `{"stepDelay":"-1s"}`, `[`} {
		if c, b := adminCall(t, e, "POST", "/execution-plan", bad); c != 400 {
			t.Fatalf("POST execution-plan %s: %d %s, want 400", bad, c, b)
		}
	}
}
