package provider

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The kind conformance suite (issue 26): one table of scenarios, run
// against every asset kind (kinds_rows_test.go), each against its own
// emulator answering one of the ways the platform may. A kind is added by
// adding a row; the suite then proves it. TestKindsConformance writes
// "kinds: kinds=N scenarios=M failures=F" to the file named by
// KINDS_REPORT, as the promotion test does with PROMOTION_REPORT.

// kindScenario is one row of the scenario table.
type kindScenario struct {
	name string
	run  func(t *testing.T, k kindRow)
}

func kindScenarios() []kindScenario {
	dropped := emulator.Fault{Kind: emulator.FaultCommitThenDrop}
	badGateway := emulator.Fault{Kind: emulator.FaultCommitThenStatus, Status: http.StatusBadGateway}
	current := emulator.Variance{}
	lagging := emulator.Variance{ListStale: 3 * time.Second}
	abridged := emulator.Variance{ListAbridged: true}
	return []kindScenario{
		{"lost answer, dropped, current listing", lostAnswer(dropped, current)},
		{"lost answer, 502, current listing", lostAnswer(badGateway, current)},
		{"lost answer, dropped, lagging listing", lostAnswer(dropped, lagging)},
		{"lost answer, 502, lagging listing", lostAnswer(badGateway, lagging)},
		{"lost answer, dropped, abridged listing", lostAnswer(dropped, abridged)},
		{"lost answer, 502, abridged listing", lostAnswer(badGateway, abridged)},
		{"answer about someone else's", foreignAnswer(`%[1]s`)},
		{"unreadable answer naming someone else's", foreignAnswer(`{"id":%[2]d,"name":`)},
		{"500 then a look-alike dated 2099", lookAlike},
		{"import then update", importThenUpdate},
		{"stale listing under batch reads", staleListing},
		{"abridged listing under batch reads", abridgedListing},
		{"numbers answered as strings at every magnitude", numbersAsStrings},
		{"names the platform trims or strips", normalizedNames},
		{"destroy with literal ids", destroyLiteral},
		// Secrets (answered in clear, masked, echoed into other fields) are
		// the "out" branch's: their scenarios go here.
	}
}

func TestKindsConformance(t *testing.T) {
	parallel(t) // its cells run in parallel with every other test
	rows, scenarios := kindRows(), kindScenarios()
	var failures, ran atomic.Int64
	t.Run("kinds", func(t *testing.T) {
		for _, sc := range scenarios {
			for _, k := range rows {
				t.Run(sc.name+"/"+k.name, func(t *testing.T) {
					parallel(t)
					defer func() {
						if !t.Skipped() {
							ran.Add(1)
						}
						if t.Failed() {
							failures.Add(1)
						}
					}()
					sc.run(t, k)
				})
			}
		}
	})
	if ran.Load() == 0 {
		return
	}
	line := fmt.Sprintf("kinds: kinds=%d scenarios=%d failures=%d\n", len(rows), len(scenarios), failures.Load())
	t.Log(strings.TrimSpace(line))
	if report := os.Getenv("KINDS_REPORT"); report != "" && ran.Load() == int64(len(rows)*len(scenarios)) {
		if err := os.WriteFile(report, []byte(line), 0o600); err != nil {
			t.Errorf("writing KINDS_REPORT: %v", err)
		}
	}
}

// kindEnv is a test's own emulator with the variance v, holding what k's
// configuration needs but does not make (k.prepare).
func kindEnv(t *testing.T, k kindRow, setup func(*emulator.Options)) *accEnv {
	t.Helper()
	env := newAccEnvWith(t, setup, nil)
	env.needsEmulator(t)
	if k.prepare != nil {
		k.prepare(env.emu)
	}
	return env
}

// stateIDs lists the ids of k's assets in state.
func stateIDs(s *terraform.State, k kindRow) []int64 {
	var ids []int64
	_ = eachInState(s, k.resource, func(id string, _ map[string]string) error {
		n, _ := strconv.ParseInt(id, 10, 64)
		ids = append(ids, n)
		return nil
	})
	slices.Sort(ids)
	return ids
}

// made checks that the emulator holds exactly the assets of k in state,
// besides those of keep (assets made by hand).
func made(env *accEnv, k kindRow, n int, keep ...int64) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		emu := slices.DeleteFunc(k.ids(env.emu), func(id int64) bool { return slices.Contains(keep, id) })
		slices.Sort(emu)
		if got := stateIDs(s, k); len(emu) != n || !slices.Equal(got, emu) {
			return fmt.Errorf("state holds %s %v, the emulator %v (want %d, besides %v)", k.name, got, emu, n, keep)
		}
		return nil
	}
}

// untouched checks that nothing but a GET went to asset id of k, and that
// it still exists: the provider never adopted it.
func untouched(env *accEnv, k kindRow, id int64) func(*terraform.State) error {
	return func(*terraform.State) error {
		if !slices.Contains(k.ids(env.emu), id) {
			return fmt.Errorf("%s %d, someone else's, is gone", k.name, id)
		}
		for _, r := range env.emu.Requests() {
			if r.Method != http.MethodGet && strings.HasSuffix(r.Path, "/"+strconv.FormatInt(id, 10)) {
				return fmt.Errorf("%s %s: the provider acted on someone else's %s", r.Method, r.Path, k.name)
			}
		}
		return nil
	}
}

// parentOf is a formula instance's formula in an import id, else "".
func parentOf(importID string) string {
	if p, _, ok := strings.Cut(importID, "/"); ok {
		return p
	}
	return ""
}

// lostAnswer: the create commits and its answer is lost; the provider
// finds what it made (across a lagging or abridged listing) and makes
// nothing more.
func lostAnswer(fault emulator.Fault, v emulator.Variance) func(*testing.T, kindRow) {
	return func(t *testing.T, k kindRow) {
		env := kindEnv(t, k, func(o *emulator.Options) { o.Variance = v })
		env.emu.Script(http.MethodPost, k.post, fault)
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:           env.provider() + k.config(kindOpts{name: "lost", count: 1}),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            made(env, k, 1),
			}},
		})
	}
}

// foreignAnswer: the create commits and is answered with someone else's
// asset (body, %[1]s the row's foreign answer, %[2]d its id); the
// provider never adopts it and finds its own.
func foreignAnswer(body string) func(*testing.T, kindRow) {
	return func(t *testing.T, k kindRow) {
		env := kindEnv(t, k, nil)
		foreign, importID := k.seed(env.emu, "someone else's", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
		answer := fmt.Sprintf(body, fmt.Sprintf(k.foreign, foreign), foreign)
		env.emu.Script(http.MethodPost, k.post, emulator.Fault{Kind: emulator.FaultCommitThenBody, Body: answer})
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             untouched(env, k, foreign),
			Steps: []resource.TestStep{{
				Config:           env.provider() + k.config(kindOpts{name: "mine", count: 1, parent: parentOf(importID)}),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            resource.ComposeTestCheckFunc(made(env, k, 1, foreign), untouched(env, k, foreign)),
			}},
		})
	}
}

// lookAlike: the create fails with a 500 before anything is made, and
// the listing shows an asset of the same name dated 2099. It is never
// adopted; a kind whose names are unique fails on the name.
func lookAlike(t *testing.T, k kindRow) {
	env := kindEnv(t, k, nil)
	other, importID := k.seed(env.emu, "look-alike", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))
	env.emu.Script(http.MethodPost, k.post, emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusInternalServerError})
	step := resource.TestStep{
		Config: env.provider() + k.config(kindOpts{name: "look-alike", count: 1, parent: parentOf(importID),
			extra: "  timeouts = { create = \"20s\" }\n"}),
		Check: resource.ComposeTestCheckFunc(made(env, k, 1, other), untouched(env, k, other)),
	}
	if k.unique {
		step.Check, step.ExpectError = nil, regexp.MustCompile(`(?i)409|already exists`)
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             untouched(env, k, other),
		Steps:                    []resource.TestStep{step},
	})
}

// importThenUpdate: an asset made by hand is imported, then renamed.
func importThenUpdate(t *testing.T, k kindRow) {
	env := kindEnv(t, k, nil)
	_, importID := k.seed(env.emu, "imported", time.Time{})
	config := func(name string) string {
		return env.provider() + importBlock(k.resource+".k[0]", importID) +
			k.config(kindOpts{name: name, count: 1, parent: parentOf(importID)})
	}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config("imported"), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config: config("renamed"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(k.resource+".k[0]", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: made(env, k, 1),
			},
		},
	})
}

// staleListing: with batch reads on, every asset is changed behind
// Terraform's back while the listings still show them as they were; the
// refresh sees the change all the same.
func staleListing(t *testing.T, k kindRow) {
	env := kindEnv(t, k, nil)
	config := env.provider() + k.config(kindOpts{name: "stale", count: 4})
	var seen func(*terraform.State, *emulator.Server) error
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: batchFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.emu.FreezeListings()
					seen = k.outside(env.emu)
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              func(s *terraform.State) error { return seen(s, env.emu) },
			},
			{PreConfig: env.emu.ThawListings, Config: config, Check: made(env, k, 4)},
		},
	})
}

// abridgedListing: with batch reads on and listings that abridge items,
// a refresh reads what it needs by GET and plans nothing.
func abridgedListing(t *testing.T, k kindRow) {
	env := kindEnv(t, k, func(o *emulator.Options) { o.Variance.ListAbridged = true })
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: batchFactories,
		Steps: []resource.TestStep{{
			Config:           env.provider() + k.config(kindOpts{name: "abridged", count: 4}),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check:            made(env, k, 4),
		}},
	})
}

// numbersAsStrings: ids above a million and numbers of every magnitude,
// answered as strings, settle after one apply.
func numbersAsStrings(t *testing.T, k kindRow) {
	env := kindEnv(t, k, func(o *emulator.Options) {
		withProfile("strings")(o)
		o.IDOffset = 1_000_000
	})
	sub := env.emu.PutFormula(emulator.Formula{Name: depName + "sub", Active: true})
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:           env.provider() + k.config(kindOpts{name: "numbers", count: 1, numbers: true, call: sub.ID}),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check:            made(env, k, 1),
		}},
	})
}

// normalizedNames: a name the platform stores without HTML and trimmed
// settles after one apply; a kind that refuses surrounding spaces at plan
// time says how to write the name instead.
func normalizedNames(t *testing.T, k kindRow) {
	env := kindEnv(t, k, nil)
	config := func(name string) string { return env.provider() + k.config(kindOpts{name: name, count: 1}) }
	steps := []resource.TestStep{{Config: config("  Sync <b>tickets</b> "), ConfigPlanChecks: emptyPlanAfterApply, Check: made(env, k, 1)}}
	if k.refusesSpaces {
		steps = []resource.TestStep{
			{Config: config("  Sync <b>tickets</b> "), PlanOnly: true, ExpectError: regexp.MustCompile(`write it as "Sync <b>tickets</b>"`)},
			{Config: config("Sync <b>tickets</b>"), ConfigPlanChecks: emptyPlanAfterApply, Check: made(env, k, 1)},
		}
	}
	accTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}

// destroyLiteral: an estate made by hand and imported with literal ids
// (no reference tells Terraform the order) is destroyed whole, though the
// platform refuses to delete a parent while a child is being deleted.
func destroyLiteral(t *testing.T, k kindRow) {
	env := kindEnv(t, k, withProfile("assets-refuse"))
	config, child := k.estate(env.emu)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if ids := k.ids(env.emu); len(ids) != 0 {
				return fmt.Errorf("%s %v left after destroy", k.name, ids)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: env.provider() + config},
			{
				// The child's delete takes its time: the parent's comes meanwhile.
				PreConfig: func() {
					env.emu.Script(http.MethodDelete, child, emulator.Fault{Kind: emulator.FaultDelay, Delay: 2 * time.Second})
				},
				Config:  env.provider() + config,
				Destroy: true,
			},
		},
	})
}
