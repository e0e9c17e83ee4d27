package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Secrets the emulator accepts in tests.
const (
	testUserSecret         = "test-user-secret"
	testOrganizationSecret = "test-organization-secret"
)

// envRealPlatform switches the acceptance tests from the emulator to the
// platform named by CLOUDELEMENTS_BASE_URL and the secrets in the
// environment. Checks that need the emulator's record are skipped then.
const envRealPlatform = "CLOUDELEMENTS_ACC_REAL"

// Acceptance tests and steps that ran (not skipped), reported by TestMain as
// a figure for the closing notes.
var accTestsRun, accStepsRun, accTestsSkipped atomic.Int64

// accTest runs an acceptance test case and counts it and its steps, or
// counts it as skipped (a Terraform CLI older than it needs skips it; the
// skip ends the test's goroutine, hence the defer).
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	defer func() {
		switch {
		case os.Getenv(resource.EnvTfAcc) == "":
		case t.Skipped():
			accTestsSkipped.Add(1)
		default:
			accTestsRun.Add(1)
			accStepsRun.Add(int64(len(tc.Steps)))
		}
	}()
	resource.Test(t, tc)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if accTestsRun.Load() > 0 {
		line := fmt.Sprintf("acceptance: tests=%d steps=%d skipped=%d\n", accTestsRun.Load(), accStepsRun.Load(), accTestsSkipped.Load())
		line += varianceLine() // the variance figure, when its test ran
		fmt.Print(line)
		// go test hides a passing package's output, so make test asks for
		// the figure in a file as well.
		if report := os.Getenv("ACC_REPORT"); report != "" {
			if err := os.WriteFile(report, []byte(line), 0o600); err != nil {
				fmt.Fprintln(os.Stderr, "writing ACC_REPORT:", err)
			}
		}
	}
	os.Exit(code)
}

// testAccProtoV6ProviderFactories serves the provider in-process, through
// the same ProtocolServer as the released binary.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudelements": serverFactory(New("test")()),
}

// serverFactory serves p the way main does.
func serverFactory(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return ProtocolServer(p), nil }
}

// accEnv is where one acceptance test runs: its own emulator, or the real
// platform.
type accEnv struct {
	emu     *emulator.Server // nil against the real platform
	baseURL string
}

// newAccEnv starts an emulator for one test (or points at the real platform).
func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	return newAccEnvWith(t, nil, nil)
}

// newAccEnvWith starts an emulator with options adjusted by setup (a
// variance profile, say) and served through wrap (a test's own faults in
// front of the emulator); either may be nil.
func newAccEnvWith(t *testing.T, setup func(*emulator.Options), wrap func(http.Handler) http.Handler) *accEnv {
	t.Helper()
	if os.Getenv(envRealPlatform) != "" {
		return &accEnv{baseURL: os.Getenv(envBaseURL)}
	}
	opts := emulator.Options{UserSecret: testUserSecret, OrganizationSecret: testOrganizationSecret, Seed: 1}
	if setup != nil {
		setup(&opts)
	}
	emu := emulator.New(opts)
	var h http.Handler = emu
	if wrap != nil {
		h = wrap(emu)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &accEnv{emu: emu, baseURL: srv.URL + emulator.BasePath}
}

// needsEmulator skips a test whose point is the emulator's record or faults.
func (e *accEnv) needsEmulator(t *testing.T) {
	t.Helper()
	if e.emu == nil {
		t.Skip("needs the emulator's record or fault injection")
	}
}

// provider is the provider block; against the real platform the secrets come
// from the environment.
func (e *accEnv) provider() string {
	if e.emu == nil {
		return fmt.Sprintf("provider \"cloudelements\" {\n  base_url = %q\n}\n", e.baseURL)
	}
	return e.providerWith(testUserSecret, testOrganizationSecret)
}

func (e *accEnv) providerWith(user, org string) string {
	return fmt.Sprintf(`provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
  max_retries         = 3
}
`, e.baseURL, user, org)
}

// check runs f against the emulator; it passes against the real platform,
// where there is no record to look at.
func (e *accEnv) check(f func(emu *emulator.Server) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.emu == nil {
			return nil
		}
		return f(e.emu)
	}
}

// expectRequests fails unless the emulator recorded exactly want requests
// matching method and pattern since the last reset, then resets the record.
func (e *accEnv) expectRequests(method, pattern string, want int) resource.TestCheckFunc {
	return e.check(func(emu *emulator.Server) error {
		got := emu.RequestsTo(method, pattern)
		if len(got) != want {
			return fmt.Errorf("want %d %s %s requests, emulator recorded %d: %s", want, method, pattern, len(got), describe(got))
		}
		return nil
	})
}

// resetRequests clears the record before a step.
func (e *accEnv) resetRequests() {
	if e.emu != nil {
		e.emu.ResetRequests()
	}
}

func describe(reqs []emulator.Request) string {
	parts := make([]string, 0, len(reqs))
	for _, r := range reqs {
		parts = append(parts, fmt.Sprintf("%s %s -> %d", r.Method, r.Path, r.Status))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// instanceID reads the numeric id of a resource from state.
func instanceID(s *terraform.State, name string) (int64, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok {
		return 0, fmt.Errorf("%s not in state", name)
	}
	return validate.ParseInstanceID(rs.Primary.ID)
}

func TestProviderSchemaIsValid(t *testing.T) {
	server, err := testAccProtoV6ProviderFactories["cloudelements"]()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.GetProviderSchema(t.Context(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("schema diagnostic: %s: %s", d.Summary, d.Detail)
	}
	if _, ok := resp.ResourceSchemas["cloudelements_freshdesk_instance"]; !ok {
		t.Error("cloudelements_freshdesk_instance missing from the schema")
	}
}
