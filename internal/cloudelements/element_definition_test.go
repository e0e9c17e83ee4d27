package cloudelements

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

func requiredKeys(d *ElementDefinition) []string {
	var keys []string
	for _, f := range d.RequiredConfiguration() {
		keys = append(keys, f.Key)
	}
	return keys
}

// The element's definition says which keys a create must give: those
// marked required, without a default; base.url (required, with a default)
// is not among them, and the PASSWORD one is a secret.
func TestElementDefinitionRequired(t *testing.T) {
	c, em := newEmulatorClient(t)
	d, err := c.ElementDefinition(context.Background(), "jira")
	if err != nil {
		t.Fatal(err)
	}
	if !d.DefinesConfiguration || d.Key != "jira" || d.ID != 39 {
		t.Fatalf("definition %+v", d)
	}
	if got := requiredKeys(d); !slices.Equal(got, []string{"jira.host", "username", "password"}) {
		t.Fatalf("required %v", got)
	}
	for _, f := range d.RequiredConfiguration() {
		if f.Secret() != (f.Key == "password") {
			t.Errorf("%s: secret %v", f.Key, f.Secret())
		}
	}
	// GetElement and ElementDefinition share the one lookup.
	if _, err := c.GetElement(context.Background(), "jira"); err != nil {
		t.Fatal(err)
	}
	if n := len(em.RequestsTo(http.MethodGet, "/elements/jira")); n != 1 {
		t.Fatalf("%d lookups of jira", n)
	}
}

// An answer without a configuration list (the other plausible answer)
// defines nothing, so nothing is required.
func TestElementDefinitionSummaryOnly(t *testing.T) {
	c, em := newEmulatorClient(t)
	em.SetProfile(emulator.Profile{Variance: emulator.Variance{ElementSummaryOnly: true}})
	d, err := c.ElementDefinition(context.Background(), "jira")
	if err != nil {
		t.Fatal(err)
	}
	if d.DefinesConfiguration || len(d.RequiredConfiguration()) != 0 {
		t.Fatalf("definition %+v", d)
	}
}

// Entries are read leniently (flags as strings, defaults of any kind), and
// entries hidden, internal or inactive are never required of a user.
func TestDecodeElementConfiguration(t *testing.T) {
	body := []byte(`{"id": 1, "key": "x", "configuration": [
		{"key": "a", "required": "true"},
		{"key": "b", "required": true, "defaultValue": "5"},
		{"key": "c", "required": true, "hideFromConsole": true},
		{"key": "d", "required": true, "internal": "true"},
		{"key": "e", "required": true, "active": false},
		{"key": "f", "required": true, "defaultValue": null, "type": "PASSWORD"},
		{"key": "g", "required": false},
		"not an entry",
		{"key": "h", "required": true, "defaultValue": ""}
	]}`)
	d, err := decodeElement(body)
	if err != nil {
		t.Fatal(err)
	}
	if got := requiredKeys(d); !slices.Equal(got, []string{"a", "f", "h"}) {
		t.Fatalf("required %v", got)
	}
	for _, b := range []string{`{"id": 1, "key": "x"}`, `{"id": 1, "key": "x", "configuration": null}`,
		`{"id": 1, "key": "x", "configuration": {"a": "b"}}`} {
		d, err := decodeElement([]byte(b))
		if err != nil || d.DefinesConfiguration {
			t.Errorf("%s: %+v %v", b, d, err)
		}
	}
}

// The catalog's keys, listed once per Client.
func TestElementKeys(t *testing.T) {
	c, em := newEmulatorClient(t)
	for range 2 {
		keys, err := c.ElementKeys(context.Background())
		if err != nil || !slices.Equal(keys, []string{"freshdeskv2", "jira", "sfdc", "zendesk"}) {
			t.Fatalf("keys %v, %v", keys, err)
		}
	}
	if got := em.RequestsTo(http.MethodGet, "/elements"); len(got) != 1 || got[0].Query != "pageSize=200" {
		t.Fatalf("listings %+v", got)
	}
}

// A formula's variables: one GET for concurrent callers; a missing formula
// is kept as the answer, a transient failure is not.
func TestFormulaVariablesCached(t *testing.T) {
	c, em := newEmulatorClient(t, func(c *Config) { c.MaxRetries = -1 })
	f := em.PutFormula(emulator.Formula{Name: "f", Configuration: []emulator.FormulaConfig{{Key: "a"}, {Key: "b"}}})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if vars, err := c.FormulaVariables(context.Background(), f.ID); err != nil || !slices.Equal(vars, []string{"a", "b"}) {
				t.Errorf("vars %v, %v", vars, err)
			}
		}()
	}
	wg.Wait()
	for range 2 {
		if _, err := c.FormulaVariables(context.Background(), 99999); !IsNotFound(err) {
			t.Fatalf("missing formula: %v", err)
		}
	}
	em.Script(http.MethodGet, "/formulas/77", emulator.Fault{Kind: emulator.FaultStatus, Status: 503})
	if _, err := c.FormulaVariables(context.Background(), 77); err == nil || IsNotFound(err) {
		t.Fatalf("503: %v", err)
	}
	_, _ = c.FormulaVariables(context.Background(), 77)
	for p, want := range map[string]int{"/formulas/" + strconv.FormatInt(f.ID, 10): 1, "/formulas/99999": 1, "/formulas/77": 2} {
		if n := len(em.RequestsTo(http.MethodGet, p)); n != want {
			t.Errorf("GET %s: %d requests, want %d", p, n, want)
		}
	}
}
