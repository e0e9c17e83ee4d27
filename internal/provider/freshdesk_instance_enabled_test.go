package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// expectHubStatus calls the helpdesk hub with the instance's token, as a
// consumer of the instance would, and checks the answer's status.
func expectHubStatus(env *accEnv, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		token := s.RootModule().Resources[instanceAddr].Primary.Attributes["token"]
		req, err := http.NewRequest(http.MethodGet, env.baseURL+"/hubs/helpdesk/incidents", nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "User "+testUserSecret+", Element "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		if resp.StatusCode != want {
			return fmt.Errorf("hub call with the instance token: HTTP %d, want %d", resp.StatusCode, want)
		}
		return nil
	}
}

func TestAccFreshdeskInstance_enabled(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	config := func(enabled string) string {
		return env.provider() + instanceConfig("Switch", "switch", nil, "  enabled = "+enabled+"\n")
	}
	disabled := func(want bool) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("disabled"), knownvalue.Bool(want)),
			statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("enabled"), knownvalue.Bool(!want)),
		}
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Created disabled: the POST, then DELETE /instances/{id}/enabled.
				Config:            config("false"),
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: disabled(true),
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("DELETE", "/instances/*/enabled", 1),
					expectHubStatus(env, http.StatusForbidden),
				),
			},
			{
				PreConfig:         env.resetRequests,
				Config:            config("true"),
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: disabled(false),
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("PUT", "/instances/*/enabled", 1),
					env.expectRequests("PATCH", "/instances/*", 0),
					expectHubStatus(env, http.StatusOK),
				),
			},
			{
				PreConfig:         env.resetRequests,
				Config:            config("false"),
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: disabled(true),
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("DELETE", "/instances/*/enabled", 1),
					expectHubStatus(env, http.StatusForbidden),
				),
			},
			{
				// Import reads enabled back from the platform's disabled flag.
				ResourceName:            instanceAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"api_key"}, // never read back from the platform
			},
		},
	})
}

// TestAccFreshdeskInstance_updatedButNotEnabled: when the PATCH succeeds and
// the enable call then fails, state records the applied name and token and
// the instance's real enabled flag, and the error is reported.
func TestAccFreshdeskInstance_updatedButNotEnabled(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	config := func(name, enabled string) string {
		return env.provider() + instanceConfig(name, "halfway", nil, "  enabled = "+enabled+"\n")
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("Before", "false"), ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() {
					env.emu.Script("PUT", "/instances/*/enabled", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusBadRequest})
					env.emu.Script("PUT", "/instances/enabled", emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusBadRequest})
				},
				Config:      config("After", "true"),
				ExpectError: errorWith("Cannot change whether the Freshdesk instance is enabled", "was updated but not enabled"),
			},
			{
				// State holds the new name and the real flag: only enabling is left.
				Config: config("After", "true"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("name"), knownvalue.StringExact("After")),
					plancheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				}, PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh},
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests("PATCH", "/instances/*", 1), // the PATCH of the step before; none now
					resource.TestCheckResourceAttr(instanceAddr, "disabled", "false"),
				),
			},
		},
	})
}
