// Command bench is `make bench` (issue 8): it times terraform apply, plan
// (with refresh) and destroy of N cloudelements_freshdesk_instance resources,
// and of the same N instances as cloudelements_instance (the generic
// resource, issue 14), against the in-process emulator, side by side with
// the plugin floor (N floor_freshdesk_instance, a provider that does no I/O),
// the same floor served the way the provider is, and the core floor (N
// terraform_data, no plugin), interleaved per repetition so that machine
// noise hits them all. It also counts API requests per resource and
// operation for both resources, runs a latency and a rate-limit scenario,
// and records the plugins' peak RSS. Its last line is the bench line of
// issue 8, extended by issue 14.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

type options struct {
	ns          []int
	reps        int
	parallelism int
	callsN      int
	scenarioN   int
	latency     time.Duration
	rate        float64
	floorsOnly  bool
	scenarios   bool
	write       bool
	keep        bool
	dir         string
	formulas    bool
	formulasN   int
	vdrs        bool
	// only runs one scenario alone ("refresh" or "vdr"); refreshNs and
	// refreshLatency configure the refresh scenario.
	only           string
	refreshNs      []int
	refreshLatency time.Duration
}

func main() {
	var (
		o             options
		nsArg, refArg string
	)
	flag.StringVar(&nsArg, "n", "50,200,500", "comma-separated resource counts")
	flag.IntVar(&o.reps, "reps", 3, "repetitions per N (the median is reported)")
	flag.IntVar(&o.parallelism, "parallelism", 10, "terraform -parallelism for the timed runs")
	flag.IntVar(&o.callsN, "calls-n", 50, "resources for counting API requests per operation")
	flag.IntVar(&o.scenarioN, "scenario-n", 200, "resources for the latency and rate-limit scenarios")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "emulator latency in the latency scenario")
	flag.Float64Var(&o.rate, "rate", 20, "emulator requests a second in the rate-limit scenario")
	flag.BoolVar(&o.floorsOnly, "floors-only", false, "time only the two floors (to test the harness)")
	flag.BoolVar(&o.scenarios, "scenarios", true, "run the request-count, latency and rate-limit scenarios")
	flag.BoolVar(&o.write, "write", false, "write the results into BENCHMARKS.md at the repository root")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory")
	flag.StringVar(&o.dir, "dir", "", "work directory (default: a new temporary one)")
	flag.BoolVar(&o.formulas, "formulas", true, "count formula requests per operation and time N formulas (formulas.go)")
	flag.IntVar(&o.formulasN, "formulas-n", 500, "formulas timed in the formula part (0: counts only)")
	flag.BoolVar(&o.vdrs, "vdrs", true, "count common resource and transformation requests per operation (vdrs.go)")
	flag.StringVar(&o.only, "only", "", `run one scenario alone: "refresh" (plan with refresh, issue 22) or "vdr" `+
		`(common resource and transformation requests at -calls-n, issue 29)`)
	flag.StringVar(&refArg, "refresh-n", "500,2000", "comma-separated resource counts of the refresh scenario")
	flag.DurationVar(&o.refreshLatency, "refresh-latency", 100*time.Millisecond, "emulator latency in the refresh scenario")
	flag.Parse()
	o.ns, o.refreshNs = counts("-n", nsArg), counts("-refresh-n", refArg)
	if o.only != "" && o.only != "refresh" && o.only != "vdr" {
		fmt.Fprintf(os.Stderr, "bench: unknown -only %q (known: refresh, vdr)\n", o.only)
		os.Exit(2)
	}
	if o.floorsOnly {
		o.scenarios = false
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// counts parses a comma-separated list of resource counts, or exits.
func counts(name, arg string) []int {
	var ns []int
	for _, s := range strings.Split(arg, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			fmt.Fprintf(os.Stderr, "bench: bad %s %q\n", name, arg)
			os.Exit(2)
		}
		ns = append(ns, n)
	}
	return ns
}

// bench holds what every step needs.
type bench struct {
	o     options
	work  string
	tools *harness.Tools
	emu   *harness.Emulator
	// par is the -parallelism argument of the timed runs.
	par string
}

func run(ctx context.Context, o options) error {
	work := o.dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "bench-"); err != nil {
			return err
		}
	}
	if o.keep {
		fmt.Println("bench: work directory", work)
	} else {
		defer os.RemoveAll(work)
	}
	tools, err := harness.Build(ctx, filepath.Join(work, "build"), !o.floorsOnly)
	if err != nil {
		return err
	}
	emu, err := harness.StartEmulator(emulator.Options{Seed: 1})
	if err != nil {
		return err
	}
	defer emu.Close()
	b := &bench{o: o, work: work, tools: tools, emu: emu, par: "-parallelism=" + strconv.Itoa(o.parallelism)}
	if o.only == "vdr" {
		v, err := b.runVDRs(ctx)
		if err != nil {
			return err
		}
		fmt.Print(v.markdown() + "\n")
		fmt.Println(v.line())
		return nil
	}
	if o.only == "refresh" {
		rs, err := b.refreshScenarios(ctx)
		if err != nil {
			return err
		}
		fmt.Print(refreshMarkdown(rs, o.reps, o.parallelism))
		fmt.Println(refreshLine(rs))
		return nil
	}

	kinds := []harness.Kind{harness.Provider, harness.Generic, harness.PluginFloor, harness.ServedFloor, harness.CoreFloor}
	if o.floorsOnly {
		kinds = slices.DeleteFunc(kinds, harness.Kind.Real)
	}
	res := results{started: time.Now(), loadStart: loadAverage()}
	for _, n := range o.ns {
		t, err := b.timeN(ctx, n, kinds)
		if err != nil {
			return err
		}
		res.timings = append(res.timings, t)
	}
	if o.scenarios {
		if res.goBenchCommand, res.goBench, err = goBenchmarks(ctx); err != nil {
			return err
		}
		for _, line := range res.goBench {
			fmt.Println("bench:", line)
		}
		if res.calls, err = b.countCalls(ctx, harness.Provider); err != nil {
			return err
		}
		if res.genericCalls, err = b.countCalls(ctx, harness.Generic); err != nil {
			return err
		}
		if res.latency, err = b.latencyScenario(ctx); err != nil {
			return err
		}
		if res.rate, err = b.rateScenario(ctx); err != nil {
			return err
		}
		if res.refresh, err = b.refreshScenarios(ctx); err != nil {
			return err
		}
	}
	if o.formulas && !o.floorsOnly {
		if res.formulas, err = b.runFormulas(ctx); err != nil {
			return err
		}
	}
	if o.vdrs && !o.floorsOnly {
		if res.vdrs, err = b.runVDRs(ctx); err != nil {
			return err
		}
	}
	res.wall = time.Since(res.started)
	return res.report(ctx, o)
}

// workspace makes a fresh workspace under the work directory.
func (b *bench) workspace(name string, c harness.Config) (*harness.Workspace, error) {
	ws, err := harness.NewWorkspace(filepath.Join(b.work, name), b.tools.Env(b.emu.Env(0)...))
	if err != nil {
		return nil, err
	}
	return ws, ws.WriteConfig(c)
}

// Operations timed per N.
const (
	opApply = iota
	opPlan
	opDestroy
	numOps
)

var opNames = [numOps]string{"apply", "plan", "destroy"}

// timing is the runs of one N: samples[kind][op].
type timing struct {
	n       int
	samples map[harness.Kind]*[numOps][]time.Duration
	// rssKiB is the largest peak RSS of a plugin process, per kind.
	rssKiB map[harness.Kind]int64
}

func (t timing) median(k harness.Kind, op int) time.Duration {
	s, ok := t.samples[k]
	if !ok {
		return 0
	}
	return median(s[op])
}

// timeN runs apply, plan and destroy of n resources for each kind, kinds
// interleaved within each repetition.
func (b *bench) timeN(ctx context.Context, n int, kinds []harness.Kind) (timing, error) {
	t := timing{n: n, samples: map[harness.Kind]*[numOps][]time.Duration{}, rssKiB: map[harness.Kind]int64{}}
	wss := map[harness.Kind]*harness.Workspace{}
	for _, k := range kinds {
		ws, err := b.workspace(fmt.Sprintf("n%d-%s", n, k), harness.Config{Kind: k, N: n, Prefix: "bench-", Tags: []string{"bench"}})
		if err != nil {
			return t, err
		}
		wss[k] = ws
		t.samples[k] = &[numOps][]time.Duration{}
	}
	for rep := 1; rep <= b.o.reps; rep++ {
		for _, k := range kinds {
			ws := wss[k]
			b.emu.ResetRequests() // the record is not needed here; keep memory flat
			runs := [numOps][]string{
				{"apply", "-auto-approve", "-input=false", "-no-color", b.par},
				{"plan", "-refresh=true", "-detailed-exitcode", "-input=false", "-no-color", b.par},
				{"destroy", "-auto-approve", "-input=false", "-no-color", b.par},
			}
			for op, args := range runs {
				r, err := harness.MustSucceed(ws.Terraform(ctx, args...))
				if err != nil {
					if op == opPlan && r != nil && r.ExitCode == 2 {
						err = fmt.Errorf("plan right after apply wants changes (N=%d, %s): %w", n, k, err)
					}
					return t, err
				}
				t.samples[k][op] = append(t.samples[k][op], r.Wall)
				t.rssKiB[k] = max(t.rssKiB[k], r.PeakRSSKiB)
			}
			fmt.Printf("bench: N=%d rep=%d %-12s apply=%.2fs plan=%.2fs destroy=%.2fs\n", n, rep, k,
				last(t.samples[k][opApply]), last(t.samples[k][opPlan]), last(t.samples[k][opDestroy]))
		}
	}
	return t, nil
}

func last(d []time.Duration) float64 { return d[len(d)-1].Seconds() }
