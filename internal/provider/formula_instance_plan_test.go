package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// valueFormula is a managed formula declaring the value variables vars.
func valueFormula(vars ...string) string {
	cfg := ""
	for _, v := range vars {
		cfg += fmt.Sprintf("    { key = %q, name = %q, type = \"value\" },\n", v, v)
	}
	return fmt.Sprintf(`resource "cloudelements_formula" "f" {
  name = "variables"
  configuration = [
%s  ]
  steps = { run = { type = "script" } }
}
`, cfg)
}

// formulaInstanceOf is a formula instance named name of formulaID (HCL)
// with configuration cfg (HCL map body).
func formulaInstanceOf(name, formulaID, cfg string) string {
	return fmt.Sprintf(`resource "cloudelements_formula_instance" %[1]q {
  formula_id    = %[2]s
  name          = %[1]q
  configuration = { %[3]s }
}
`, name, formulaID, cfg)
}

// TestAccFormulaInstance_keysCheckedAgainstAWrittenID (issue 28 item 5): a
// formula id written out is read once per run (two formula instances of it,
// one GET), and a key that is not one of its variables is refused at plan
// time at configuration["key"], with the variables and the closest one;
// nothing is written. A formula id the platform does not know is refused
// at formula_id.
func TestAccFormulaInstance_keysCheckedAgainstAWrittenID(t *testing.T) {
	parallel(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	f := env.emu.PutFormula(emulator.Formula{Name: "seeded", Active: true,
		Configuration: []emulator.FormulaConfig{{Key: "trigger_instance", Name: "t", Type: "value"}, {Key: "target", Name: "x", Type: "value"}}})
	id := fmt.Sprintf("%q", fmt.Sprint(f.ID))
	good := formulaInstanceOf("good", id, `trigger_instance = "1", target = "2"`)
	typo := formulaInstanceOf("typo", id, `trigger_instanc = "1", target = "2"`)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.provider() + good + typo, PlanOnly: true,
				ExpectError: errorWith("Not a variable of the formula", `trigger_instanc = "1"`,
					fmt.Sprintf(`configuration["trigger_instanc"]: formula %d has no variable "trigger_instanc",`, f.ID),
					`so the platform would refuse the formula instance. Did you mean "trigger_instance"?`,
					`Its variables are "target", "trigger_instance"`),
			},
			{
				PreConfig: env.resetRequests,
				Config:    env.provider() + formulaInstanceOf("gone", `"99999"`, `a = "1"`), PlanOnly: true,
				ExpectError: errorWith("Formula not found", "formula_id: there is no formula with id 99999",
					"formula_id = cloudelements_formula.<name>.id"),
			},
		},
	})
	if got := env.emu.RequestsTo(http.MethodPost, "/formulas/*/instances"); len(got) != 0 {
		t.Errorf("a refused formula instance was created: %s", describe(got))
	}
	if got := env.emu.RequestsTo(http.MethodGet, "/formulas/99999"); len(got) != 1 {
		t.Errorf("want one read of the unknown formula, got %s", describe(got))
	}
}

// TestAccFormulaInstance_keysCheckedOncePerRun: four formula instances of
// a written-out formula id cost one read of it per Terraform run (a
// PlanOnly step runs two plans, each with its own provider process).
func TestAccFormulaInstance_keysCheckedOncePerRun(t *testing.T) {
	parallel(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	f := env.emu.PutFormula(emulator.Formula{Name: "seeded", Active: true,
		Configuration: []emulator.FormulaConfig{{Key: "a", Name: "a", Type: "value"}}})
	id := fmt.Sprintf("%q", fmt.Sprint(f.ID))
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.provider() + formulaInstanceOf("one", id, `a = "1"`) + formulaInstanceOf("two", id, `a = "2"`) +
				formulaInstanceOf("three", id, `a = "3"`) + formulaInstanceOf("four", id, `a = "4"`),
			PlanOnly: true, ExpectNonEmptyPlan: true,
		}},
	})
	if got := env.emu.RequestsTo(http.MethodGet, fmt.Sprintf("/formulas/%d", f.ID)); len(got) != 2 {
		t.Errorf("want one read of formula %d per plan (two), got %s", f.ID, describe(got))
	}
}

// TestAccFormulaInstance_keysFollowThePlannedFormula: a variable added to
// a managed formula and given by its formula instance in the same change
// plans and applies (the check uses the planned variables, not the
// platform's old ones); a key of no variable is then refused at plan time
// with nothing written.
func TestAccFormulaInstance_keysFollowThePlannedFormula(t *testing.T) {
	parallel(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	ref := "cloudelements_formula.f.id"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.provider() + valueFormula("a") + formulaInstanceOf("fi", ref, `a = "1"`)},
			{
				Config: env.provider() + valueFormula("a", "b") + formulaInstanceOf("fi", ref, `a = "1", b = "2"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cloudelements_formula_instance.fi", plancheck.ResourceActionUpdate)}},
				Check: env.expectRequests(http.MethodPut, "/formulas/*/instances/*", 1),
			},
			{
				PreConfig: env.resetRequests,
				Config:    env.provider() + valueFormula("a", "b") + formulaInstanceOf("fi", ref, `a = "1", bb = "2"`),
				ExpectError: errorWith("Not a variable of the formula", `configuration["bb"]`, `has no variable "bb"`,
					`Did you mean "b"?`, `Its variables are "a", "b"`),
			},
		},
	})
	if got := env.emu.RequestsTo(http.MethodPut, "/formulas/*/instances/*"); len(got) != 0 {
		t.Errorf("the refused change was written: %s", describe(got))
	}
}

// TestAccFormulaInstance_keysOfAFormulaCreatedInTheSameRun: the formula's
// id is unknown at plan time, so the check runs when apply plans the
// formula instance again, after the formula is created and before the
// formula instance is: refused, nothing of it written.
func TestAccFormulaInstance_keysOfAFormulaCreatedInTheSameRun(t *testing.T) {
	parallel(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.provider() + valueFormula("a") + formulaInstanceOf("fi", "cloudelements_formula.f.id", `aa = "1"`),
			ExpectError: errorWith("Not a variable of the formula", `configuration["aa"]`, `Did you mean "a"?`),
		}},
	})
	if got := env.emu.RequestsTo(http.MethodPost, "/formulas/*/instances"); len(got) != 0 {
		t.Errorf("the formula instance was sent: %s", describe(got))
	}
}
