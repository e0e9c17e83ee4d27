package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// The common resource figures (issue 29): API requests per resource and
// operation for cloudelements_common_resource and
// cloudelements_common_resource_transformation, N of each, every common
// resource mapped onto Freshdesk (organization level) by its own
// transformation, and the wall times of those runs. No plugin floor serves
// these schemas, so the times stand alone. `make bench` runs it after the
// formula part; `-only vdr` (`make bench-vdr`) runs it alone.

// vdrHCL is n common resources vbenchNNN and a transformation of each;
// renamed changes every display name and one vendor path of every
// transformation (one PUT each; object_name, whose change replaces, stays).
func vdrHCL(n int, renamed bool) string {
	display, vendorPath := "Contact %03d", "name"
	if renamed {
		display, vendorPath = "Renamed contact %03d", "full_name"
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}

resource "cloudelements_common_resource" "v" {
  count        = %[1]d
  object_name  = format("vbench%%03d", count.index + 1)
  display_name = format(%[2]q, count.index + 1)
  fields = [
    { path = "email", type = "string" },
    { path = "name", type = "string" },
  ]
}

resource "cloudelements_common_resource_transformation" "t" {
  count              = %[1]d
  common_resource_id = cloudelements_common_resource.v[count.index].id
  element_key        = "freshdeskv2"
  vendor_name        = "contacts"
  fields = [
    { path = "email", type = "string", vendor_path = "email" },
    { path = "name", type = "string", vendor_path = %[3]q },
  ]
}
`, n, display, vendorPath)
}

// vdrPair splits the requests under /vdrs: those of a transformation name
// /transformations.
var vdrPair = pairSpec{
	label: "vdr", names: [2]string{"common resource", "transformation"},
	hcl: vdrHCL,
	of: func(e string) int {
		switch {
		case !strings.Contains(e, " /vdrs"):
			return -1
		case strings.Contains(e, "/transformations"):
			return 1
		}
		return 0
	},
	imports: func(state []harness.StateResource) ([2][2]string, error) {
		var vid, tid string
		for _, r := range state {
			switch r.Address {
			case "cloudelements_common_resource.v[0]":
				vid = r.ID
			case "cloudelements_common_resource_transformation.t[0]":
				tid = r.ID
			}
		}
		if vid == "" || tid == "" {
			return [2][2]string{}, fmt.Errorf("vdr calls: no common resource or transformation in state")
		}
		return [2][2]string{{"cloudelements_common_resource.v[0]", vid},
			{"cloudelements_common_resource_transformation.t[0]", vid + "/" + tid}}, nil
	},
}

// vdrResults is the common resource part of one run.
type vdrResults struct {
	calls []pairCall
	n     int
}

func (b *bench) runVDRs(ctx context.Context) (vdrResults, error) {
	calls, err := b.pairCalls(ctx, vdrPair, b.o.callsN)
	return vdrResults{calls: calls, n: b.o.callsN}, err
}

// wall is the wall time of the counted run of op.
func (v vdrResults) wall(op string) float64 {
	for _, c := range v.calls {
		if c.op == op {
			return c.wall.Seconds()
		}
	}
	return 0
}

// markdown is the common resource section of BENCHMARKS.md.
func (v vdrResults) markdown() string {
	if len(v.calls) == 0 {
		return ""
	}
	return fmt.Sprintf("\nAPI requests per resource of `cloudelements_common_resource` and "+
		"`cloudelements_common_resource_transformation`, each operation alone (N=%d of each, every common resource "+
		"mapped onto Freshdesk by its own transformation; update renames every common resource and changes one vendor "+
		"path of every transformation; import is one of each). The runs took %.2f s (create), %.2f s (refresh) and "+
		"%.2f s (delete) at the default `-parallelism=10`; no plugin floor serves these schemas:\n\n%s",
		v.n, v.wall("create"), v.wall("refresh"), v.wall("delete"), pairTable(vdrPair, v.calls))
}

// line is the common resource figures in one line.
func (v vdrResults) line() string {
	most := mostPerOp(v.calls)
	return fmt.Sprintf("bench: common_resource_calls_per_op=%.2f transformation_calls_per_op=%.2f vdr_n=%d vdr_create_s=%.2f vdr_refresh_s=%.2f vdr_destroy_s=%.2f",
		most[0], most[1], v.n, v.wall("create"), v.wall("refresh"), v.wall("delete"))
}
