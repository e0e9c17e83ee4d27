// Command soak applies many cloudelements_freshdesk_instance resources while
// the emulator injects faults, applies again expecting no changes, plans
// expecting no changes, then destroys; it checks with the emulator that
// nothing was duplicated, orphaned or lost (issue 4).
//
// Its last line is
//
//	soak: declared=200 created=200 duplicates=0 orphans=0 failed=0 retries=N wall=Ns
//
// where retries counts the faulted answers (429, 5xx, connection reset,
// create dropped after commit) over the whole run: each one forces the
// provider to retry or to reconcile, unless the resource failed, which
// failed counts. It exits 1 when any target is missed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

func main() {
	var (
		n           = flag.Int("n", 200, "number of resources")
		parallelism = flag.Int("parallelism", 20, "terraform -parallelism")
		errorRate   = flag.Float64("error-rate", 0.2, "share of requests answered with a 5xx")
		dropRate    = flag.Float64("drop-rate", 0.05, "share of creates committed and then dropped")
		resetRate   = flag.Float64("reset-rate", 0, "share of connections reset before any work")
		rateLimit   = flag.Float64("rate", 20, "requests a second before 429 (0: none)")
		maxRetries  = flag.Int("max-retries", 0, "CLOUDELEMENTS_MAX_RETRIES (0: the provider's default)")
		timeouts    = flag.String("timeouts", "", `HCL added to each resource, e.g. 'timeouts = { create = "30m" }'`)
		seed        = flag.Int64("seed", 0, "emulator seed (0: time-based)")
		dir         = flag.String("dir", "", "work directory (default: a new temporary one)")
		keep        = flag.Bool("keep", false, "keep the work directory")
	)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ok, err := soak(ctx, soakOpts{
		n: *n, parallelism: *parallelism, maxRetries: *maxRetries, timeouts: *timeouts, seed: *seed,
		dir: *dir, keep: *keep,
		faults: emulator.Faults{ServerErrorRate: *errorRate, DropCreateRate: *dropRate, ResetRate: *resetRate, RateLimit: *rateLimit},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

type soakOpts struct {
	n, parallelism, maxRetries int
	timeouts                   string
	seed                       int64
	dir                        string
	keep                       bool
	faults                     emulator.Faults
}

func soak(ctx context.Context, o soakOpts) (bool, error) {
	work := o.dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "soak-"); err != nil {
			return false, err
		}
	}
	if o.keep {
		fmt.Println("soak: work directory", work)
	} else {
		defer os.RemoveAll(work)
	}
	tools, err := harness.Build(ctx, filepath.Join(work, "build"), true)
	if err != nil {
		return false, err
	}
	emu, err := harness.StartEmulator(emulator.Options{Seed: o.seed, Faults: o.faults})
	if err != nil {
		return false, err
	}
	defer emu.Close()
	ws, err := harness.NewWorkspace(filepath.Join(work, "tf"), tools.Env(emu.Env(o.maxRetries)...))
	if err != nil {
		return false, err
	}
	cfg := harness.Config{Kind: harness.Provider, N: o.n, Prefix: "soak-", Tags: []string{"soak"}, Extra: o.timeouts}
	if err := ws.WriteConfig(cfg); err != nil {
		return false, err
	}
	fmt.Printf("soak: n=%d parallelism=%d faults: 5xx=%.0f%% drop-create=%.0f%% reset=%.0f%% rate=%g/s\n",
		o.n, o.parallelism, 100*o.faults.ServerErrorRate, 100*o.faults.DropCreateRate, 100*o.faults.ResetRate, o.faults.RateLimit)

	par := "-parallelism=" + strconv.Itoa(o.parallelism)
	ok := true
	miss := func(format string, args ...any) {
		ok = false
		fmt.Printf("soak: MISSED: "+format+"\n", args...)
	}
	start := time.Now()

	apply, err := ws.Terraform(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-json", par)
	if err != nil {
		return false, err
	}
	log, err := harness.ReadJSONLog(apply)
	if err != nil {
		return false, err
	}
	failed := log.Failed(apply.ExitCode)
	fmt.Printf("soak: apply exit=%d %.1fs errored=%d\n", apply.ExitCode, apply.Wall.Seconds(), len(log.Errored))
	for _, e := range harness.FirstN(log.Errors, 10) {
		fmt.Println("soak:   error:", e)
	}
	state, err := ws.State()
	if err != nil {
		return false, err
	}
	audit := harness.AuditInstances(cfg.Names(), emu.Instances(), state)
	fmt.Println("soak: after apply:", audit)
	if !audit.OK() || failed > 0 {
		miss("apply left %s failed=%d", audit, failed)
	}

	reapply, err := ws.Terraform(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-json", par)
	if err != nil {
		return false, err
	}
	relog, err := harness.ReadJSONLog(reapply)
	if err != nil {
		return false, err
	}
	fmt.Printf("soak: apply again exit=%d %.1fs add=%d change=%d remove=%d\n",
		reapply.ExitCode, reapply.Wall.Seconds(), relog.Add, relog.Change, relog.Remove)
	if reapply.ExitCode != 0 || relog.Add+relog.Change+relog.Remove != 0 {
		miss("second apply was not a no-op: %s %v", reapply, harness.FirstN(relog.Errors, 5))
	}

	plan, err := ws.Terraform(ctx, "plan", "-detailed-exitcode", "-input=false", "-no-color", par)
	if err != nil {
		return false, err
	}
	fmt.Printf("soak: plan -detailed-exitcode exit=%d %.1fs\n", plan.ExitCode, plan.Wall.Seconds())
	if plan.ExitCode != 0 {
		miss("plan after apply: %s\n%s", plan, plan.Tail(10))
	}

	destroy, err := ws.Terraform(ctx, "destroy", "-auto-approve", "-input=false", "-no-color", "-json", par)
	if err != nil {
		return false, err
	}
	dlog, err := harness.ReadJSONLog(destroy)
	if err != nil {
		return false, err
	}
	left := len(harness.InstancesWithPrefix(emu.Instances(), cfg.Prefix))
	fmt.Printf("soak: destroy exit=%d %.1fs remaining_instances=%d\n", destroy.ExitCode, destroy.Wall.Seconds(), left)
	if destroy.ExitCode != 0 || left != 0 {
		miss("destroy: %s remaining=%d %v", destroy, left, harness.FirstN(dlog.Errors, 5))
	}
	wall := time.Since(start)

	st := emu.Stats()
	retries := 0
	for _, k := range st.FaultsInjected {
		retries += k
	}
	fmt.Printf("soak: requests=%d by endpoint: %s\n", st.Requests, harness.FormatCounts(st.ByEndpoint))
	fmt.Printf("soak: retries by reason: %s\n", harness.FormatCounts(st.FaultsInjected))
	fmt.Printf("soak: declared=%d created=%d duplicates=%d orphans=%d failed=%d retries=%d wall=%.0fs\n",
		audit.Declared, audit.Created, audit.Duplicates, audit.Orphans, failed, retries, wall.Seconds())
	return ok, nil
}
