package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// callCount is the API requests of one operation, per resource.
type callCount struct {
	op         string
	perRes     float64
	byEndpoint map[string]int
}

// delta is what the emulator counted since before.
func delta(before, after emulator.Stats) (total int, byEndpoint map[string]int, byStatus map[int]int) {
	byEndpoint, byStatus = map[string]int{}, map[int]int{}
	for k, v := range after.ByEndpoint {
		if d := v - before.ByEndpoint[k]; d > 0 {
			byEndpoint[k] = d
		}
	}
	for k, v := range after.ByStatus {
		if d := v - before.ByStatus[k]; d > 0 {
			byStatus[k] = d
		}
	}
	return after.Requests - before.Requests, byEndpoint, byStatus
}

// countCalls counts requests per resource of the kind for each operation
// alone: update and delete run with -refresh=false so that the refresh
// (counted on its own) is not added to them. Import is terraform import of
// one instance, which reads it once.
func (b *bench) countCalls(ctx context.Context, kind harness.Kind) ([]callCount, error) {
	n := b.o.callsN
	cfg := harness.Config{Kind: kind, N: n, Prefix: "calls-", Tags: []string{"calls"}}
	ws, err := b.workspace("calls-"+kind.String(), cfg)
	if err != nil {
		return nil, err
	}
	var counts []callCount
	measure := func(op string, per int, w *harness.Workspace, args ...string) error {
		before := b.emu.Stats()
		if _, err := harness.MustSucceed(w.Terraform(ctx, args...)); err != nil {
			return err
		}
		total, byEndpoint, _ := delta(before, b.emu.Stats())
		c := callCount{op: op, perRes: float64(total) / float64(per), byEndpoint: byEndpoint}
		fmt.Printf("bench: calls %-8s %-8s %.2f per resource (%s)\n", kind, op, c.perRes, harness.FormatCounts(byEndpoint))
		counts = append(counts, c)
		return nil
	}
	if err := measure("create", n, ws, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	if err := measure("refresh", n, ws, "plan", "-refresh=true", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	cfg.Prefix = "calls-renamed-"
	if err := ws.WriteConfig(cfg); err != nil {
		return nil, err
	}
	if err := measure("update", n, ws, "apply", "-auto-approve", "-refresh=false", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	state, err := ws.State()
	if err != nil || len(state) == 0 {
		return nil, fmt.Errorf("state after create: %d resources, %v", len(state), err)
	}
	imp, err := b.workspace("import-"+kind.String(), harness.Config{Kind: kind, N: 1, Prefix: "calls-renamed-", Tags: []string{"calls"}})
	if err != nil {
		return nil, err
	}
	if err := measure("import", 1, imp, "import", "-input=false", "-no-color", kind.ResourceType()+".r[0]", state[0].ID); err != nil {
		return nil, err
	}
	if err := measure("delete", n, ws, "destroy", "-auto-approve", "-refresh=false", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	return counts, nil
}

// latencyResult compares the provider's apply under latency with its floor.
type latencyResult struct {
	n                int
	provider, floor  time.Duration
	expected         time.Duration
	ratio            float64
	latency          time.Duration
	parallelism      int
	providerRequests int
	// served is the same comparison against the served floor.
	servedFloor, servedExpected time.Duration
	servedRatio                 float64
}

// latencyScenario: apply N instances with emulator latency and
// -parallelism=10 against the plugin floor's apply plus N/10 round trips
// (and the served floor's, for the provider's own share).
func (b *bench) latencyScenario(ctx context.Context) (latencyResult, error) {
	const par = 10
	r := latencyResult{n: b.o.scenarioN, latency: b.o.latency, parallelism: par}
	prov, err := b.workspace("latency-provider", harness.Config{Kind: harness.Provider, N: r.n, Prefix: "lat-", Tags: []string{"lat"}})
	if err != nil {
		return r, err
	}
	floors := []harness.Kind{harness.PluginFloor, harness.ServedFloor}
	floorWS := map[harness.Kind]*harness.Workspace{}
	for _, k := range floors {
		if floorWS[k], err = b.workspace("latency-"+k.String(), harness.Config{Kind: k, N: r.n, Prefix: "lat-", Tags: []string{"lat"}}); err != nil {
			return r, err
		}
	}
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", par)}
	destroy := []string{"destroy", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", par)}
	var provTimes []time.Duration
	floorTimes := map[harness.Kind][]time.Duration{}
	for range b.o.reps {
		for _, k := range floors {
			fr, err := harness.MustSucceed(floorWS[k].Terraform(ctx, apply...))
			if err != nil {
				return r, err
			}
			floorTimes[k] = append(floorTimes[k], fr.Wall)
			if _, err := harness.MustSucceed(floorWS[k].Terraform(ctx, destroy...)); err != nil {
				return r, err
			}
		}
		b.emu.SetFaults(emulator.Faults{Latency: r.latency})
		before := b.emu.Stats()
		pr, err := harness.MustSucceed(prov.Terraform(ctx, apply...))
		b.emu.SetFaults(emulator.Faults{})
		if err != nil {
			return r, err
		}
		r.providerRequests, _, _ = delta(before, b.emu.Stats())
		provTimes = append(provTimes, pr.Wall)
		if _, err := harness.MustSucceed(prov.Terraform(ctx, destroy...)); err != nil {
			return r, err
		}
		fmt.Printf("bench: latency %v N=%d provider apply=%.2fs (%d requests) plugin floor apply=%.2fs served floor apply=%.2fs\n",
			r.latency, r.n, pr.Wall.Seconds(), r.providerRequests, last(floorTimes[harness.PluginFloor]), last(floorTimes[harness.ServedFloor]))
	}
	rounds := time.Duration(r.n/par) * r.latency
	r.provider, r.floor, r.servedFloor = median(provTimes), median(floorTimes[harness.PluginFloor]), median(floorTimes[harness.ServedFloor])
	r.expected, r.servedExpected = r.floor+rounds, r.servedFloor+rounds
	r.ratio = r.provider.Seconds() / r.expected.Seconds()
	r.servedRatio = r.provider.Seconds() / r.servedExpected.Seconds()
	return r, nil
}

// rateResult is the rate-limit scenario.
type rateResult struct {
	n          int
	limit      float64
	wall       time.Duration
	successful int
	total      int
	throttled  int
	achieved   float64
	efficiency float64
	// window is from the first to the last request of the apply: the rate
	// over it leaves Terraform's own start-up and wind-down out.
	window time.Duration
	failed int
	audit  harness.Audit
}

// rateScenario applies N instances against a rate limit: achieved requests a
// second are the successful (2xx) requests over the window in which the
// provider sent requests (first to last). The apply's wall time also holds
// Terraform's start-up and plan, when no provider can send anything; the
// rate over it is reported beside.
func (b *bench) rateScenario(ctx context.Context) (rateResult, error) {
	r := rateResult{n: b.o.scenarioN, limit: b.o.rate}
	cfg := harness.Config{Kind: harness.Provider, N: r.n, Prefix: "rate-", Tags: []string{"rate"}}
	ws, err := b.workspace("ratelimit", cfg)
	if err != nil {
		return r, err
	}
	b.emu.SetFaults(emulator.Faults{RateLimit: r.limit})
	before := b.emu.Stats()
	b.emu.ResetRequests()
	run, err := ws.Terraform(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-json", b.par)
	if reqs := b.emu.Requests(); len(reqs) > 1 {
		r.window = reqs[len(reqs)-1].Time.Sub(reqs[0].Time)
	}
	after := b.emu.Stats()
	b.emu.SetFaults(emulator.Faults{})
	if err != nil {
		return r, err
	}
	log, err := harness.ReadJSONLog(run)
	if err != nil {
		return r, err
	}
	var byStatus map[int]int
	r.total, _, byStatus = delta(before, after)
	for status, k := range byStatus {
		if status >= 200 && status < 300 {
			r.successful += k
		}
	}
	r.throttled = byStatus[429]
	r.wall = run.Wall
	r.achieved = float64(r.successful) / r.wall.Seconds()
	r.efficiency = r.windowRate() / r.limit
	r.failed = log.Failed(run.ExitCode)
	state, err := ws.State()
	if err != nil {
		return r, err
	}
	r.audit = harness.AuditInstances(cfg.Names(), harness.InstancesWithPrefix(b.emu.Instances(), cfg.Prefix), state)
	fmt.Printf("bench: rate limit %g/s N=%d apply=%.2fs exit=%d successful=%d throttled=%d achieved=%.2f/s (%.2f/s over the requests' %.2fs) failed=%d %s\n",
		r.limit, r.n, r.wall.Seconds(), run.ExitCode, r.successful, r.throttled, r.achieved,
		r.windowRate(), r.window.Seconds(), r.failed, r.audit)
	if _, err := harness.MustSucceed(ws.Terraform(ctx, "destroy", "-auto-approve", "-input=false", "-no-color", b.par)); err != nil {
		return r, err
	}
	return r, nil
}

// windowRate is successful requests a second between the first and the last
// request.
func (r rateResult) windowRate() float64 {
	if r.window <= 0 {
		return 0
	}
	return float64(r.successful) / r.window.Seconds()
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
