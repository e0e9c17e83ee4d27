package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// refreshResult is the refresh scenario of issue 22 at one N: plan with
// refresh at no latency and at refreshLatency, with batch reads on (the
// default) and once with them off for comparison.
type refreshResult struct {
	n       int
	latency time.Duration
	// plan0 and planLat are the medians of the plans with batch reads on.
	plan0, planLat time.Duration
	// requests are those of the last plan with batch reads on, by endpoint.
	requests   int
	byEndpoint map[string]int
	// planOff and offRequests are one plan at latency with batch reads off.
	planOff     time.Duration
	offRequests int
	rssKiB      int64 // batch reads on
	rssOffKiB   int64 // batch reads off
	// modes are the requests of plan -target (one instance), plan
	// -refresh=false and plan -refresh-only, in that order.
	modes [3]int
}

func (r refreshResult) ratio() float64       { return ratio(r.planLat, r.plan0) }
func (r refreshResult) perInstance() float64 { return float64(r.requests) / float64(r.n) }

// refreshScenarios runs the refresh scenario for each of -refresh-n.
func (b *bench) refreshScenarios(ctx context.Context) ([]refreshResult, error) {
	var out []refreshResult
	for _, n := range b.o.refreshNs {
		r, err := b.refreshScenario(ctx, n)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// refreshScenario applies n Freshdesk instances once, times plans with
// refresh (which must find nothing to change), and removes the instances from
// the emulator directly: the scenario times plans, not destroys.
func (b *bench) refreshScenario(ctx context.Context, n int) (refreshResult, error) {
	r := refreshResult{n: n, latency: b.o.refreshLatency}
	cfg := harness.Config{Kind: harness.Provider, N: n, Prefix: fmt.Sprintf("refresh%d-", n), Tags: []string{"refresh"}}
	ws, err := b.workspace(fmt.Sprintf("refresh-%d", n), cfg)
	if err != nil {
		return r, err
	}
	defer func() {
		for _, inst := range harness.InstancesWithPrefix(b.emu.Instances(), cfg.Prefix) {
			b.emu.RemoveInstance(inst.ID)
		}
		b.emu.ResetRequests()
	}()
	if _, err := harness.MustSucceed(ws.Terraform(ctx, "apply", "-auto-approve", "-input=false", "-no-color", b.par)); err != nil {
		return r, err
	}
	plan := func(latency time.Duration) (time.Duration, int, map[string]int, error) {
		b.emu.ResetRequests()
		b.emu.SetFaults(emulator.Faults{Latency: latency})
		defer b.emu.SetFaults(emulator.Faults{})
		before := b.emu.Stats()
		run, err := harness.MustSucceed(ws.Terraform(ctx, "plan", "-refresh=true", "-detailed-exitcode", "-input=false", "-no-color", b.par))
		if err != nil {
			return 0, 0, nil, fmt.Errorf("refresh N=%d latency %v: %w", n, latency, err)
		}
		if slices.Contains(ws.Env, "CLOUDELEMENTS_BATCH_READS=false") {
			r.rssOffKiB = max(r.rssOffKiB, run.PeakRSSKiB)
		} else {
			r.rssKiB = max(r.rssKiB, run.PeakRSSKiB)
		}
		total, byEndpoint, _ := delta(before, b.emu.Stats())
		return run.Wall, total, byEndpoint, nil
	}
	var at0, atLat []time.Duration
	for range b.o.reps {
		w0, _, _, err := plan(0)
		if err != nil {
			return r, err
		}
		wl, total, byEndpoint, err := plan(r.latency)
		if err != nil {
			return r, err
		}
		at0, atLat = append(at0, w0), append(atLat, wl)
		r.requests, r.byEndpoint = total, byEndpoint
		fmt.Printf("bench: refresh N=%d plan=%.2fs plan@%v=%.2fs requests=%d (%s)\n", n, w0.Seconds(), r.latency,
			wl.Seconds(), total, harness.FormatCounts(byEndpoint))
	}
	r.plan0, r.planLat = median(at0), median(atLat)
	if r.modes, err = b.refreshModes(ctx, ws, n); err != nil {
		return r, err
	}
	on := ws.Env
	ws.Env = append(slices.Clone(on), "CLOUDELEMENTS_BATCH_READS=false")
	r.planOff, r.offRequests, _, err = plan(r.latency)
	ws.Env = on
	if err != nil {
		return r, err
	}
	fmt.Printf("bench: refresh N=%d batch_reads=false plan@%v=%.2fs requests=%d peak RSS on %.1f MiB, off %.1f MiB\n", n, r.latency,
		r.planOff.Seconds(), r.offRequests, mib(r.rssKiB), mib(r.rssOffKiB))
	return r, nil
}

// refreshModes counts the requests of a targeted plan, a plan without
// refresh and a refresh-only plan, and fails unless they are what batch
// reads promise: one GET, nothing, and the same listing as a plan.
func (b *bench) refreshModes(ctx context.Context, ws *harness.Workspace, n int) ([3]int, error) {
	var out [3]int
	args := [][]string{
		{"-target=" + harness.Provider.ResourceType() + ".r[0]"},
		{"-refresh=false"},
		{"-refresh-only"},
	}
	for i, extra := range args {
		before := b.emu.Stats()
		// Not -detailed-exitcode: a refresh-only plan may exit 2 while it
		// reports no differences (hashicorp/terraform#36403).
		cmd := append([]string{"plan", "-input=false", "-no-color", b.par}, extra...)
		if _, err := harness.MustSucceed(ws.Terraform(ctx, cmd...)); err != nil {
			return out, fmt.Errorf("refresh N=%d plan %s: %w", n, extra[0], err)
		}
		out[i], _, _ = delta(before, b.emu.Stats())
	}
	fmt.Printf("bench: refresh N=%d requests: plan -target=one %d, -refresh=false %d, -refresh-only %d\n", n, out[0], out[1], out[2])
	// A refresh-only plan costs what a plan does: the first reads by GET,
	// then the pages.
	most := cloudelements.DefaultBatchMinReads + (n+cloudelements.DefaultBatchPageSize-1)/cloudelements.DefaultBatchPageSize
	if out[0] != 1 || out[1] != 0 || out[2] > most {
		return out, fmt.Errorf("refresh N=%d: want 1, 0 and at most %d requests, got %v", n, most, out)
	}
	return out, nil
}

// refreshLine is the figures of the refresh scenario in one line.
func refreshLine(rs []refreshResult) string {
	parts := []string{}
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("refresh_ratio_%d=%.2f refresh_requests_per_instance_%d=%.4f refresh_rss_mib_%d=%.1f",
			r.n, r.ratio(), r.n, r.perInstance(), r.n, mib(r.rssKiB)))
	}
	return "bench: " + strings.Join(parts, " ")
}

// refreshMarkdown is the refresh scenario's section of BENCHMARKS.md.
func refreshMarkdown(rs []refreshResult, reps, parallelism int) string {
	if len(rs) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nRefresh scenario (issue 22): `terraform plan -refresh=true` of N applied `cloudelements_freshdesk_instance` "+
		"resources with nothing to change, `-parallelism=%d`, median of %d, at no injected latency and at %v a request; "+
		"requests are those of one plan at that latency. Batch reads on (the default), and for comparison one plan with "+
		"`CLOUDELEMENTS_BATCH_READS=false`. Run alone with `make bench-refresh`.\n\n", parallelism, reps, rs[0].latency)
	b.WriteString("| N | plan s | plan s at latency | ratio | requests | requests per instance | by endpoint | off: plan s at latency | off: requests | peak RSS MiB | off: peak RSS MiB | requests -target=one / -refresh=false / -refresh-only |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| %d | %s | %s | %.2f | %d | %.4f | %s | %s | %d | %.1f | %.1f | %d / %d / %d |\n", r.n, secs(r.plan0), secs(r.planLat),
			r.ratio(), r.requests, r.perInstance(), harness.FormatCounts(r.byEndpoint), secs(r.planOff), r.offRequests, mib(r.rssKiB), mib(r.rssOffKiB),
			r.modes[0], r.modes[1], r.modes[2])
	}
	return b.String()
}
