// Command cloudelements-emulator serves the in-memory Cloud Elements double on
// a loopback address, for `make demo` and manual runs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

func main() {
	err := run(os.Args[1:])
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "cloudelements-emulator:", err)
	}
	os.Exit(exitCode(err))
}

// exitCode is 0 for success and for -help (asked for, so no failure), 1
// for anything else.
func exitCode(err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// usageHeader opens -help: what the command serves and where the rest is
// documented.
const usageHeader = `Usage: cloudelements-emulator [flags]

Serves the in-memory Cloud Elements API double on a loopback address: the
platform API under /elements/api-v2 (instances, elements, formulas,
formula instances, executions; secrets as the flags say), and an admin
surface without auth under /_emulator/ (stats, instances, the request
record, faults, variance, ids, execution-plan, reset).
internal/emulator/README.md documents both, with curl examples. Stop it
with Ctrl-C or SIGTERM; it then prints its final stats unless -quiet.

Flags:
`

// settings is what the command line asks for: the emulator's options and
// how to serve it.
type settings struct {
	opts    emulator.Options
	listen  string
	urlFile string
	profile string
	quiet   bool
}

// parseFlags reads the command line; getenv supplies the secrets' fallback
// variables (os.Getenv in main, a map in tests).
func parseFlags(args []string, getenv func(string) string) (settings, error) {
	var st settings
	fs := flag.NewFlagSet("cloudelements-emulator", flag.ContinueOnError)
	fs.StringVar(&st.listen, "listen", "127.0.0.1:0", "loopback host:port to listen on")
	user := fs.String("user-secret", "test-user-secret", "User secret (or $CLOUDELEMENTS_USER_SECRET)")
	org := fs.String("organization-secret", "test-organization-secret", "Organization secret (or $CLOUDELEMENTS_ORGANIZATION_SECRET)")
	latency := fs.Duration("latency", 0, "latency added to every API request")
	jitter := fs.Duration("latency-jitter", 0, "uniform random extra latency up to this")
	rateLimit := fs.Float64("rate-limit", 0, "requests a second before 429 (0 = no limit)")
	errorRate := fs.Float64("error-rate", 0, "share of requests answered 5xx")
	errorEndpoints := fs.String("error-endpoints", "", `comma list of endpoints for -error-rate, e.g. "POST /instances,GET /instances/{id}"`)
	resetRate := fs.Float64("reset-rate", 0, "share of connections reset without an answer")
	dropCreate := fs.Float64("drop-create-rate", 0, "share of creates committed then dropped")
	pageSize := fs.Int("page-size", 200, "default GET /instances page size")
	seed := fs.Int64("seed", 0, "random seed (0 = time-based)")
	maskUser := fs.Bool("mask-username", false, `read configuration.username back as "********"`)
	idOffset := fs.Int64("id-offset", 0, "added to the first id of every kind (instances, formulas, formula instances, executions); give two emulators different offsets to play two environments")
	stepDelay := fs.Duration("execution-step-delay", 0, "how long each step of a formula execution runs (the execution is pending until all have)")
	failAt := fs.String("execution-fail-at-step", "", "formula executions fail at the step of this name (a formula without it succeeds)")
	fs.StringVar(&st.profile, "profile", "default", "answer variance profile: "+strings.Join(emulator.ProfileNames(), ", "))
	fs.StringVar(&st.urlFile, "url-file", "", "write the base URL to this file once listening")
	fs.BoolVar(&st.quiet, "quiet", false, "do not print the final stats")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageHeader)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return st, err
	}
	if fs.NArg() > 0 {
		return st, fmt.Errorf("unexpected argument %q: every setting is a flag (see -help)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if v := getenv("CLOUDELEMENTS_USER_SECRET"); v != "" && !set["user-secret"] {
		*user = v
	}
	if v := getenv("CLOUDELEMENTS_ORGANIZATION_SECRET"); v != "" && !set["organization-secret"] {
		*org = v
	}
	if err := checkLoopback(st.listen); err != nil {
		return st, err
	}
	if *idOffset < 0 {
		return st, fmt.Errorf("-id-offset %d: must be 0 or more", *idOffset)
	}
	if *stepDelay < 0 {
		return st, fmt.Errorf("-execution-step-delay %s: must be 0 or more", *stepDelay)
	}

	var endpoints []string
	for _, e := range strings.Split(*errorEndpoints, ",") {
		if e = strings.TrimSpace(e); e != "" {
			endpoints = append(endpoints, e)
		}
	}
	opts, err := emulator.Options{
		UserSecret: *user, OrganizationSecret: *org, DefaultPageSize: *pageSize, Seed: *seed, IDOffset: *idOffset,
		Faults: emulator.Faults{
			Latency: *latency, LatencyJitter: *jitter, RateLimit: *rateLimit,
			ServerErrorRate: *errorRate, ServerErrorEndpoints: endpoints,
			ResetRate: *resetRate, DropCreateRate: *dropCreate,
		},
		Executions: emulator.ExecutionPlan{StepDelay: *stepDelay, FailAtStep: *failAt},
	}.WithProfile(st.profile)
	if err != nil {
		return st, fmt.Errorf("-profile: %w", err)
	}
	opts.MaskUsername = opts.MaskUsername || *maskUser
	st.opts = opts
	return st, nil
}

func run(args []string) error {
	st, err := parseFlags(args, os.Getenv)
	if err != nil {
		return err
	}
	srv := emulator.New(st.opts)

	ln, err := net.Listen("tcp", st.listen)
	if err != nil {
		return err
	}
	baseURL := "http://" + ln.Addr().String() + emulator.BasePath
	if st.urlFile != "" {
		if err := writeAtomic(st.urlFile, baseURL+"\n"); err != nil {
			ln.Close()
			return err
		}
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Long enough for injected latency and scripted delays.
		WriteTimeout:   5 * time.Minute,
		IdleTimeout:    5 * time.Minute,
		MaxHeaderBytes: 1 << 20,
	}
	fmt.Fprintf(os.Stderr, "cloudelements-emulator: serving %s (profile %s, id offset %d)\n", baseURL, st.profile, st.opts.IDOffset)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if !st.quiet {
		b, _ := json.MarshalIndent(srv.Stats(), "", "  ")
		fmt.Fprintf(os.Stderr, "cloudelements-emulator: final stats:\n%s\n", b)
	}
	return nil
}

// checkLoopback refuses addresses other machines could reach: the emulator
// accepts fixed test secrets and must never face a network.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q: refusing a non-loopback host; use 127.0.0.1, ::1 or localhost", addr)
}

// writeAtomic writes content to path via a rename so readers never see half.
func writeAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".url-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
