package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// seedCommonResource makes by hand, as in the platform's console, a common
// resource with fields of every level but system.
func seedCommonResource(emu *emulator.Server, objectName string) emulator.VDR {
	return emu.PutVDR(emulator.VDR{ObjectName: objectName, DisplayName: "Made <b>by</b> hand", Description: "console",
		Fields: []emulator.VDRField{{Path: "email", Type: "string"}, {Path: "address.city", Type: "string", Level: "account"},
			{Path: "tier", Type: "number", Level: "instance"}}})
}

// TestAccCommonResource_generateConfig: an import block with
// -generate-config-out writes configuration for a common resource made by
// hand, on a platform that adds system fields and reorders them, that
// plans the import alone, unedited, and writes nothing.
func TestAccCommonResource_generateConfig(t *testing.T) {
	env := newAccEnvWith(t, withProfile("noisy"), nil)
	env.needsEmulator(t)
	v := seedCommonResource(env.emu, "myContact")
	// The configured fields alone: no system field generated.
	generateConfigImport(t, env, commonResourceAddr, v.ID,
		plancheck.ExpectKnownValue(commonResourceAddr, tfjsonpath.New("fields"), knownvalue.SetSizeExact(3)))
	if w := writes(env.emu); len(w) != 0 {
		t.Errorf("the import wrote: %s", describe(w))
	}
}

// TestAccCommonResource_identity imports with an import block's identity
// (Terraform 1.12 and later): nothing to change.
func TestAccCommonResource_identity(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	v := seedCommonResource(env.emu, "identified")
	config := env.provider() + commonResourceHCL(`  object_name  = "identified"
  display_name = "Made <b>by</b> hand"
  description  = "console"
  fields = [
    { path = "email", type = "string" },
    { path = "address.city", type = "string", level = "account" },
    { path = "tier", type = "number", level = "instance" },
  ]
`) + fmt.Sprintf("import {\n  to       = %s\n  identity = { id = %q }\n}\n", commonResourceAddr, strconv.FormatInt(v.ID, 10))
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{{
			Config: config,
			ConfigPlanChecks: acc.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(commonResourceAddr, plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh,
			},
		}},
	})
}

// TestAccCommonResourceList_query runs `terraform query` (Terraform 1.14
// and later) over an abridged listing with system fields: identities,
// display names, the whole resource with include_resource (no system
// field), the filter, and no write.
func TestAccCommonResourceList_query(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) {
		o.Variance.ListAbridged, o.Variance.VDRExtras = true, true
	}, nil)
	env.needsEmulator(t)
	contact := seedCommonResource(env.emu, "myContact")
	seedCommonResource(env.emu, "myAccount")
	byID := queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(strconv.FormatInt(contact.ID, 10))})
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{Config: env.provider()},
			{
				PreConfig: env.resetRequests,
				Query:     true,
				Config: `
list "cloudelements_common_resource" "all" {
  provider         = cloudelements
  include_resource = true
}

list "cloudelements_common_resource" "named" {
  provider = cloudelements
  config {
    object_name = "myAccount"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cloudelements_common_resource.all", 2),
					querycheck.ExpectLength("cloudelements_common_resource.named", 1),
					querycheck.ExpectResourceDisplayName("cloudelements_common_resource.all", byID, knownvalue.StringExact("myContact")),
					querycheck.ExpectResourceKnownValues("cloudelements_common_resource.all", byID, []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("object_name"), KnownValue: knownvalue.StringExact("myContact")},
						{Path: tfjsonpath.New("display_name"), KnownValue: knownvalue.StringExact("Made <b>by</b> hand")},
						{Path: tfjsonpath.New("fields"), KnownValue: knownvalue.SetExact([]knownvalue.Check{
							knownvalue.ObjectExact(map[string]knownvalue.Check{"path": knownvalue.StringExact("email"),
								"type": knownvalue.StringExact("string"), "level": knownvalue.StringExact("organization")}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{"path": knownvalue.StringExact("address.city"),
								"type": knownvalue.StringExact("string"), "level": knownvalue.StringExact("account")}),
							knownvalue.ObjectExact(map[string]knownvalue.Check{"path": knownvalue.StringExact("tier"),
								"type": knownvalue.StringExact("number"), "level": knownvalue.StringExact("instance")}),
						})},
					}),
				},
			},
		},
	})
	if w := writes(env.emu); len(w) != 0 {
		t.Errorf("the query wrote: %s", describe(w))
	}
}

// TestAccCommonResourceList_generatedConfigApplies: `terraform query
// -generate-config-out` (Terraform 1.14 and later) over a noisy platform
// writes configuration that applies as imports alone, with no change and
// no write.
func TestAccCommonResourceList_generatedConfigApplies(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) {
		withProfile("noisy")(o)
		o.Variance.ListAbridged = true
	}, nil)
	env.needsEmulator(t)
	w := newCLIDir(t, cliOptions{minVersion: "1.14.0"})
	seedCommonResource(env.emu, "myContact")
	seedCommonResource(env.emu, "myAccount")
	w.write(cliRequiredProviders + env.provider())
	query := "list \"cloudelements_common_resource\" \"all\" {\n  provider         = cloudelements\n  include_resource = true\n}\n"
	if err := os.WriteFile(filepath.Join(w.dir, "all.tfquery.hcl"), []byte(query), 0o600); err != nil {
		t.Fatal(err)
	}
	w.must("init", "-input=false")
	w.must("query", "-generate-config-out=generated.tf")
	generated, err := os.ReadFile(filepath.Join(w.dir, "generated.tf"))
	if err != nil || !strings.Contains(string(generated), `"myContact"`) || strings.Contains(string(generated), "system") {
		t.Fatalf("generated.tf (%v) holds no myContact, or a system field:\n%s", err, generated)
	}
	out := w.must("apply", "-input=false", "-auto-approve")
	if !strings.Contains(out, "2 imported, 0 added, 0 changed, 0 destroyed") {
		t.Errorf("the generated configuration did more than import:\n%s", out)
	}
	if wr := writes(env.emu); len(wr) != 0 {
		t.Errorf("the query and apply wrote: %s", describe(wr))
	}
}
