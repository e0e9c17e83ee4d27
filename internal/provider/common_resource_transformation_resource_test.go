package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// seedContact seeds a common resource "contact" with three fields, as
// cloudelements_common_resource would make it.
func seedContact(emu *emulator.Server) emulator.VDR {
	return emu.PutVDR(emulator.VDR{ObjectName: "contact", DisplayName: "Contact", Fields: []emulator.VDRField{
		{Path: "firstName", Type: "string"}, {Path: "lastName", Type: "string"}, {Path: "email", Type: "string"}}})
}

// transformationConfig is an organization-level transformation onto the
// element key ("org") and an instance-level one onto a Freshdesk instance
// managed here ("desk"), whose email field and script body are given.
func transformationConfig(env *accEnv, vdrID int64, key, emailPath, body string) string {
	return env.provider() + fmt.Sprintf(`
resource "cloudelements_freshdesk_instance" "desk" {
  name      = "desk"
  subdomain = "contacts"
  api_key   = "fd-api-key-0001"
}

resource "cloudelements_common_resource_transformation" "org" {
  common_resource_id = "%[1]d"
  element_key        = %[4]q
  vendor_name        = "contacts"
  fields = [
    { path = "firstName", type = "string", vendor_path = "name.first" },
    { path = "email", type = "string", vendor_path = "emails[0]", vendor_type = "string",
      configuration = jsonencode([{ type = "passThrough" }]) },
  ]
}

resource "cloudelements_common_resource_transformation" "desk" {
  common_resource_id = "%[1]d"
  instance_id        = cloudelements_freshdesk_instance.desk.id
  vendor_name        = "contacts"
  fields = [
    { path = "firstName", type = "string", vendor_path = "first_name" },
    { path = "lastName", type = "string", vendor_path = "last_name", configuration = jsonencode([{ type = "remove" }]) },
    { path = "email", type = "string", vendor_path = %[2]q },
  ]
  script = {
    body = %[3]q
  }
}
`, vdrID, emailPath, body, key)
}

// storedTransformation finds the emulator's transformation of vdrID onto
// instanceID (0: the organization-level one).
func storedTransformation(emu *emulator.Server, vdrID, instanceID int64) (emulator.Transformation, bool) {
	for _, t := range emu.Transformations() {
		if t.VDRID == vdrID && t.InstanceID == instanceID {
			return t, true
		}
	}
	return emulator.Transformation{}, false
}

// TestAccTransformation_lifecycle creates an organization-level and an
// instance-level transformation (the instance followed by reference),
// updates a field and the script in place with one PUT, replaces the
// other when its element changes, imports it
// (every attribute verified) and destroys both.
func TestAccTransformation_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	vdr := seedContact(env.emu)
	const desk = "cloudelements_common_resource_transformation.desk"
	const org = "cloudelements_common_resource_transformation.org"
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: env.check(func(emu *emulator.Server) error {
			if n := len(emu.Transformations()); n != 0 {
				return fmt.Errorf("%d transformations left after destroy", n)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config:           transformationConfig(env, vdr.ID, "freshdeskv2", "email", "done(transformed);\n"),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttr(org, "level", "organization"),
					resource.TestCheckResourceAttr(org, "common_resource_id", strconv.FormatInt(vdr.ID, 10)),
					resource.TestCheckNoResourceAttr(org, "instance_id"),
					resource.TestCheckResourceAttr(org, "fields.#", "2"),
					resource.TestCheckResourceAttr(desk, "level", "instance"),
					resource.TestCheckNoResourceAttr(desk, "element_key"),
					resource.TestCheckResourceAttrPair(desk, "instance_id", "cloudelements_freshdesk_instance.desk", "id"),
					resource.TestCheckResourceAttr(desk, "script.mime_type", "application/javascript"),
					resource.TestCheckResourceAttr(desk, "script.filter_empty_response", "false"),
					env.check(func(emu *emulator.Server) error {
						org, ok := storedTransformation(emu, vdr.ID, 0)
						if !ok || org.ElementKey != "freshdeskv2" || len(org.Fields) != 2 {
							return fmt.Errorf("organization-level transformation stored as %+v", org)
						}
						if len(emu.Instances()) != 1 {
							return fmt.Errorf("want one instance, emulator has %d", len(emu.Instances()))
						}
						d, ok := storedTransformation(emu, vdr.ID, emu.Instances()[0].ID)
						if !ok || d.Script == nil || d.Script.Body != "done(transformed);\n" {
							return fmt.Errorf("instance-level transformation stored as %+v", d)
						}
						return nil
					}),
				),
			},
			{
				PreConfig: env.resetRequests,
				Config:    transformationConfig(env, vdr.ID, "zendesk", "emails.primary", "  done(transformed);\n  // mapped\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(desk, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(org, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests(http.MethodPut, "/vdrs/*/transformations/*", 1),
					env.expectRequests(http.MethodPost, "/vdrs/*/transformations", 1), // org, replaced
					resource.TestCheckResourceAttr(org, "element_key", "zendesk"),
					env.check(func(emu *emulator.Server) error {
						d, _ := storedTransformation(emu, vdr.ID, emu.Instances()[0].ID)
						for _, f := range d.Fields {
							if f.Path == "email" && f.VendorPath != "emails.primary" {
								return fmt.Errorf("email still mapped onto %q", f.VendorPath)
							}
						}
						if d.Script == nil || !strings.Contains(d.Script.Body, "// mapped") {
							return fmt.Errorf("script not updated: %+v", d.Script)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:      org,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					rs := s.RootModule().Resources[org]
					return rs.Primary.Attributes["common_resource_id"] + "/" + rs.Primary.ID, nil
				},
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// fieldsByIDOnly answers every transformation's fields by vdrFieldId
// alone, without their path (a shape the client names by path from the
// common resource: ResolvePaths).
func fieldsByIDOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "/transformations") {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var v any
		if json.Unmarshal(body, &v) == nil {
			dropFieldPaths(v)
			body, _ = json.Marshal(v)
		}
		for k, vs := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = vs
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

func dropFieldPaths(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["vdrFieldId"]; ok {
			delete(x, "path")
		}
		for _, e := range x {
			dropFieldPaths(e)
		}
	case []any:
		for _, e := range x {
			dropFieldPaths(e)
		}
	}
}

// TestAccTransformation_platformVariance: script bodies answered trimmed,
// fields and keys reordered, ids and system fields added (the "noisy"
// profile), fields named by id alone and numbers as strings: one apply
// settles, a second plan is empty, and nothing is written after the
// create.
func TestAccTransformation_platformVariance(t *testing.T) {
	env := newAccEnvWith(t, withProfile("noisy"), fieldsByIDOnly)
	env.needsEmulator(t)
	vdr := seedContact(env.emu)
	config := env.provider() + fmt.Sprintf(`
resource "cloudelements_common_resource_transformation" "k" {
  common_resource_id = "%d"
  element_key        = "freshdeskv2"
  vendor_name        = "contacts"
  configuration      = jsonencode([{ type = "inherit", properties = { retries = 3, timeout = 3600000 } }])
  fields = [
    { path = "firstName", type = "string", vendor_path = "first_name" },
    { path = "lastName", type = "string", vendor_path = "last_name" },
    { path = "email", type = "string", vendor_path = "email", configuration = jsonencode([{ type = "passThrough" }]) },
  ]
  script = {
    body = "\n  var out = transformed;   \r\n  done(out);\n\n"
  }
}
`, vdr.ID)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:           config,
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: resource.ComposeTestCheckFunc(
				env.expectRequests(http.MethodPut, "/vdrs/*/transformations/*", 0),
				env.expectRequests(http.MethodPost, "/vdrs/*/transformations", 1),
			),
		}},
	})
}

// TestAccTransformation_planTimeValidation: a target given twice or not at
// all, a field mapped twice, a configuration that is not an array of
// typed objects and a malformed import id are refused at plan time, naming
// the attribute, before any request about common resources.
func TestAccTransformation_planTimeValidation(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	block := func(target, fields string) string {
		return env.provider() + fmt.Sprintf(`
resource "cloudelements_common_resource_transformation" "bad" {
  common_resource_id = "8001"
  %s
  vendor_name        = "contacts"
  fields             = [%s]
}
`, target, fields)
	}
	field := `{ path = "email", type = "string", vendor_path = "email" }`
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: env.check(func(emu *emulator.Server) error {
			if got := emu.RequestsTo("", "/vdrs"); len(got) != 0 {
				return fmt.Errorf("plan-time errors made requests: %s", describe(got))
			}
			if got := emu.RequestsTo("", "/vdrs/*/transformations"); len(got) != 0 {
				return fmt.Errorf("plan-time errors made requests: %s", describe(got))
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config:      block(`element_key = "freshdeskv2"`+"\n  instance_id = \"1001\"", field),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)element_key.*instance_id`),
			},
			{
				Config:      block(`element_key = "freshdeskv2"`, field+`, { path = "email", type = "string", vendor_path = "mail" }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)path "email" is mapped more than once`),
			},
			{
				Config: block(`element_key = "freshdeskv2"`,
					`{ path = "email", type = "string", vendor_path = "email", configuration = jsonencode({ type = "remove" }) }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)configuration.*must be a JSON array of objects with a type`),
			},
			{
				Config:        env.provider() + "resource \"cloudelements_common_resource_transformation\" \"bad\" {\n  common_resource_id = \"8001\"\n  element_key = \"freshdeskv2\"\n  vendor_name = \"contacts\"\n}\n",
				ResourceName:  "cloudelements_common_resource_transformation.bad",
				ImportState:   true,
				ImportStateId: "8001-8002",
				ExpectError:   regexp.MustCompile(`Expected <common_resource_id>/<transformation id>`),
			},
		},
	})
}

// TestAccTransformation_notFoundConfirmed: a 404 from a host that does not
// serve common resources at all keeps the transformation in state (an
// error says why); once the host serves them, a transformation deleted by
// hand is gone from state after a refresh.
func TestAccTransformation_notFoundConfirmed(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	vdr := seedContact(env.emu)
	const addr = "cloudelements_common_resource_transformation.k"
	config := env.provider() + fmt.Sprintf(`
resource "cloudelements_common_resource_transformation" "k" {
  common_resource_id = "%d"
  element_key        = "freshdeskv2"
  vendor_name        = "contacts"
}
`, vdr.ID)
	legacy := func(on bool) {
		p := env.emu.Profile()
		p.Variance.VDRLegacyOnly = on
		env.emu.SetProfile(p)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: resource.TestCheckNoResourceAttr(addr, "fields")},
			{
				PreConfig:    func() { legacy(true) },
				RefreshState: true,
				ExpectError:  regexp.MustCompile(`does not show that it is gone`),
			},
			{
				PreConfig: func() {
					legacy(false)
					for _, tr := range env.emu.Transformations() {
						env.emu.RemoveTransformation(tr.ID)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources[addr]; ok {
						return fmt.Errorf("%s deleted by hand, state keeps it", addr)
					}
					return nil
				},
			},
		},
	})
}
