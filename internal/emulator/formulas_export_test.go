package emulator

import (
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestFormulaExport: GET /formulas/{id}/export answers the formula as GET
// does, plus the formulas it calls, directly or not, each once.
func TestFormulaExport(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	leaf := e.createFormula("leaf")
	mid := e.createFormula("mid", map[string]any{"name": "call-leaf", "type": "formula",
		"properties": map[string]any{"formulaId": fidOf(leaf)}})
	top := e.createFormula("top",
		map[string]any{"name": "call-mid", "type": "formula", "properties": map[string]any{"formulaId": as[float64](mid["id"])}},
		map[string]any{"name": "call-leaf", "type": "formula", "properties": map[string]any{"formulaId": fidOf(leaf)}})
	resp, b := e.do(http.MethodGet, "/formulas/"+fidOf(top)+"/export", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("export: %d %s", resp.StatusCode, b)
	}
	ex := decode(t, b)
	_, got := e.do(http.MethodGet, "/formulas/"+fidOf(top), nil)
	for k, v := range decode(t, got) {
		if jsonNum(ex[k]) != jsonNum(v) {
			t.Errorf("export %s = %s, GET answers %s", k, jsonNum(ex[k]), jsonNum(v))
		}
	}
	var names []string
	for _, sub := range as[[]any](ex["subFormulas"]) {
		names = append(names, as[string](as[map[string]any](sub)["name"]))
	}
	if !slices.Equal(names, []string{"mid", "leaf"}) {
		t.Errorf("subFormulas %v, want [mid leaf]", names)
	}
	if resp, b := e.do(http.MethodGet, "/formulas/999/export", nil); resp.StatusCode != 404 {
		t.Errorf("export of no formula: %d %s", resp.StatusCode, b)
	}
}

// TestREADMEDocumentsEveryEndpoint: every route and admin path, with each
// of its methods, has a line in README.md.
func TestREADMEDocumentsEveryEndpoint(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	documented := func(method, path string) bool {
		// The path ends at a backtick, a space or an optional part.
		re := regexp.MustCompile(regexp.QuoteMeta(path) + "[` \\[?]")
		return slices.ContainsFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "|") && re.MatchString(l) && strings.Contains(l, "`"+method)
		})
	}
	for _, rd := range routes {
		for method := range rd.methods {
			if path := strings.TrimSuffix(rd.pattern, "/**") + map[bool]string{true: "/...", false: ""}[rd.hub]; !documented(method, path) {
				t.Errorf("README.md documents no %s %s", method, path)
			}
		}
	}
	for _, admin := range []string{"GET /stats", "GET /instances", "GET /requests", "GET /faults", "POST /faults",
		"GET /variance", "POST /variance", "GET /ids", "POST /ids", "GET /execution-plan", "POST /execution-plan", "POST /reset"} {
		method, path, _ := strings.Cut(admin, " ")
		if !documented(method, AdminPath+path) {
			t.Errorf("README.md documents no %s %s%s", method, AdminPath, path)
		}
	}
}
