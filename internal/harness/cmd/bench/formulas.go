package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// The formula figures (issue 20): API requests per resource and operation
// for cloudelements_formula and cloudelements_formula_instance, and apply,
// plan (with refresh) and destroy of N formulas. There is no floor provider
// with the formula schema yet, so these times stand alone.

// formulaHCL is n formulas named prefix-NNN (each one script step and a
// configuration variable) and, with instances, one Freshdesk instance and
// n formula instances, one of each formula, bound to it.
func formulaHCL(n int, prefix, body string, instances bool) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    cloudelements = { source = \"cloudelements/cloudelements\" }\n  }\n}\n\n")
	fmt.Fprintf(&b, `resource "cloudelements_formula" "f" {
  count         = %d
  name          = format("%s%%03d", count.index + 1)
  configuration = [{ key = "desk", name = "Desk", type = "elementInstance" }]
  triggers      = [{ type = "event", on_success = ["run"], properties = jsonencode({ elementInstanceId = "$${desk}" }) }]
  steps = {
    run = { type = "script", properties = jsonencode({ scriptEngine = "v2", body = %q }) }
  }
}
`, n, prefix, body)
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

func (b *bench) formulaWorkspace(name, hcl string) (*harness.Workspace, error) {
	ws, err := harness.NewWorkspace(filepath.Join(b.work, name), b.tools.Env(b.emu.Env(0)...))
	if err != nil {
		return nil, err
	}
	return ws, os.WriteFile(filepath.Join(ws.Dir, "main.tf"), []byte(hcl), 0o644)
}

// isFormulaInstanceEndpoint tells the formula instance requests from the
// formula ones ("GET /formulas/{id}/instances/{instanceId}").
func isFormulaInstanceEndpoint(e string) bool { return strings.Contains(e, "/instances") }

// formulaCalls counts requests per resource for each operation, as
// countCalls does for instances, separately for formulas and formula
// instances (endpoints under /formulas, split by /instances).
func (b *bench) formulaCalls(ctx context.Context, n int) error {
	ws, err := b.formulaWorkspace("formula-calls", formulaHCL(n, "fcalls-", "done(true);", true))
	if err != nil {
		return err
	}
	measure := func(op string, per int, w *harness.Workspace, args ...string) error {
		before := b.emu.Stats()
		if _, err := harness.MustSucceed(w.Terraform(ctx, args...)); err != nil {
			return err
		}
		_, byEndpoint, _ := delta(before, b.emu.Stats())
		var formulas, instances int
		for e, c := range byEndpoint {
			switch {
			case !strings.Contains(e, " /formulas"):
			case isFormulaInstanceEndpoint(e):
				instances += c
			default:
				formulas += c
			}
		}
		fmt.Printf("bench: formula calls %-8s formula=%.2f formula_instance=%.2f per resource (%s)\n", op,
			float64(formulas)/float64(per), float64(instances)/float64(per), harness.FormatCounts(byEndpoint))
		return nil
	}
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	if err := measure("create", n, ws, apply...); err != nil {
		return err
	}
	if err := measure("refresh", n, ws, "plan", "-refresh=true", "-input=false", "-no-color"); err != nil {
		return err
	}
	// One step of every formula and the name of every formula instance
	// change: one PUT each.
	if err := os.WriteFile(filepath.Join(ws.Dir, "main.tf"), []byte(formulaHCL(n, "fcalls-renamed-", "done(false);", true)), 0o644); err != nil {
		return err
	}
	if err := measure("update", n, ws, append(apply, "-refresh=false")...); err != nil {
		return err
	}
	state, err := ws.State()
	if err != nil {
		return err
	}
	var fid, fiID string
	for _, r := range state {
		switch {
		case strings.HasPrefix(r.Address, "cloudelements_formula.f[0]"):
			fid = r.ID
		case strings.HasPrefix(r.Address, "cloudelements_formula_instance.fi[0]"):
			fiID = r.ID
		}
	}
	imp, err := b.formulaWorkspace("formula-import", formulaHCL(1, "fcalls-renamed-", "done(false);", true))
	if err != nil {
		return err
	}
	if err := measure("import", 1, imp, "import", "-input=false", "-no-color", "cloudelements_formula.f[0]", fid); err != nil {
		return err
	}
	if err := measure("import", 1, imp, "import", "-input=false", "-no-color", "cloudelements_formula_instance.fi[0]", fid+"/"+fiID); err != nil {
		return err
	}
	return measure("delete", n, ws, "destroy", "-auto-approve", "-refresh=false", "-input=false", "-no-color")
}

// formulaTimes times apply, plan (with refresh) and destroy of n formulas.
func (b *bench) formulaTimes(ctx context.Context, n int) error {
	ws, err := b.formulaWorkspace(fmt.Sprintf("formulas-n%d", n), formulaHCL(n, "fbench-", "done(true);", false))
	if err != nil {
		return err
	}
	var walls []string
	for _, args := range [][]string{
		{"apply", "-auto-approve", "-input=false", "-no-color", b.par},
		{"plan", "-refresh=true", "-detailed-exitcode", "-input=false", "-no-color", b.par},
		{"destroy", "-auto-approve", "-input=false", "-no-color", b.par},
	} {
		r, err := harness.MustSucceed(ws.Terraform(ctx, args...))
		if err != nil {
			return fmt.Errorf("formulas N=%d %s: %w", n, args[0], err)
		}
		walls = append(walls, fmt.Sprintf("%s=%.2fs", args[0], r.Wall.Round(10*time.Millisecond).Seconds()))
	}
	fmt.Printf("bench: formulas N=%d %s (no floor with the formula schema)\n", n, strings.Join(walls, " "))
	return nil
}

// runFormulas is the formula part of the bench: the request counts at
// callsN and the times at formulasN (0 skips them).
func (b *bench) runFormulas(ctx context.Context) error {
	if err := b.formulaCalls(ctx, b.o.callsN); err != nil {
		return err
	}
	if b.o.formulasN <= 0 {
		return nil
	}
	return b.formulaTimes(ctx, b.o.formulasN)
}
