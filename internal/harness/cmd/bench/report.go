package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// results is everything one run measured.
type results struct {
	started time.Time
	wall    time.Duration
	timings []timing
	calls   []callCount
	// genericCalls are the request counts of cloudelements_instance.
	genericCalls []callCount
	latency      latencyResult
	rate         rateResult
	// loadStart is the 1-minute load average when the run began.
	loadStart string
	// goBench is the output of the client's Go benchmarks, run by goBenchCommand.
	goBench        []string
	goBenchCommand string
	// refresh is the refresh scenario per N (issue 22).
	refresh []refreshResult
	// formulas is the formula part (issue 20).
	formulas formulaResults
	// vdrs is the common resource part (issue 29).
	vdrs vdrResults
}

// loadAverage is the 1-minute load average from /proc/loadavg.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// headline is the timing the bench line's ratios come from: N=500, or the
// largest N measured.
func (r results) headline() timing {
	h := r.timings[0]
	for _, t := range r.timings {
		if t.n == 500 || (h.n != 500 && t.n > h.n) {
			h = t
		}
	}
	return h
}

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return a.Seconds() / b.Seconds()
}

// maxPerRes is the largest requests-per-resource figure of the counts.
func maxPerRes(calls []callCount) float64 {
	m := 0.0
	for _, c := range calls {
		m = max(m, c.perRes)
	}
	return m
}

// benchLine is issue 8's line; issue 14 appended the generic_* keys.
func (r results) benchLine() string {
	h := r.headline()
	opRatio := func(k harness.Kind, op int, floor harness.Kind) float64 {
		return ratio(h.median(k, op), h.median(floor, op))
	}
	pr, gr := harness.Provider, harness.Generic
	return fmt.Sprintf("bench: apply_ratio=%.2f plan_ratio=%.2f destroy_ratio=%.2f core_apply_ratio=%.2f calls_per_op=%.2f latency_ratio=%.2f ratelimit_efficiency=%.2f failed=%d provider_rss_mib=%.1f"+
		" generic_apply_ratio=%.2f generic_plan_ratio=%.2f generic_destroy_ratio=%.2f generic_calls_per_op=%.2f",
		opRatio(pr, opApply, harness.PluginFloor), opRatio(pr, opPlan, harness.PluginFloor), opRatio(pr, opDestroy, harness.PluginFloor),
		opRatio(pr, opApply, harness.CoreFloor), maxPerRes(r.calls), r.latency.ratio, r.rate.efficiency, r.rate.failed,
		mib(h.rssKiB[pr]),
		opRatio(gr, opApply, harness.PluginFloor), opRatio(gr, opPlan, harness.PluginFloor), opRatio(gr, opDestroy, harness.PluginFloor),
		maxPerRes(r.genericCalls))
}

// callsTable writes the request counts of one resource type.
func callsTable(b *strings.Builder, calls []callCount) {
	fmt.Fprintf(b, "| operation | requests per resource | requests by endpoint |\n|---|---:|---|\n")
	for _, c := range calls {
		fmt.Fprintf(b, "| %s | %.2f | %s |\n", c.op, c.perRes, harness.FormatCounts(c.byEndpoint))
	}
}

func mib(kib int64) float64 { return float64(kib) / 1024 }

func (r results) markdown(ctx context.Context, o options) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Benchmarks\n\n")
	p("Produced by `make bench` (`go run ./internal/harness/cmd/bench -write`); this run: `%s`, %s, %.0f s in all.\n\n",
		commandLine(), r.started.UTC().Format("2006-01-02 15:04 MST"), r.wall.Seconds())
	p("Machine: %s; load average (1 min) %s at the start, %s at the end: other work on the machine inflates and "+
		"scatters the times, which the interleaving only partly cancels.\n\n", machine(ctx), r.loadStart, loadAverage())
	p("Every resource count is run %d times; each repetition runs provider (`cloudelements_freshdesk_instance`), "+
		"generic (the same instances as `cloudelements_instance`: `element_key = \"freshdeskv2\"`, `configuration = "+
		"{ subdomain = ... }`, `secret_configuration = { username = <API key> }`), plugin floor, served floor and core "+
		"floor one after the other (apply, plan with refresh, destroy), so that machine noise hits them all. Times are "+
		"the medians, in seconds, with `-parallelism=%d` against the in-process emulator on loopback with no injected "+
		"faults. The plugin floor is `internal/harness/floorprovider` (same schema, no I/O) served the framework's stock "+
		"way, as the issue defines it; the served floor is the same binary with `-served`, served exactly as the "+
		"provider is (`provider.ProtocolServer`, `provider.SilenceUnreadLogs`), so provider / served floor is the "+
		"provider's own work; the core floor is `terraform_data`.\n\n",
		o.reps, o.parallelism)
	p("| N | operation | provider | generic | plugin floor | served floor | core floor | provider / plugin floor | " +
		"generic / plugin floor | provider / served floor | provider / core floor |\n")
	p("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, t := range r.timings {
		for op := range numOps {
			pv, gv, pf := t.median(harness.Provider, op), t.median(harness.Generic, op), t.median(harness.PluginFloor, op)
			sf, cf := t.median(harness.ServedFloor, op), t.median(harness.CoreFloor, op)
			p("| %d | %s | %s | %s | %.2f | %.2f | %.2f | %s | %s | %s | %s |\n", t.n, opNames[op], secs(pv), secs(gv),
				pf.Seconds(), sf.Seconds(), cf.Seconds(), ratioCell(pv, pf), ratioCell(gv, pf), ratioCell(pv, sf), ratioCell(pv, cf))
		}
	}
	p("\nPeak resident memory of one plugin process (getrusage, through `internal/harness/rsswrap`):\n\n")
	p("| N | provider MiB | generic MiB | plugin floor MiB | served floor MiB |\n|---:|---:|---:|---:|---:|\n")
	for _, t := range r.timings {
		p("| %d | %.1f | %.1f | %.1f | %.1f |\n", t.n, mib(t.rssKiB[harness.Provider]), mib(t.rssKiB[harness.Generic]),
			mib(t.rssKiB[harness.PluginFloor]), mib(t.rssKiB[harness.ServedFloor]))
	}
	if len(r.calls) > 0 {
		p("\nAPI requests per resource, each operation alone (N=%d; update renames every instance; update and delete with "+
			"`-refresh=false`; import is `terraform import` of one instance, which reads it once), "+
			"`cloudelements_freshdesk_instance`:\n\n", o.callsN)
		callsTable(&b, r.calls)
		p("\nThe same for `cloudelements_instance` (generic):\n\n")
		callsTable(&b, r.genericCalls)
		l := r.latency
		p("\nLatency scenario: emulator latency %v per request, `-parallelism=%d`, N=%d. Provider apply %.2f s; "+
			"floor = plugin floor apply %.2f s + N/%d × %v = %.2f s; latency_ratio = %.2f. Against the served floor "+
			"(%.2f s + the same %v): %.2f.\n",
			l.latency, l.parallelism, l.n, l.provider.Seconds(), l.floor.Seconds(), l.parallelism, l.latency, l.expected.Seconds(), l.ratio,
			l.servedFloor.Seconds(), l.servedExpected-l.servedFloor, l.servedRatio)
		q := r.rate
		p("\nRate-limit scenario: emulator limit %g requests a second (429 with Retry-After beyond it), N=%d, `-parallelism=%d`. "+
			"Apply %.2f s, %d requests of which %d succeeded and %d were throttled: %.2f successful requests a second "+
			"between the first and last request (%.2f s), ratelimit_efficiency = %.2f; over the apply's whole wall time, "+
			"which includes Terraform's start-up and plan, %.2f a second (%.2f of the limit). Failed resources: %d; %s.\n",
			q.limit, q.n, o.parallelism, q.wall.Seconds(), q.total, q.successful, q.throttled, q.windowRate(), q.window.Seconds(),
			q.efficiency, q.achieved, q.achieved/q.limit, q.failed, q.audit)
	}
	b.WriteString(refreshMarkdown(r.refresh, o.reps, o.parallelism))
	b.WriteString(r.formulas.markdown())
	b.WriteString(r.vdrs.markdown())
	if len(r.goBench) > 0 {
		p("\nGo benchmarks of the API client's encode and decode paths (`%s`):\n\n```\n%s\n```\n",
			r.goBenchCommand, strings.Join(r.goBench, "\n"))
	}
	p("\nRatios in the bench line are at N=%d against the plugin floor (core_apply_ratio: against the core floor); "+
		"calls_per_op is the largest requests-per-resource figure of `cloudelements_freshdesk_instance` above. The "+
		"generic_* keys are the same for `cloudelements_instance`, against the same plugin floor.\n\n```\n%s\n```\n",
		r.headline().n, r.benchLine())
	return b.String()
}

func secs(d time.Duration) string {
	if d == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", d.Seconds())
}

func ratioCell(a, b time.Duration) string {
	if a == 0 || b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", ratio(a, b))
}

func commandLine() string {
	return strings.TrimSpace("go run ./internal/harness/cmd/bench " + strings.Join(os.Args[1:], " "))
}

// machine describes the host: cores, CPU model, Go and Terraform versions.
func machine(ctx context.Context) string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	tfVersion := "unknown"
	if out, err := exec.CommandContext(ctx, "terraform", "version", "-json").Output(); err == nil {
		var v struct {
			Version string `json:"terraform_version"`
		}
		if json.Unmarshal(out, &v) == nil {
			tfVersion = v.Version
		}
	}
	goVersion := "unknown"
	if out, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output(); err == nil {
		goVersion = strings.TrimSpace(string(out))
	}
	return fmt.Sprintf("%d cores (nproc), %s, %s/%s, %s, Terraform %s", runtime.NumCPU(), model,
		runtime.GOOS, runtime.GOARCH, goVersion, tfVersion)
}

// notesHeading starts the hand-written part of BENCHMARKS.md.
const notesHeading = "## Notes"

func (r results) report(ctx context.Context, o options) error {
	md := r.markdown(ctx, o)
	fmt.Print("\n" + md + "\n")
	if o.write {
		root, err := harness.RepoRoot(ctx)
		if err != nil {
			return err
		}
		file := filepath.Join(root, "BENCHMARKS.md")
		// Hand-written notes below notesHeading survive a new run.
		if old, err := os.ReadFile(file); err == nil {
			if i := strings.Index(string(old), notesHeading); i >= 0 {
				md += "\n" + string(old[i:])
			}
		}
		if err := os.WriteFile(file, []byte(md), 0o644); err != nil {
			return err
		}
	}
	fmt.Println(r.benchLine())
	if len(r.refresh) > 0 {
		fmt.Println(refreshLine(r.refresh))
	}
	if len(r.formulas.calls) > 0 {
		fmt.Println(r.formulas.line())
	}
	if len(r.vdrs.calls) > 0 {
		fmt.Println(r.vdrs.line())
	}
	return nil
}
