package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// providerSource is the address the CLI tests declare and reattach under.
const providerSource = "registry.terraform.io/cloudelements/cloudelements"

// cliRequiredProviders is the terraform block every CLI test starts with.
const cliRequiredProviders = "terraform {\n  required_providers {\n    cloudelements = { source = \"" + providerSource + "\" }\n  }\n}\n"

// cliDir is a Terraform working directory driven with the real CLI, the
// provider served in-process and attached through TF_REATTACH_PROVIDERS, as
// terraform-plugin-testing serves it: for what that framework cannot run
// (`apply -invoke`, exit codes of `plan -detailed-exitcode`, a plan's own
// files). Every run's output is kept for leak scans.
type cliDir struct {
	t      *testing.T
	bin    string
	dir    string
	env    []string
	output strings.Builder // every run's stdout and stderr
}

// cliOptions are what a CLI test asks of its CLI.
type cliOptions struct {
	minVersion string // skip below this Terraform version ("1.14.0")
	why        string // the skip message's reason, when minVersion is not about a feature's existence
	traceLog   string // receives the CLI's TRACE log; none when empty
}

// newCLIDir skips unless TF_ACC is set and the CLI (TF_ACC_TERRAFORM_PATH,
// else terraform on PATH) is at least opts.minVersion, then serves the
// provider for the test's lifetime and returns a directory using it.
func newCLIDir(t *testing.T, opts cliOptions) *cliDir {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform CLI on PATH")
		}
	}
	if opts.minVersion != "" {
		if v := cliVersion(t, bin); v.LessThan(version.Must(version.NewVersion(opts.minVersion))) {
			t.Skipf("Terraform %s is older than %s%s", v, opts.minVersion, opts.why)
		}
	}
	d := &cliDir{t: t, bin: bin, dir: t.TempDir()}
	rcFile := filepath.Join(d.dir, ".terraformrc")
	if err := os.WriteFile(rcFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d.env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+serveReattached(t), "TF_CLI_CONFIG_FILE="+rcFile,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_LOG=")
	if opts.traceLog != "" {
		d.env = append(d.env, "TF_LOG=TRACE", "TF_LOG_PATH="+opts.traceLog)
	}
	return d
}

// cliVersion asks the CLI at bin for its version.
func cliVersion(t *testing.T, bin string) *version.Version {
	t.Helper()
	out, err := exec.Command(bin, "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	got, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	return got
}

// serveReattached serves the provider in this process and returns the
// TF_REATTACH_PROVIDERS value pointing at it.
func serveReattached(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	go func() {
		err := tf6server.Serve(providerSource, func() tfprotov6.ProviderServer { return ProtocolServer(New("test")()) },
			tf6server.WithDebug(ctx, configCh, closeCh), tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t), tf6server.WithoutLogStderrOverride())
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-configCh:
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("provider server did not start")
	}
	t.Cleanup(func() { cancel(); <-closeCh })
	b, err := json.Marshal(map[string]any{providerSource: map[string]any{
		"Protocol": rc.Protocol, "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
		"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// write replaces the working directory's main.tf.
func (d *cliDir) write(config string) {
	d.t.Helper()
	if err := os.WriteFile(filepath.Join(d.dir, "main.tf"), []byte(config), 0o600); err != nil {
		d.t.Fatal(err)
	}
}

// run runs terraform with args (and -no-color) and returns its exit code
// and output.
func (d *cliDir) run(args ...string) (int, string) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, d.bin, append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...)
	cmd.Dir, cmd.Env = d.dir, d.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	d.output.WriteString(out.String())
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	}
	d.t.Fatalf("terraform %v: %v\n%s", args, err, out.String())
	return -1, ""
}

// must runs terraform and fails the test unless it exits 0.
func (d *cliDir) must(args ...string) string {
	d.t.Helper()
	code, out := d.run(args...)
	if code != 0 {
		d.t.Fatalf("terraform %v exited %d:\n%s", args, code, out)
	}
	return out
}

// state reads terraform.tfstate as text.
func (d *cliDir) state() string {
	d.t.Helper()
	b, err := os.ReadFile(filepath.Join(d.dir, "terraform.tfstate"))
	if err != nil {
		d.t.Fatal(err)
	}
	return string(b)
}

// attribute reads one attribute of a resource from terraform.tfstate.
func (d *cliDir) attribute(addrType, name, attr string) any {
	d.t.Helper()
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal([]byte(d.state()), &st); err != nil {
		d.t.Fatal(err)
	}
	for _, r := range st.Resources {
		if r.Type == addrType && r.Name == name && len(r.Instances) == 1 {
			return r.Instances[0].Attributes[attr]
		}
	}
	d.t.Fatalf("%s.%s not in state", addrType, name)
	return nil
}
