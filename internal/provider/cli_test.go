package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// cliDir is a Terraform working directory driven with the real CLI, the
// provider served in-process and attached through TF_REATTACH_PROVIDERS: for
// what terraform-plugin-testing cannot run (exit codes of plan
// -detailed-exitcode, a plan's own files).
type cliDir struct {
	t   *testing.T
	dir string
	env []string
	bin string
}

// newCLIDir serves server for the test's lifetime and returns a working
// directory using it. It skips unless TF_ACC is set.
func newCLIDir(t *testing.T, server tfprotov6.ProviderServer) *cliDir {
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
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	go func() {
		_ = tf6server.Serve("registry.terraform.io/cloudelements/cloudelements",
			func() tfprotov6.ProviderServer { return server }, tf6server.WithDebug(ctx, reattach, closed))
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-reattach:
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("provider server did not start")
	}
	t.Cleanup(func() { cancel(); <-closed })
	attach, err := json.Marshal(map[string]any{
		"registry.terraform.io/cloudelements/cloudelements": map[string]any{
			"Protocol": string(rc.Protocol), "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
			"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rcFile := filepath.Join(dir, ".terraformrc")
	if err := os.WriteFile(rcFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(attach), "TF_CLI_CONFIG_FILE="+rcFile,
		"TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_LOG=")
	return &cliDir{t: t, dir: dir, env: env, bin: bin}
}

// write puts a file into the working directory.
func (d *cliDir) write(name, content string) {
	d.t.Helper()
	if err := os.WriteFile(filepath.Join(d.dir, name), []byte(content), 0o600); err != nil {
		d.t.Fatal(err)
	}
}

// run runs terraform with args and returns its exit code and output.
func (d *cliDir) run(args ...string) (int, string) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, d.bin, append(args[:1:1], append([]string{"-no-color"}, args[1:]...)...)...)
	cmd.Dir, cmd.Env = d.dir, d.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
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

// versionBelow reports whether the CLI is older than major.minor.
func (d *cliDir) versionBelow(major, minor int) bool {
	d.t.Helper()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(d.must("version", "-json")), &v); err != nil {
		d.t.Fatalf("terraform version -json: %v", err)
	}
	var got [2]int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &got[0], &got[1]); err != nil {
		d.t.Fatalf("terraform version %q: %v", v.Version, err)
	}
	return got[0] < major || got[0] == major && got[1] < minor
}
