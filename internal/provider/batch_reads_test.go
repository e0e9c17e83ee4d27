package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// batchMinReads is the reads by GET before a listing in these tests (the
// default is 10): small, so that a listing is plainly what answered.
const batchMinReads = 3

// batchFactories serve a provider that lists after batchMinReads reads.
var batchFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudelements": serverFactory(&cloudelementsProvider{version: "test", batchMinReads: batchMinReads}),
}

// batchConfig is 30 Freshdesk and 10 generic instances; extra goes into the
// provider block (batch_reads = false, say).
func batchConfig(env *accEnv, prefix, extra string) string {
	provider := env.provider()
	if extra != "" {
		provider = strings.Replace(provider, "}\n", "  "+extra+"\n}\n", 1)
	}
	return provider + fmt.Sprintf(`
resource "cloudelements_freshdesk_instance" "batch" {
  count     = 30
  name      = "%[1]s-fd-${count.index}"
  subdomain = "batch${count.index}"
  api_key   = "fd-api-key-0001"
  tags      = ["batch"]
}

resource "cloudelements_instance" "batch" {
  count                = 10
  element_key          = "freshdeskv2"
  name                 = "%[1]s-gen-${count.index}"
  configuration        = { subdomain = "gen${count.index}" }
  secret_configuration = { username = "fd-api-key-0002" }
}
`, prefix)
}

// batchTest creates the 40 instances (the plan after is empty), then runs
// steps, with the provider that lists after batchMinReads reads.
func batchTest(t *testing.T, env *accEnv, prefix string, steps ...resource.TestStep) {
	t.Helper()
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: batchFactories,
		Steps:                    append([]resource.TestStep{{Config: batchConfig(env, prefix, ""), ConfigPlanChecks: emptyPlanAfterApply}}, steps...),
	})
}

// readCounts are the listing pages and the single reads recorded.
func readCounts(emu *emulator.Server) (lists, gets int) {
	return len(emu.RequestsTo("GET", "/instances")), len(emu.RequestsTo("GET", "/instances/{id}"))
}

// expectReads checks the record against a check of the counts, then resets it.
func expectReads(env *accEnv, ok func(lists, gets int) bool, want string) emulatorCheck {
	return emulatorCheck{env: env, f: func(emu *emulator.Server) error {
		defer emu.ResetRequests()
		lists, gets := readCounts(emu)
		if w := writes(emu); len(w) > 0 {
			return fmt.Errorf("a refresh wrote: %s", describe(w))
		}
		if !ok(lists, gets) {
			return fmt.Errorf("want %s; recorded %d listing pages and %d GETs", want, lists, gets)
		}
		return nil
	}}
}

// emulatorPlanCheck runs f on the emulator as a plan check (plan-only steps
// run no Check).
type emulatorPlanCheck emulatorCheck

func (c emulatorPlanCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if c.env.emu != nil {
		resp.Error = c.f(c.env.emu)
	}
}

// TestAccBatchReads_refresh: a refresh of 40 instances of both resource types
// reads batchMinReads by GET and the rest from one listing page; with
// batch_reads = false every instance is read by GET and nothing is listed.
func TestAccBatchReads_refresh(t *testing.T) {
	env := newAccEnv(t)
	batchTest(t, env, "refresh",
		resource.TestStep{
			PreConfig:    env.resetRequests,
			RefreshState: true,
			Check:        env.check(expectReads(env, func(l, g int) bool { return l == 1 && g == batchMinReads }, "1 page and 3 GETs").f),
		},
		resource.TestStep{
			PreConfig: env.resetRequests,
			Config:    batchConfig(env, "refresh", "batch_reads = false"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(),
				emulatorPlanCheck(expectReads(env, func(l, g int) bool { return l == 0 && g == 40 }, "no page and 40 GETs"))}},
		},
	)
}

// TestAccBatchReads_listingIsNotEvidence: instances missing from the listing
// are removed from state only on their own GET's 404; a drifted instance is
// confirmed by GET and planned back.
func TestAccBatchReads_listingIsNotEvidence(t *testing.T) {
	env := newAccEnv(t)
	var gone []int64
	batchTest(t, env, "gone",
		resource.TestStep{
			PreConfig: func() {
				env.resetRequests()
				gone = nil
				for _, inst := range env.emu.Instances() {
					switch inst.Name {
					case "gone-fd-7", "gone-gen-3":
						gone = append(gone, inst.ID)
						env.emu.RemoveInstance(inst.ID)
					case "gone-fd-12":
						env.emu.ModifyInstance(inst.ID, func(i *emulator.Instance) { i.Name = "renamed by hand" })
					}
				}
			},
			Config:             batchConfig(env, "gone", ""),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				// The plan with -refresh=false reads nothing.
				PostApplyPreRefresh: []plancheck.PlanCheck{emulatorPlanCheck(expectReads(env,
					func(l, g int) bool { return l == 0 && g == 0 }, "no read with -refresh=false"))},
				PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cloudelements_freshdesk_instance.batch[7]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("cloudelements_instance.batch[3]", plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("cloudelements_freshdesk_instance.batch[12]", plancheck.ResourceActionUpdate),
					emulatorPlanCheck{env: env, f: func(emu *emulator.Server) error {
						for _, id := range gone {
							rs := emu.RequestsTo("GET", fmt.Sprintf("/instances/%d", id))
							if len(rs) == 0 || rs[0].Status != 404 {
								return fmt.Errorf("instance %d was dropped without its own GET answering 404: %s", id, describe(rs))
							}
						}
						if lists, gets := readCounts(emu); lists == 0 || gets > batchMinReads+4 {
							return fmt.Errorf("%d pages, %d GETs: want the listing and GETs only for the first reads, the gone and the drifted", lists, gets)
						}
						return nil
					}},
				}},
		},
	)
}

// TestAccBatchReads_abridged: listing items without configuration and token
// cannot answer, so a subdomain changed by hand is still seen (by GET).
func TestAccBatchReads_abridged(t *testing.T) {
	env := newAccEnvWith(t, withProfile("list-abridged"), nil)
	batchTest(t, env, "abridged",
		resource.TestStep{
			PreConfig: func() {
				env.resetRequests()
				for _, inst := range env.emu.Instances() {
					if inst.Name == "abridged-fd-5" {
						env.emu.ModifyInstance(inst.ID, func(i *emulator.Instance) { i.Configuration["subdomain"] = "changed-by-hand" })
					}
				}
			},
			Config:             batchConfig(env, "abridged", ""),
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("cloudelements_freshdesk_instance.batch[5]", plancheck.ResourceActionUpdate),
				emulatorPlanCheck(expectReads(env, func(l, g int) bool { return l == 1 && g == 40 }, "1 page and 40 GETs")),
			}},
		},
	)
}

// TestAccBatchReads_stale: listings a minute behind the writes. After every
// instance is renamed, the refresh finds the old names listed and reads
// those instances by GET: state keeps the new names and the plan is empty.
func TestAccBatchReads_stale(t *testing.T) {
	env := newAccEnvWith(t, func(o *emulator.Options) {
		withProfile("list-stale")(o)
		o.Variance.ListStale = time.Minute // longer than a step takes on a busy machine
	}, nil)
	batchTest(t, env, "before",
		resource.TestStep{
			PreConfig: env.resetRequests,
			Config:    batchConfig(env, "after", ""),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectEmptyPlan(),
				emulatorPlanCheck{env: env, f: func(emu *emulator.Server) error {
					if lists, gets := readCounts(emu); lists == 0 || gets < 40 {
						return fmt.Errorf("%d pages, %d GETs: want the stale listing read and every renamed instance read by GET", lists, gets)
					}
					return nil
				}},
			}},
			Check: auditBatch(env),
		},
	)
}

// auditBatch checks the emulator holds the 40 instances, every one renamed.
func auditBatch(env *accEnv) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		insts := emu.Instances()
		if len(insts) != 40 {
			return fmt.Errorf("%d instances on the emulator, want 40", len(insts))
		}
		for _, inst := range insts {
			if !strings.HasPrefix(inst.Name, "after-") {
				return fmt.Errorf("instance %d is named %q", inst.ID, inst.Name)
			}
		}
		return nil
	})
}

// TestAccBatchReads_import: an import block among 40 instances refreshed from
// the listing imports the seeded instance whole and writes nothing.
func TestAccBatchReads_import(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	seed := importSeed(env.emu, "batch-import", "ops")
	importBlock := fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", instanceAddr, strconv.FormatInt(seed.ID, 10))
	withImport := batchConfig(env, "import", "") + importedConfig(seed, `  api_key   = "fd-key-made-by-hand"`+"\n") + importBlock
	batchTest(t, env, "import",
		resource.TestStep{
			PreConfig:         env.resetRequests,
			Config:            withImport,
			ConfigPlanChecks:  emptyPlanAfterApply,
			ConfigStateChecks: append(importedChecks(instanceAddr, seed), expectNoWrites(env, seed)),
		},
	)
}

// TestBatchReadsFrom: the attribute wins, then the environment; on by
// default; a bad environment value is an error naming the variable.
func TestBatchReadsFrom(t *testing.T) {
	for _, tc := range []struct {
		attr    types.Bool
		env     string
		want    bool
		wantErr bool
	}{
		{types.BoolNull(), "", true, false},
		{types.BoolNull(), "false", false, false},
		{types.BoolNull(), "0", false, false},
		{types.BoolNull(), "TRUE", true, false},
		{types.BoolValue(true), "false", true, false},
		{types.BoolValue(false), "", false, false},
		{types.BoolNull(), "sometimes", false, true},
	} {
		t.Setenv(envBatchReads, tc.env)
		got, err := batchReadsFrom(tc.attr)
		if got != tc.want || (err != nil) != tc.wantErr || (err != nil && !strings.Contains(err.Error(), envBatchReads)) {
			t.Errorf("attr %v env %q: got %v, %v", tc.attr, tc.env, got, err)
		}
	}
}
