package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccFormula_platformRewrites settles the suspicions of issue 26
// against a platform that rewrites what it stores (emulator profile
// formula-rewrite): a formula PUT that replaces the whole formula keeps
// the engine and debug logging set outside Terraform; triggers answered in
// another order, a script body stored without its trailing newline, and
// the settings defaults added to a formula instance plan nothing.
func TestAccFormula_platformRewrites(t *testing.T) {
	env := newAccEnvWith(t, withProfile("formula-rewrite"), nil)
	env.needsEmulator(t)
	tuned := env.emu.PutFormula(emulator.Formula{Name: "tuned", Active: true, Engine: "v1", DebugLogging: true,
		Steps: []emulator.FormulaStep{{Name: "run", Type: "script", Properties: []byte(`{"body":"done(true);"}`)}}})
	config := func(body string) string {
		return env.provider() + fmt.Sprintf(`import {
  to = cloudelements_formula.tuned
  id = "%d"
}

resource "cloudelements_formula" "tuned" {
  name = "tuned"
  triggers = [
    { type = "manual", on_success = ["run"] },
    { type = "scheduled", on_success = ["run"], properties = jsonencode({ cron = "0 0 * * *" }) },
  ]
  steps = {
    run = {
      type       = "script"
      properties = jsonencode({ body = <<-EOT
        %s
      EOT
      })
    }
  }
}

resource "cloudelements_formula_instance" "nightly" {
  formula_id = cloudelements_formula.tuned.id
  name       = "nightly"
}
`, tuned.ID, body)
	}
	kept := env.check(func(emu *emulator.Server) error {
		for _, f := range emu.Formulas() {
			if f.ID == tuned.ID && (f.Engine != "v1" || !f.DebugLogging) {
				return fmt.Errorf("the PUT reset the engine (%q) or debug logging (%v)", f.Engine, f.DebugLogging)
			}
		}
		return nil
	})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("done(true);"), ConfigPlanChecks: emptyPlanAfterApply, Check: kept},
			{Config: config("done({ again: true });"), ConfigPlanChecks: emptyPlanAfterApply, Check: kept},
		},
	})
}
