package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccFormulaInstance_writeOnlySecret sends a password variable through
// secret_configuration_wo (Terraform 1.11+): the platform stores it, state
// never holds it, a refresh shows no drift (the platform answers it
// masked), and a new version sends the new value with one PUT.
func TestAccFormulaInstance_writeOnlySecret(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	cfg := func(secret string, version int) string {
		return env.provider() + fmt.Sprintf(`resource "cloudelements_formula" "f" {
  name          = "with-secret"
  configuration = [{ key = "token", name = "Token", type = "password" }, { key = "mode", name = "Mode", type = "value" }]
  steps         = { a = { type = "script" } }
}

resource "cloudelements_formula_instance" "fi" {
  formula_id                      = cloudelements_formula.f.id
  name                            = "fi"
  configuration                   = { mode = "fast" }
  secret_configuration_wo         = { token = %q }
  secret_configuration_wo_version = %d
}
`, secret, version)
	}
	stored := func(want string) resource.TestCheckFunc {
		return env.check(func(emu *emulator.Server) error {
			fis := emu.FormulaInstances()
			if len(fis) != 1 || fis[0].Configuration["token"] != want {
				return fmt.Errorf("want token %q stored, have %+v", want, fis)
			}
			return nil
		})
	}
	notInState := func(secret string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			for k, v := range s.RootModule().Resources["cloudelements_formula_instance.fi"].Primary.Attributes {
				if strings.Contains(v, secret) {
					return fmt.Errorf("state attribute %s holds the write-only secret", k)
				}
			}
			return nil
		}
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           cfg("s3cret-one", 1),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            resource.ComposeTestCheckFunc(stored("s3cret-one"), notInState("s3cret-one")),
			},
			{
				PreConfig:        env.resetRequests,
				Config:           cfg("s3cret-two", 2),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(stored("s3cret-two"), notInState("s3cret-two"),
					env.expectRequests(http.MethodPut, "/formulas/*/instances/*", 1)),
			},
		},
	})
}
