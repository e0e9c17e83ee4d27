package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The secrets of formula instances through the real CLI (issue 26 defects
// 1 and 2, issue 27 item 3): a formula's password variables, answered in
// clear or masked, and write-only values echoed on a refresh, never land
// in the plan, the generated configuration or state as plain values, and a
// masked value is never sent back.

const fiAddr = "cloudelements_formula_instance.test"

// planHoldsNone fails when the plan (every value, the configuration Terraform
// generated included) holds any of the texts.
type planHoldsNone []string

func (p planHoldsNone) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	for _, s := range p {
		if strings.Contains(string(b), s) || strings.Contains(string(b), jsonString(s)[1:len(jsonString(s))-1]) {
			resp.Error = fmt.Errorf("the plan holds %q", s)
			return
		}
	}
}

// importGenerated imports a formula instance with an import block and
// -generate-config-out, checking the plan with checks.
func importGenerated(env *accEnv, id string, checks ...plancheck.PlanCheck) resource.TestCase {
	return resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{{
			Config: env.provider(), ResourceName: fiAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
			ImportStateId: id, GenerateConfig: true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: append(checks,
				plancheck.ExpectResourceAction(fiAddr, plancheck.ResourceActionNoop))},
		}},
	}
}

// Defect 1: the platform answers the password in clear; the plan after the
// import, and the configuration generated for it, do not hold it.
func TestAccFormulaInstanceSecrets_importAnsweredInClear(t *testing.T) {
	const pw = "FAKEimport-clear-pw/4+="
	env := newAccEnvWith(t, clearSecrets, nil)
	env.needsEmulator(t)
	f, fi := passwordFormula(env.emu, "clear", pw)
	accTest(t, importGenerated(env, fmt.Sprintf("%d/%d", f.ID, fi.ID), planHoldsNone{pw}))
}

// Defect 2: the platform answers the password masked; the import reads no
// "********" into configuration, and a configuration holding one is refused
// at plan time, so the real password is never overwritten.
func TestAccFormulaInstanceSecrets_maskedNeverSentBack(t *testing.T) {
	const pw = "FAKEimport-real-pw/5+="
	env := newAccEnv(t)
	env.needsEmulator(t)
	f, fi := passwordFormula(env.emu, "masked", pw)
	id := fmt.Sprintf("%d/%d", f.ID, fi.ID)
	accTest(t, importGenerated(env, id, planHoldsNone{"********"}))
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{{
			// What generated configuration held before: the masked value.
			Config: env.provider() + fmt.Sprintf(`
import {
  to = %[1]s
  id = %[2]q
}

resource "cloudelements_formula_instance" "test" {
  formula_id    = "%[3]d"
  name          = "masked-run-renamed"
  configuration = { pw = "********", region = "eu" }
}
`, fiAddr, id, f.ID),
			ExpectError: regexp.MustCompile(`(?s)configuration\["pw"\].*masked form`),
		}},
	})
	for _, got := range env.emu.FormulaInstances() {
		if got.ID == fi.ID && got.Configuration["pw"] != pw {
			t.Errorf("the platform's password is now %q", got.Configuration["pw"])
		}
	}
}

// woVariable declares an ephemeral variable: a literal would be kept in
// the plan's copy of the configuration.
func woVariable(name string) string {
	return fmt.Sprintf("\nvariable %q {\n  type      = string\n  sensitive = true\n  ephemeral = true\n}\n", name)
}

// woFormulaInstance manages, as resource label, a formula instance of
// formula fid named name whose password is write-only (variable variable).
func woFormulaInstance(label, name string, fid int64, variable string) string {
	return woVariable(variable) + fmt.Sprintf(`
resource "cloudelements_formula_instance" %q {
  formula_id                      = "%d"
  name                            = %q
  configuration                   = { region = "eu" }
  notification_email              = "ops@example.com"
  secret_configuration_wo         = { pw = var.%s }
  secret_configuration_wo_version = 1
}
`, label, fid, name, variable)
}

func echoConfig(env *accEnv, fid int64) string {
	return env.provider() + woFormulaInstance("test", "echo-run", fid, "wo")
}

// Issue 27 item 3: a refresh in a new process, which never sent the
// write-only password, finds it echoed in the name, the notification email
// and the configuration: none lands in state or the plan.
func TestAccFormulaInstanceSecrets_refreshEchoes(t *testing.T) {
	const pw = "FAKEecho-wo-pw/6+="
	env := newAccEnv(t)
	env.needsEmulator(t)
	f, _ := passwordFormula(env.emu, "echo", "seeded")
	echo := func() {
		for _, fi := range env.emu.FormulaInstances() {
			if fi.Name == "echo-run" {
				fi.Name = "echo-run " + pw
				if fi.Settings == nil {
					fi.Settings = map[string]any{}
				}
				fi.Settings["notification.email"] = pw
				fi.Configuration["region"] = "eu " + pw
				env.emu.PutFormulaInstance(fi)
			}
		}
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{Config: echoConfig(env, f.ID), ConfigVariables: woVar(pw)},
			{
				PreConfig: echo, Config: echoConfig(env, f.ID), ConfigVariables: woVar(pw), PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{planHoldsNone{pw}}},
			},
		},
	})
}

// The previous round: a write-only API key echoed on a refresh into the
// subdomain and the tags stays out of state and the plan.
func TestAccInstanceWriteOnly_refreshEchoes(t *testing.T) {
	const key = "FAKEwo-fd-key/7+="
	env := newAccEnv(t)
	env.needsEmulator(t)
	config := env.provider() + woVariable("wo") + `
resource "cloudelements_freshdesk_instance" "test" {
  name               = "wo-echo"
  subdomain          = "woecho"
  tags               = ["team"]
  api_key_wo         = var.wo
  api_key_wo_version = 1
}
`
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{Config: config, ConfigVariables: woVar(key)},
			{
				PreConfig: func() {
					for _, inst := range env.emu.Instances() {
						env.emu.ModifyInstance(inst.ID, func(i *emulator.Instance) {
							i.Configuration["subdomain"] = key
							i.Tags = []string{"team", key}
						})
					}
				},
				Config: config, ConfigVariables: woVar(key), PlanOnly: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{planHoldsNone{key}}},
			},
		},
	})
}

// stateClean fails when any string Terraform would print of the plan's
// prior (refreshed) state holds a terminal control.
type stateClean struct{}

func (stateClean) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if req.Plan.PriorState == nil || req.Plan.PriorState.Values == nil {
		return
	}
	var texts []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case string:
			texts = append(texts, t)
		case map[string]any:
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	for _, r := range req.Plan.PriorState.Values.RootModule.Resources {
		walk(r.AttributeValues)
	}
	for _, s := range texts {
		if escapesIn(s) > 0 {
			resp.Error = fmt.Errorf("the refreshed state holds terminal controls: %q", s)
			return
		}
	}
}

// Issue 27 item 7: escape sequences and bidi controls the platform puts in
// a formula's multi-line description and a formula instance's name are
// stripped from state (newlines kept), with a warning.
func TestAccStateGuard_terminalControls(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	const forged = "\x1b]0;pwned\x07\x1b[2J\r\u202eforged"
	f := env.emu.PutFormula(emulator.Formula{Name: "ctl", Description: "line one\nline two", Active: true})
	fi := env.emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: f.ID, Name: "ctl-run", Active: true})
	config := env.provider() + fmt.Sprintf(`
resource "cloudelements_formula" "test" {
  name        = "ctl"
  description = <<-EOT
    line one
    line two
  EOT
}

import {
  to = cloudelements_formula.test
  id = "%[1]d"
}

resource "cloudelements_formula_instance" "test" {
  formula_id = "%[1]d"
  name       = "ctl-run"
}

import {
  to = cloudelements_formula_instance.test
  id = "%[1]d/%[2]d"
}
`, f.ID, fi.ID)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					f.Description = "line one\n" + forged + "\nline two\n"
					env.emu.PutFormula(f)
					fi.Name = "ctl-run" + forged
					env.emu.PutFormulaInstance(fi)
				},
				Config: config, PlanOnly: true, ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{stateClean{}}},
			},
		},
	})
}

func woVar(v string) config.Variables { return config.Variables{"wo": config.StringVariable(v)} }
