// Command benchimport is `make bench-import` (issue 13): it seeds the
// in-process emulator with N hand-made Freshdesk instances, finds them with
// `terraform query -generate-config-out` and applies the generated
// configuration with the provider built from this checkout, then prints what
// the emulator recorded:
//
//	import: n=500 list_requests=N gets=N writes=0 tokens_changed=0 wall=Ns
//
// terraform query needs Terraform 1.14 or newer, given with -terraform (or
// the TERRAFORM variable); without one it says so and exits 0.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// minQueryVersion is the first Terraform with terraform query.
var minQueryVersion = [2]int{1, 14}

const tag = "bench-import"

func main() {
	var (
		n         int
		terraform string
		keep      bool
		dir       string
		typ       string
	)
	flag.IntVar(&n, "n", 500, "instances to seed and import")
	flag.StringVar(&terraform, "terraform", os.Getenv("TERRAFORM"), "Terraform CLI 1.14 or newer (default $TERRAFORM)")
	flag.BoolVar(&keep, "keep", false, "keep the work directory")
	flag.StringVar(&dir, "dir", "", "work directory (default: a new temporary one)")
	flag.StringVar(&typ, "resource", freshdeskType, "list resource to query: "+freshdeskType+" (Freshdesk instances) or "+
		genericType+" (Jira instances, every other one with polling on)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if reason := tooOld(ctx, terraform); reason != "" {
		fmt.Printf("bench-import: skipped: %s; terraform query needs Terraform %d.%d or newer, "+
			"given as TERRAFORM=/path/to/terraform (e.g. make bench-import TERRAFORM=~/.cache/cloudelements-cli/terraform-1.15.9)\n",
			reason, minQueryVersion[0], minQueryVersion[1])
		return
	}
	if typ != freshdeskType && typ != genericType {
		fmt.Fprintf(os.Stderr, "bench-import: -resource %q: want %s or %s\n", typ, freshdeskType, genericType)
		os.Exit(2)
	}
	if err := run(ctx, n, terraform, dir, keep, typ); err != nil {
		fmt.Fprintln(os.Stderr, "bench-import:", err)
		os.Exit(1)
	}
}

// tooOld says why terraform cannot run a query, or "" when it can.
func tooOld(ctx context.Context, terraform string) string {
	if terraform == "" {
		return "no Terraform CLI given"
	}
	out, err := exec.CommandContext(ctx, terraform, "version", "-json").Output()
	if err != nil {
		return fmt.Sprintf("%s version: %v", terraform, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		return fmt.Sprintf("%s version -json: %v", terraform, err)
	}
	parts := strings.SplitN(v.Version, ".", 3)
	if len(parts) < 2 {
		return "unreadable version " + v.Version
	}
	major, _ := strconv.Atoi(parts[0])
	minor, _ := strconv.Atoi(parts[1])
	if major < minQueryVersion[0] || (major == minQueryVersion[0] && minor < minQueryVersion[1]) {
		return "Terraform " + v.Version + " is too old"
	}
	return ""
}

// The list resources -resource picks from.
const (
	freshdeskType = "cloudelements_freshdesk_instance"
	genericType   = "cloudelements_instance"
)

// seed is the i-th hand-made instance for the list resource typ.
func seed(typ string, i int) emulator.Instance {
	if typ == freshdeskType {
		return emulator.Instance{
			Name: fmt.Sprintf("helpdesk %03d", i),
			Tags: []string{tag},
			Configuration: map[string]string{
				"subdomain": fmt.Sprintf("desk-%03d", i),
				"username":  fmt.Sprintf("fd-key-%03d", i),
			},
		}
	}
	cfg := map[string]string{
		"jira.host": fmt.Sprintf("https://team-%03d.atlassian.net", i),
		"username":  "ops", "password": fmt.Sprintf("jira-pass-%03d", i),
	}
	if i%2 == 1 { // events on: the generated configuration must keep them
		cfg["event.notification.enabled"] = "true"
		cfg["event.notification.callback.url"] = fmt.Sprintf("https://hooks.example.com/%03d", i)
		cfg["event.vendor.type"] = "polling"
		cfg["event.poller.refresh_interval"] = "5"
	}
	return emulator.Instance{Name: fmt.Sprintf("jira %03d", i), ElementKey: "jira", Tags: []string{tag}, Configuration: cfg}
}

func run(ctx context.Context, n int, terraform, dir string, keep bool, typ string) error {
	work := dir
	if work == "" {
		var err error
		if work, err = os.MkdirTemp("", "bench-import-"); err != nil {
			return err
		}
		if !keep {
			defer os.RemoveAll(work)
		}
	}
	// The harness runs "terraform" from PATH: put the given CLI first.
	tfBin := filepath.Join(work, "terraform-bin")
	if err := os.MkdirAll(tfBin, 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(terraform)
	if err != nil {
		return err
	}
	if err := os.Symlink(abs, filepath.Join(tfBin, "terraform")); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	if err := os.Setenv("PATH", tfBin+string(os.PathListSeparator)+os.Getenv("PATH")); err != nil {
		return err
	}

	tools, err := harness.Build(ctx, filepath.Join(work, "build"), true)
	if err != nil {
		return err
	}
	emu, err := harness.StartEmulator(emulator.Options{Seed: 1})
	if err != nil {
		return err
	}
	defer emu.Close()
	seeded := make(map[int64]string, n) // id: token
	for i := range n {
		inst := emu.PutInstance(seed(typ, i))
		seeded[inst.ID] = inst.Token
	}

	ws, err := harness.NewWorkspace(filepath.Join(work, "ws"), tools.Env(emu.Env(0)...))
	if err != nil {
		return err
	}
	files := map[string]string{
		"main.tf": `terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}

provider "cloudelements" {}
`,
		"find.tfquery.hcl": fmt.Sprintf(`list %q "found" {
  provider         = cloudelements
  include_resource = true
  limit            = %d

  config {
    tags = [%q]
  }
}
`, typ, n, tag),
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(ws.Dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}

	emu.ResetRequests()
	start := time.Now()
	if _, err := harness.MustSucceed(ws.Terraform(ctx, "query", "-generate-config-out=generated.tf")); err != nil {
		return err
	}
	apply, err := harness.MustSucceed(ws.Terraform(ctx, "apply", "-auto-approve", "-json", "-parallelism=10"))
	if err != nil {
		return err
	}
	wall := time.Since(start)

	summary, err := changeSummary(apply.Stdout)
	if err != nil {
		return err
	}
	var lists, gets, writes, tokensChanged int
	for _, r := range emu.Requests() {
		switch {
		case r.Method != "GET":
			writes++
		case r.Path == "/instances" || strings.HasSuffix(r.Path, "/instances") && strings.HasPrefix(r.Path, "/elements/"):
			lists++
		case strings.HasPrefix(r.Path, "/instances/"):
			gets++
		}
	}
	for _, inst := range emu.Instances() {
		if token, ok := seeded[inst.ID]; ok && token != inst.Token {
			tokensChanged++
		}
	}
	fmt.Printf("apply: imported=%d added=%d changed=%d destroyed=%d (generated configuration in %s)\n",
		summary.Import, summary.Add, summary.Change, summary.Remove, filepath.Join(ws.Dir, "generated.tf"))
	if summary.Import != n || summary.Add != 0 || summary.Remove != 0 {
		return fmt.Errorf("want %d imports, 0 added, 0 destroyed", n)
	}
	fmt.Printf("import: n=%d list_requests=%d gets=%d writes=%d tokens_changed=%d wall=%.1fs\n",
		n, lists, gets, writes, tokensChanged, wall.Seconds())
	return nil
}

// summary is the change_summary line of terraform apply -json.
type summary struct {
	Add, Change, Import, Remove int
}

func changeSummary(stdout string) (summary, error) {
	f, err := os.Open(stdout)
	if err != nil {
		return summary{}, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m struct {
			Type    string  `json:"type"`
			Changes summary `json:"changes"`
		}
		if json.Unmarshal(sc.Bytes(), &m) == nil && m.Type == "change_summary" {
			return m.Changes, nil
		}
	}
	if err := sc.Err(); err != nil {
		return summary{}, err
	}
	return summary{}, fmt.Errorf("no change_summary in %s", stdout)
}
