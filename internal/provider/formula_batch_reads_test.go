package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// formulaBatchConfig is 20 formulas and a formula instance of each, named
// prefix-N (changeByHand expects "fbatch"), bound to one Freshdesk instance.
func formulaBatchConfig(env *accEnv, prefix string) string {
	return env.provider() + strings.ReplaceAll(`
resource "cloudelements_freshdesk_instance" "desk" {
  name      = "fbatch-desk"
  subdomain = "fbatch"
  api_key   = "fd-api-key-0001"
}

resource "cloudelements_formula" "f" {
  count         = 20
  name          = "PREFIX-${count.index}"
  configuration = [{ key = "desk", name = "Desk", type = "elementInstance" }]
  triggers      = [{ type = "event", on_success = ["run"], properties = jsonencode({ elementInstanceId = "$${desk}" }) }]
  steps = {
    run = { type = "script", properties = jsonencode({ scriptEngine = "v2", body = "done(true);" }) }
  }
}

resource "cloudelements_formula_instance" "fi" {
  count         = 20
  formula_id    = cloudelements_formula.f[count.index].id
  name          = "PREFIX-${count.index}"
  configuration = { desk = cloudelements_freshdesk_instance.desk.id }
}
`, "PREFIX", prefix)
}

// formulaReadCounts are the listing pages and single reads of formulas and
// of formula instances recorded.
func formulaReadCounts(emu *emulator.Server) (formulaLists, formulaGets, instanceLists, instanceGets int) {
	for _, r := range emu.RequestsTo("GET", "/formulas/{id}") {
		if r.Path != "/formulas/instances" { // the pattern matches the listing too
			formulaGets++
		}
	}
	return len(emu.RequestsTo("GET", "/formulas")), formulaGets,
		len(emu.RequestsTo("GET", "/formulas/instances")), len(emu.RequestsTo("GET", "/formulas/{id}/instances/{instanceId}"))
}

// changeByHand changes the body of formula fbatch-5's step and deletes
// formula instance fbatch-7, as someone in the platform's UI would; it
// returns the deleted formula instance's path.
func changeByHand(t *testing.T, emu *emulator.Server) string {
	for _, f := range emu.Formulas() {
		if f.Name == "fbatch-5" {
			f.Steps[0].Properties = json.RawMessage(`{"scriptEngine":"v2","body":"done(false);"}`)
			emu.PutFormula(f)
		}
	}
	for _, fi := range emu.FormulaInstances() {
		if fi.Name == "fbatch-7" {
			emu.RemoveFormulaInstance(fi.ID)
			return fmt.Sprintf("/formulas/%d/instances/%d", fi.FormulaID, fi.ID)
		}
	}
	t.Fatal("formula instance fbatch-7 not in the emulator")
	return ""
}

// TestAccFormulaBatchReads_refresh: a refresh of 20 formulas and 20
// formula instances reads batchMinReads of each by GET and the rest from
// one listing page of each; a step changed by hand is still seen (the listed
// formula differs from state, so it is read by GET), and a formula instance
// missing from the listing is dropped only on its own GET's 404.
func TestAccFormulaBatchReads_refresh(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	var gone string
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: batchFactories,
		Steps: []resource.TestStep{
			{Config: formulaBatchConfig(env, "fbatch"), ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: env.resetRequests,
				Config:    formulaBatchConfig(env, "fbatch"),
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					emulatorPlanCheck{env: env, f: func(emu *emulator.Server) error {
						defer emu.ResetRequests()
						fl, fg, il, ig := formulaReadCounts(emu)
						if fl != 1 || il != 1 || fg > batchMinReads || ig > batchMinReads {
							return fmt.Errorf("want one listing page of each and at most %d GETs of each; recorded "+
								"formulas %d pages %d GETs, formula instances %d pages %d GETs", batchMinReads, fl, fg, il, ig)
						}
						return nil
					}},
				}},
			},
			{
				PreConfig:          func() { gone = changeByHand(t, env.emu) },
				Config:             formulaBatchConfig(env, "fbatch"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cloudelements_formula.f[5]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("cloudelements_formula_instance.fi[7]", plancheck.ResourceActionCreate),
					emulatorPlanCheck{env: env, f: func(emu *emulator.Server) error {
						if rs := emu.RequestsTo("GET", gone); len(rs) == 0 || rs[0].Status != 404 {
							return fmt.Errorf("formula instance %s was dropped without its own GET answering 404: %s", gone, describe(rs))
						}
						if w := writes(emu); len(w) > 0 {
							return fmt.Errorf("a refresh wrote: %s", describe(w))
						}
						return nil
					}},
				}},
			},
		},
	})
}

// TestAccFormulaBatchReads_abridged: listed formulas without steps and
// formula instances without configuration cannot answer: every one is
// read by GET, and a step changed by hand is seen.
func TestAccFormulaBatchReads_abridged(t *testing.T) {
	env := newAccEnvWith(t, withProfile("list-abridged"), nil)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: batchFactories,
		Steps: []resource.TestStep{
			{Config: formulaBatchConfig(env, "fbatch"), ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() {
					env.resetRequests()
					changeByHand(t, env.emu)
				},
				Config:             formulaBatchConfig(env, "fbatch"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cloudelements_formula.f[5]", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("cloudelements_formula_instance.fi[7]", plancheck.ResourceActionCreate),
					emulatorPlanCheck{env: env, f: func(emu *emulator.Server) error {
						fl, fg, il, ig := formulaReadCounts(emu)
						if fl == 0 || il == 0 || fg != 20 || ig != 20 {
							return fmt.Errorf("want the abridged listings read and all 20 + 20 read by GET; recorded "+
								"formulas %d pages %d GETs, formula instances %d pages %d GETs", fl, fg, il, ig)
						}
						return nil
					}},
				}},
			},
		},
	})
}

// TestAccFormulaBatchReads_stale: listings a minute behind the writes. After
// every formula and formula instance is renamed, the refresh finds the old
// names listed and reads each by GET: state keeps the new names and the plan
// is empty.
func TestAccFormulaBatchReads_stale(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) {
		withProfile("list-stale")(o)
		o.Variance.ListStale = time.Minute // longer than a step takes on a busy machine
	}, nil)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: batchFactories,
		Steps: []resource.TestStep{
			{Config: formulaBatchConfig(env, "before"), ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: env.resetRequests,
				Config:    formulaBatchConfig(env, "after"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					emulatorPlanCheck{env: env, f: func(emu *emulator.Server) error {
						fl, fg, il, ig := formulaReadCounts(emu)
						if fl == 0 || il == 0 || fg < 20 || ig < 20 {
							return fmt.Errorf("want the stale listings read and every renamed formula and formula instance "+
								"read by GET; recorded formulas %d pages %d GETs, formula instances %d pages %d GETs", fl, fg, il, ig)
						}
						return nil
					}},
				}},
				Check: env.check(func(emu *emulator.Server) error {
					for _, f := range emu.Formulas() {
						if !strings.HasPrefix(f.Name, "after-") {
							return fmt.Errorf("formula %d is named %q", f.ID, f.Name)
						}
					}
					return nil
				}),
			},
		},
	})
}
