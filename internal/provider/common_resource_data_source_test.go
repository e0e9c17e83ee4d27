package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestAccCommonResource_variance: what the platform may add to a common
// resource or reorder (the UNCONFIRMED points of assets-api.md §3), and
// ids answered as strings, never show as drift: the plans after apply and
// after refresh are empty, and state holds the configured fields only.
func TestAccCommonResource_variance(t *testing.T) {
	parallel(t) // its subtests run in parallel too
	for _, tc := range []struct {
		name  string
		setup func(*emulator.Options)
	}{
		{"vdrExtras", func(o *emulator.Options) { o.Variance.VDRExtras = true }},
		{"vdrReordered", func(o *emulator.Options) { o.Variance.VDRReordered = true }},
		{"strings", withProfile("strings")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newAccEnvWith(t, tc.setup, nil)
			env.needsEmulator(t)
			accTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: env.provider() + commonResourceHCL(`  object_name  = "varied"
  display_name = "Varied"
  fields = [
    { path = "email", type = "string" },
    { path = "address.city", type = "string", level = "account" },
    { path = "tier", type = "number", level = "instance" },
  ]
`),
					ConfigPlanChecks: emptyPlanAfterApply,
					Check:            resource.TestCheckResourceAttr(commonResourceAddr, "fields.#", "3"),
				}},
			})
		})
	}
}

// TestAccCommonResource_dataSources reads common resources made by hand
// from a platform that abridges listings and adds system fields: one by
// id, one by object name, and the listing, each with its fields whole and
// without the system fields; an unknown object name is an error that
// suggests the closest one.
func TestAccCommonResource_dataSources(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) {
		o.Variance.ListAbridged, o.Variance.VDRExtras = true, true
	}, nil)
	env.needsEmulator(t)
	contact := env.emu.PutVDR(emulator.VDR{ObjectName: "myContact", DisplayName: "Contact", Description: "by hand",
		Fields: []emulator.VDRField{{Path: "email", Type: "string"}, {Path: "tier", Type: "number", Level: "account"}}})
	env.emu.PutVDR(emulator.VDR{ObjectName: "myAccount", Fields: []emulator.VDRField{{Path: "name", Type: "string"}}})
	config := env.provider() + `
data "cloudelements_common_resource" "by_id" {
  id = "` + vdrIDOf(env.emu, "myContact") + `"
}

data "cloudelements_common_resource" "by_name" {
  object_name = "myAccount"
}

data "cloudelements_common_resources" "all" {}
`
	const byID, byName, all = "data.cloudelements_common_resource.by_id", "data.cloudelements_common_resource.by_name",
		"data.cloudelements_common_resources.all"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(byID, "object_name", "myContact"),
					resource.TestCheckResourceAttr(byID, "description", "by hand"),
					resource.TestCheckResourceAttr(byID, "fields.#", "2"),
					resource.TestCheckTypeSetElemNestedAttrs(byID, "fields.*", map[string]string{"path": "tier", "type": "number", "level": "account"}),
					resource.TestCheckResourceAttr(byName, "id", vdrIDOf(env.emu, "myAccount")),
					resource.TestCheckResourceAttr(byName, "fields.#", "1"),
					resource.TestCheckResourceAttr(all, "common_resources.#", "2"),
					resource.TestCheckResourceAttr(all, "common_resources.0.id", vdrIDOf(env.emu, "myContact")),
					resource.TestCheckResourceAttr(all, "common_resources.0.display_name", contact.DisplayName),
					resource.TestCheckResourceAttr(all, "common_resources.0.fields.#", "2"),
					resource.TestCheckResourceAttr(all, "common_resources.1.fields.#", "1"),
				),
			},
			{
				Config:      env.provider() + "data \"cloudelements_common_resource\" \"x\" {\n  object_name = \"myContakt\"\n}\n",
				PlanOnly:    true,
				ExpectError: errorWith(`No common resource named "myContakt"`, `Did you mean "myContact"?`),
			},
		},
	})
}

// TestAccCommonResource_dataSourceLaggingListing: a common resource the
// listing does not show yet (listings lag writes) is found by object name
// through the export, which answers at once.
func TestAccCommonResource_dataSourceLaggingListing(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.FreezeListings() // the listing shows none of what follows
	env.emu.PutVDR(emulator.VDR{ObjectName: "fresh", Fields: []emulator.VDRField{{Path: "email", Type: "string"}}})
	const ds = "data.cloudelements_common_resource.fresh"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.provider() + "data \"cloudelements_common_resource\" \"fresh\" {\n  object_name = \"fresh\"\n}\n",
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(ds, "id", vdrIDOf(env.emu, "fresh")),
				resource.TestCheckResourceAttr(ds, "fields.#", "1"),
				env.check(func(emu *emulator.Server) error {
					if len(emu.RequestsTo("GET", "/vdrs/fresh/export")) == 0 {
						return fmt.Errorf("no export read: %s", describe(emu.Requests()))
					}
					return nil
				}),
			),
		}},
	})
}
