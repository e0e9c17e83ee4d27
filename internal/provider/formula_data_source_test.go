package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccFormulaDataSources reads formulas and formula instances made by
// hand: one formula by id and by name, the listings (paged: two to a page)
// filtered by name, formula and element instance; an ambiguous name is a
// clear error.
func TestAccFormulaDataSources(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.SetDefaultPageSize(2)
	inst := env.emu.PutInstance(emulator.Instance{Name: "desk"})
	other := env.emu.PutInstance(emulator.Instance{Name: "other desk"})
	steps := []emulator.FormulaStep{{Name: "a", Type: "script", Properties: []byte(`{"body":"done(true);"}`)}}
	cfg := []emulator.FormulaConfig{{Key: "desk", Name: "Desk", Type: "elementInstance"}}
	sync := env.emu.PutFormula(emulator.Formula{Name: "sync", Active: true, Steps: steps, Configuration: cfg})
	for _, n := range []string{"twin", "twin", "third"} {
		env.emu.PutFormula(emulator.Formula{Name: n, Steps: steps})
	}
	for i, target := range []emulator.Instance{inst, other, inst} {
		env.emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: sync.ID, Name: "fi" + strconv.Itoa(i), Active: true,
			Configuration: map[string]string{"desk": strconv.FormatInt(target.ID, 10)}})
	}
	cfgText := env.provider() + fmt.Sprintf(`
data "cloudelements_formula" "by_id" {
  id = "%d"
}

data "cloudelements_formula" "by_name" {
  name = "sync"
}

data "cloudelements_formulas" "all" {}

data "cloudelements_formulas" "twins" {
  name = "twin"
}

data "cloudelements_formula_instances" "on_desk" {
  formula_id          = "%d"
  element_instance_id = "%d"
}
`, sync.ID, sync.ID, inst.ID)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfgText,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.cloudelements_formula.by_id", tfjsonpath.New("steps").AtMapKey("a").AtMapKey("properties"),
						knownvalue.StringExact(`{"body":"done(true);"}`)),
					statecheck.ExpectKnownValue("data.cloudelements_formula.by_name", tfjsonpath.New("id"), knownvalue.StringExact(strconv.FormatInt(sync.ID, 10))),
					statecheck.ExpectKnownValue("data.cloudelements_formulas.all", tfjsonpath.New("formulas"), knownvalue.ListSizeExact(4)),
					statecheck.ExpectKnownValue("data.cloudelements_formulas.twins", tfjsonpath.New("formulas"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.cloudelements_formula_instances.on_desk", tfjsonpath.New("formula_instances"), knownvalue.ListSizeExact(2)),
				},
			},
			{
				Config:      env.provider() + "data \"cloudelements_formula\" \"twin\" {\n  name = \"twin\"\n}\n",
				ExpectError: regexp.MustCompile(`Several formulas named "twin"`),
			},
		},
	})
}
