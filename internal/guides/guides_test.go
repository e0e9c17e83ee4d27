package guides

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// guideCase applies one example directory of a guide: min is the Terraform
// version it needs, run does the rest with a CLI ready in a copy of it.
type guideCase struct {
	min string
	run func(t *testing.T, c *cli)
}

// guideCases has an entry for every directory under examples/guides;
// TestGuideExamples fails on a directory without one.
var guideCases = map[string]guideCase{
	"day-two-actions":    {min: "1.14.0", run: dayTwoActions},
	"export-migration":   {min: "1.8.0", run: exportMigration},
	"importing-for-each": {min: "1.7.0", run: importingForEach},
	"promotion":          {min: "1.5.0", run: promotion},
	"running-in-ci":      {min: "1.5.0", run: runningInCI},
}

// Figures for TestMain's report line.
var guidesApplied, guidesSkipped, guidesDirs atomic.Int64

// TestGuideExamples applies every guide's example directory as written with
// the Terraform CLI against the emulator, and checks that the plan after it
// is empty (and what each guide promises besides).
func TestGuideExamples(t *testing.T) {
	entries, err := os.ReadDir("../../examples/guides")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			guidesDirs.Add(1)
			gc, ok := guideCases[name]
			if !ok {
				t.Fatalf("examples/guides/%s is applied by no test: add it to guideCases in internal/guides/guides_test.go", name)
			}
			defer func() {
				switch {
				case t.Skipped():
					guidesSkipped.Add(1)
				case !t.Failed():
					guidesApplied.Add(1)
				}
			}()
			c := newCLI(t, name, gc.min)
			addRequiredProviders(t, c.dir)
			gc.run(t, c)
		})
	}
}

// reportLine is the figure TestMain prints and writes to GUIDES_REPORT.
func reportLine() string {
	if guidesDirs.Load() == 0 {
		return ""
	}
	return fmt.Sprintf("guide-examples: dirs=%d applied=%d skipped=%d\n", guidesDirs.Load(), guidesApplied.Load(), guidesSkipped.Load())
}

// addRequiredProviders adds the required_providers block the shorter guide
// examples leave out (without it Terraform would look for
// hashicorp/cloudelements), as a reader pasting them into a configuration
// that has one would.
func addRequiredProviders(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "required_providers") {
			return
		}
	}
	writeFile(t, filepath.Join(dir, "zz_required_providers.tf"), `terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}
`)
}

// dayTwoActions: both actions run after create, against the ids the example
// names, and the plan after is empty.
func dayTwoActions(t *testing.T, c *cli) {
	emu, url := newEmulator(t, nil)
	emu.PutInstance(emulator.Instance{ID: 12345, Name: "helpdesk", Configuration: map[string]string{"subdomain": "acme", "username": "old-key"}})
	emu.PutFormula(emulator.Formula{ID: 5001, Name: "smoke", Active: true, Steps: []emulator.FormulaStep{{Name: "check", Type: "script"}}})
	emu.PutFormulaInstance(emulator.FormulaInstance{ID: 5002, FormulaID: 5001, Name: "smoke-run", Active: true})
	c.platform(url).with("TF_VAR_new_freshdesk_api_key=new-key")
	c.must("apply", "-auto-approve", "-no-color")
	if inst, _ := emu.Instance(12345); inst.Configuration["username"] != "new-key" {
		t.Errorf("the re-authenticate action did not send the new key: username is %q", inst.Configuration["username"])
	}
	if ex := emu.Executions(); len(ex) != 1 || !strings.Contains(string(ex[0].Input), "2026.12.1") {
		t.Errorf("want one execution with the release as input, got %+v", ex)
	}
	c.planIsEmpty()
}

// importingForEach: every instance tagged "support" is imported with no
// write, none other, and the plan after is empty.
func importingForEach(t *testing.T, c *cli) {
	emu, url := newEmulator(t, nil)
	for _, s := range []struct {
		name string
		tags []string
	}{{"desk-a", []string{"support"}}, {"desk-b", []string{"support", "eu"}}, {"desk-c", []string{"sales"}}} {
		emu.PutInstance(emulator.Instance{Name: s.name, Tags: s.tags, Configuration: map[string]string{"subdomain": s.name, "username": "made-by-hand"}})
	}
	c.platform(url)
	emu.ResetRequests()
	out := c.must("apply", "-auto-approve", "-no-color")
	if !strings.Contains(out, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("want 2 imports and nothing else:\n%s", out)
	}
	for _, r := range emu.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("an import wrote to the platform: %s %s", r.Method, r.Path)
		}
	}
	c.planIsEmpty()
}

// exportMigration: the directory of exports goes under Terraform as it is:
// one formula per export file, created and nothing else written, and the
// plan after is empty. (TestAccExportMigration_* in internal/provider check
// the bodies, the ids mapped and the adoption of existing formulas.)
func exportMigration(t *testing.T, c *cli) {
	emu, url := newEmulator(t, nil)
	c.platform(url)
	c.must("apply", "-auto-approve", "-no-color")
	if got := len(emu.Formulas()); got != 3 {
		t.Errorf("want the 3 exported formulas created, the emulator has %d", got)
	}
	for _, r := range emu.Requests() {
		if r.Method != http.MethodGet && (r.Method != http.MethodPost || r.Path != "/formulas") {
			t.Errorf("unexpected write: %s %s", r.Method, r.Path)
		}
	}
	c.planIsEmpty()
}

// promotion: the root applies the module to a dev and a prod emulator, each
// through its own provider configuration; no id is shared and the plan
// after is empty.
func promotion(t *testing.T, c *cli) {
	_, dev := newEmulator(t, nil)
	_, prod := newEmulator(t, func(o *emulator.Options) { o.IDOffset = 70000 })
	c.with("TF_VAR_dev_base_url="+dev, "TF_VAR_prod_base_url="+prod,
		"TF_VAR_dev_user_secret="+userSecret, "TF_VAR_dev_organization_secret="+orgSecret,
		"TF_VAR_prod_user_secret="+userSecret, "TF_VAR_prod_organization_secret="+orgSecret,
		"TF_VAR_dev_freshdesk_api_key=fd-dev", "TF_VAR_prod_freshdesk_api_key=fd-prod")
	// dev_overrides spare the provider's installation, not the module's.
	c.must("get", "-no-color")
	c.must("apply", "-auto-approve", "-no-color")
	var outputs map[string]struct {
		Value map[string]string `json:"value"`
	}
	if err := json.Unmarshal([]byte(c.must("output", "-json")), &outputs); err != nil {
		t.Fatal(err)
	}
	devIDs, prodIDs := outputs["dev"].Value, outputs["prod"].Value
	if len(devIDs) != 6 || len(prodIDs) != 6 {
		t.Fatalf("want 6 ids per environment, got dev %v prod %v", devIDs, prodIDs)
	}
	keys := make([]string, 0, len(devIDs))
	for k := range devIDs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if devIDs[k] == prodIDs[k] {
			t.Errorf("%s: dev and prod share id %s", k, devIDs[k])
		}
	}
	c.planIsEmpty()
}
