package cloudelements

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestDecodeFormulaTolerance(t *testing.T) {
	t.Parallel()
	f, err := DecodeFormula([]byte(`{"id":"77","name":"n","active":"true","singleThreaded":null,"engine":"v3",
		"configuration":null,"triggers":[{"id":"5","type":"event","onSuccess":["a"],"properties":{"x":1}}],
		"steps":[{"id":9,"name":"a","type":"script","onSuccess":null,"properties":{ "body" : "done(true);" }}],"extra":{"k":[1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != 77 || !f.Active || f.Triggers[0].ID != 5 || string(f.Steps[0].Properties) != `{"body":"done(true);"}` ||
		f.Steps[0].OnSuccess != nil || f.Configuration != nil {
		t.Fatalf("decoded %+v", f)
	}
	for _, bad := range []string{`{"id":0}`, `{"id":1,"id":2}`, `{"id":1,"steps":[{"name":"a","name":"b"}]}`,
		`{"id":1,"steps":{}}`, `{"id":1,"triggers":[{"properties":"x"}]}`, `[]`, `<html>`} {
		if _, err := DecodeFormula([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestFormulaAnswerAboutAnotherIDIsRefused(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": 8, "name": "other", "formula": map[string]any{"id": 3}})
	}))
	if _, err := c.GetFormula(context.Background(), 7); err == nil || !strings.Contains(err.Error(), "asked about formula 7") {
		t.Fatalf("got %v", err)
	}
	if _, err := c.GetFormulaInstance(context.Background(), 3, 7); err == nil || !strings.Contains(err.Error(), "asked about formula instance 7") {
		t.Fatalf("got %v", err)
	}
	if _, err := c.GetFormulaInstance(context.Background(), 4, 8); err == nil || !strings.Contains(err.Error(), "asked about formula 4") {
		t.Fatalf("instance of another formula accepted: %v", err)
	}
}

// A POST /formulas answered 502 after the platform made the formula is
// reconciled by name and creation date, never posted twice.
func TestCreateFormulaReconcilesAnAmbiguousFailure(t *testing.T) {
	t.Parallel()
	var posts, lists atomic.Int32
	now := time.Now().UTC().Format(time.RFC3339)
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			posts.Add(1)
			writeJSON(w, 502, map[string]any{"message": "bad gateway"})
		case r.URL.Path == "/elements/api-v2/formulas":
			lists.Add(1)
			writeJSON(w, 200, []any{
				map[string]any{"id": 1, "name": "flow", "createdDate": "2001-01-01T00:00:00Z", "steps": []any{}, "triggers": []any{}, "configuration": []any{}},
				map[string]any{"id": 2, "name": "other", "createdDate": now},
				map[string]any{"id": 3, "name": "flow", "createdDate": now, "steps": []any{}, "triggers": []any{}, "configuration": []any{}},
			})
		default:
			t.Errorf("unexpected %s %s", r.Method, r.URL)
		}
	}))
	f, err := c.CreateFormula(context.Background(), FormulaRequest{Name: "flow"})
	if err != nil || f.ID != 3 || posts.Load() != 1 || lists.Load() != 1 {
		t.Fatalf("got %+v %v posts=%d lists=%d", f, err, posts.Load(), lists.Load())
	}
}

func TestCreateFormulaInstanceSalvagesAnUnreadableAnswer(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			posts.Add(1)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"id": 41, "name": "fi", "active": "maybe"`))
		case http.MethodGet:
			writeJSON(w, 200, map[string]any{"id": 41, "name": "fi", "formula": map[string]any{"id": 9}, "createdDate": time.Now().UTC().Format(time.RFC3339),
				"settings": map[string]any{SettingTimeToLive: 3600}, "configuration": map[string]any{"a": 5}})
		}
	}))
	fi, err := c.CreateFormulaInstance(context.Background(), 9, FormulaInstanceRequest{Name: "fi"})
	if err != nil || fi.ID != 41 || fi.Settings[SettingTimeToLive] != "3600" || fi.Configuration["a"] != "5" || posts.Load() != 1 {
		t.Fatalf("got %+v %v posts=%d", fi, err, posts.Load())
	}
}

func TestListFormulaInstancesPagesAndFilters(t *testing.T) {
	t.Parallel()
	var queries []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		if r.URL.Query().Get("nextPage") == "" {
			w.Header().Set("Elements-Next-Page-Token", "p2")
			writeJSON(w, 200, []any{map[string]any{"id": 1, "name": "a", "formula": map[string]any{"id": 5}, "configuration": map[string]any{}, "settings": map[string]any{}}})
			return
		}
		writeJSON(w, 200, []any{map[string]any{"id": "2", "name": "b", "formulaId": "6", "configuration": map[string]any{}, "settings": map[string]any{}}})
	}))
	list, err := c.ListFormulaInstances(context.Background(), FormulaInstanceListOptions{ElementInstanceID: 44, FormulaID: 6})
	if err != nil || len(list) != 1 || list[0].ID != 2 || len(queries) != 2 ||
		!strings.Contains(queries[0], "elementInstanceId=44") || !strings.Contains(queries[1], "nextPage=p2") {
		t.Fatalf("got %+v %v %q", list, err, queries)
	}
}

// Running a formula is never repeated after an answer that may mean it ran.
func TestStartFormulaExecutionIsNotRepeated(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts.Add(1)
		writeJSON(w, 503, map[string]any{"message": "busy"})
	}))
	if _, err := c.StartFormulaExecution(context.Background(), 1, 2, nil); err == nil || posts.Load() != 1 ||
		!strings.Contains(err.Error(), "not repeated") {
		t.Fatalf("got %v after %d posts", err, posts.Load())
	}
}
