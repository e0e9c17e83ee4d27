package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccInstanceMove_fromFreshdesk moves a Freshdesk instance to the
// generic resource: the plan shows the move alone and apply writes nothing.
func TestAccInstanceMove_fromFreshdesk(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	cases := map[string]struct{ variables, freshdesk, generic string }{
		"defaults": {
			freshdesk: `  api_key = "fd-api-key-0001"
`,
			generic: `  configuration        = { subdomain = "moving" }
  secret_configuration = { username = "fd-api-key-0001" }
`,
		},
		"write-only key, nulls kept, events": {
			freshdesk: `  api_key_wo            = "fd-api-key-0001"
  api_key_wo_version    = 3
  filter_response_nulls = false
  enabled               = false
  events = { callback_url = "https://hooks.example.com/ce" }
`,
			generic: `  configuration = { subdomain = "moving", "filter.response.nulls" = "false" }
  secret_configuration_wo         = { username = "fd-api-key-0001" }
  secret_configuration_wo_version = 3
  enabled = false
  events = { callback_url = "https://hooks.example.com/ce" }
`,
		},
		// As the documented example: the key from a sensitive variable, the
		// secrets as one sensitive map (a map written around the sensitive
		// string would plan an update of its sensitivity alone).
		"key from a sensitive variable": {
			variables: `variable "freshdesk_api_key" {
  type      = string
  sensitive = true
  default   = "fd-api-key-0001"
}

variable "freshdesk_secrets" {
  type      = map(string)
  sensitive = true
  default   = { username = "fd-api-key-0001" }
}
`,
			freshdesk: `  api_key = var.freshdesk_api_key
`,
			generic: `  configuration        = { subdomain = "moving" }
  secret_configuration = var.freshdesk_secrets
`,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			env := newAccEnv(t)
			freshdesk := c.variables + fmt.Sprintf(`resource "cloudelements_freshdesk_instance" "test" {
  name      = "Moving"
  subdomain = "moving"
  tags      = ["team-a"]
%s}
`, c.freshdesk)
			moved := c.variables + fmt.Sprintf(`moved {
  from = cloudelements_freshdesk_instance.test
  to   = cloudelements_instance.test
}

resource "cloudelements_instance" "test" {
  element_key = "freshdeskv2"
  name        = "Moving"
  tags        = ["team-a"]
%s}
`, c.generic)
			accTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: env.provider() + freshdesk, ConfigPlanChecks: emptyPlan},
					{
						PreConfig: env.resetRequests,
						Config:    env.provider() + moved,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(genericAddr, plancheck.ResourceActionNoop),
							},
							PostApplyPostRefresh: emptyPlan.PostApplyPostRefresh,
						},
						Check: env.expectNoWrites(),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("element_key"), knownvalue.StringExact("freshdeskv2")),
							statecheck.ExpectKnownValue(genericAddr, tfjsonpath.New("element_id"), knownvalue.Int64Exact(491)),
						},
					},
				},
			})
		})
	}
}
