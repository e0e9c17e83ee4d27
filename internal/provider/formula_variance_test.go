package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccFormula_everyProfile runs the integration's lifecycle under every
// emulator profile: step and trigger ids (none, stable, reassigned on
// PUT), added defaults, reordered keys, ids and numbers as strings, empty
// parts null or absent, refused or cascaded deletes. Each apply is followed
// by an empty plan, an update of one step writes one PUT, and destroy
// leaves nothing behind.
func TestAccFormula_everyProfile(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	for _, name := range profileNames() {
		t.Run(name, func(t *testing.T) {
			env := newAccEnvWith(t, withProfile(name), nil)
			env.needsEmulator(t)
			body2 := "done({ step: 2 });"
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					if n, m, k := len(env.emu.Formulas()), len(env.emu.FormulaInstances()), len(env.emu.Instances()); n+m+k != 0 {
						return fmt.Errorf("left after destroy: %d formulas, %d formula instances, %d instances", n, m, k)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{
						Config:           env.provider() + integration{body: "done(true);"}.config(),
						ConfigPlanChecks: emptyPlanAfterApply,
						Check:            env.check(func(emu *emulator.Server) error { return wiredCheck(emu, "done(true);") }),
					},
					{
						PreConfig: env.resetRequests,
						Config:    env.provider() + integration{body: body2}.config(),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: resource.ComposeTestCheckFunc(
							env.expectRequests(http.MethodPut, "/formulas/*", 1),
							env.check(func(emu *emulator.Server) error { return wiredCheck(emu, body2) }),
						),
					},
					{ResourceName: formulaAddr, ImportState: true, ImportStateVerify: true,
						// Imported, properties read as answered: numbers as strings
						// under IDsAsStrings. TestAccFormula_adoptFromUI shows the
						// configuration then plans no change.
						ImportStateVerifyIgnore: importIgnore(name)},
				},
			})
		})
	}
}

func importIgnore(profile string) []string {
	if emulator.Profiles[profile].Variance.IDsAsStrings {
		return []string{"steps.check.properties"}
	}
	return nil
}

// TestAccFormula_adoptFromUI takes a formula built in the platform's UI
// under Terraform with an import block and its exported shape written as
// configuration: the plan imports it and changes nothing, under the
// profiles that answer differently than sent (numbers as strings, step
// ids, defaults, reordered keys, empty parts absent).
func TestAccFormula_adoptFromUI(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	for _, name := range []string{"default", "strings", "noisy", "sparse", "token-churn"} {
		t.Run(name, func(t *testing.T) {
			env := newAccEnvWith(t, withProfile(name), nil)
			env.needsEmulator(t)
			f := env.emu.PutFormula(emulator.Formula{Name: "built-in-ui", Active: true,
				Steps: []emulator.FormulaStep{
					{Name: "a", Type: "script", OnSuccess: []string{"b"}, Properties: []byte(`{"body":"done(true);","n":5,"flag":true}`)},
					{Name: "b", Type: "script"},
				},
				Triggers: []emulator.FormulaTrigger{{Type: "manual", OnSuccess: []string{"a"}}},
			})
			cfg := env.provider() + fmt.Sprintf(`import {
  to = cloudelements_formula.ui
  id = "%d"
}

resource "cloudelements_formula" "ui" {
  name     = "built-in-ui"
  triggers = [{ type = "manual", on_success = ["a"] }]
  steps = {
    a = { type = "script", on_success = ["b"], properties = jsonencode({ body = "done(true);", n = 5, flag = true }) }
    b = { type = "script" }
  }
}
`, f.ID)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: env.resetRequests,
					Config:    cfg,
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("cloudelements_formula.ui", plancheck.ResourceActionNoop)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					Check: resource.ComposeTestCheckFunc(
						env.expectRequests(http.MethodPut, "", 0),
						env.expectRequests(http.MethodPatch, "", 0),
						env.expectRequests(http.MethodPost, "", 0),
					),
				}},
			})
		})
	}
}
