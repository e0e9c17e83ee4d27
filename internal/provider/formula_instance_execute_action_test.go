package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// seedFormula stores a formula of three steps and an active instance of it.
func seedFormula(emu *emulator.Server) (formulaID, instanceID int64) {
	f := emu.PutFormula(emulator.Formula{Name: "smoke", Active: true, Steps: []emulator.FormulaStep{
		{Name: "fetch", Type: "script"}, {Name: "send", Type: "script"}, {Name: "done", Type: "script"}}})
	fi := emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: f.ID, Name: "smoke-run", Active: true})
	return f.ID, fi.ID
}

// executeConfig runs the formula instance from a terraform_data trigger
// whenever round changes; extra goes into the action's config.
func executeConfig(env *accEnv, formulaID, instanceID int64, round int, extra string) string {
	return env.provider() + dataTrigger("deploy", round, "action.cloudelements_formula_instance_execute.smoke") + fmt.Sprintf(`
action "cloudelements_formula_instance_execute" "smoke" {
  config {
    formula_id          = "%[1]d"
    formula_instance_id = "%[2]d"
    input               = jsonencode({ order = 42, round = %[3]d })
    %[4]s
  }
}
`, formulaID, instanceID, round, extra)
}

// executions checks how many executions the emulator started.
func executions(env *accEnv, want int) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		ex := emu.Executions()
		if len(ex) != want {
			return fmt.Errorf("want %d executions, the emulator has %d", want, len(ex))
		}
		if got := string(ex[len(ex)-1].Input); !strings.Contains(got, `"order":42`) {
			return fmt.Errorf("the last execution's input is %s, want the configured JSON", got)
		}
		return nil
	})
}

// TestAccFormulaInstanceExecuteAction_trigger runs a formula instance from a
// terraform_data action_trigger (Terraform 1.14+): it waits for success,
// fails naming the failing step and its error, returns at once with
// wait = false, and gives up at its timeout without stopping the execution.
func TestAccFormulaInstanceExecuteAction_trigger(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	formulaID, instanceID := seedFormula(env.emu)
	plan := func(p emulator.ExecutionPlan) func() { return func() { env.emu.SetExecutionPlan(p) } }
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: plan(emulator.ExecutionPlan{StepDelay: 200 * time.Millisecond}),
				Config:    executeConfig(env, formulaID, instanceID, 1, ""),
				Check:     executions(env, 1),
			},
			{
				PreConfig:   plan(emulator.ExecutionPlan{StepDelay: 200 * time.Millisecond, FailAtStep: "send"}),
				Config:      executeConfig(env, formulaID, instanceID, 2, ""),
				ExpectError: regexp.MustCompile(`(?s)Formula execution \d+ failed.*Step "send" failed:.*TypeError`),
			},
			{
				PreConfig: plan(emulator.ExecutionPlan{StepDelay: time.Hour}),
				Config:    executeConfig(env, formulaID, instanceID, 3, "wait = false"),
				Check:     executions(env, 3),
			},
			{
				Config:      executeConfig(env, formulaID, instanceID, 4, `timeouts = { invoke = "2s" }`),
				ExpectError: regexp.MustCompile(`(?s)did not end within 2s.*was not stopped`),
			},
		},
	})
}

// TestAccFormulaInstanceExecuteAction_invoke runs the action by hand with
// `terraform apply -invoke` and checks the progress it reports per step.
func TestAccFormulaInstanceExecuteAction_invoke(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	w := newCLIDir(t, cliOptions{minVersion: "1.14.0", traceLog: t.TempDir() + "/cli-trace.log"})
	formulaID, instanceID := seedFormula(env.emu)
	env.emu.SetExecutionPlan(emulator.ExecutionPlan{StepDelay: 700 * time.Millisecond})
	w.write(cliRequiredProviders +
		env.provider() + fmt.Sprintf(`
action "cloudelements_formula_instance_execute" "smoke" {
  config {
    formula_id          = "%d"
    formula_instance_id = "%d"
  }
}
`, formulaID, instanceID))
	w.must("init", "-input=false")
	out := w.must("apply", "-input=false", "-auto-approve", "-invoke=action.cloudelements_formula_instance_execute.smoke")
	for _, want := range []string{"execution", `" is pending`, "succeeded after"} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if n := len(env.emu.Executions()); n != 1 {
		t.Errorf("%d executions, want 1", n)
	}
}
