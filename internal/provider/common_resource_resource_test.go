package provider

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

const commonResourceAddr = "cloudelements_common_resource.c"

// commonResourceHCL is a common resource block named c; body goes inside.
func commonResourceHCL(body string) string {
	return "resource \"cloudelements_common_resource\" \"c\" {\n" + body + "}\n"
}

// vdrHolds checks the emulator's one common resource: its display name and
// its fields as path=type@level, in any order.
func vdrHolds(env *accEnv, display string, fields ...string) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		vdrs := emu.VDRs()
		if len(vdrs) != 1 {
			return fmt.Errorf("want one VDR, the emulator holds %d", len(vdrs))
		}
		var got []string
		for _, f := range vdrs[0].Fields {
			got = append(got, f.Path+"="+f.Type+"@"+f.Level)
		}
		slices.Sort(got)
		slices.Sort(fields)
		if vdrs[0].DisplayName != display || !slices.Equal(got, fields) {
			return fmt.Errorf("VDR %q with fields %v, want %q with %v", vdrs[0].DisplayName, got, display, fields)
		}
		return nil
	})
}

// TestAccCommonResource_lifecycle creates a common resource, changes its
// display name, description and fields in place (one PUT, the id kept),
// imports it (every attribute as created), and destroys it.
func TestAccCommonResource_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	first := env.provider() + commonResourceHCL(`  object_name  = "myContact"
  display_name = "My contact"
  fields = [
    { path = "email", type = "string" },
    { path = "address.city", type = "string", level = "account" },
  ]
`)
	second := env.provider() + commonResourceHCL(`  object_name  = "myContact"
  display_name = "Contact"
  description  = "The canonical contact"
  fields = [
    { path = "email", type = "string" },
    { path = "address.city", type = "string", level = "instance" },
    { path = "birthday", type = "date" },
  ]
`)
	var id string
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(env.emu.VDRs()); n != 0 {
				return fmt.Errorf("%d VDRs left after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:           first,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(
					vdrHolds(env, "My contact", "email=string@organization", "address.city=string@account"),
					resource.TestCheckResourceAttr(commonResourceAddr, "description", ""),
					resource.TestCheckResourceAttr(commonResourceAddr, "fields.#", "2"),
					resource.TestCheckTypeSetElemNestedAttrs(commonResourceAddr, "fields.*",
						map[string]string{"path": "email", "type": "string", "level": "organization"}),
					resource.TestCheckResourceAttrWith(commonResourceAddr, "id", func(v string) error { id = v; return nil }),
					env.expectRequests("POST", "/vdrs", 1),
				),
			},
			{
				PreConfig: env.resetRequests,
				Config:    second,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(commonResourceAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					vdrHolds(env, "Contact", "email=string@organization", "address.city=string@instance", "birthday=date@organization"),
					resource.TestCheckResourceAttrWith(commonResourceAddr, "id", func(v string) error {
						if v != id {
							return fmt.Errorf("id %s after the update, was %s", v, id)
						}
						return nil
					}),
					env.expectRequests("PUT", "/vdrs/*", 1),
					env.expectRequests("POST", "/vdrs", 0),
				),
			},
			{ResourceName: commonResourceAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// TestAccCommonResource_planTimeErrors: duplicate field paths, an object
// name the platform cannot take, an unknown level and a data source given
// both id and object_name fail at plan time, naming the attribute, with no
// request.
func TestAccCommonResource_planTimeErrors(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.provider() + commonResourceHCL(`  object_name = "my contact"
  fields = [
    { path = "email", type = "string" },
    { path = "email", type = "number" },
    { path = "name", type = "string", level = "tenant" },
  ]
`) + `data "cloudelements_common_resource" "both" {
  id          = "12"
  object_name = "myContact"
}
`,
			PlanOnly: true,
			ExpectError: errorWithAll(
				[]string{"Duplicate field path", `the path "email" is given to more than one field`},
				[]string{"Invalid object_name", "must not contain spaces"},
				[]string{"fields", "level", "value must be one of"},
				[]string{"Invalid Attribute Combination", "id", "object_name"},
			),
		}},
	})
	if reqs := env.emu.Requests(); len(reqs) != 0 {
		t.Errorf("plan-time errors made requests: %s", describe(reqs))
	}
}

// TestAccCommonResource_deleteRefused: a platform that refuses to delete a
// common resource with transformations (vdrDelete=refuse) gives an error
// naming the status, the platform's message and the request id, once the
// delete timeout is over; state keeps the common resource.
func TestAccCommonResource_deleteRefused(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) { o.Variance.VDRDelete = emulator.AssetsRefuse }, nil)
	env.needsEmulator(t)
	config := env.provider() + commonResourceHCL(`  object_name = "refused"
  fields      = [{ path = "email", type = "string" }]
  timeouts    = { delete = "2s" }
`)
	var transformation int64
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					t, ok := env.emu.PutTransformation(emulator.Transformation{VDRID: env.emu.VDRs()[0].ID,
						ElementKey: "freshdeskv2", VendorName: "contacts",
						Fields: []emulator.TransformationField{{Path: "email", Type: "string", VendorPath: "email"}}})
					if !ok {
						panic("no VDR to map")
					}
					transformation = t.ID
				},
				Config:      config,
				Destroy:     true,
				ExpectError: errorWith("Cannot delete the common resource", "HTTP 409", "has 1 transformations", "request id", "Delete them first"),
			},
			{
				PreConfig: func() { env.emu.RemoveTransformation(transformation) },
				Config:    config,
				Check:     resource.TestCheckResourceAttr(commonResourceAddr, "object_name", "refused"),
			},
		},
	})
}

// TestAccCommonResource_notFound: a 404 from a host without common
// resources v2 (vdrLegacyOnly) is an error and state keeps the common
// resource; a 404 from a host that serves them means it was deleted
// outside Terraform: the plan creates it again.
func TestAccCommonResource_notFound(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	config := env.provider() + commonResourceHCL(`  object_name = "kept"
  fields      = [{ path = "email", type = "string" }]
`)
	legacy := func(on bool) func() {
		return func() {
			p := env.emu.Profile()
			p.Variance.VDRLegacyOnly = on
			env.emu.SetProfile(p)
		}
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig:   legacy(true),
				Config:      config,
				PlanOnly:    true,
				ExpectError: errorWith("Cannot read the common resource", "does not show that it is gone"),
			},
			{
				PreConfig: func() {
					legacy(false)()
					env.emu.RemoveVDR(env.emu.VDRs()[0].ID)
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// vdrIDOf is the id the emulator gave the common resource of objectName.
func vdrIDOf(emu *emulator.Server, objectName string) string {
	for _, v := range emu.VDRs() {
		if v.ObjectName == objectName {
			return strconv.FormatInt(v.ID, 10)
		}
	}
	return ""
}
