package provider

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// seedTransformations seeds the common resource "contact", a Freshdesk
// instance, and two transformations made by hand: one onto freshdeskv2
// (with a script) and one onto the instance.
func seedTransformations(emu *emulator.Server) (vdr emulator.VDR, org, inst emulator.Transformation) {
	vdr = seedContact(emu)
	desk := emu.PutInstance(emulator.Instance{Name: "desk", Configuration: map[string]string{"subdomain": "contacts", "username": "k"}})
	org, _ = emu.PutTransformation(emulator.Transformation{VDRID: vdr.ID, ElementKey: "freshdeskv2", VendorName: "contacts",
		Fields: []emulator.TransformationField{{Path: "firstName", Type: "string", VendorPath: "name.first"},
			{Path: "email", Type: "string", VendorPath: "email", Configuration: []byte(`[{"type":"passThrough"}]`)}},
		Script: &emulator.TransformationScript{Body: "done(transformed);", MimeType: "application/javascript"}})
	inst, _ = emu.PutTransformation(emulator.Transformation{VDRID: vdr.ID, ElementKey: "freshdeskv2", InstanceID: desk.ID,
		VendorName: "contacts", Fields: []emulator.TransformationField{{Path: "lastName", Type: "string", VendorPath: "last_name"}}})
	return vdr, org, inst
}

// TestAccTransformationDataSources reads a transformation by id, by
// element and by instance, and lists them all, against a listing that
// abridges its items (each read whole, never used as it is).
func TestAccTransformationDataSources(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) { o.Variance.ListAbridged = true }, nil)
	env.needsEmulator(t)
	vdr, org, inst := seedTransformations(env.emu)
	const one, all = "data.cloudelements_common_resource_transformation", "data.cloudelements_common_resource_transformations.all"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.provider() + fmt.Sprintf(`
data "cloudelements_common_resource_transformation" "by_id" {
  common_resource_id = "%[1]d"
  id                 = "%[2]d"
}

data "cloudelements_common_resource_transformation" "by_element" {
  common_resource_id = "%[1]d"
  element_key        = "freshdeskv2"
}

data "cloudelements_common_resource_transformation" "by_instance" {
  common_resource_id = "%[1]d"
  instance_id        = "%[3]d"
}

data "cloudelements_common_resource_transformations" "all" {
  common_resource_id = "%[1]d"
}
`, vdr.ID, org.ID, inst.InstanceID),
			Check: resource.ComposeTestCheckFunc(
				resource.TestCheckResourceAttr(one+".by_id", "element_key", "freshdeskv2"),
				resource.TestCheckResourceAttr(one+".by_id", "fields.#", "2"),
				resource.TestCheckResourceAttr(one+".by_id", "script.body", "done(transformed);"),
				resource.TestCheckResourceAttr(one+".by_element", "id", strconv.FormatInt(org.ID, 10)),
				resource.TestCheckTypeSetElemNestedAttrs(one+".by_element", "fields.*", map[string]string{
					"path": "email", "vendor_path": "email", "configuration": `[{"type":"passThrough"}]`}),
				resource.TestCheckResourceAttr(one+".by_instance", "id", strconv.FormatInt(inst.ID, 10)),
				resource.TestCheckResourceAttr(one+".by_instance", "level", "instance"),
				resource.TestCheckNoResourceAttr(one+".by_instance", "script.body"),
				resource.TestCheckResourceAttr(all, "transformations.#", "2"),
				resource.TestCheckResourceAttr(all, "transformations.0.fields.#", "2"),
				resource.TestCheckResourceAttr(all, "transformations.1.fields.0.vendor_path", "last_name"),
				resource.TestCheckResourceAttr(all, "transformations.1.instance_id", strconv.FormatInt(inst.InstanceID, 10)),
			),
		}},
	})
}

// TestAccTransformation_generateConfig: an import block with
// -generate-config-out writes configuration for a transformation made by
// hand that plans the import alone, unedited, and writes nothing.
func TestAccTransformation_generateConfig(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	vdr, org, _ := seedTransformations(env.emu)
	const addr = "cloudelements_common_resource_transformation.test"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []resource.TestStep{{
			Config:          env.provider(),
			ResourceName:    addr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   fmt.Sprintf("%d/%d", vdr.ID, org.ID),
			GenerateConfig:  true,
			ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
			}},
			Check: env.expectRequests(http.MethodPut, "/vdrs/*/transformations/*", 0),
		}},
	})
}

// TestAccTransformationList_query runs `terraform query` (Terraform 1.14
// and later): every common resource's transformations, or one's, with
// identities and the full resource, and no write.
func TestAccTransformationList_query(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	vdr, org, _ := seedTransformations(env.emu)
	other := env.emu.PutVDR(emulator.VDR{ObjectName: "ticket", Fields: []emulator.VDRField{{Path: "subject", Type: "string"}}})
	env.emu.PutTransformation(emulator.Transformation{VDRID: other.ID, ElementKey: "zendesk", VendorName: "tickets",
		Fields: []emulator.TransformationField{{Path: "subject", Type: "string", VendorPath: "subject"}}})
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.provider()},
			{
				PreConfig: env.resetRequests,
				Query:     true,
				Config: fmt.Sprintf(`
list "cloudelements_common_resource_transformation" "all" {
  provider         = cloudelements
  include_resource = true
}

list "cloudelements_common_resource_transformation" "contact" {
  provider = cloudelements
  config {
    common_resource_id = "%d"
  }
}
`, vdr.ID),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_common_resource_transformation.all", 3),
					querycheck.ExpectLength("cloudelements_common_resource_transformation.contact", 2),
					querycheck.ExpectIdentity("cloudelements_common_resource_transformation.contact", map[string]knownvalue.Check{
						"common_resource_id": knownvalue.StringExact(strconv.FormatInt(vdr.ID, 10)),
						"id":                 knownvalue.StringExact(strconv.FormatInt(org.ID, 10)),
					}),
				},
			},
		},
	})
	if t.Skipped() {
		return
	}
	for _, r := range env.emu.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("query made %s %s; want listings only", r.Method, r.Path)
		}
	}
}

// TestAccTransformation_importByIdentity imports a transformation by its
// identity (common resource id and id; Terraform 1.12 and later).
func TestAccTransformation_importByIdentity(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	vdr := seedContact(env.emu)
	const addr = "cloudelements_common_resource_transformation.k"
	config := env.provider() + fmt.Sprintf(`
resource "cloudelements_common_resource_transformation" "k" {
  common_resource_id = "%d"
  element_key        = "freshdeskv2"
  vendor_name        = "contacts"
  fields             = [{ path = "email", type = "string", vendor_path = "email" }]
  script             = { body = "done(transformed);" }
}
`, vdr.ID)
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config: config, ResourceName: addr, ImportState: true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				Check:           env.expectRequests(http.MethodPut, "/vdrs/*/transformations/*", 0),
			},
		},
	})
}
