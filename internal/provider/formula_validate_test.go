package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// formulaWith is a formula whose trigger and steps are the arguments
// (HCL), declaring the variable trigger_instance.
func formulaWith(trigger, steps string) string {
	return fmt.Sprintf(`resource "cloudelements_formula" "f" {
  name          = "checked"
  configuration = [{ key = "trigger_instance", name = "Helpdesk", type = "elementInstance" }]
  triggers = [{
%s
  }]
  steps = {
%s
  }
}
`, trigger, steps)
}

const (
	goodTrigger = `    type       = "event"
    on_success = ["check"]
    properties = jsonencode({ elementInstanceId = "$${trigger_instance}" })`
	goodSteps = `    check = {
      type       = "script"
      on_success = ["notify"]
    }
    notify = { type = "script" }`
)

// TestAccFormula_validationPointsAtTheStep (issue 28 item 5): a link to a
// missing step, a ${...} naming no declared variable and a duplicate
// variable are refused at plan time with no API call, each at the step,
// trigger or variable it is about (Terraform's snippet shows that line,
// not the resource's first), naming it, what is missing and the closest name.
func TestAccFormula_validationPointsAtTheStep(t *testing.T) {
	parallel(t)
	for _, tc := range []struct {
		name, config string
		want         *regexp.Regexp
	}{
		{"a step links to a missing step",
			formulaWith(goodTrigger, `    check = {
      type       = "script"
      on_failure = ["notfy"]
    }
    notify = { type = "script" }`),
			errorWith("Unknown step", "check = {",
				`Step "check" runs "notfy" on failure (on_failure[0]), but the formula has no step of that name.`,
				`Did you mean "notify"?`, `Its steps are "check", "notify"`)},
		{"a trigger links to a missing step",
			formulaWith(`    type       = "event"
    on_success = ["chek"]`, goodSteps),
			errorWith("Unknown step", "triggers = [{",
				`Trigger 1 (type "event") runs "chek" on success (on_success[0]), but the formula has no step of that name.`,
				`Did you mean "check"?`)},
		{"a trigger refers to an undeclared variable",
			formulaWith(`    type       = "event"
    on_success = ["check"]
    properties = jsonencode({ elementInstanceId = "$${trigger_instanc}" })`, goodSteps),
			errorWith("Unknown variable", "triggers = [{",
				`Trigger 1 (type "event") refers to ${trigger_instanc} in properties.elementInstanceId,`,
				`but the formula declares no variable "trigger_instanc".`, `Did you mean "trigger_instance"?`,
				`Its variables are "trigger_instance"`)},
		{"a step refers to an undeclared config variable",
			formulaWith(goodTrigger, `    check = {
      type       = "elementRequest"
      properties = jsonencode({ elementInstanceId = "$${config.target}", api = "/hubs/helpdesk/incidents" })
    }
    notify = { type = "script" }`),
			errorWith("Unknown variable", "check = {",
				`Step "check" refers to ${config.target} in properties.elementInstanceId,`,
				`but the formula declares no variable "target".`, `declare "target" in configuration`)},
		{"a variable declared twice",
			`resource "cloudelements_formula" "f" {
  name = "dup"
  configuration = [
    { key = "a", name = "A", type = "value" },
    { key = "a", name = "A again", type = "value" },
  ]
}
`,
			errorWith("Duplicate configuration key", `{ key = "a", name = "A again", type = "value" },`,
				`configuration[1].key: "a" is declared twice; keep one.`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parallel(t)
			expectPlanError(t, tc.config, tc.want)
		})
	}
}

// TestAccFormula_referencesThatAreFine: references to the execution's
// context (steps, trigger), config.<key> of a declared variable, a key
// holding dots, and JavaScript template literals inside a script plan
// without complaint (and without an API call).
func TestAccFormula_referencesThatAreFine(t *testing.T) {
	parallel(t)
	env := newAccEnv(t)
	env.needsEmulator(t)
	config := `resource "cloudelements_formula" "f" {
  name = "fine"
  configuration = [
    { key = "trigger_instance", name = "Helpdesk", type = "elementInstance" },
    { key = "crm.instance.id", name = "CRM", type = "elementInstance" },
  ]
  triggers = [{
    type       = "event"
    on_success = ["fetch"]
    properties = jsonencode({ elementInstanceId = "$${trigger_instance}" })
  }]
  steps = {
    fetch = {
      type       = "elementRequest"
      on_success = ["shape"]
      properties = jsonencode({
        elementInstanceId = "$${crm.instance.id}", api = "/hubs/crm/contacts", method = "GET",
        headers = "$${steps.prepare.headers}", query = { id = "$${trigger.event.objectId}" }
      })
    }
    shape = {
      type       = "script"
      properties = jsonencode({ body = "const who = $${config.trigger_instance}; done({ who: ` + "`$${who}`" + ` });" })
    }
  }
}
`
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.provider() + config, PlanOnly: true, ExpectNonEmptyPlan: true,
			Check: func(*terraform.State) error { return nil },
		}},
	})
	if got := env.emu.Requests(); len(got) != 0 {
		t.Fatalf("planning a formula asked the platform: %s", describe(got))
	}
}

// TestAccFormula_idsNamedAsFormulaIDs (issue 28 item 5): a malformed
// formula id is called a formula id, not an instance id, wherever it is
// given; nothing is sent.
func TestAccFormula_idsNamedAsFormulaIDs(t *testing.T) {
	parallel(t)
	want := `"abc" is not a formula id; expected the numeric id Cloud Elements shows for the formula`
	for name, config := range map[string]string{
		"formula_instance formula_id": `resource "cloudelements_formula_instance" "fi" {
  formula_id = "abc"
  name       = "x"
}
`,
		"formula data source id": `data "cloudelements_formula" "f" {
  id = "abc"
}
`,
		"formula_instances formula_id": `data "cloudelements_formula_instances" "all" {
  formula_id = "abc"
}
`,
	} {
		t.Run(name, func(t *testing.T) {
			parallel(t)
			expectPlanError(t, config, errorWith(want))
		})
	}
	t.Run("formula import id", func(t *testing.T) {
		parallel(t)
		env := newAccEnv(t)
		env.needsEmulator(t)
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:       env.provider() + formulaWith(goodTrigger, goodSteps),
				ResourceName: "cloudelements_formula.f", ImportState: true,
				ImportStateIdFunc: func(*terraform.State) (string, error) { return "abc", nil },
				ExpectError:       errorWith("Invalid import id", want),
			}},
		})
		if got := env.emu.Requests(); len(got) != 0 {
			t.Fatalf("a refused import reached the API: %s", describe(got))
		}
	})
}
