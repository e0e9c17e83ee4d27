package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// The formula figures (issue 20): API requests per resource and operation
// for cloudelements_formula and cloudelements_formula_instance, and apply,
// plan (with refresh) and destroy of N formulas against floor_formula, the
// plugin floor serving the same schema with no I/O.

// formulaHCL is n formulas named prefix-NNN (each one script step and a
// configuration variable) of the provider whose local name is local
// ("cloudelements" or "floor") and, with instances, one Freshdesk instance
// and n formula instances, one of each formula, bound to it.
func formulaHCL(local string, n int, prefix, body string, instances bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "terraform {\n  required_providers {\n    %s = { source = \"cloudelements/%s\" }\n  }\n}\n\n", local, local)
	fmt.Fprintf(&b, `resource "%s_formula" "f" {
  count         = %d
  name          = format("%s%%03d", count.index + 1)
  configuration = [{ key = "desk", name = "Desk", type = "elementInstance" }]
  triggers      = [{ type = "event", on_success = ["run"], properties = jsonencode({ elementInstanceId = "$${desk}" }) }]
  steps = {
    run = { type = "script", properties = jsonencode({ scriptEngine = "v2", body = %q }) }
  }
}
`, local, n, prefix, body)
	if instances {
		fmt.Fprintf(&b, `
resource "cloudelements_freshdesk_instance" "desk" {
  name      = "formula-bench-desk"
  subdomain = "acme"
  api_key   = "harness-api-key"
}

resource "cloudelements_formula_instance" "fi" {
  count         = %d
  formula_id    = cloudelements_formula.f[count.index].id
  name          = format("%s%%03d", count.index + 1)
  configuration = { desk = cloudelements_freshdesk_instance.desk.id }
}
`, n, prefix)
	}
	return b.String()
}

// isFormulaInstanceEndpoint tells the formula instance requests from the
// formula ones ("GET /formulas/{id}/instances/{instanceId}").
func isFormulaInstanceEndpoint(e string) bool { return strings.Contains(e, "/instances") }

// formulaPair counts formulas and formula instances (endpoints under
// /formulas, split by /instances); update changes one step of every
// formula and the name of every formula instance: one PUT each.
var formulaPair = pairSpec{
	label: "formula", names: [2]string{"formula", "formula instance"},
	hcl: func(n int, renamed bool) string {
		if renamed {
			return formulaHCL("cloudelements", n, "fcalls-renamed-", "done(false);", true)
		}
		return formulaHCL("cloudelements", n, "fcalls-", "done(true);", true)
	},
	of: func(e string) int {
		switch {
		case !strings.Contains(e, " /formulas"):
			return -1
		case isFormulaInstanceEndpoint(e):
			return 1
		}
		return 0
	},
	imports: func(state []harness.StateResource) ([2][2]string, error) {
		var fid, fiID string
		for _, r := range state {
			switch {
			case strings.HasPrefix(r.Address, "cloudelements_formula.f[0]"):
				fid = r.ID
			case strings.HasPrefix(r.Address, "cloudelements_formula_instance.fi[0]"):
				fiID = r.ID
			}
		}
		if fid == "" || fiID == "" {
			return [2][2]string{}, fmt.Errorf("formula calls: no formula or formula instance in state")
		}
		return [2][2]string{{"cloudelements_formula.f[0]", fid}, {"cloudelements_formula_instance.fi[0]", fid + "/" + fiID}}, nil
	},
}

// formulaTiming is apply, plan (with refresh) and destroy of n formulas,
// medians per op, of the provider and of its plugin floor.
type formulaTiming struct {
	n                     int
	provider, floor       [numOps]time.Duration
	providerKiB, floorKiB int64
}

// formulaTimes times apply, plan (with refresh) and destroy of n formulas,
// the provider and floor_formula one after the other in each repetition.
func (b *bench) formulaTimes(ctx context.Context, n int) (formulaTiming, error) {
	t := formulaTiming{n: n}
	type side struct {
		ws      *harness.Workspace
		samples [numOps][]time.Duration
		rssKiB  *int64
	}
	var sides [2]side
	for i, local := range []string{"cloudelements", "floor"} {
		ws, err := b.pairWorkspace(fmt.Sprintf("formulas-n%d-%s", n, local), formulaHCL(local, n, "fbench-", "done(true);", false))
		if err != nil {
			return t, err
		}
		sides[i].ws = ws
	}
	sides[0].rssKiB, sides[1].rssKiB = &t.providerKiB, &t.floorKiB
	for rep := 1; rep <= b.o.reps; rep++ {
		for i := range sides {
			s := &sides[i]
			b.emu.ResetRequests()
			for op, args := range [numOps][]string{
				{"apply", "-auto-approve", "-input=false", "-no-color", b.par},
				{"plan", "-refresh=true", "-detailed-exitcode", "-input=false", "-no-color", b.par},
				{"destroy", "-auto-approve", "-input=false", "-no-color", b.par},
			} {
				r, err := harness.MustSucceed(s.ws.Terraform(ctx, args...))
				if err != nil {
					return t, fmt.Errorf("formulas N=%d %s (%s): %w", n, args[0], s.ws.Dir, err)
				}
				s.samples[op] = append(s.samples[op], r.Wall)
				*s.rssKiB = max(*s.rssKiB, r.PeakRSSKiB)
			}
			fmt.Printf("bench: formulas N=%d rep=%d %-13s apply=%.2fs plan=%.2fs destroy=%.2fs\n", n, rep,
				[]string{"provider", "plugin-floor"}[i], last(s.samples[opApply]), last(s.samples[opPlan]), last(s.samples[opDestroy]))
		}
	}
	for op := range numOps {
		t.provider[op], t.floor[op] = median(sides[0].samples[op]), median(sides[1].samples[op])
	}
	return t, nil
}

// formulaResults is the formula part of one run.
type formulaResults struct {
	calls  []pairCall
	callsN int
	timing formulaTiming
}

// runFormulas is the formula part of the bench: the request counts at
// callsN and the times at formulasN (0 skips them).
func (b *bench) runFormulas(ctx context.Context) (formulaResults, error) {
	r := formulaResults{callsN: b.o.callsN}
	var err error
	if r.calls, err = b.pairCalls(ctx, formulaPair, b.o.callsN); err != nil || b.o.formulasN <= 0 {
		return r, err
	}
	r.timing, err = b.formulaTimes(ctx, b.o.formulasN)
	return r, err
}

// markdown is the formula section of BENCHMARKS.md.
func (f formulaResults) markdown() string {
	if len(f.calls) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nAPI requests per resource of `cloudelements_formula` and `cloudelements_formula_instance`, each "+
		"operation alone (N=%d of each, one Freshdesk instance; update changes one step of every formula and renames "+
		"every formula instance; import is one of each):\n\n", f.callsN)
	b.WriteString(pairTable(formulaPair, f.calls))
	t := f.timing
	if t.n == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "\nN=%d `cloudelements_formula` (one trigger, one script step each) against `floor_formula` (the "+
		"plugin floor, same schema, no I/O), medians in seconds; peak RSS %.1f MiB and %.1f MiB:\n\n", t.n,
		mib(t.providerKiB), mib(t.floorKiB))
	b.WriteString("| operation | provider | plugin floor | provider / plugin floor |\n|---|---:|---:|---:|\n")
	for op := range numOps {
		fmt.Fprintf(&b, "| %s | %.2f | %.2f | %s |\n", opNames[op], t.provider[op].Seconds(), t.floor[op].Seconds(),
			ratioCell(t.provider[op], t.floor[op]))
	}
	return b.String()
}

// line is the formula figures in one line.
func (f formulaResults) line() string {
	most := mostPerOp(f.calls)
	t := f.timing
	return fmt.Sprintf("bench: formula_calls_per_op=%.2f formula_apply_ratio=%.2f formula_plan_ratio=%.2f formula_destroy_ratio=%.2f formula_rss_mib=%.1f",
		max(most[0], most[1]), ratio(t.provider[opApply], t.floor[opApply]), ratio(t.provider[opPlan], t.floor[opPlan]),
		ratio(t.provider[opDestroy], t.floor[opDestroy]), mib(t.providerKiB))
}
