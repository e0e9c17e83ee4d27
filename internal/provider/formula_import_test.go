package provider

import (
	"fmt"
	"strconv"
	"testing"

	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// seedIntegration makes by hand, as in the platform's console, a Freshdesk
// instance, a formula with a configuration variable and a formula
// instance bound to the instance.
func seedIntegration(emu *emulator.Server) (emulator.Formula, emulator.FormulaInstance) {
	inst := emu.PutInstance(emulator.Instance{Name: "desk", Configuration: map[string]string{"subdomain": "desk", "username": "k"}})
	f := emu.PutFormula(emulator.Formula{Name: "console-made", Active: true, Description: "made by hand",
		Configuration: []emulator.FormulaConfig{{Key: "desk", Name: "Desk", Type: "elementInstance"}},
		Triggers:      []emulator.FormulaTrigger{{Type: "event", OnSuccess: []string{"a"}, Properties: []byte(`{"elementInstanceId":"${desk}"}`)}},
		Steps: []emulator.FormulaStep{{Name: "a", Type: "script", OnFailure: []string{"b"}, Properties: []byte(`{"body":"done(true);","n":5}`)},
			{Name: "b", Type: "script"}},
	})
	fi := emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: f.ID, Name: "console-made", Active: true,
		Configuration: map[string]string{"desk": strconv.FormatInt(inst.ID, 10)},
		Settings:      map[string]any{"notification.email": "ops@example.com", "formula.instance.time.to.live": 600.0}})
	return f, fi
}

// TestAccFormula_generateConfig: an import block with
// -generate-config-out writes configuration for a formula and a formula
// instance made by hand that plans the import alone, unedited.
func TestAccFormula_generateConfig(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	env := newAccEnv(t)
	env.needsEmulator(t)
	f, fi := seedIntegration(env.emu)
	for _, c := range []struct{ addr, id string }{
		{"cloudelements_formula.test", strconv.FormatInt(f.ID, 10)},
		{"cloudelements_formula_instance.test", fmt.Sprintf("%d/%d", f.ID, fi.ID)},
	} {
		t.Run(c.addr, func(t *testing.T) {
			accTest(t, acc.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
				Steps: []acc.TestStep{{
					Config:          env.provider(),
					ResourceName:    c.addr,
					ImportState:     true,
					ImportStateKind: acc.ImportBlockWithID,
					ImportStateId:   c.id,
					GenerateConfig:  true,
					ImportPlanChecks: acc.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(c.addr, plancheck.ResourceActionNoop),
					}},
				}},
			})
		})
	}
}

// TestAccFormulaList_query runs `terraform query` (Terraform 1.14 and
// later) for formulas and formula instances: identities, display names,
// the full resource with include_resource, filters, and no write.
func TestAccFormulaList_query(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	f, fi := seedIntegration(env.emu)
	env.emu.PutFormula(emulator.Formula{Name: "other"})
	query := fmt.Sprintf(`
list "cloudelements_formula" "all" {
  provider         = cloudelements
  include_resource = true
}

list "cloudelements_formula" "named" {
  provider = cloudelements
  config {
    name = "console-made"
  }
}

list "cloudelements_formula_instance" "of_formula" {
  provider         = cloudelements
  include_resource = true
  config {
    formula_id = "%d"
  }
}
`, f.ID)
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{Config: env.provider()},
			{
				PreConfig: env.resetRequests,
				Query:     true,
				Config:    query,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_formula.all", 2),
					querycheck.ExpectLength("cloudelements_formula.named", 1),
					querycheck.ExpectIdentity("cloudelements_formula.named", map[string]knownvalue.Check{
						"id": knownvalue.StringExact(strconv.FormatInt(f.ID, 10)),
					}),
					querycheck.ExpectIdentity("cloudelements_formula_instance.of_formula", map[string]knownvalue.Check{
						"formula_id": knownvalue.StringExact(strconv.FormatInt(f.ID, 10)),
						"id":         knownvalue.StringExact(strconv.FormatInt(fi.ID, 10)),
					}),
				},
			},
		},
	})
	if t.Skipped() {
		return
	}
	for _, r := range env.emu.Requests() {
		if r.Method != "GET" {
			t.Errorf("query made %s %s; want listings only", r.Method, r.Path)
		}
	}
}
