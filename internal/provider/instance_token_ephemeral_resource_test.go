package provider

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// dsTokenAbsent fails if token appears anywhere in the state except in the
// resources named in allowed.
func dsTokenAbsent(token string, allowed ...string) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, m := range s.Modules {
			for addr, rs := range m.Resources {
				if strings.HasPrefix(addr, "ephemeral.") {
					return fmt.Errorf("ephemeral resource %s is in the state", addr)
				}
				skip := false
				for _, a := range allowed {
					skip = skip || addr == a
				}
				if skip {
					continue
				}
				b, err := json.Marshal(rs)
				if err != nil {
					return err
				}
				if strings.Contains(string(b), token) {
					return fmt.Errorf("the instance token is in the state of %s", addr)
				}
			}
		}
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		if len(allowed) == 0 && strings.Contains(string(b), token) {
			return fmt.Errorf("the instance token is in the state")
		}
		return nil
	}
}

func TestAccInstanceTokenEphemeral(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	inst := dsSeed(emu, "token desk", "zendesk") // any element will do
	ephemeralBlock := fmt.Sprintf(`
ephemeral "cloudelements_instance_token" "test" {
  id = %q
}
`, strconv.FormatInt(inst.ID, 10))
	getCount := func() int { return len(emu.RequestsTo("GET", "/instances/{id}")) }
	var before int

	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{
			{
				// The echo provider carries the ephemeral value into its own
				// state, the only place a test can observe it.
				Config: dsProviderConfig(baseURL) + ephemeralBlock + `
provider "echo" {
  data = ephemeral.cloudelements_instance_token.test
}

resource "echo" "test" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("token"),
						knownvalue.StringExact(inst.Token)),
					statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("id"),
						knownvalue.StringExact(strconv.FormatInt(inst.ID, 10))),
				},
				Check: dsTokenAbsent(inst.Token, "echo.test"),
			},
			{
				// Without echo, the token must be nowhere in the state even
				// though the ephemeral resource is opened.
				PreConfig: func() { before = getCount() },
				Config: dsProviderConfig(baseURL) + ephemeralBlock + `
data "cloudelements_instances" "test" {}
`,
				Check: resource.ComposeAggregateTestCheckFunc(
					dsTokenAbsent(inst.Token),
					func(*terraform.State) error {
						if getCount() == before {
							return fmt.Errorf("the ephemeral resource was never opened (no GET /instances/{id})")
						}
						return nil
					},
				),
			},
		},
	})
}

func TestAccInstanceTokenEphemeral_errors(t *testing.T) {
	_, baseURL := dsTestServer(t)
	config := func(id string) string {
		return dsProviderConfig(baseURL) + fmt.Sprintf(`
ephemeral "cloudelements_instance_token" "test" {
  id = %q
}

provider "echo" {
  data = ephemeral.cloudelements_instance_token.test
}

resource "echo" "test" {}
`, id)
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{
			{Config: config("12x"), ExpectError: errorWith(`id: "12x" is not an instance id`)},
			{Config: config("-3"), ExpectError: errorWith(`id: "-3" is not an instance id`)},
			{Config: config("999999"), ExpectError: errorWith(`no instance with id 999999`)},
		},
	})
}

// TestEphemeralTokenAbsentCheck proves the state check would see a token.
func TestEphemeralTokenAbsentCheck(t *testing.T) {
	s := &terraform.State{Modules: []*terraform.ModuleState{{
		Path: []string{"root"},
		Resources: map[string]*terraform.ResourceState{
			"data.cloudelements_freshdesk_instance.x": {Type: "cloudelements_freshdesk_instance",
				Primary: &terraform.InstanceState{ID: "1", Attributes: map[string]string{"token": "tok-123"}}},
		},
	}}}
	if err := dsTokenAbsent("tok-123")(s); err == nil {
		t.Fatal("a token in a data source's state was not reported")
	}
	if err := dsTokenAbsent("tok-123", "data.cloudelements_freshdesk_instance.x")(s); err != nil {
		t.Fatalf("an allowed resource was reported: %v", err)
	}
	if err := dsTokenAbsent("other")(s); err != nil {
		t.Fatalf("an absent token was reported: %v", err)
	}
}
