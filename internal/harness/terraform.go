package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Workspace is one Terraform working directory with its own state. Output of
// every command goes to numbered files under Dir/logs.
type Workspace struct {
	Dir string
	Env []string
	seq int
}

// NewWorkspace creates dir (and its logs directory) for Terraform runs.
func NewWorkspace(dir string, env []string) (*Workspace, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		return nil, err
	}
	return &Workspace{Dir: dir, Env: env}, nil
}

// WriteConfig replaces the workspace's configuration with c.
func (w *Workspace) WriteConfig(c Config) error {
	return os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(c.HCL()), 0o644)
}

// Run is one finished Terraform command.
type Run struct {
	Args     []string
	ExitCode int
	Wall     time.Duration
	// Stdout and Stderr are the files the output went to.
	Stdout, Stderr string
	// PeakRSSKiB is the largest peak RSS of the plugin processes this command
	// started (0 when none was wrapped, e.g. terraform_data only).
	PeakRSSKiB int64
}

// String summarises the run for error messages.
func (r *Run) String() string {
	return fmt.Sprintf("terraform %s: exit %d after %.2fs (output in %s)",
		strings.Join(r.Args, " "), r.ExitCode, r.Wall.Seconds(), r.Stdout)
}

// Tail is the end of the command's stderr and stdout, for error messages.
func (r *Run) Tail(n int) string {
	var out []string
	for _, p := range []string{r.Stderr, r.Stdout} {
		b, _ := os.ReadFile(p)
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if len(lines) > n {
			lines = lines[len(lines)-n:]
		}
		out = append(out, lines...)
	}
	return strings.Join(out, "\n")
}

// Process is a Terraform command still running.
type Process struct {
	cmd   *exec.Cmd
	run   *Run
	start time.Time
	files []*os.File
}

// Start starts terraform with args in the workspace. The command gets its own
// process group so that Interrupt reaches it and its plugins the way Ctrl-C
// in a terminal does.
func (w *Workspace) Start(ctx context.Context, args ...string) (*Process, error) {
	w.seq++
	base := filepath.Join(w.Dir, "logs", fmt.Sprintf("%03d-%s", w.seq, args[0]))
	stdout, err := os.Create(base + ".out")
	if err != nil {
		return nil, err
	}
	stderr, err := os.Create(base + ".err")
	if err != nil {
		stdout.Close()
		return nil, err
	}
	rssLog := base + ".rss"
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append([]string(nil), w.Env...), "HARNESS_RSS_LOG="+rssLog)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	p := &Process{
		cmd:   cmd,
		run:   &Run{Args: args, Stdout: stdout.Name(), Stderr: stderr.Name()},
		files: []*os.File{stdout, stderr},
	}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		stdout.Close()
		stderr.Close()
		return nil, fmt.Errorf("start terraform: %w", err)
	}
	return p, nil
}

// Interrupt sends SIGINT to the command's process group.
func (p *Process) Interrupt() error {
	return syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT)
}

// Wait waits for the command to finish. A non-zero exit is not an error: it
// is in Run.ExitCode.
func (p *Process) Wait() (*Run, error) {
	err := p.cmd.Wait()
	p.run.Wall = time.Since(p.start)
	for _, f := range p.files {
		f.Close()
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		p.run.ExitCode = exit.ExitCode()
	case err != nil:
		return p.run, err
	}
	p.run.PeakRSSKiB = maxRSS(strings.TrimSuffix(p.run.Stdout, ".out") + ".rss")
	return p.run, nil
}

func maxRSS(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	var peak int64
	for _, line := range strings.Fields(string(b)) {
		if v, err := strconv.ParseInt(line, 10, 64); err == nil {
			peak = max(peak, v)
		}
	}
	return peak
}

// Terraform runs terraform with args in the workspace and waits for it.
func (w *Workspace) Terraform(ctx context.Context, args ...string) (*Run, error) {
	p, err := w.Start(ctx, args...)
	if err != nil {
		return nil, err
	}
	return p.Wait()
}

// MustSucceed turns a non-zero exit into an error carrying the output's tail.
func MustSucceed(r *Run, err error) (*Run, error) {
	if err != nil {
		return r, err
	}
	if r.ExitCode != 0 {
		return r, fmt.Errorf("%s\n%s", r, r.Tail(15))
	}
	return r, nil
}

// StateResource is one resource instance in the local state file.
type StateResource struct {
	Address string
	ID      string
	Name    string // the name attribute, or input.name for terraform_data
	Tainted bool
}

// State reads terraform.tfstate (format 4) directly: faster than `terraform
// show -json` and it needs no plugin.
func (w *Workspace) State() ([]StateResource, error) {
	b, err := os.ReadFile(filepath.Join(w.Dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				IndexKey   any             `json:"index_key"`
				Status     string          `json:"status"`
				Attributes json.RawMessage `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("terraform.tfstate: %w", err)
	}
	var out []StateResource
	for _, r := range st.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, in := range r.Instances {
			var attrs struct {
				ID    string `json:"id"`
				Name  string `json:"name"`
				Input struct {
					Value struct {
						Name string `json:"name"`
					} `json:"value"`
				} `json:"input"`
			}
			if err := json.Unmarshal(in.Attributes, &attrs); err != nil {
				return nil, fmt.Errorf("terraform.tfstate %s.%s: %w", r.Type, r.Name, err)
			}
			addr := r.Type + "." + r.Name
			if in.IndexKey != nil {
				addr += fmt.Sprintf("[%v]", in.IndexKey)
			}
			name := attrs.Name
			if name == "" {
				name = attrs.Input.Value.Name
			}
			out = append(out, StateResource{Address: addr, ID: attrs.ID, Name: name, Tainted: in.Status == "tainted"})
		}
	}
	return out, nil
}

// JSONLog summarises the machine-readable output of a command run with -json.
type JSONLog struct {
	// Errored are the addresses of resources whose operation failed.
	Errored []string
	// Errors are the summaries of error diagnostics.
	Errors []string
	// Add, Change, Remove are from the final change summary.
	Add, Change, Remove int
}

// ReadJSONLog parses the -json output of r.
func ReadJSONLog(r *Run) (JSONLog, error) {
	var l JSONLog
	f, err := os.Open(r.Stdout)
	if err != nil {
		return l, err
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var m struct {
			Type string `json:"type"`
			Hook struct {
				Resource struct {
					Addr string `json:"addr"`
				} `json:"resource"`
			} `json:"hook"`
			Diagnostic struct {
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Address  string `json:"address"`
			} `json:"diagnostic"`
			Changes struct {
				Add    int `json:"add"`
				Change int `json:"change"`
				Remove int `json:"remove"`
			} `json:"changes"`
		}
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		switch m.Type {
		case "apply_errored":
			if a := m.Hook.Resource.Addr; !seen[a] {
				seen[a] = true
				l.Errored = append(l.Errored, a)
			}
		case "diagnostic":
			if m.Diagnostic.Severity == "error" {
				l.Errors = append(l.Errors, strings.TrimSpace(m.Diagnostic.Address+" "+m.Diagnostic.Summary))
			}
		case "change_summary":
			l.Add, l.Change, l.Remove = m.Changes.Add, m.Changes.Change, m.Changes.Remove
		}
	}
	return l, sc.Err()
}

// Failed counts failed resources: the errored addresses, or at least one when
// the command failed without naming a resource.
func (l JSONLog) Failed(exitCode int) int {
	if n := len(l.Errored); n > 0 || exitCode == 0 {
		return n
	}
	return max(1, len(l.Errors))
}
