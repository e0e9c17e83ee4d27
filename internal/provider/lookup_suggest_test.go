package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccLookupByNameSuggests (issue 28 item 5): a data source finding
// nothing by name names the closest name it listed anyway, at the name
// attribute.
func TestAccLookupByNameSuggests(t *testing.T) {
	parallel(t)
	emu, baseURL := dsTestServer(t)
	dsSeed(emu, "Acme Desk", "freshdeskv2")
	emu.PutFormula(emulator.Formula{Name: "sync-tickets", Active: true})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{
			{
				Config:      dsProviderConfig(baseURL) + `data "cloudelements_instance" "x" { name = "acme desk" }` + "\n",
				ExpectError: errorWith(`No instance is named "acme desk"`, `Did you mean "Acme Desk"?`),
			},
			{
				Config: dsProviderConfig(baseURL) + `data "cloudelements_formula" "x" { name = "sync-tickts" }` + "\n",
				ExpectError: errorWith(`No formula named "sync-tickts"`, `name: the account has no formula of that exact name`,
					`Did you mean "sync-tickets"?`),
			},
		},
	})
}
