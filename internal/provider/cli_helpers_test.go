package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// providerSource is the address the CLI tests declare and reattach under.
const providerSource = "registry.terraform.io/cloudelements/cloudelements"

// cliWorkspace runs the Terraform CLI itself, for what
// terraform-plugin-testing cannot drive (`apply -invoke`), against the
// provider served in-process and reattached, as terraform-plugin-testing
// serves it. Each run's output is kept for leak scans.
type cliWorkspace struct {
	t      *testing.T
	bin    string
	dir    string
	env    []string
	output strings.Builder // every run's stdout and stderr
}

// newCLIWorkspace skips unless TF_ACC is set and the CLI (TF_ACC_TERRAFORM_PATH,
// else terraform on PATH) is at least minVersion; logPath receives the
// CLI's TRACE log.
func newCLIWorkspace(t *testing.T, minVersion, logPath string) *cliWorkspace {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform CLI")
		}
	}
	out, err := exec.Command(bin, "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		t.Fatalf("terraform version: %v", err)
	}
	if got, err := version.NewVersion(v.Version); err != nil || got.LessThan(version.Must(version.NewVersion(minVersion))) {
		t.Skipf("Terraform %s is older than %s", v.Version, minVersion)
	}
	w := &cliWorkspace{t: t, bin: bin, dir: t.TempDir()}
	cliConfig := filepath.Join(w.dir, "empty.tfrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	w.env = append(os.Environ(), "TF_REATTACH_PROVIDERS="+serveReattached(t), "TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_LOG=TRACE", "TF_LOG_PATH="+logPath)
	return w
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
	rc := <-configCh
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

// write replaces the workspace's main.tf.
func (w *cliWorkspace) write(config string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		w.t.Fatal(err)
	}
}

// run runs terraform with args and returns its exit code and output.
func (w *cliWorkspace) run(args ...string) (int, string) {
	w.t.Helper()
	cmd := exec.Command(w.bin, args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	w.output.WriteString(out.String())
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		w.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return code, out.String()
}

// mustRun runs terraform and fails the test on a non-zero exit.
func (w *cliWorkspace) mustRun(args ...string) string {
	w.t.Helper()
	code, out := w.run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// state reads terraform.tfstate as text.
func (w *cliWorkspace) state() string {
	w.t.Helper()
	b, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// attribute reads one attribute of a resource from terraform.tfstate.
func (w *cliWorkspace) attribute(addrType, name, attr string) any {
	w.t.Helper()
	var st struct {
		Resources []struct {
			Type, Name string
			Instances  []struct {
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal([]byte(w.state()), &st); err != nil {
		w.t.Fatal(err)
	}
	for _, r := range st.Resources {
		if r.Type == addrType && r.Name == name && len(r.Instances) == 1 {
			return r.Instances[0].Attributes[attr]
		}
	}
	w.t.Fatalf("%s.%s not in state", addrType, name)
	return nil
}
