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

// The request counts of two kinds measured together, a parent and a child
// (formula and formula instance; common resource and transformation): each
// operation alone, its requests split between the two by endpoint.

// pairSpec says how to count one pair.
type pairSpec struct {
	label string // workspace names and progress lines
	names [2]string
	// hcl is the configuration of n of each; renamed changes every one of
	// both in a way one request each updates.
	hcl func(n int, renamed bool) string
	// of says which of the two an endpoint ("GET /vdrs/{id}") is: 0, 1, or
	// -1 for neither (a dependency's requests).
	of func(endpoint string) int
	// imports are the terraform import arguments (address, id) of one of
	// each, from the state of n.
	imports func(state []harness.StateResource) ([2][2]string, error)
}

// pairCall is the requests per resource of one operation; wall is the
// run's wall time.
type pairCall struct {
	op         string
	per        [2]float64
	byEndpoint map[string]int
	wall       time.Duration
}

func (b *bench) pairWorkspace(name, hcl string) (*harness.Workspace, error) {
	ws, err := harness.NewWorkspace(filepath.Join(b.work, name), b.tools.Env(b.emu.Env(0)...))
	if err != nil {
		return nil, err
	}
	return ws, os.WriteFile(filepath.Join(ws.Dir, "main.tf"), []byte(hcl), 0o644)
}

// pairCalls counts requests per resource for each operation, as
// countCalls does for instances: create, refresh, update and delete of n
// of each (update and delete with -refresh=false), and the import of one
// of each.
func (b *bench) pairCalls(ctx context.Context, s pairSpec, n int) ([]pairCall, error) {
	var calls []pairCall
	ws, err := b.pairWorkspace(s.label+"-calls", s.hcl(n, false))
	if err != nil {
		return nil, err
	}
	measure := func(op string, per int, w *harness.Workspace, args ...string) error {
		before := b.emu.Stats()
		r, err := harness.MustSucceed(w.Terraform(ctx, args...))
		if err != nil {
			return err
		}
		_, byEndpoint, _ := delta(before, b.emu.Stats())
		var counts [2]int
		for e, c := range byEndpoint {
			if i := s.of(e); i >= 0 {
				counts[i] += c
			}
		}
		c := pairCall{op: op, byEndpoint: byEndpoint, wall: r.Wall}
		for i := range counts {
			c.per[i] = float64(counts[i]) / float64(per)
		}
		calls = append(calls, c)
		key := func(i int) string { return strings.ReplaceAll(s.names[i], " ", "_") }
		fmt.Printf("bench: %s calls %-8s %s=%.2f %s=%.2f per resource in %.2fs (%s)\n", s.label, op, key(0), c.per[0],
			key(1), c.per[1], r.Wall.Seconds(), harness.FormatCounts(byEndpoint))
		return nil
	}
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	if err := measure("create", n, ws, apply...); err != nil {
		return nil, err
	}
	if err := measure("refresh", n, ws, "plan", "-refresh=true", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(ws.Dir, "main.tf"), []byte(s.hcl(n, true)), 0o644); err != nil {
		return nil, err
	}
	if err := measure("update", n, ws, append(apply, "-refresh=false")...); err != nil {
		return nil, err
	}
	state, err := ws.State()
	if err != nil {
		return nil, err
	}
	imports, err := s.imports(state)
	if err != nil {
		return nil, err
	}
	imp, err := b.pairWorkspace(s.label+"-import", s.hcl(1, true))
	if err != nil {
		return nil, err
	}
	for _, a := range imports {
		if err := measure("import", 1, imp, "import", "-input=false", "-no-color", a[0], a[1]); err != nil {
			return nil, err
		}
	}
	return calls, measure("delete", n, ws, "destroy", "-auto-approve", "-refresh=false", "-input=false", "-no-color")
}

// pairTable is the markdown table of the counts.
func pairTable(s pairSpec, calls []pairCall) string {
	t := fmt.Sprintf("| operation | %s | %s | requests by endpoint |\n|---|---:|---:|---|\n", s.names[0], s.names[1])
	for _, c := range calls {
		t += fmt.Sprintf("| %s | %.2f | %.2f | %s |\n", c.op, c.per[0], c.per[1], harness.FormatCounts(c.byEndpoint))
	}
	return t
}

// mostPerOp is the largest requests-per-resource figure of each of the two.
func mostPerOp(calls []pairCall) (most [2]float64) {
	for _, c := range calls {
		most[0], most[1] = max(most[0], c.per[0]), max(most[1], c.per[1])
	}
	return most
}
