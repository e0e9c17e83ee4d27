// Command testprogress reads `go test -json` on stdin and prints what a
// person at a terminal and a CI log both need: go test's own package lines
// (ok, FAIL, and what a package prints outside its tests, such as the
// acceptance, variance and hostile figures), the full output of every
// failed test, and, while tests run, a progress line every -every:
//
//	test: 1m30s packages=3/9 passed=212 skipped=4 failed=0 running=TestAccImport_byID (+5)
//
// At the end it prints the -slowest top-level tests with their time, and
// writes the slowest one to -summary as `slowest=<test> Ns` (for make
// test's closing line), so that every run, CI's included, shows where the
// time went.
//
// It exits 1 when a test, a package or a build failed, so that
// `go test -json ./... | testprogress` fails as go test would.
package main

import (
	"bufio"
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

// event is one line of go test -json (cmd/test2json).
type event struct {
	Action      string
	Package     string
	ImportPath  string // build-output and build-fail
	Test        string
	Output      string
	FailedBuild string
	Elapsed     float64 // seconds, on a test's pass, fail or skip
}

func main() {
	every := flag.Duration("every", 15*time.Second, "interval between progress lines (0: none)")
	slowest := flag.Int("slowest", 10, "how many of the slowest tests to list at the end (0: none)")
	summary := flag.String("summary", "", "file to write `slowest=<test> Ns` to")
	flag.Parse()
	p := newPrinter(os.Stdout, time.Now())
	stop := make(chan struct{})
	if *every > 0 {
		go func() {
			t := time.NewTicker(*every)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case now := <-t.C:
					p.progress(now)
				}
			}
		}()
	}
	err := p.read(os.Stdin)
	close(stop)
	p.printSlowest(*slowest)
	if *summary != "" {
		if werr := os.WriteFile(*summary, []byte(p.slowestSummary()), 0o600); werr != nil {
			fmt.Fprintln(os.Stderr, "testprogress:", werr)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
		os.Exit(1)
	}
	if p.failed {
		os.Exit(1)
	}
}

// printer keeps the counts and each running test's output until it ends.
type printer struct {
	mu       sync.Mutex
	out      io.Writer
	start    time.Time
	packages map[string]bool // package: done
	running  map[string][]string
	order    []string // running tests, oldest first
	timings  []timing // finished top-level tests
	passed   int
	skipped  int
	fails    int
	failed   bool
}

func newPrinter(out io.Writer, start time.Time) *printer {
	return &printer{out: out, start: start, packages: map[string]bool{}, running: map[string][]string{}}
}

func (p *printer) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			p.print(string(line) + "\n") // not JSON: pass it on
			continue
		}
		p.handle(e)
	}
	return sc.Err()
}

func (p *printer) print(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprint(p.out, s)
}

func (p *printer) handle(e event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case e.Action == "build-output":
		fmt.Fprint(p.out, e.Output)
	case e.Action == "build-fail":
		p.failed = true
	case e.Test == "":
		p.packageEvent(e)
	default:
		p.testEvent(e)
	}
}

// packageEvent: go test's package lines pass through as they are.
func (p *printer) packageEvent(e event) {
	switch e.Action {
	case "start":
		p.packages[e.Package] = false
	case "output":
		if e.Output != "PASS\n" { // go test -v noise; ok/FAIL lines follow
			fmt.Fprint(p.out, e.Output)
		}
	case "pass", "skip":
		p.packages[e.Package] = true
	case "fail":
		p.packages[e.Package] = true
		p.failed = true
	}
}

// testEvent keeps a test's output until it ends; a failure prints it all.
func (p *printer) testEvent(e event) {
	key := e.Package + " " + e.Test
	switch e.Action {
	case "run":
		p.running[key] = nil
		p.order = append(p.order, key)
	case "output":
		if _, ok := p.running[key]; ok {
			p.running[key] = append(p.running[key], e.Output)
		}
	case "pass", "skip", "fail":
		out := p.running[key]
		delete(p.running, key)
		p.order = slices.DeleteFunc(p.order, func(k string) bool { return k == key })
		// Subtests are counted with their parent; a failed subtest's
		// output is part of its parent's.
		if strings.Contains(e.Test, "/") {
			if e.Action == "fail" {
				parent := e.Package + " " + e.Test[:strings.Index(e.Test, "/")]
				p.running[parent] = append(p.running[parent], out...)
			}
			return
		}
		p.timings = append(p.timings, timing{name: e.Test, pkg: e.Package, seconds: e.Elapsed})
		switch e.Action {
		case "pass":
			p.passed++
		case "skip":
			p.skipped++
		case "fail":
			p.fails++
			p.failed = true
			fmt.Fprintf(p.out, "--- FAIL: %s (%s)\n%s", e.Test, e.Package, strings.Join(out, ""))
		}
	}
}

// progress prints one line: elapsed time, packages done, counts and the
// tests running longest.
func (p *printer) progress(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	done := 0
	for _, d := range p.packages {
		if d {
			done++
		}
	}
	var top []string
	for _, key := range p.order {
		if _, name, _ := strings.Cut(key, " "); !strings.Contains(name, "/") {
			top = append(top, name)
		}
	}
	running := "none"
	if len(top) > 0 {
		running = top[0]
		if len(top) > 1 {
			running += fmt.Sprintf(" (+%d)", len(top)-1)
		}
	}
	fmt.Fprintf(p.out, "test: %s packages=%d/%d passed=%d skipped=%d failed=%d running=%s\n",
		now.Sub(p.start).Round(time.Second), done, len(p.packages), p.passed, p.skipped, p.fails, running)
}

// timing is how long one top-level test took.
type timing struct {
	name, pkg string
	seconds   float64
}

// slowestFirst sorts the timings, longest first.
func (p *printer) slowestFirst() []timing {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := slices.Clone(p.timings)
	slices.SortStableFunc(out, func(a, b timing) int { return cmp.Compare(b.seconds, a.seconds) })
	return out
}

// printSlowest lists the n slowest top-level tests.
func (p *printer) printSlowest(n int) {
	all := p.slowestFirst()
	if n <= 0 || len(all) == 0 {
		return
	}
	fmt.Fprintf(p.out, "test: the %d slowest tests\n", min(n, len(all)))
	for _, t := range all[:min(n, len(all))] {
		fmt.Fprintf(p.out, "  %7.1fs  %s (%s)\n", t.seconds, t.name, path.Base(t.pkg))
	}
}

// slowestSummary is `slowest=<test> Ns`, or `slowest=none`.
func (p *printer) slowestSummary() string {
	all := p.slowestFirst()
	if len(all) == 0 {
		return "slowest=none"
	}
	return fmt.Sprintf("slowest=%s %.0fs", all[0].name, all[0].seconds)
}
