package provider

import (
	"fmt"
	"os"
	"strconv"
	"testing"

	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// importGuideExample is the import guide's for_each example, which users
// copy unchanged.
const importGuideExample = "../../examples/guides/importing-for-each/main.tf"

// TestAccImportGuide_forEachExample applies the guide's example file as
// written to instances with events on (polling with a signature key,
// webhooks), off, and disabled: the plan is the imports alone, the apply
// makes no API write and changes no token, and the next plan is empty
// (issue 18 item 16: it planned events -> null and switched events off).
func TestAccImportGuide_forEachExample(t *testing.T) {
	example, err := os.ReadFile(importGuideExample)
	if err != nil {
		t.Fatal(err)
	}
	env := newAccEnv(t)
	env.needsEmulator(t)
	env.emu.SetDefaultPageSize(2)
	polling := importSeed(env.emu, "desk polling", "support")
	webhook := importSeed(env.emu, "desk webhook", "support", "eu")
	quiet := importSeed(env.emu, "desk quiet", "support")
	off := importSeed(env.emu, "desk off", "support")
	importSeed(env.emu, "not support")
	env.emu.ModifyInstance(polling.ID, func(i *emulator.Instance) {
		i.Configuration["event.notification.enabled"] = "true"
		i.Configuration["event.notification.callback.url"] = "https://hooks.example.com/polling"
		i.Configuration["event.vendor.type"] = "polling"
		i.Configuration["event.poller.refresh_interval"] = "3"
		i.Configuration["event.poller.configuration"] = `{"incidents":{"url":"/hubs/helpdesk/incidents","idField":"id"}}`
		i.Configuration["event.notification.signature.key"] = "signature-set-by-hand"
	})
	env.emu.ModifyInstance(webhook.ID, func(i *emulator.Instance) {
		i.Configuration["event.notification.enabled"] = "true"
		i.Configuration["event.notification.callback.url"] = "https://hooks.example.com/webhook"
		i.Configuration["event.vendor.type"] = "webhook"
	})
	env.emu.ModifyInstance(off.ID, func(i *emulator.Instance) { i.Disabled = true })
	seeded := []emulator.Instance{polling, webhook, quiet, off}
	for i := range seeded {
		seeded[i], _ = env.emu.Instance(seeded[i].ID)
	}

	addr := func(inst emulator.Instance) string {
		return fmt.Sprintf("cloudelements_freshdesk_instance.helpdesk[%q]", strconv.FormatInt(inst.ID, 10))
	}
	var planChecks []plancheck.PlanCheck
	for _, inst := range seeded {
		planChecks = append(planChecks, plancheck.ExpectResourceAction(addr(inst), plancheck.ResourceActionNoop))
	}
	events := func(attr string) tfjsonpath.Path { return tfjsonpath.New("events").AtMapKey(attr) }
	stateChecks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr(polling), events("poller_refresh_interval"), knownvalue.Int64Exact(3)),
		statecheck.ExpectKnownValue(addr(webhook), events("vendor_type"), knownvalue.StringExact("webhook")),
		statecheck.ExpectKnownValue(addr(quiet), tfjsonpath.New("events"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr(off), tfjsonpath.New("enabled"), knownvalue.Bool(false)),
		expectNoWrites(env, seeded...),
	}
	accTest(t, acc.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{{
			PreConfig:         env.resetRequests,
			Config:            env.provider() + string(example),
			ConfigPlanChecks:  acc.ConfigPlanChecks{PreApply: planChecks, PostApplyPostRefresh: emptyPlanAfterApply.PostApplyPostRefresh},
			ConfigStateChecks: stateChecks,
		}, forgetStep(env, "cloudelements_freshdesk_instance.helpdesk", seeded...)},
	})
}

// forgetStep removes the resources at from (for_each instances included)
// from state without destroying them, since the test's teardown cannot read
// for_each keys, and checks that still nothing was written.
func forgetStep(env *accEnv, from string, seeded ...emulator.Instance) acc.TestStep {
	return acc.TestStep{
		Config: env.provider() + `
removed {
  from = ` + from + `
  lifecycle {
    destroy = false
  }
}
`,
		ConfigStateChecks: []statecheck.StateCheck{expectNoWrites(env, seeded...)},
	}
}

// generateConfigImport plans an import block for instance id into addr with
// -generate-config-out (Terraform 1.5 and later): the generated
// configuration, unedited, must plan the import alone (no-op), and checks
// hold on that plan.
func generateConfigImport(t *testing.T, env *accEnv, addr string, id int64, checks ...plancheck.PlanCheck) {
	t.Helper()
	accTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		Steps: []acc.TestStep{{
			Config:          env.provider(),
			ResourceName:    addr,
			ImportState:     true,
			ImportStateKind: acc.ImportBlockWithID,
			ImportStateId:   strconv.FormatInt(id, 10),
			GenerateConfig:  true,
			ImportPlanChecks: acc.ImportPlanChecks{PreApply: append([]plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
			}, checks...)},
		}},
	})
}
