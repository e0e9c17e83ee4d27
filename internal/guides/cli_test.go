package guides

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Secrets the emulators of these tests accept.
const (
	userSecret = "test-user-secret"
	orgSecret  = "test-organization-secret"
)

// providerDir holds the provider binary TestMain builds once for every test
// (each test then only reads it).
var providerDir string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run() // every test here skips without TF_ACC
	}
	dir, err := os.MkdirTemp("", "guides-provider")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-cloudelements"), ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the provider: %v\n%s", err, out)
		return 1
	}
	providerDir = dir
	code := m.Run()
	if line := reportLine(); line != "" {
		fmt.Print(line)
		// go test hides a passing package's output: make test reads the file.
		if report := os.Getenv("GUIDES_REPORT"); report != "" {
			if err := os.WriteFile(report, []byte(line), 0o600); err != nil {
				fmt.Fprintln(os.Stderr, "writing GUIDES_REPORT:", err)
			}
		}
	}
	return code
}

// cli runs the Terraform CLI in one working directory with the provider
// served from providerDir, and nothing of the caller's Terraform settings.
type cli struct {
	t       *testing.T
	bin     string
	version *version.Version
	dir     string
	env     []string
}

// newCLI copies example (a directory under examples/guides, modules
// included; none when "") into a scratch directory and prepares to run
// Terraform there.
// It skips the test without TF_ACC or below minVersion.
func newCLI(t *testing.T, example, minVersion string) *cli {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs the Terraform CLI: set TF_ACC=1")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform on PATH")
		}
	}
	scratch := t.TempDir()
	config := filepath.Join(scratch, "terraformrc")
	writeFile(t, config, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/cloudelements/cloudelements" = %q
  }
  direct {}
}
`, providerDir))
	c := &cli{t: t, bin: bin, dir: filepath.Join(scratch, "work")}
	if err := os.Mkdir(c.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	c.env = append(cleanEnv(), "TF_CLI_CONFIG_FILE="+config, "TF_IN_AUTOMATION=1", "TF_INPUT=0", "CHECKPOINT_DISABLE=1")
	c.version = c.readVersion()
	if !c.atLeast(minVersion) {
		t.Skipf("needs Terraform %s or later; this is %s", minVersion, c.version)
	}
	if example != "" {
		copyDir(t, filepath.Join("../../examples/guides", example), c.dir)
	}
	return c
}

func (c *cli) readVersion() *version.Version {
	c.t.Helper()
	var out struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal([]byte(c.must("version", "-json")), &out); err != nil {
		c.t.Fatalf("%s version -json: %v", c.bin, err)
	}
	return version.Must(version.NewVersion(out.Version))
}

// as is the same working directory and environment under another Terraform
// binary.
func (c *cli) as(bin string) *cli {
	c.t.Helper()
	other := *c
	other.bin = bin
	other.env = append([]string(nil), c.env...)
	other.version = other.readVersion()
	return &other
}

// atLeast reports whether the CLI is v or newer.
func (c *cli) atLeast(v string) bool {
	return !c.version.LessThan(version.Must(version.NewVersion(v)))
}

// cleanEnv is the process environment without the settings that would
// reach Terraform or the provider from the developer's shell.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CLOUDELEMENTS_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// with adds environment variables (NAME=value) to every later command.
func (c *cli) with(kv ...string) *cli {
	c.env = append(c.env, kv...)
	return c
}

// platform points a configuration without provider block at the emulator
// serving url, through the provider's environment variables.
func (c *cli) platform(url string) *cli {
	return c.with("CLOUDELEMENTS_BASE_URL="+url, "CLOUDELEMENTS_USER_SECRET="+userSecret,
		"CLOUDELEMENTS_ORGANIZATION_SECRET="+orgSecret)
}

// exec runs name (terraform when empty) with args in the working directory
// and returns its combined output and exit code.
func (c *cli) exec(name string, args ...string) (string, int) {
	c.t.Helper()
	if name == "" {
		name = c.bin
	}
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	if name != c.bin {
		// A script finds this test's Terraform first on PATH.
		cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(c.bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return out.String(), code
}

// must runs terraform and fails the test unless it exits 0.
func (c *cli) must(args ...string) string {
	c.t.Helper()
	out, code := c.exec("", args...)
	if code != 0 {
		c.t.Fatalf("terraform %s: exit %d\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// planIsEmpty fails the test unless `terraform plan -detailed-exitcode`
// exits 0: nothing to change after an apply.
func (c *cli) planIsEmpty() {
	c.t.Helper()
	out, code := c.exec("", "plan", "-detailed-exitcode", "-no-color")
	if code != 0 {
		c.t.Fatalf("the plan after apply is not empty (exit %d):\n%s", code, out)
	}
}

// newEmulator serves a fresh emulator on loopback for one test and returns
// it with its base URL.
func newEmulator(t *testing.T, setup func(*emulator.Options)) (*emulator.Server, string) {
	t.Helper()
	opts := emulator.Options{UserSecret: userSecret, OrganizationSecret: orgSecret, Seed: 1}
	if setup != nil {
		setup(&opts)
	}
	emu := emulator.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv.URL + emulator.BasePath
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// copyDir copies the files of src into dst, keeping modes (scripts stay
// executable) and subdirectories (modules).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
