package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The zero-write checks in this file (expectNoWrites) hold once a configured
// API key is adopted after an import instead of being sent (issue 13 item 1,
// in the resource file): before that, the first apply re-provisions with a
// PUT, or refuses a configuration without a key.

// importSeed puts a hand-made Freshdesk instance into the emulator, as one
// made in the console before Terraform.
func importSeed(emu *emulator.Server, name string, tags ...string) emulator.Instance {
	return emu.PutInstance(emulator.Instance{
		Name: name,
		Tags: tags,
		Configuration: map[string]string{
			"subdomain": strings.ReplaceAll(name, " ", "-"),
			"username":  "fd-key-made-by-hand",
		},
	})
}

// expectNoWrites fails if the emulator recorded any write since the last
// reset, or if a seeded instance's token changed: an import must not touch
// what it imports. A state check, not a Check: Checks read state through a
// shim that refuses for_each keys.
// emulatorCheck runs f on the emulator's record as a state check.
type emulatorCheck struct {
	env *accEnv
	f   func(*emulator.Server) error
}

func (c emulatorCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if c.env.emu != nil {
		resp.Error = c.f(c.env.emu)
	}
}

// importedConfig is a resource block for a seeded instance; key is pasted in.
func importedConfig(inst emulator.Instance, key string) string {
	quoted := make([]string, len(inst.Tags))
	for i, tag := range inst.Tags {
		quoted[i] = strconv.Quote(tag)
	}
	tags := "" // no tags: tags left out, as an import records none
	if len(quoted) > 0 {
		tags = "  tags      = [" + strings.Join(quoted, ", ") + "]\n"
	}
	return fmt.Sprintf(`resource "cloudelements_freshdesk_instance" "test" {
  name      = %q
  subdomain = %q
%s%s}
`, inst.Name, inst.Configuration["subdomain"], tags, key)
}

// importedChecks are the state an import of inst must give.
func importedChecks(addr string, inst emulator.Instance) []statecheck.StateCheck {
	at := func(attr string, want knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), want)
	}
	return []statecheck.StateCheck{
		at("id", knownvalue.StringExact(strconv.FormatInt(inst.ID, 10))),
		at("name", knownvalue.StringExact(inst.Name)),
		at("subdomain", knownvalue.StringExact(inst.Configuration["subdomain"])),
		at("token", knownvalue.StringExact(inst.Token)),
		at("enabled", knownvalue.Bool(true)),
	}
}

// TestAccImport_byID imports with `terraform import` (every version), then
// applies the configuration with the API key set: nothing is written.
func TestAccImport_byID(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	inst := importSeed(env.emu, "console desk", "prod")
	config := env.provider() + importedConfig(inst, `  api_key   = "fd-key-made-by-hand"`+"\n")

	accTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{
				Config:             config,
				ResourceName:       instanceAddr,
				ImportState:        true,
				ImportStateId:      strconv.FormatInt(inst.ID, 10),
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 || states[0].ID != strconv.FormatInt(inst.ID, 10) {
						return fmt.Errorf("want one imported instance %d, got %d", inst.ID, len(states))
					}
					return nil
				},
			},
			{
				// The first apply after the import adopts the key: Terraform
				// shows an update (api_key from null to the configured
				// value, which only state records), and no request is sent.
				Config:            config,
				ConfigPlanChecks:  acc.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionUpdate)}, PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh},
				ConfigStateChecks: append(importedChecks(instanceAddr, inst), expectNoWrites(env, inst)),
			},
		},
	})
}

// TestAccImport_forEachBlocks imports every Freshdesk instance that
// cloudelements_instances finds, with import blocks and for_each (Terraform
// 1.7 and later), and resource blocks written from the data source alone:
// no API key, as adopting needs none.
func TestAccImport_forEachBlocks(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.SetDefaultPageSize(2) // three pages
	seeded := []emulator.Instance{
		importSeed(env.emu, "desk one", "prod"),
		importSeed(env.emu, "desk two", "prod", "eu"),
		importSeed(env.emu, "desk three"),
	}
	env.emu.ModifyInstance(seeded[1].ID, func(i *emulator.Instance) { i.Disabled = true })
	env.emu.ModifyInstance(seeded[2].ID, func(i *emulator.Instance) { i.Configuration["filter.response.nulls"] = "false" })
	for i := range seeded {
		seeded[i], _ = env.emu.Instance(seeded[i].ID)
	}
	env.emu.PutInstance(emulator.Instance{Name: "not freshdesk", ElementKey: "zendesk", Configuration: map[string]string{"subdomain": "z"}})

	config := env.provider() + `
data "cloudelements_instances" "freshdesk" {
  element_key = "freshdeskv2"
}

locals {
  found = { for i in data.cloudelements_instances.freshdesk.instances : i.id => i }
}

import {
  for_each = local.found
  to       = cloudelements_freshdesk_instance.imported[each.key]
  id       = each.key
}

resource "cloudelements_freshdesk_instance" "imported" {
  for_each = local.found

  name                  = each.value.name
  subdomain             = each.value.subdomain
  tags                  = length(each.value.tags) > 0 ? each.value.tags : null
  enabled               = each.value.enabled
  filter_response_nulls = each.value.filter_response_nulls
}
`
	addr := func(inst emulator.Instance) string {
		return fmt.Sprintf("cloudelements_freshdesk_instance.imported[%q]", strconv.FormatInt(inst.ID, 10))
	}
	var planChecks []plancheck.PlanCheck
	var stateChecks []statecheck.StateCheck
	for _, inst := range seeded {
		planChecks = append(planChecks, plancheck.ExpectResourceAction(addr(inst), plancheck.ResourceActionNoop))
		stateChecks = append(stateChecks, statecheck.ExpectKnownValue(addr(inst), tfjsonpath.New("token"), knownvalue.StringExact(inst.Token)))
	}
	stateChecks = append(stateChecks, statecheck.ExpectKnownValue(addr(seeded[1]), tfjsonpath.New("enabled"), knownvalue.Bool(false)))

	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{{
			Config:            config,
			ConfigPlanChecks:  acc.ConfigPlanChecks{PreApply: planChecks, PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh},
			ConfigStateChecks: append(stateChecks, expectNoWrites(env, seeded...)),
		}, forgetStep(env, "cloudelements_freshdesk_instance.imported", seeded...)},
	})
}

// TestAccImport_identity imports with an import block's identity (Terraform
// 1.12 and later), then again with the identity the state now holds.
func TestAccImport_identity(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	inst := importSeed(env.emu, "identity desk", "prod")
	id := strconv.FormatInt(inst.ID, 10)
	config := env.provider() + importedConfig(inst, "")
	identity := map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}

	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{
				// A bad id fails before any request.
				Config:      config + identityImport("desk-1"),
				PlanOnly:    true,
				ExpectError: errorWith(`Invalid import id`),
			},
			{
				Config: config + identityImport(id),
				ConfigPlanChecks: acc.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(instanceAddr, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh,
				},
				ConfigStateChecks: append(importedChecks(instanceAddr, inst), statecheck.ExpectIdentity(instanceAddr, identity), expectNoWrites(env, inst)),
			},
			{
				ResourceName:    instanceAddr,
				ImportState:     true,
				ImportStateKind: acc.ImportBlockWithResourceIdentity,
				Config:          config,
			},
		},
	})
}

// identityImport is an import block by identity for the test resource.
func identityImport(id string) string {
	return fmt.Sprintf("import {\n  to       = %s\n  identity = { id = %q }\n}\n", instanceAddr, id)
}

// TestAccImport_identityAddedOnRefresh: state written by a provider without
// identity gains it on the next refresh.
func TestAccImport_identityAddedOnRefresh(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	inst := importSeed(env.emu, "old state desk")
	id := strconv.FormatInt(inst.ID, 10)
	config := env.provider() + importedConfig(inst, "") +
		fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", instanceAddr, id)

	accTest(t, acc.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []acc.TestStep{
			{
				ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
					"cloudelements": serverFactory(noIdentityProvider{New("test")()}),
				},
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(instanceAddr, tfjsonpath.New("id"), knownvalue.StringExact(id))},
			},
			{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Config:                   config,
				ConfigPlanChecks:         emptyPlanAfterApply,
				ConfigStateChecks:        []statecheck.StateCheck{statecheck.ExpectIdentity(instanceAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}), expectNoWrites(env, inst)},
			},
		},
	})
}

// noIdentityProvider serves the resource as it was before identity: the
// same resource behind a type that does not declare an identity schema.
type noIdentityProvider struct{ provider.Provider }

func (p noIdentityProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource {
		return noIdentityResource{newFreshdeskInstanceResource()}
	}}
}

// noIdentityResource forwards every interface the resource has but identity.
type noIdentityResource struct{ r *freshdeskInstanceResource }

func (n noIdentityResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	n.r.Metadata(ctx, req, resp)
}

func (n noIdentityResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	n.r.Schema(ctx, req, resp)
}

func (n noIdentityResource) Configure(ctx context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	n.r.Configure(ctx, req, resp)
}

func (n noIdentityResource) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	return n.r.ConfigValidators(ctx)
}

func (n noIdentityResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	n.r.ModifyPlan(ctx, req, resp)
}

func (n noIdentityResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	n.r.Create(ctx, req, resp)
}

func (n noIdentityResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	n.r.Read(ctx, req, resp)
}

func (n noIdentityResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	n.r.Update(ctx, req, resp)
}

func (n noIdentityResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	n.r.Delete(ctx, req, resp)
}

func (n noIdentityResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	n.r.ImportState(ctx, req, resp)
}

// TestAccImport_generateConfig: `terraform plan -generate-config-out` for
// an import block writes configuration whose plan is the import alone,
// with no edit (the key is needed only to create or re-provision).
func TestAccImport_generateConfig(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t) // the instance is "made by hand" in the emulator
	made := env.emu.PutInstance(emulator.Instance{
		Name: "Generated", Tags: []string{"manual"},
		Configuration: map[string]string{"subdomain": "generated", "username": "fd-api-key-0001"},
	})
	generateConfigImport(t, env, instanceAddr, made.ID)
}
