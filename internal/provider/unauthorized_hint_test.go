package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// unauthorizedHint matches a 401 with the operator's hint: which secrets,
// from where, for which host (providerData.errorDetail).
var unauthorizedHintError = errorWith("HTTP 401", "The platform at 127.0.0.1:",
	"refused the user secret (from user_secret) or the organization secret (from organization_secret)",
	"Secrets belong to one platform host")

// TestAccUnauthorizedHint_dataSources: every data source and the ephemeral
// resource explain a 401 as the resources do (issue 18 item 14).
func TestAccUnauthorizedHint_dataSources(t *testing.T) {
	t.Parallel()
	blocks := map[string]string{
		"instance by id":           `data "cloudelements_instance" "x" { id = "1" }`,
		"instance by name":         `data "cloudelements_instance" "x" { name = "nope" }`,
		"freshdesk instance by id": `data "cloudelements_freshdesk_instance" "x" { id = "1" }`,
		"instances":                `data "cloudelements_instances" "x" {}`,
		"instance token":           `ephemeral "cloudelements_instance_token" "x" { id = "1" }`,
	}
	for name, block := range blocks {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.needsEmulator(t)
			accTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      env.providerWith("wrong-user", "wrong-org") + block + "\n",
					ExpectError: unauthorizedHintError,
				}},
			})
		})
	}
}

// TestAccUnauthorizedHint_list: terraform query explains a 401 too.
func TestAccUnauthorizedHint_list(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"cloudelements_freshdesk_instance", "cloudelements_instance"} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			env := newAccEnv(t)
			env.needsEmulator(t)
			accTest(t, resource.TestCase{
				TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: env.providerWith("wrong-user", "wrong-org")},
					{
						Query:       true,
						Config:      "list \"" + typ + "\" \"all\" {\n  provider = cloudelements\n}\n",
						ExpectError: unauthorizedHintError,
					},
				},
			})
		})
	}
}
