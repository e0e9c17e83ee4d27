package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
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
