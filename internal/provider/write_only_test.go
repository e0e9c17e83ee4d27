package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Write-only keys used below; distinct so that each search is meaningful.
const (
	woKey1 = "fd-wo-key-first-7a1c"
	woKey2 = "fd-wo-key-second-93be"
	woKey3 = "fd-wo-key-unversioned-51d0"
)

// writeOnlyConfig takes the key from an ephemeral variable, as users
// should: a literal would be kept in the plan's copy of the configuration
// (its "constant_value"), as any literal is, secrets included.
func writeOnlyConfig(env *accEnv, version int) string {
	return env.provider() + fmt.Sprintf(`variable "wo_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "cloudelements_freshdesk_instance" "test" {
  name               = "Write-only"
  subdomain          = "writeonly"
  api_key_wo         = var.wo_key
  api_key_wo_version = %d
}
`, version)
}

func woKeyVar(key string) config.Variables {
	return config.Variables{"wo_key": config.StringVariable(key)}
}

// lacksSecrets fails if the JSON form of doc (a plan or a state) holds any
// of secrets. The document must hold the instance, so that an empty one
// cannot pass.
// planLacks fails if any of the strings appears in the JSON plan.
type planLacks []string

func (p planLacks) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = lacksSecrets("plan", req.Plan, p)
}

// stateLacks fails if any of the strings appears in the state.
type stateLacks []string

func (s stateLacks) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = lacksSecrets("state", req.State, s)
}

// shimStateLacks does the same on the legacy state passed to Check.
// sentKey checks that exactly one request matched and carried key as
// configuration.username.
func TestAccWriteOnly_apiKey(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	allKeys := []string{woKey1, woKey2, woKey3}

	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Create: the key reaches the API, never the plan or state.
				Config: writeOnlyConfig(env, 1), ConfigVariables: woKeyVar(woKey1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionCreate),
						planLacks(allKeys),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), planLacks(allKeys)},
				},
				Check: resource.ComposeTestCheckFunc(sentKey(env, "POST", "/instances", woKey1), shimStateLacks(allKeys...)),
				ConfigStateChecks: []statecheck.StateCheck{
					stateLacks(allKeys),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("api_key"), knownvalue.Null()),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("api_key_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("api_key_wo_version"), knownvalue.Int64Exact(1)),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
			{
				// A new version sends the new key with one PUT; the id stays.
				PreConfig: env.resetRequests,
				Config:    writeOnlyConfig(env, 2), ConfigVariables: woKeyVar(woKey2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate),
						planLacks(allKeys),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), planLacks(allKeys)},
				},
				Check: resource.ComposeTestCheckFunc(
					sentKey(env, "PUT", "/instances/*", woKey2),
					env.expectRequests("POST", "/instances", 0),
					env.expectRequests("PATCH", "/instances/*", 0),
					env.expectRequests("DELETE", "/instances/*", 0),
					shimStateLacks(allKeys...),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					stateLacks(allKeys),
					statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("api_key_wo_version"), knownvalue.Int64Exact(2)),
					sameID.AddStateValue(instanceAddr, tfjsonpath.New("id")),
				},
			},
			{
				// A new key without a new version is invisible to Terraform:
				// the plan is empty and nothing is sent. This is how
				// write-only arguments work; bump the version to send it.
				PreConfig: env.resetRequests,
				Config:    writeOnlyConfig(env, 2), ConfigVariables: woKeyVar(woKey3),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), planLacks(allKeys)},
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("POST", "/instances", 0),
					env.expectRequests("PUT", "/instances/*", 0),
					env.expectRequests("PATCH", "/instances/*", 0),
					env.check(func(emu *emulator.Server) error {
						insts := emu.Instances()
						if len(insts) != 1 || insts[0].Configuration["username"] != woKey2 {
							return fmt.Errorf("the platform should still hold the version-2 key: %+v", insts)
						}
						return nil
					}),
					shimStateLacks(allKeys...),
				),
				ConfigStateChecks: []statecheck.StateCheck{stateLacks(allKeys), sameID.AddStateValue(instanceAddr, tfjsonpath.New("id"))},
			},
		},
	})
}
