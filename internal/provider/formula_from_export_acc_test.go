package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// exportMigrationDir is the example of the guide "Migrating from the
// platform's export tool", which users copy unchanged.
const exportMigrationDir = "../../examples/guides/export-migration"

// exportMigrationConfig is the example's main.tf and adopt.tf behind
// env's provider block (versions.tf's source address is the registry's;
// the test framework declares its own), with exports_dir set.
func exportMigrationConfig(t *testing.T, env *accEnv, exportsDir string) (string, config.Variables) {
	t.Helper()
	cfg := env.provider()
	for _, f := range []string{"main.tf", "adopt.tf"} {
		b, err := os.ReadFile(filepath.Join(exportMigrationDir, f))
		if err != nil {
			t.Fatal(err)
		}
		cfg += string(b)
	}
	abs, err := filepath.Abs(exportsDir)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, config.Variables{"exports_dir": config.StringVariable(abs)}
}

// TestAccExportMigration_example applies the guide's example directory as
// written to an emulator whose ids differ from the exporting account's:
// every formula is created once, sub-formulas first, each request carries
// its export's content with the sub-formula calls remapped to the new ids,
// and the next plan is empty with no API write (issue 28 item 6).
func TestAccExportMigration_example(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) { o.IDOffset = 70000 }, nil)
	env.needsEmulator(t)
	exports := filepath.Join(exportMigrationDir, "exports")
	cfg, vars := exportMigrationConfig(t, env, exports)
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{
				Config: cfg, ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{emulatorCheck{env: env, f: func(emu *emulator.Server) error {
					return checkMigrated(emu, exports, 3)
				}}},
			},
			{
				PreConfig: env.resetRequests,
				Config:    cfg, ConfigVariables: vars,
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{emulatorCheck{env: env, f: func(emu *emulator.Server) error {
					if w := writes(emu); len(w) > 0 {
						return fmt.Errorf("the second apply wrote: %s", describe(w))
					}
					return nil
				}}},
			},
			// The test framework's teardown cannot read for_each keys:
			// the configuration without the example destroys it all.
			{
				Config: env.provider(),
				ConfigStateChecks: []statecheck.StateCheck{emulatorCheck{env: env, f: func(emu *emulator.Server) error {
					if left := emu.Formulas(); len(left) > 0 {
						return fmt.Errorf("%d formulas left after destroy", len(left))
					}
					return nil
				}}},
			},
		},
	})
}

// TestAccFormulaFromExport_docExample applies the function's page example:
// the inline export's sub-formula call names the new sub-formula, and the
// next plan is empty.
func TestAccFormulaFromExport_docExample(t *testing.T) {
	env := newAccEnv(t)
	example, err := os.ReadFile("../../examples/functions/formula_from_export/function.tf")
	if err != nil {
		t.Fatal(err)
	}
	const mapped = `"48213" = cloudelements_formula.notify.id`
	if !strings.Contains(string(example), mapped) {
		t.Fatalf("the example no longer maps %s", mapped)
	}
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{
				// Without the entry: the guide's error, at plan time.
				Config:      env.provider() + strings.Replace(string(example), mapped, "", 1),
				ExpectError: regexp.MustCompile(`Invalid function argument[\s\S]*Invalid value for "sub_formula_ids" parameter: step "notify" calls formula\s+48213\s+of\s+the\s+exporting\s+account,\s+which\s+has\s+no\s+entry;\s+add\s+"48213"\s+=`),
			},
			{
				PreConfig: func() {
					if env.emu != nil && len(writes(env.emu)) > 0 {
						t.Errorf("the failed plan wrote: %s", describe(writes(env.emu)))
					}
				},
				Config: env.provider() + string(example),
				Check: acc.ComposeTestCheckFunc(
					acc.TestCheckResourceAttr("cloudelements_formula.sync", "triggers.0.properties", `{"elementInstanceId":"${helpdesk}"}`),
					func(st *terraform.State) error {
						id := st.RootModule().Resources["cloudelements_formula.notify"].Primary.ID
						return acc.TestCheckResourceAttr("cloudelements_formula.sync", "steps.notify.properties",
							`{"formulaId":`+id+`}`)(st)
					},
				),
			},
			{
				Config:           env.provider() + string(example),
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// TestAccExportMigration_adoptsExisting: formulas that already exist in
// the account under an export's name are imported by adopt.tf and brought
// in line with the export (PUT), not created a second time (a 409 on the
// platform); the calling steps get the adopted sub-formula's id.
func TestAccExportMigration_adoptsExisting(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) { o.IDOffset = 70000 }, nil)
	env.needsEmulator(t)
	notify := env.emu.PutFormula(emulator.Formula{Name: "notify-ops", Description: "made by hand", Active: true,
		Steps: []emulator.FormulaStep{{Name: "post", Type: "script", Properties: json.RawMessage(`{"body":"done(false);"}`)}}})
	report := env.emu.PutFormula(emulator.Formula{Name: "nightly-report", Active: true})
	cfg, vars := exportMigrationConfig(t, env, filepath.Join(exportMigrationDir, "exports"))
	update := func(addr string) plancheck.PlanCheck {
		return plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)
	}
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{
				Config: cfg, ConfigVariables: vars,
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					update(`cloudelements_formula.sub["notify-ops"]`), update(`cloudelements_formula.this["nightly-report"]`),
					plancheck.ExpectResourceAction(`cloudelements_formula.this["sync-tickets"]`, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{emulatorCheck{env: env, f: func(emu *emulator.Server) error {
					posts, puts := emu.RequestsTo("POST", "/formulas"), emu.RequestsTo("PUT", "/formulas/*")
					if len(posts) != 1 || len(puts) != 2 || len(writes(emu)) != 3 {
						return fmt.Errorf("want one POST (sync-tickets) and a PUT of each adopted formula; writes %s", describe(writes(emu)))
					}
					for _, f := range emu.Formulas() {
						for _, st := range f.Steps {
							if st.Type == "formula" && !strings.Contains(string(st.Properties), strconv.FormatInt(notify.ID, 10)) {
								return fmt.Errorf("%s step %s calls %s, want the adopted notify-ops %d", f.Name, st.Name, st.Properties, notify.ID)
							}
						}
						if f.Name == "notify-ops" && (f.ID != notify.ID || f.Description == "made by hand") ||
							f.Name == "nightly-report" && (f.ID != report.ID || f.Active) {
							return fmt.Errorf("%s (%d) not brought in line with its export: %+v", f.Name, f.ID, f)
						}
					}
					return nil
				}}},
			},
			{
				Config: cfg, ConfigVariables: vars,
				ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{Config: env.provider()},
		},
	})
}

// TestAccExportMigration_fromEmulatorExport round-trips formulas through
// the export tool: exported by GET /formulas/{id}/export from a "dev"
// emulator answering in each of the platform's plausible shapes (ids as
// strings, empty parts absent, extra keys and another key order), written
// to files, applied with the guide's example to a "prod" emulator, then
// planned again: nothing to change.
func TestAccExportMigration_fromEmulatorExport(t *testing.T) {
	parallel(t)
	for _, profile := range []string{"strings", "sparse", "noisy"} {
		t.Run(profile, func(t *testing.T) {
			dev := newAccEnvWith(t, func(o *emulator.Options) { *o, _ = o.WithProfile(profile) }, nil)
			prod := newAccEnvWith(t, func(o *emulator.Options) { o.IDOffset = 70000 }, nil)
			dev.needsEmulator(t)
			sub := dev.emu.PutFormula(emulator.Formula{Name: "notify-ops", Description: "Posts to operations", Active: true,
				Triggers: []emulator.FormulaTrigger{{Type: "manual", OnSuccess: []string{"post"}}},
				Steps: []emulator.FormulaStep{{Name: "post", Type: "script",
					Properties: json.RawMessage(`{"scriptEngine":"v2","timeout":30,"body":"done(a && b);"}`)}}})
			caller := dev.emu.PutFormula(emulator.Formula{Name: "sync-tickets", SingleThreaded: true,
				Configuration: []emulator.FormulaConfig{{Key: "helpdesk", Name: "Helpdesk", Type: "elementInstance"}},
				Triggers: []emulator.FormulaTrigger{{Type: "event", OnSuccess: []string{"check"},
					Properties: json.RawMessage(`{"elementInstanceId":"${helpdesk}"}`)}},
				Steps: []emulator.FormulaStep{
					{Name: "check", Type: "filter", OnSuccess: []string{"notify"}, OnFailure: []string{"notify"},
						Properties: json.RawMessage(`{"body":"done(true);"}`)},
					{Name: "notify", Type: "formula", Properties: json.RawMessage(fmt.Sprintf(`{"formulaId":%d}`, sub.ID))},
				}})
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "sub-formulas"), 0o700); err != nil {
				t.Fatal(err)
			}
			exportTo(t, dev, sub.ID, filepath.Join(dir, "sub-formulas", "notify-ops.json"))
			exportTo(t, dev, caller.ID, filepath.Join(dir, "sync-tickets.json"))
			cfg, vars := exportMigrationConfig(t, prod, dir)
			accTest(t, acc.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []acc.TestStep{
					{
						Config: cfg, ConfigVariables: vars,
						ConfigStateChecks: []statecheck.StateCheck{emulatorCheck{env: prod, f: func(emu *emulator.Server) error {
							return checkMigrated(emu, dir, 2)
						}}},
					},
					{
						Config: cfg, ConfigVariables: vars,
						ConfigPlanChecks: acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
					{Config: prod.provider()},
				},
			})
		})
	}
}

// exportTo writes what env's GET /formulas/{id}/export answers to path.
func exportTo(t *testing.T, env *accEnv, id int64, path string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/formulas/%d/export", env.baseURL, id), nil)
	req.Header.Set("Authorization", "User "+testUserSecret+", Organization "+testOrganizationSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("export %d: %d %s %v", id, resp.StatusCode, body, err)
	}
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkMigrated checks the emulator's record against the exports in dir
// (and dir/sub-formulas): one POST /formulas each and no other write, the
// sub-formulas first, each body the export's content with every call of a
// sub-formula naming the sub-formula's id here.
func checkMigrated(emu *emulator.Server, dir string, want int) error {
	files, _ := filepath.Glob(filepath.Join(dir, "sub-formulas", "*.json"))
	callers, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	nSubs := len(files)
	files = append(files, callers...)
	posts := emu.RequestsTo("POST", "/formulas")
	if w := writes(emu); len(w) != want || len(posts) != want || len(files) != want {
		return fmt.Errorf("want %d exports applied by as many POST /formulas and no other write; %d exports, writes %s",
			want, len(files), describe(w))
	}
	// The exporting account's id -> the id here, by name.
	here := map[string]string{}
	for _, f := range emu.Formulas() {
		here[f.Name] = strconv.FormatInt(f.ID, 10)
	}
	remap := map[string]string{}
	sent := map[string]formulaShape{}
	for i, p := range posts {
		s, err := shapeOf(p.Body, nil)
		if err != nil {
			return err
		}
		sent[s.Name] = s
		if i < nSubs != slices.ContainsFunc(files[:nSubs], func(f string) bool { return strings.Contains(f, s.Name) }) {
			return fmt.Errorf("POST /formulas %d made %q: sub-formulas must come first", i, s.Name)
		}
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var head struct {
			ID   json.Number `json:"id"`
			Name string      `json:"name"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return fmt.Errorf("%s: %v", f, err)
		}
		if here[head.Name] == "" || here[head.Name] == head.ID.String() {
			return fmt.Errorf("%s: formula %q has id %q here; want a new one", f, head.Name, here[head.Name])
		}
		remap[head.ID.String()] = here[head.Name]
	}
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		exp, err := shapeOf(raw, remap)
		if err != nil {
			return fmt.Errorf("%s: %v", f, err)
		}
		if got := sent[exp.Name]; !reflect.DeepEqual(got, exp) {
			return fmt.Errorf("%s: sent\n%+v\nwant\n%+v", f, got, exp)
		}
	}
	return nil
}

// formulaShape is what a formula body means, for comparing an export with
// a request: ids, owner, dates and unmanaged keys left out, none as empty,
// steps by name, properties canonical.
type formulaShape struct {
	Name, Description string
	Active, Single    bool
	Configuration     []emulator.FormulaConfig
	Triggers, Steps   []linkShape
}

type linkShape struct {
	Name, Type           string
	OnSuccess, OnFailure []string
	Properties           string
}

// shapeOf reads a formula body; remap (nil for a request) maps the
// exporting account's ids in properties.formulaId to the ids here, keeping
// a number a number and a string a string.
func shapeOf(raw []byte, remap map[string]string) (formulaShape, error) {
	var b struct {
		Name           string                   `json:"name"`
		Description    *string                  `json:"description"`
		Active         *bool                    `json:"active"`
		SingleThreaded *bool                    `json:"singleThreaded"`
		Configuration  []emulator.FormulaConfig `json:"configuration"`
		Triggers       []linkJSON               `json:"triggers"`
		Steps          []linkJSON               `json:"steps"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return formulaShape{}, err
	}
	s := formulaShape{Name: b.Name, Active: b.Active == nil || *b.Active, Configuration: b.Configuration,
		Single: b.SingleThreaded != nil && *b.SingleThreaded}
	if b.Description != nil {
		s.Description = *b.Description
	}
	if s.Configuration == nil {
		s.Configuration = []emulator.FormulaConfig{}
	}
	for _, group := range []struct {
		in  []linkJSON
		out *[]linkShape
	}{{b.Triggers, &s.Triggers}, {b.Steps, &s.Steps}} {
		*group.out = []linkShape{}
		for _, l := range group.in {
			props := canonicalJSON(l.Properties)
			if remap != nil {
				var p map[string]any
				_ = json.Unmarshal(l.Properties, &p)
				switch id := p["formulaId"].(type) {
				case float64:
					p["formulaId"] = json.Number(remap[strconv.FormatFloat(id, 'f', -1, 64)])
				case string:
					p["formulaId"] = remap[id]
				}
				if p != nil {
					props = canonicalJSON(mustMarshal(p))
				}
			}
			*group.out = append(*group.out, linkShape{Name: l.Name, Type: l.Type, OnSuccess: orEmpty(l.OnSuccess),
				OnFailure: orEmpty(l.OnFailure), Properties: props})
		}
	}
	slices.SortFunc(s.Steps, func(a, b linkShape) int { return strings.Compare(a.Name, b.Name) })
	return s, nil
}

type linkJSON struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	OnSuccess  []string        `json:"onSuccess"`
	OnFailure  []string        `json:"onFailure"`
	Properties json.RawMessage `json:"properties"`
}

func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
