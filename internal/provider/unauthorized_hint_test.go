package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// unauthorizedHintError matches a 401 with the operator's hint: which
// secrets, from where, for which host (providerData.errorDetail).
var unauthorizedHintError = errorWith("HTTP 401", "The platform at 127.0.0.1:",
	"refused the user secret (from user_secret) or the organization secret (from organization_secret)",
	"Secrets belong to one platform host")

// TestAccUnauthorizedHint: every data source, the ephemeral resource and
// the list resources explain a 401 as the resources do (issue 18 item 14).
// A list block runs with terraform query (Terraform 1.14 and later).
func TestAccUnauthorizedHint(t *testing.T) {
	parallel(t)
	cases := []struct {
		name, block string
		query       bool
	}{
		{"instance by id", `data "cloudelements_instance" "x" { id = "1" }`, false},
		{"instance by name", `data "cloudelements_instance" "x" { name = "nope" }`, false},
		{"freshdesk instance by id", `data "cloudelements_freshdesk_instance" "x" { id = "1" }`, false},
		{"instances", `data "cloudelements_instances" "x" {}`, false},
		{"instance token", `ephemeral "cloudelements_instance_token" "x" { id = "1" }`, false},
		{"freshdesk list", `list "cloudelements_freshdesk_instance" "x" { provider = cloudelements }`, true},
		{"instance list", `list "cloudelements_instance" "x" { provider = cloudelements }`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnv(t)
			env.needsEmulator(t)
			provider := env.providerWith("wrong-user", "wrong-org")
			minimum := tfversion.Version1_10_0 // ephemeral resources
			steps := []resource.TestStep{{Config: provider + tc.block + "\n", ExpectError: unauthorizedHintError}}
			if tc.query {
				minimum = tfversion.Version1_14_0
				steps = []resource.TestStep{{Config: provider}, {Query: true, Config: tc.block + "\n", ExpectError: unauthorizedHintError}}
			}
			accTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(minimum)},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    steps,
			})
		})
	}
}
